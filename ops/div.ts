import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { mul } from './mul';
import { neg } from './neg';
import { Domain } from './domain';

/** c = a / b (broadcasting; ±∞ or NaN at b = 0, as IEEE).  ā = sumTo(g / b, a.shape),  b̄ = sumTo(−g ⊙ c / b, b.shape) */
const op = defineOp({
  name: 'div',
  forward: ([a, b]) => kernels.div(a!, b!),
  vjp: (g, { inputs: [a, b], output, needs }) => [
    needs[0] ? sumTo(div(g, b!), a!.shape) : null,
    needs[1] ? sumTo(neg(div(mul(g, output), b!)), b!.shape) : null,
  ],
});

export function div(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('div', a, 'a'), asTensor('div', b, 'b')], undefined);
}

export const domain: Domain = {
  arity: 2,
  shapes: 'broadcastable',
  values: [{ min: -3, max: 3 }, { min: -3, max: 3, avoid: [0], margin: 0.5 }],
};
