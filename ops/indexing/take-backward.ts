import { Tensor, TensorLike, ShapeError, checkSize, fmtShape, kernels, normalizeAxis } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { Domain, drawAxis } from '../domain';
import { countOf, indexArrayOf, wrapIndices } from './indices';
import { TakeAttrs, takeChecked } from './take';

interface Attrs extends TakeAttrs {
  size: number;
}

/**
 * y = zeros(g.shape[:axis] + [size] + g.shape[axis+r:]) with y[o…, idx[j…], i…] += g[o…, j…, i…]
 * (r = the rank of idx; repeated indices add up).  ḡ = take(ȳ, idx, axis)
 */
const op = defineOp<Attrs>({
  name: 'takeBackward',
  forward: ([g], { indices, indexShape, axis, size }) => kernels.takeAxisAdd(g!, indices, indexShape.length, axis, size),
  vjp: (gy, { attrs: { indices, indexShape, axis } }) => [takeChecked(gy, { indices, indexShape, axis })],
});

/** takeBackward with already validated attributes: what take's VJP calls. */
export function takeBackwardChecked(g: Tensor, attrs: TakeAttrs, size: number): Tensor {
  return op.apply([g], { ...attrs, size });
}

/**
 * The adjoint of take (a scatter-add, torch's index_add into zeros): g, shaped like
 * take(x, indices, axis), goes back to a tensor whose `axis` has extent `size`; the entries at
 * repeated indices add up. Indices wrap and are checked against `size` as in take.
 */
export function takeBackward(g: TensorLike, indices: TensorLike | Int32Array, axis: number, size: number): Tensor {
  const t = asTensor('takeBackward', g, 'g');
  const idx = indexArrayOf('takeBackward', 'indices', indices);
  const r = idx.shape.length;
  // The axis is an axis of the result, whose rank is g.rank − r + 1.
  const resultRank = t.rank - r + 1;
  if (resultRank < 1) {
    throw new ShapeError(`takeBackward: g of shape ${fmtShape(t.shape)} has rank ${t.rank}, expected at least the rank of indices of shape ${fmtShape(idx.shape)}`);
  }
  const a = normalizeAxis('takeBackward', axis, resultRank);
  if (t.shape.slice(a, a + r).some((d, k) => d !== idx.shape[k])) {
    throw new ShapeError(
      `takeBackward: g of shape ${fmtShape(t.shape)} does not hold indices of shape ${fmtShape(idx.shape)} at axis ${a}; expected g.shape[${a}:${a + r}] = ${fmtShape(idx.shape)}`,
    );
  }
  const n = countOf('takeBackward', 'size', size);
  wrapIndices('takeBackward', 'indices', idx, n, 'the result axis');
  checkSize('takeBackward', [...t.shape.slice(0, a), n, ...t.shape.slice(a + r)]);
  return op.apply([t], { indices: idx.values, indexShape: idx.shape, axis: a, size: n });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  // g holds a vector of indices at a drawn axis; the result's axis has extent 1–3.
  call: ([g], pick) => {
    const { t, axis } = drawAxis(g!, pick);
    const size = pick.int(1, 3);
    const values = Array.from({ length: t.shape[axis]! }, () => pick.int(-size, size - 1));
    return takeBackward(t, values, axis, size);
  },
};
