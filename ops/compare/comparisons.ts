/**
 * Elementwise comparisons (torch.gt, lt, ge, le, eq, ne under their long names): a and b
 * broadcast together, and the result is 1 where the relation holds and 0 elsewhere (NaN compares
 * false, so notEqual is 1 there), a float64 tensor usable as where's condition or as a mask.
 *
 * They have no gradient: the result is piecewise constant in a and b, so its derivative is 0
 * wherever it exists. They therefore define no op with defineOp, record no node and return a
 * constant (requiresGrad false) even for inputs that require a gradient, and they are not in the
 * gradient registry (ops/registry.ts), whose checks would have nothing to check. Their forward
 * values are tested in spec/ops/forward.spec.ts and their argument errors in spec/errors/.
 *
 * `equal` is elementwise, as torch.eq: it is not torch.equal (one boolean for the whole tensors).
 */
import { Tensor, TensorLike, kernels } from '../../lib';
import { constantOf } from '../../graph/vmap';
import { asTensor } from '../args';
import { batchedElementwise } from '../batching/rules';

function compare(op: string, a: TensorLike, b: TensorLike, kernel: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const x = asTensor(op, a, 'a');
  const y = asTensor(op, b, 'b');
  // Inside vmap: once on the whole batch (a constant, as outside).
  const batched = batchedElementwise(op, [constantOf(x), constantOf(y)], ([p, q]) => compare(op, p!, q!, kernel));
  if (batched !== null) return batched;
  return kernel(x, y); // a constant; shapes that do not broadcast are a ShapeError naming op
}

/** [a > b] elementwise (torch.greater / torch.gt). */
export function greater(a: TensorLike, b: TensorLike): Tensor {
  return compare('greater', a, b, kernels.greater);
}

/** [a < b] elementwise (torch.less / torch.lt). */
export function less(a: TensorLike, b: TensorLike): Tensor {
  return compare('less', a, b, kernels.less);
}

/** [a ≥ b] elementwise (torch.greater_equal / torch.ge). */
export function greaterEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare('greaterEqual', a, b, kernels.greaterEqual);
}

/** [a ≤ b] elementwise (torch.less_equal / torch.le). */
export function lessEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare('lessEqual', a, b, kernels.lessEqual);
}

/** [a = b] elementwise (torch.eq; not torch.equal). */
export function equal(a: TensorLike, b: TensorLike): Tensor {
  return compare('equal', a, b, kernels.equal);
}

/** [a ≠ b] elementwise (torch.not_equal / torch.ne). */
export function notEqual(a: TensorLike, b: TensorLike): Tensor {
  return compare('notEqual', a, b, kernels.notEqual);
}
