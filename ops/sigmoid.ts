import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sigmoidBackward } from './sigmoid-backward';
import { Domain } from './domain';

/** y = σ(x) = 1 / (1 + e⁻ˣ).  x̄ = g ⊙ y ⊙ (1 − y), fused in sigmoidBackward */
const op = defineOp({
  name: 'sigmoid',
  forward: ([x]) => kernels.sigmoid(x!),
  vjp: (g, { output }) => [sigmoidBackward(g, output)],
});

export function sigmoid(x: TensorLike): Tensor {
  return op.apply([asTensor('sigmoid', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -4, max: 4 } };
