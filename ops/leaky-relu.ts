import { Tensor, TensorLike, kernels } from '../lib';
import { maskOf } from './batching/rules';
import { defineOp } from '../graph';
import { asTensor, numberOf } from './args';
import { mul } from './mul';
import { Domain } from './domain';

/** y = x for x > 0, αx otherwise.  x̄ = g ⊙ (x > 0 ? 1 : α), taking the derivative at ±0 as α (as PyTorch's) */
const op = defineOp<number>({
  name: 'leakyRelu',
  forward: ([x], alpha) => kernels.leakyRelu(x!, alpha),
  vjp: (g, { inputs: [x], attrs: alpha }) => [mul(g, maskOf(x!, (t) => kernels.leakyMask(t, alpha)))],
});

/** Leaky ReLU with negative slope α (default 0.01, as in PyTorch). */
export function leakyRelu(x: TensorLike, alpha = 0.01): Tensor {
  return op.apply([asTensor('leakyRelu', x)], numberOf('leakyRelu', 'alpha', alpha, 0.01));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3, avoid: [0], margin: 0.05 },
  call: ([x], pick) => leakyRelu(x!, [0.01, 0.2, 0.5][pick.int(0, 2)]),
};
