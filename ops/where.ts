import { Tensor, TensorLike, kernels, broadcastShapes } from '../lib';
import { defineOp } from '../graph';
import { constantOf, isBatched } from '../graph/vmap';
import { batchedElementwise } from './batching/rules';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { Domain } from './domain';

const ZERO = new Tensor(Float64Array.of(0), []);

/**
 * c = cond ? a : b elementwise (all three broadcast; cond is a constant mask, nonzero = true, and
 * gets no gradient).
 * ā = sumTo(cond ? g : 0, a.shape),  b̄ = sumTo(cond ? 0 : g, b.shape): the branch not taken gets
 * exactly 0, even where its own value is ±∞ or NaN
 */
const op = defineOp<Tensor>({
  name: 'where',
  forward: ([a, b], cond) => kernels.where(cond, a!, b!),
  vjp: (g, { inputs: [a, b], attrs: cond, needs }) => [
    needs[0] ? sumTo(where(cond, g, ZERO), a!.shape) : null,
    needs[1] ? sumTo(where(cond, ZERO, g), b!.shape) : null,
  ],
});

/** Chooses a where cond is nonzero, b elsewhere. cond carries no gradient. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = asTensor('where', cond, 'cond');
  const x = asTensor('where', a, 'a');
  const y = asTensor('where', b, 'b');
  broadcastShapes('where', c.shape, broadcastShapes('where', x.shape, y.shape));
  // Inside vmap with a batched condition: once on the whole batch.
  if (isBatched(c)) return batchedElementwise('where', [constantOf(c), x, y], ([pc, px, py]) => where(pc!, px!, py!))!;
  return op.apply([x, y], new Tensor(c.data, c.shape));
}

export const domain: Domain = {
  arity: 2,
  shapes: 'broadcastable',
  values: { min: -3, max: 3 },
  call: ([a, b], pick) => {
    const shape = broadcastShapes('where', a!.shape, b!.shape);
    const cond = new Tensor(Float64Array.from({ length: shape.reduce((n, d) => n * d, 1) }, () => pick.int(0, 1)), shape);
    return where(cond, a!, b!);
  },
};
