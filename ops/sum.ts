import { Tensor, TensorLike, kernels, reducedShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor, axesOf, boolOf } from './args';
import { broadcastTo } from './broadcast-to';
import { reshape } from './reshape';
import { Domain } from './domain';

export interface ReduceAttrs {
  axes: readonly number[];
  keepDims: boolean;
}

/** y = Σ_axes x.  x̄ = broadcastTo(g with the reduced axes restored as 1s, x.shape) */
const op = defineOp<ReduceAttrs>({
  name: 'sum',
  forward: ([x], { axes, keepDims }) => {
    const r = kernels.reduce(x!, axes, 'sum');
    return new Tensor(r.data, reducedShape(x!.shape, axes, keepDims));
  },
  vjp: (g, { inputs: [x], attrs: { axes } }) => [broadcastTo(reshape(g, reducedShape(x!.shape, axes, true)), x!.shape)],
});

/** Sums over `axes` (all by default; negative axes count from the end), keeping them as 1s if keepDims. */
export function sum(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  const t = asTensor('sum', x);
  return op.apply([t], { axes: axesOf('sum', t, axes), keepDims: boolOf('sum', 'keepDims', keepDims, false) });
}

/** Picks a random reduction (axes and keepDims) for a tensor: shared by the reductions' domains. */
export function pickAxes(x: Tensor, pick: { int(lo: number, hi: number): number }): [number[] | undefined, boolean] {
  const keep = pick.int(0, 1) === 1;
  if (x.rank === 0 || pick.int(0, 3) === 0) return [undefined, keep];
  const axes = x.shape.map((_, i) => i).filter(() => pick.int(0, 1) === 1);
  return [axes.length === 0 ? [x.rank - 1] : axes, keep];
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => sum(x!, ...pickAxes(x!, pick)),
};
