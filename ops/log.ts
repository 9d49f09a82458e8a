import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { div } from './div';
import { Domain } from './domain';

/** y = ln x (x > 0; −∞ at ±0, NaN below).  x̄ = g / x: ±∞ at ±0, the pole's value */
const op = defineOp({
  name: 'log',
  forward: ([x]) => kernels.log(x!),
  vjp: (g, { inputs: [x] }) => [div(g, x!)],
});

export function log(x: TensorLike): Tensor {
  return op.apply([asTensor('log', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: 0.2, max: 5 } };
