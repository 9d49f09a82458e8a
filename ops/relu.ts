import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp, isBatched } from '../graph';
import { asTensor } from './args';
import { greater } from './compare/comparisons';
import { mul } from './mul';
import { Domain } from './domain';

const ZERO = new Tensor(Float64Array.of(0), []);

/** y = max(x, 0).  x̄ = g ⊙ [x > 0], taking ReLU′(0) = 0 at ±0 (PyTorch's threshold_backward) */
const op = defineOp({
  name: 'relu',
  forward: ([x]) => kernels.relu(x!),
  // Inside vmap (x batched) the same mask from the comparison, which batches.
  vjp: (g, { inputs: [x] }) => [mul(g, isBatched(x!) ? greater(x!, ZERO) : kernels.positiveMask(x!))],
});

export function relu(x: TensorLike): Tensor {
  return op.apply([asTensor('relu', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3, avoid: [0], margin: 0.05 } };
