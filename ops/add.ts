import { Tensor, TensorLike, kernels } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { Domain } from './domain';

/** c = a + b (broadcasting).  ā = sumTo(g, a.shape),  b̄ = sumTo(g, b.shape) */
const op = defineOp({
  name: 'add',
  forward: ([a, b]) => kernels.add(a!, b!),
  vjp: (g, { inputs: [a, b], needs }) => [needs[0] ? sumTo(g, a!.shape) : null, needs[1] ? sumTo(g, b!.shape) : null],
});

export function add(a: TensorLike, b: TensorLike): Tensor {
  return op.apply([asTensor('add', a, 'a'), asTensor('add', b, 'b')], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'broadcastable', values: { min: -3, max: 3 } };
