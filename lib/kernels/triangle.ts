/** Triangular masks over the last two axes (triu, tril). */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';

/**
 * Keeps x[…, i, j] where j − i ≥ k (upper) or j − i ≤ k (lower) and writes 0 elsewhere, for every
 * matrix of the last two axes (rank ≥ 2).
 */
export function triangle(x: Tensor, k: number, upper: boolean): Tensor {
  const shape = x.shape;
  const rows = shape[shape.length - 2]!;
  const cols = shape[shape.length - 1]!;
  const src = x.data;
  const out = alloc(src.length);
  const matrices = rows * cols === 0 ? 0 : src.length / (rows * cols);
  for (let m = 0; m < matrices; m++) {
    const base = m * rows * cols;
    for (let i = 0; i < rows; i++) {
      const row = base + i * cols;
      for (let j = 0; j < cols; j++) {
        if (upper ? j - i >= k : j - i <= k) out[row + j] = src[row + j]!;
      }
    }
  }
  return kernelTensor(out, shape.slice());
}
