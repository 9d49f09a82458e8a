import { Tensor, TensorLike, kernels, reducedShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor, axesOf, boolOf } from './args';
import { ReduceAttrs, pickAxes } from './sum';
import { extremumVjp, checkNonEmpty } from './max';
import { Domain } from './domain';

/**
 * y = min_axes x (a NaN in a slice makes it NaN).
 * x̄ = g at the minimal elements, ties sharing it evenly (as torch.amin; torch.min(x, dim) gives it all to one index), 0 elsewhere
 */
const op = defineOp<ReduceAttrs>({
  name: 'min',
  forward: ([x], { axes, keepDims }) => {
    const r = kernels.reduce(x!, axes, 'min');
    return new Tensor(r.data, reducedShape(x!.shape, axes, keepDims));
  },
  vjp: (g, { inputs: [x], output, attrs: { axes } }) => [extremumVjp(g, x!, output, axes)],
});

/** The minimum over `axes` (all by default), keeping them as 1s if keepDims. */
export function min(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  const t = asTensor('min', x);
  const list = axesOf('min', t, axes);
  checkNonEmpty('min', t, list);
  return op.apply([t], { axes: list, keepDims: boolOf('min', 'keepDims', keepDims, false) });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  distinct: true,
  call: ([x], pick) => min(x!, ...pickAxes(x!, pick)),
};
