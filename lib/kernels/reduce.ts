/**
 * Reductions over a set of axes (sum, max, min). The result keeps the reduced axes as 1s; callers
 * reshape when keepDims is false. The output is read through stride 0 on the reduced axes, so one
 * strided walk over the input does the whole reduction.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { reducedShape, sizeOf, stridesOf } from '../shape';
import { Row2, walk2 } from './strided';
import { add, sub } from './binary';
import { exp, log } from './unary';

const sumRow: Row2 = (o, oi, os, x, xi, xs, n) => {
  if (os === 0) {
    let s = 0;
    for (let k = 0; k < n; k++) s += x[xi + k * xs]!;
    o[oi] = o[oi]! + s;
  } else {
    for (let k = 0; k < n; k++) o[oi + k * os] = o[oi + k * os]! + x[xi + k * xs]!;
  }
};
const maxRow: Row2 = (o, oi, os, x, xi, xs, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs]!;
    const j = oi + k * os;
    const m = o[j]!;
    if (v > m || v !== v) o[j] = v; // NaN wins, as in NumPy
  }
};
const minRow: Row2 = (o, oi, os, x, xi, xs, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs]!;
    const j = oi + k * os;
    const m = o[j]!;
    if (v < m || v !== v) o[j] = v;
  }
};

export type ReduceKind = 'sum' | 'max' | 'min';

/** Reduces `axes` (sorted, distinct, non-negative) of x; the result has 1s in their place. */
export function reduce(x: Tensor, axes: readonly number[], kind: ReduceKind): Tensor {
  const shape = reducedShape(x.shape, axes, true);
  const out = alloc(sizeOf(shape));
  if (kind === 'max') out.fill(-Infinity);
  if (kind === 'min') out.fill(Infinity);
  const oStrides = stridesOf(shape);
  for (const a of axes) oStrides[a] = 0;
  walk2(x.shape, out, 0, oStrides, x.data, 0, stridesOf(x.shape), kind === 'sum' ? sumRow : kind === 'max' ? maxRow : minRow);
  return kernelTensor(out, shape);
}

/**
 * log Σ_axes eˣ with the reduced axes kept as 1s, as m + log Σ e^(x−m) with m = max x: no
 * overflow at x = 1000, no log 0 at x = −1000.
 */
export function logSumExp(x: Tensor, axes: readonly number[]): Tensor {
  const m = reduce(x, axes, 'max');
  const md = m.data;
  // An all −∞ slice has m = −∞; shifting it by 0 instead gives log 0 = −∞ rather than NaN.
  for (let i = 0; i < md.length; i++) if (md[i] === -Infinity) md[i] = 0;
  const s = reduce(exp(sub(x, m)), axes, 'sum');
  return add(log(s), m);
}
