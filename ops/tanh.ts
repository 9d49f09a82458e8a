import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { tanhBackward } from './tanh-backward';
import { Domain } from './domain';

/** y = tanh x.  x̄ = g ⊙ (1 − y²), fused in tanhBackward */
const op = defineOp({
  name: 'tanh',
  forward: ([x]) => kernels.tanh(x!),
  vjp: (g, { output }) => [tanhBackward(g, output)],
});

export function tanh(x: TensorLike): Tensor {
  return op.apply([asTensor('tanh', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
