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
 * x̄ = g ⊙ softmax(x) = g ⊙ e^((x − m) − logSumExp(x − m)), m the same (constant) shift: not
 * e^(x − y), whose y has rounded log Σ away when |m| is large (at [1e300, 1e300] it would give 1,
 * 1, not ½, ½); written with ops so it has a second derivative. NaN where y is infinite
 * (e^(∞ − ∞)), as PyTorch's.
 */
const op = defineOp<ReduceAttrs>({
  name: 'logSumExp',
  forward: ([x], { axes, keepDims }) => {
    const r = kernels.logSumExp(x!, axes);
    return new Tensor(r.data, reducedShape(x!.shape, axes, keepDims));
  },
  vjp: (g, { inputs: [x], attrs: { axes } }) => {
    const keep = reducedShape(x!.shape, axes, true);
    const m = kernels.reduce(x!, axes, 'max');
    const md = m.data;
    for (let i = 0; i < md.length; i++) if (md[i] === Infinity || md[i] === -Infinity) md[i] = 0;
    const shifted = sub(x!, m);
    const softmax = exp(sub(shifted, logSumExp(shifted, axes, true)));
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
