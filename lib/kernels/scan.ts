/** Running sums along one axis. */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { sizeOf } from '../shape';

/**
 * y[…, i, …] = Σ_{j ≤ i} x[…, j, …] along `axis` (non-negative, < rank), or Σ_{j ≥ i} when
 * `reverse`; one pass per row, summed in order.
 */
export function cumsum(x: Tensor, axis: number, reverse: boolean): Tensor {
  const shape = x.shape;
  const n = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const src = x.data;
  const out = alloc(src.length);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let c = 0; c < inner; c++) {
      let s = 0;
      if (reverse) {
        for (let i = n - 1; i >= 0; i--) {
          const j = base + i * inner + c;
          s += src[j]!;
          out[j] = s;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const j = base + i * inner + c;
          s += src[j]!;
          out[j] = s;
        }
      }
    }
  }
  return kernelTensor(out, shape.slice());
}
