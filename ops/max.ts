import { Tensor, TensorLike, kernels, reducedShape, ShapeError, fmtShape } from '../lib';
import { defineOp } from '../graph';
import { batchedCall, constantOf, isBatched } from '../graph/vmap';
import { asTensor, axesOf, boolOf } from './args';
import { broadcastTo } from './broadcast-to';
import { reshape } from './reshape';
import { mul } from './mul';
import { ReduceAttrs, pickAxes } from './sum';
import { Domain } from './domain';

/**
 * The VJP shared by max and min: the gradient goes to the elements equal to the extremum, split
 * evenly among ties (as PyTorch's amax does). The mask is a constant: the second derivative is 0.
 */
export function extremumVjp(g: Tensor, x: Tensor, output: Tensor, axes: readonly number[]): Tensor {
  const keep = reducedShape(x.shape, axes, true);
  // Inside vmap (x batched, and so its extremum) the shares of the whole batch at once.
  const share = isBatched(x)
    ? batchedCall('extremumShare', [constantOf(x), constantOf(output)], ([px, po], _, size) => shareOf(px!, new Tensor(po!.data, [size, ...keep]), axes.map((a) => a + 1)))!
    : shareOf(x, new Tensor(output.data, keep), axes);
  return mul(broadcastTo(reshape(g, keep), x.shape), share);
}

/** 1/(number of ties) where x equals its extremum (shaped with the reduced axes kept), 0 elsewhere. */
function shareOf(x: Tensor, extremum: Tensor, axes: readonly number[]): Tensor {
  const hits = kernels.equal(x, extremum);
  return kernels.div(hits, kernels.reduce(hits, axes, 'sum'));
}

export function checkNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  if (axes.some((a) => x.shape[a] === 0)) {
    throw new ShapeError(`${op}: cannot reduce an empty axis of a tensor of shape ${fmtShape(x.shape)}: there is no extremum, expected axes of extent ≥ 1`);
  }
}

/**
 * y = max_axes x (a NaN in a slice makes it NaN).
 * x̄ = g at the maximal elements, ties sharing it evenly (as torch.amax; torch.max(x, dim) gives it all to one index), 0 elsewhere
 */
const op = defineOp<ReduceAttrs>({
  name: 'max',
  forward: ([x], { axes, keepDims }) => {
    const r = kernels.reduce(x!, axes, 'max');
    return new Tensor(r.data, reducedShape(x!.shape, axes, keepDims));
  },
  vjp: (g, { inputs: [x], output, attrs: { axes } }) => [extremumVjp(g, x!, output, axes)],
});

/** The maximum over `axes` (all by default), keeping them as 1s if keepDims. */
export function max(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  const t = asTensor('max', x);
  const list = axesOf('max', t, axes);
  checkNonEmpty('max', t, list);
  return op.apply([t], { axes: list, keepDims: boolOf('max', 'keepDims', keepDims, false) });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  distinct: true,
  call: ([x], pick) => max(x!, ...pickAxes(x!, pick)),
};
