import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { div } from './div';
import { mul } from './mul';
import { Domain } from './domain';

/** y = √x (x ≥ 0; NaN below, −0 at −0).  x̄ = g / (2y): +∞ at x = 0 (−∞ at −0, NaN where g = 0 too), as PyTorch's; no subgradient is substituted at the pole */
const op = defineOp({
  name: 'sqrt',
  forward: ([x]) => kernels.sqrt(x!),
  vjp: (g, { output }) => [div(g, mul(output, 2))],
});

export function sqrt(x: TensorLike): Tensor {
  return op.apply([asTensor('sqrt', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: 0.2, max: 5 } };
