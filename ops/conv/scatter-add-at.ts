/**
 * scatterAddAt: x's elements added into a zero tensor of a given shape at a list of flat indices
 * (repeated indices add up) — the gradient route of max pooling, and gatherAt's VJP.
 */
import { ArgumentError, Tensor, TensorLike, kernels, sizeOf } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, shapeOf } from '../args';
import { Domain } from '../domain';
import { RouteAttrs, flatIndicesOf, gatherAt } from './gather-at';

/** y = 0 of the given shape, y[idx[i]] += x[i].  x̄ = gatherAt(g, idx, x.shape) */
const op = defineOp<RouteAttrs>({
  name: 'scatterAddAt',
  forward: ([x], { indices, shape }) => kernels.scatterAddFlat(x!, indices, shape, sizeOf(shape)),
  vjp: (g, { inputs: [x], attrs: { indices } }) => [gatherAt(g, indices, x!.shape)],
});

/** A zero tensor of `shape` with x's element i added at flat index indices[i]. */
export function scatterAddAt(x: TensorLike, indices: Int32Array | readonly number[], shape: readonly number[]): Tensor {
  const t = asTensor('scatterAddAt', x);
  const s = shapeOf('scatterAddAt', shape);
  const idx = flatIndicesOf('scatterAddAt', indices, sizeOf(s));
  if (idx.length !== t.size) throw new ArgumentError(`scatterAddAt: ${idx.length} indices for the ${t.size} elements of x; expected one index per element`);
  return op.apply([t], { indices: idx, shape: s });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const size = pick.int(1, 5);
    return scatterAddAt(x!, Array.from({ length: x!.size }, () => pick.int(0, size - 1)), [size]);
  },
};
