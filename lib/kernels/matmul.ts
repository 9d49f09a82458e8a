/**
 * Matrix products over the last two axes, with the leading (batch) axes broadcast:
 * C[..., i, j] = Σ_p op(A)[..., i, p] op(B)[..., p, j], where op transposes an operand's last two
 * axes when asked — by strides, never by copying, which is what the VJPs G Bᵀ and Aᵀ G need.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from '../shape';
import { MatrixView } from './gemm';
import { parallelGemm } from './gemm-pool';
import { gemmKernel, usingSimd } from './backend';

/** Below this many multiply-adds, packing costs more than it saves: a plain strided loop is used. */
const SMALL = 8 * 8 * 8;

/** C (m×n, row-major at cOffset) = A·B for small operands, read through their views. */
function gemmSmall(m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number): void {
  const { data: a, rowStride: ars, colStride: acs } = A;
  const { data: b, rowStride: brs, colStride: bcs } = B;
  for (let i = 0; i < m; i++) {
    const ai = A.offset + i * ars;
    for (let j = 0; j < n; j++) {
      let s = 0;
      let pa = ai;
      let pb = B.offset + j * bcs;
      for (let p = 0; p < k; p++, pa += acs, pb += brs) s += a[pa]! * b[pb]!;
      C[cOffset + i * n + j] = s;
    }
  }
}

/** The (rows, cols) of op(x) and the view strides that read op(x) from x's last two axes. */
function operand(x: Tensor, transposed: boolean): { rows: number; cols: number; rowStride: number; colStride: number } {
  const r = x.shape[x.rank - 2]!;
  const c = x.shape[x.rank - 1]!;
  return transposed ? { rows: c, cols: r, rowStride: 1, colStride: c } : { rows: r, cols: c, rowStride: c, colStride: 1 };
}

/**
 * Batched product op(a) · op(b) for a [..., m, k] (or [..., k, m] when transA) and b [..., k, n]
 * (or [..., n, k] when transB); ranks ≥ 2 and matching inner dimensions are checked by the caller.
 */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const A = operand(a, transA);
  const B = operand(b, transB);
  const [m, k, n] = [A.rows, A.cols, B.cols];
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', aBatch, bBatch);
  const shape = [...batch, m, n];
  const out = alloc(sizeOf(shape), 'matmul', shape);
  const count = sizeOf(batch);
  if (count === 0 || m === 0 || n === 0) return kernelTensor(out, shape);
  const aStr = broadcastStrides(aBatch, batch);
  const bStr = broadcastStrides(bBatch, batch);
  const outStr = stridesOf(batch);
  const gemm = gemmKernel();
  const simd = usingSimd();
  const kernel = m * n * k <= SMALL ? gemmSmall : (...args: Parameters<typeof gemmSmall>) => parallelGemm(gemm, simd, ...args);
  for (let t = 0; t < count; t++) {
    // Decompose the batch index t into offsets (in matrices) into a and b.
    let rest = t;
    let am = 0;
    let bm = 0;
    for (let d = 0; d < batch.length; d++) {
      const i = Math.floor(rest / outStr[d]!);
      rest -= i * outStr[d]!;
      am += i * aStr[d]!;
      bm += i * bStr[d]!;
    }
    kernel(
      m, n, k,
      { data: a.data, offset: am * m * k, rowStride: A.rowStride, colStride: A.colStride },
      { data: b.data, offset: bm * k * n, rowStride: B.rowStride, colStride: B.colStride },
      out, t * m * n,
    );
  }
  return kernelTensor(out, shape);
}
