/**
 * oneHot is not differentiable in its labels (integers): it returns a constant tensor and is not an
 * op of the gradient registry (see the note in argmax.ts).
 */
import { ArgumentError, AxisError, Tensor, TensorLike, checkSize, fmtShape, kernels } from '../../lib';
import { countOf, indexArrayOf } from './indices';

/**
 * One row of 0s with a 1 at each label (F.one_hot): integer labels of any shape (a tensor of
 * integer values, a nested array, an Int32Array or a number) give shape labels.shape + [classes],
 * float64 0/1, no gradient. Labels must lie in [0, classes) (a negative label is an AxisError, as
 * in PyTorch). Without `classes` (or with −1, as in PyTorch) it is the largest label + 1.
 */
export function oneHot(labels: TensorLike | Int32Array, classes?: number): Tensor {
  const idx = indexArrayOf('oneHot', 'labels', labels);
  let n: number;
  if (classes === undefined || classes === -1) {
    if (idx.values.length === 0) {
      throw new ArgumentError(`oneHot: cannot infer the number of classes from empty labels of shape ${fmtShape(idx.shape)}; pass classes`);
    }
    n = idx.values.reduce((m, v) => Math.max(m, v), 0) + 1;
  } else {
    n = countOf('oneHot', 'classes', classes);
  }
  const v = idx.values;
  for (let i = 0; i < v.length; i++) {
    if (v[i]! < 0 || v[i]! >= n) {
      throw new AxisError(`oneHot: labels hold ${v[i]} at flat position ${i} of shape ${fmtShape(idx.shape)}, expected a class in 0 … ${n - 1} (classes = ${n})`);
    }
  }
  checkSize('oneHot', [...idx.shape, n]);
  return kernels.oneHot(v, idx.shape, n);
}
