import { ShapeError, Tensor, TensorLike, fmtShape, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, axisOf } from '../args';
import { Domain, drawAxis } from '../domain';
import { drawIndices, indexArrayOf, wrapIndices } from './indices';
import { takeAlongAxisBackwardChecked } from './take-along-axis-backward';

export interface AlongAttrs {
  /** The indices, shaped like the output, in row-major order, wrapped into [0, extent). */
  indices: Int32Array;
  /** The output's extent along the axis (indices.shape[axis]). */
  m: number;
  axis: number;
}

/**
 * y[o…, j, i…] = x[o…, idx[o…, j, i…], i…] along `axis` (y is shaped like idx).
 * x̄ = takeAlongAxisBackward(g, idx, axis, x.shape[axis]): g scattered back along the axis, added up at repeated indices
 */
const op = defineOp<AlongAttrs>({
  name: 'takeAlongAxis',
  forward: ([x], { indices, m, axis }) => kernels.takeAlong(x!, indices, m, axis),
  vjp: (g, { inputs: [x], attrs }) => [takeAlongAxisBackwardChecked(g, attrs, x!.shape[attrs.axis]!)],
});

/** takeAlongAxis with already validated attributes: what takeAlongAxisBackward's VJP calls. */
export function takeAlongAxisChecked(x: Tensor, attrs: AlongAttrs): Tensor {
  return op.apply([x], attrs);
}

/**
 * Picks, along `axis`, one entry of x per entry of `indices` (torch.gather, np.take_along_axis):
 * `indices` has x's rank and x's extent on every other axis, and the result is shaped like it.
 * Negative indices count from the end (as in NumPy); others outside the axis are an AxisError.
 * Index dimensions that differ from x's are refused with a ShapeError: there torch.gather reads a
 * leading block and np.take_along_axis broadcasts, so the two libraries disagree.
 */
export function takeAlongAxis(x: TensorLike, indices: TensorLike | Int32Array, axis: number): Tensor {
  const t = asTensor('takeAlongAxis', x);
  const a = axisOf('takeAlongAxis', t, axis);
  const idx = indexArrayOf('takeAlongAxis', 'indices', indices);
  if (idx.shape.length !== t.rank || idx.shape.some((d, k) => k !== a && d !== t.shape[k])) {
    throw new ShapeError(
      `takeAlongAxis: indices of shape ${fmtShape(idx.shape)} do not fit x of shape ${fmtShape(t.shape)} along axis ${a}; expected rank ${t.rank} and x's extent on every axis but ${a}`,
    );
  }
  wrapIndices('takeAlongAxis', 'indices', idx, t.shape[a]!, `axis ${a} of a tensor of shape ${fmtShape(t.shape)}`);
  return op.apply([t], { indices: idx.values, m: idx.shape[a]!, axis: a });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  // 1–3 indices per row along a drawn axis, negative ones included; scalars are lifted to vectors.
  call: ([x], pick) => {
    const { t, axis, n } = drawAxis(x!, pick);
    const shape = t.shape.slice();
    shape[axis] = pick.int(1, 3);
    return takeAlongAxis(t, drawIndices(pick, shape, n), axis);
  },
};
