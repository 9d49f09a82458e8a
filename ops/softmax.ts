import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor, axisOf } from './args';
import { mul } from './mul';
import { sub } from './sub';
import { sum } from './sum';
import { reshape } from './reshape';
import { Domain } from './domain';

/**
 * yᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m) along the axis, m = max_axis x: n equal entries of any magnitude
 * give exactly 1/n, ±1e308 gives 1 and 0, a −∞ entry 0; a slice holding +∞ or NaN, or all −∞, is
 * NaN, as in PyTorch.
 * x̄ = y ⊙ (g − Σ_axis g ⊙ y), written with ops so it has a second derivative
 */
const op = defineOp<number>({
  name: 'softmax',
  forward: ([x], axis) => kernels.softmax(x!, axis),
  vjp: (g, { output, attrs: axis }) => [mul(output, sub(g, sum(mul(g, output), axis, true)))],
});

/** softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) along `axis` (default the last). */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor('softmax', x);
  return op.apply([t], axisOf('softmax', t, axis));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => (x!.rank === 0 ? softmax(reshape(x!, [1])) : softmax(x!, pick.int(0, x!.rank - 1))),
};
