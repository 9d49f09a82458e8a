import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor, axisOf } from './args';
import { sub } from './sub';
import { mul } from './mul';
import { exp } from './exp';
import { sum } from './sum';
import { reshape } from './reshape';
import { Domain } from './domain';

/**
 * y = (x − m) − log Σ_axis e^(x−m), m = max_axis x: the maximum is subtracted first, so equal
 * entries of any magnitude give exactly −log n (x − logSumExp(x) would round log n away at 1e15)
 * and ±1e308 gives 0 and −∞. A −∞ entry gives −∞; a slice holding +∞ or NaN, or all −∞, is NaN,
 * as in PyTorch.
 * x̄ = g − softmax(x) ⊙ Σ_axis g, with softmax = eʸ: its own VJP, so no exp of a large number is ever formed.
 */
const op = defineOp<number>({
  name: 'logSoftmax',
  forward: ([x], axis) => kernels.logSoftmax(x!, axis),
  vjp: (g, { output, attrs: axis }) => [sub(g, mul(exp(output), sum(g, axis, true)))],
});

/** log softmax(x) along `axis` (default the last). */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor('logSoftmax', x);
  return op.apply([t], axisOf('logSoftmax', t, axis));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => (x!.rank === 0 ? logSoftmax(reshape(x!, [1])) : logSoftmax(x!, pick.int(0, x!.rank - 1))),
};
