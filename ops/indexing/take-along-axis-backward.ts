import { ShapeError, Tensor, TensorLike, checkSize, fmtShape, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, axisOf } from '../args';
import { Domain, drawAxis } from '../domain';
import { countOf, drawIndices, indexArrayOf, wrapIndices } from './indices';
import { AlongAttrs, takeAlongAxisChecked } from './take-along-axis';

interface Attrs extends AlongAttrs {
  size: number;
}

/**
 * y = zeros(g.shape with `size` at `axis`) with y[o…, idx[o…, j, i…], i…] += g[o…, j, i…] (idx
 * shaped like g; repeated indices add up).  ḡ = takeAlongAxis(ȳ, idx, axis)
 */
const op = defineOp<Attrs>({
  name: 'takeAlongAxisBackward',
  forward: ([g], { indices, axis, size }) => kernels.takeAlongAdd(g!, indices, axis, size),
  vjp: (gy, { attrs: { indices, m, axis } }) => [takeAlongAxisChecked(gy, { indices, m, axis })],
});

/** takeAlongAxisBackward with already validated attributes: what takeAlongAxis's VJP calls. */
export function takeAlongAxisBackwardChecked(g: Tensor, attrs: AlongAttrs, size: number): Tensor {
  return op.apply([g], { ...attrs, size });
}

/**
 * The adjoint of takeAlongAxis (torch's scatter_add into zeros): g and `indices` have the same
 * shape, and each entry of g is added at its index along `axis` of a result that has g's shape
 * with extent `size` on that axis. Indices wrap and are checked against `size` as in takeAlongAxis.
 */
export function takeAlongAxisBackward(g: TensorLike, indices: TensorLike | Int32Array, axis: number, size: number): Tensor {
  const t = asTensor('takeAlongAxisBackward', g, 'g');
  const a = axisOf('takeAlongAxisBackward', t, axis);
  const idx = indexArrayOf('takeAlongAxisBackward', 'indices', indices);
  if (idx.shape.length !== t.rank || idx.shape.some((d, k) => d !== t.shape[k])) {
    throw new ShapeError(`takeAlongAxisBackward: indices of shape ${fmtShape(idx.shape)} must have g's shape ${fmtShape(t.shape)}`);
  }
  const n = countOf('takeAlongAxisBackward', 'size', size);
  wrapIndices('takeAlongAxisBackward', 'indices', idx, n, 'the result axis');
  const shape = t.shape.slice();
  shape[a] = n;
  checkSize('takeAlongAxisBackward', shape);
  return op.apply([t], { indices: idx.values, m: t.shape[a]!, axis: a, size: n });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  // Indices shaped like g along a drawn axis; the result's axis has extent 1–3.
  call: ([g], pick) => {
    const { t, axis } = drawAxis(g!, pick);
    const size = pick.int(1, 3);
    return takeAlongAxisBackward(t, drawIndices(pick, t.shape, size), axis, size);
  },
};
