import { Tensor, TensorLike, checkSize, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, axisOf } from '../args';
import { Domain, drawAxis } from '../domain';
import { drawIndices, indexArrayOf, wrapIndices } from './indices';
import { takeBackwardChecked } from './take-backward';

export interface TakeAttrs {
  /** The indices in row-major order, wrapped into [0, extent). */
  indices: Int32Array;
  indexShape: readonly number[];
  axis: number;
}

/**
 * y[o…, j…, i…] = x[o…, idx[j…], i…] along `axis`.
 * x̄ = takeBackward(g, idx, axis, x.shape[axis]): g scattered back and added up at repeated indices
 */
const op = defineOp<TakeAttrs>({
  name: 'take',
  forward: ([x], { indices, indexShape, axis }) => kernels.takeAxis(x!, indices, indexShape, axis),
  vjp: (g, { inputs: [x], attrs }) => [takeBackwardChecked(g, attrs, x!.shape[attrs.axis]!)],
});

/** take with already validated attributes: what takeBackward's VJP calls. */
export function takeChecked(x: Tensor, attrs: TakeAttrs): Tensor {
  return op.apply([x], attrs);
}

/**
 * The entries of x at `indices` along `axis` (default 0), as np.take and torch.index_select:
 * the result has shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. `indices` is a tensor
 * of integer values, a nested array of integers, an Int32Array or Float64Array, or a number (a
 * scalar index drops the axis). A negative index −n ≤ i < 0 counts from the end, as in NumPy (torch.index_select
 * refuses it); any other index outside [0, n) is an AxisError. Repeated indices are allowed, and
 * their gradients add up.
 */
export function take(x: TensorLike, indices: TensorLike | Int32Array, axis = 0): Tensor {
  const t = asTensor('take', x);
  const a = axisOf('take', t, axis);
  const idx = indexArrayOf('take', 'indices', indices);
  const n = t.shape[a]!;
  wrapIndices('take', 'indices', idx, n, `axis ${a} of a tensor of shape [${t.shape.join(', ')}]`);
  checkSize('take', [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)]);
  return op.apply([t], { indices: idx.values, indexShape: idx.shape, axis: a });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  // Indices of rank 0–2, negative ones included, repeats likely; scalars are lifted to vectors.
  call: ([x], pick) => {
    const { t, axis, n } = drawAxis(x!, pick);
    const shape = Array.from({ length: pick.int(0, 2) }, () => pick.int(1, 3));
    return take(t, drawIndices(pick, shape, n), axis);
  },
};
