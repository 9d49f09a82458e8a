import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { Domain } from './domain';

/** y = −x.  x̄ = −g */
const op = defineOp({
  name: 'neg',
  forward: ([x]) => kernels.neg(x!),
  vjp: (g) => [neg(g)],
});

export function neg(x: TensorLike): Tensor {
  return op.apply([asTensor('neg', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
