/**
 * argmax, argmin and oneHot give integers (as float64 values), not differentiable quantities: their
 * results are constants with no gradient (a recorded input gets none through them), so they are
 * not ops of the gradient registry. Their forward values are checked in spec/ops/forward.spec.ts
 * and their argument errors in spec/errors/indexing-args.spec.ts.
 */
import { ShapeError, Tensor, TensorLike, fmtShape, kernels, normalizeAxis } from '../../lib';
import { asTensor, boolOf } from '../args';

function argExtremum(op: string, sign: 1 | -1, x: TensorLike, axis: number | undefined, keepDims: boolean | undefined): Tensor {
  const t = asTensor(op, x);
  const keep = boolOf(op, 'keepDims', keepDims, false);
  // As torch: a scalar takes axis 0 or −1; no axis means an index into the flattened tensor.
  const a = axis === undefined ? undefined : normalizeAxis(op, axis, Math.max(t.rank, 1));
  const flat = a === undefined || t.rank === 0 ? new Tensor(t.data, [t.size]) : t;
  const along = a === undefined || t.rank === 0 ? 0 : a;
  if (flat.shape[along] === 0) {
    throw new ShapeError(`${op}: cannot take the ${sign > 0 ? 'maximum' : 'minimum'} of an empty axis of a tensor of shape ${fmtShape(t.shape)}, expected an extent ≥ 1`);
  }
  const r = kernels.argExtremum(flat, along, sign);
  let shape: number[];
  if (t.rank === 0) shape = [];
  else if (a === undefined) shape = keep ? t.shape.map(() => 1) : [];
  else shape = keep ? t.shape.map((d, k) => (k === a ? 1 : d)) : r.shape.slice();
  return new Tensor(r.data, shape);
}

/**
 * The position of the largest entry along `axis` (an integer-valued float64 tensor; no gradient).
 * Without an axis it is the index into the flattened tensor (keepDims then gives a shape of all
 * 1s, as NumPy's keepdims; older PyTorch ignored keepdim there). Ties give the first position, and a NaN counts as the largest (its first one), as in
 * PyTorch and NumPy. An empty axis is a ShapeError.
 */
export function argmax(x: TensorLike, axis?: number, keepDims = false): Tensor {
  return argExtremum('argmax', 1, x, axis, keepDims);
}

/** The position of the smallest entry along `axis`; otherwise as argmax. */
export function argmin(x: TensorLike, axis?: number, keepDims = false): Tensor {
  return argExtremum('argmin', -1, x, axis, keepDims);
}
