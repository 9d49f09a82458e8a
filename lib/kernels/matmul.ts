/**
 * Matrix products over the last two axes, with the leading (batch) axes broadcast.
 * C[..., i, j] = Σ_p A[..., i, p] B[..., p, j].
 */
import { Tensor } from '../tensor';
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from '../shape';

/**
 * C (m×n, zeroed) += A (m×k) · B (k×n), all row-major at the given offsets. The i-p-j loop order
 * streams rows of B and C, which keeps the inner loop contiguous.
 */
export function gemm(
  a: Float64Array, ao: number, b: Float64Array, bo: number, c: Float64Array, co: number,
  m: number, k: number, n: number,
): void {
  for (let i = 0; i < m; i++) {
    const ci = co + i * n;
    const ai = ao + i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p]!;
      const bp = bo + p * n;
      for (let j = 0; j < n; j++) c[ci + j] = c[ci + j]! + av * b[bp + j]!;
    }
  }
}

/** Batched product of a [..., m, k] and b [..., k, n] (ranks ≥ 2, checked by the caller). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.rank - 2]!;
  const k = a.shape[a.rank - 1]!;
  const n = b.shape[b.rank - 1]!;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', aBatch, bBatch);
  const shape = [...batch, m, n];
  const out = new Float64Array(sizeOf(shape));
  const count = sizeOf(batch);
  if (count === 0) return new Tensor(out, shape);
  const aStr = broadcastStrides(aBatch, batch);
  const bStr = broadcastStrides(bBatch, batch);
  const outStr = stridesOf(batch);
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
    gemm(a.data, am * m * k, b.data, bm * k * n, out, t * m * n, m, k, n);
  }
  return new Tensor(out, shape);
}
