import { Tensor, TensorLike, kernels, reducedShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor, axesOf, boolOf } from './args';
import { broadcastTo } from './broadcast-to';
import { reshape } from './reshape';
import { mul } from './mul';
import { sub } from './sub';
import { exp } from './exp';
import { ReduceAttrs, pickAxes } from './sum';
import { Domain } from './domain';

/**
 * y = log Σ_axes eˣ, computed as m + log Σ e^(x−m) with m = max x, so ±1e308 neither overflows
 * nor underflows; an infinite m shifts by 0 (as PyTorch's logsumexp): a slice holding +∞ gives
 * +∞, an all −∞ (or empty) slice −∞, a NaN NaN.
 * x̄ = g ⊙ e^(x−y) (the softmax), written with ops so it has a second derivative; NaN where y is
 * infinite (e^(∞−∞)), as PyTorch's.
 */
const op = defineOp<ReduceAttrs>({
  name: 'logSumExp',
  forward: ([x], { axes, keepDims }) => {
    const r = kernels.logSumExp(x!, axes);
    return new Tensor(r.data, reducedShape(x!.shape, axes, keepDims));
  },
  vjp: (g, { inputs: [x], output, attrs: { axes } }) => {
    const keep = reducedShape(x!.shape, axes, true);
    const softmax = exp(sub(x!, reshape(output, keep)));
    return [mul(broadcastTo(reshape(g, keep), x!.shape), softmax)];
  },
});

/** log Σ exp(x) over `axes` (all by default), stable for large |x|. */
export function logSumExp(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  const t = asTensor('logSumExp', x);
  return op.apply([t], { axes: axesOf('logSumExp', t, axes), keepDims: boolOf('logSumExp', 'keepDims', keepDims, false) });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => logSumExp(x!, ...pickAxes(x!, pick)),
};
