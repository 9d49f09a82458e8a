import { Tensor, TensorLike, kernels } from '../../lib';
import { equal } from '../compare/comparisons';
import { asTensor } from '../args';
import { add } from '../add';
import { mul } from '../mul';
import { sqrt } from '../sqrt';
import { where } from '../where';
import { variance, varianceArgs, pickVarianceCall, VarianceOptions } from './variance';
import { Domain } from '../domain';

const ZERO = new Tensor(Float64Array.of(0), []);

/**
 * y = √variance(x, axes, keepDims, { correction }) (torch.std with correction; default 0 here). A
 * composite: its gradient g ⊙ (x − mean x) / ((N − correction) y) comes from sqrt and variance.
 * Where the variance is 0 (all the reduced values equal) the gradient is 0, the subgradient
 * convention (as PyTorch's std_backward), not 0 · ∞: the square root is read at 1 there. Squared
 * deviations above ~1.8e308 overflow, so ±1e300 gives ∞ (as in PyTorch) with gradient 0.
 */
export function std(
  x: TensorLike,
  axes?: number | readonly number[],
  keepDims = false,
  options?: VarianceOptions,
): Tensor {
  const t = asTensor('std', x);
  varianceArgs('std', t, axes, keepDims, options); // errors name std, not variance
  const v = variance(t, axes, keepDims, options);
  const zero = equal(v, ZERO);
  return where(zero, 0, sqrt(where(zero, 1, v)));
}

/**
 * Distinct values (so the deviation is never 0, where the derivative is infinite); a tensor of one
 * element is spread into two distinct values x and 2x + 10 first.
 */
export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  distinct: true,
  call: ([x], pick) => {
    let t = x!;
    if (t.size < 2) t = add(mul(t, [1, 2]), [0, 10]);
    const [axes, keep, options] = pickVarianceCall(t, pick);
    const count = axes === undefined ? t.size : axes.reduce((n, a) => n * t.shape[a]!, 1);
    // One element along the picked axes has deviation 0: reduce over all axes instead.
    return count < 2 ? std(t, undefined, keep, options) : std(t, axes, keep, options);
  },
};
