import { Tensor, TensorLike, kernels } from '../lib';
import { maskOf } from './batching/rules';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { Domain } from './domain';

/** y = max(x, 0).  x̄ = g ⊙ [x > 0], taking ReLU′(0) = 0 at ±0 (PyTorch's threshold_backward) */
const op = defineOp({
  name: 'relu',
  forward: ([x]) => kernels.relu(x!),
  vjp: (g, { inputs: [x] }) => [mul(g, maskOf(x!, kernels.positiveMask))],
});

export function relu(x: TensorLike): Tensor {
  return op.apply([asTensor('relu', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3, avoid: [0], margin: 0.05 } };
