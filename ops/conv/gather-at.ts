/**
 * gatherAt: the elements of x at a list of flat indices, as a tensor of a given shape — the route
 * of max pooling's values (and, through its VJP, of their gradients).
 */
import { ArgumentError, Tensor, TensorLike, describe, kernels, sizeOf } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, shapeOf } from '../args';
import { Domain } from '../domain';
import { scatterAddAt } from './scatter-add-at';

export interface RouteAttrs {
  indices: Int32Array;
  shape: readonly number[];
}

/** y[i] = x[idx[i]] (y of the given shape, idx flat indices into x).  x̄ = scatterAddAt(g, idx, x.shape) */
const op = defineOp<RouteAttrs>({
  name: 'gatherAt',
  forward: ([x], { indices, shape }) => kernels.gatherFlat(x!, indices, shape),
  vjp: (g, { inputs: [x], attrs: { indices } }) => [scatterAddAt(g, indices, x!.shape)],
});

/** Flat indices checked against a bound: integers in [0, size). */
export function flatIndicesOf(who: string, indices: unknown, size: number): Int32Array {
  const list = indices instanceof Int32Array ? indices : Array.isArray(indices) ? Int32Array.from(indices as number[]) : null;
  if (list === null) throw new ArgumentError(`${who}: indices must be an Int32Array or an array of integers, got ${describe(indices)}`);
  for (let i = 0; i < list.length; i++) {
    const v = (indices as ArrayLike<unknown>)[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= size) {
      throw new ArgumentError(`${who}: index ${describe(v)} at position ${i} is not a flat index into ${size} elements (an integer in [0, ${size}))`);
    }
  }
  return list;
}

/** The tensor of `shape` whose element i is x's element at flat index indices[i]. */
export function gatherAt(x: TensorLike, indices: Int32Array | readonly number[], shape: readonly number[]): Tensor {
  const t = asTensor('gatherAt', x);
  const s = shapeOf('gatherAt', shape);
  const idx = flatIndicesOf('gatherAt', indices, t.size);
  if (sizeOf(s) !== idx.length) throw new ArgumentError(`gatherAt: ${idx.length} indices do not fill the shape [${s.join(', ')}] (${sizeOf(s)} elements)`);
  return op.apply([t], { indices: idx, shape: s });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const count = pick.int(1, 6);
    return gatherAt(x!, Array.from({ length: count }, () => pick.int(0, x!.size - 1)), [count]);
  },
};
