/**
 * Reductions over a set of axes (sum, max, min). The result keeps the reduced axes as 1s; callers
 * reshape when keepDims is false. The output is read through stride 0 on the reduced axes, so one
 * strided walk over the input does the whole reduction.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { reducedShape, sizeOf, stridesOf } from '../shape';
import { Row2, Row3, walk2, walk3 } from './strided';
import * as libm from '../math';

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

/** Σ e^(b − a) into o, with a (the shift) read through o's strides. */
const sumExpRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  if (os === 0) {
    const m = a[ai]!;
    let s = 0;
    for (let k = 0; k < n; k++) s += libm.exp(b[bi + k * bs]! - m);
    o[oi] = o[oi]! + s;
  } else {
    for (let k = 0; k < n; k++) o[oi + k * os] = o[oi + k * os]! + libm.exp(b[bi + k * bs]! - a[ai + k * as]!);
  }
};

/**
 * log Σ_axes eˣ with the reduced axes kept as 1s, as m + log Σ e^(x−m) with m = max x: no
 * overflow at x = 1e308, no log 0 at x = −1e308. An infinite maximum shifts by 0 instead (as
 * PyTorch's logsumexp), so a slice holding +∞ gives +∞ and an all −∞ slice −∞ rather than NaN;
 * a NaN gives NaN. Two passes over x: the maximum, then the sum of the shifted exponentials.
 */
export function logSumExp(x: Tensor, axes: readonly number[]): Tensor {
  const m = reduce(x, axes, 'max');
  const md = m.data;
  for (let i = 0; i < md.length; i++) if (md[i] === Infinity || md[i] === -Infinity) md[i] = 0;
  const s = alloc(md.length);
  const oStrides = stridesOf(m.shape);
  for (const a of axes) oStrides[a] = 0;
  walk3(x.shape, s, oStrides, md, oStrides, x.data, stridesOf(x.shape), sumExpRow);
  for (let i = 0; i < s.length; i++) s[i] = libm.log(s[i]!) + md[i]!;
  return kernelTensor(s, m.shape);
}

/** x's shape seen as [outer, n, inner] around `axis`. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return [outer, shape[axis]!, inner];
}

/**
 * The shift m (the maximum, NaN if the slice holds one) and log Σ e^(x−m) of each slice along
 * the axis, for the `inner` slices that start at `base` (element j of slice j' at base + k·inner + j').
 */
function shiftAndLogSum(src: Float64Array, base: number, n: number, inner: number, m: Float64Array, ls: Float64Array): void {
  m.fill(-Infinity);
  ls.fill(0);
  for (let k = 0, at = base; k < n; k++, at += inner) {
    for (let j = 0; j < inner; j++) {
      const v = src[at + j]!;
      if (v > m[j]! || v !== v) m[j] = v;
    }
  }
  for (let k = 0, at = base; k < n; k++, at += inner) {
    for (let j = 0; j < inner; j++) ls[j] = ls[j]! + libm.exp(src[at + j]! - m[j]!);
  }
  for (let j = 0; j < inner; j++) ls[j] = libm.log(ls[j]!);
}

/** The largest of src[base … base + n), NaN if any is NaN (−∞ for an empty slice). */
function sliceMax(src: Float64Array, base: number, n: number): number {
  let m = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = src[base + k]!;
    if (v > m || v !== v) m = v;
  }
  return m;
}

/**
 * log softmax along `axis`: (x − m) − log Σ e^(x−m), m the slice's maximum. Subtracting m first
 * keeps what x − logSumExp(x) would round away: equal entries of any magnitude give exactly
 * −log n, and ±1e308 gives 0 and −∞. As PyTorch's, a slice holding +∞ or NaN, or all −∞, is NaN
 * (x − m is ∞ − ∞ there). Three passes per slice: the maximum, the sum, the result.
 */
export function logSoftmax(x: Tensor, axis: number): Tensor {
  const src = x.data;
  const out = alloc(src.length);
  const [outer, n, inner] = around(x.shape, axis);
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += n) {
      const m = sliceMax(src, base, n);
      let s = 0;
      for (let k = 0; k < n; k++) s += libm.exp(src[base + k]! - m);
      const ls = libm.log(s);
      for (let k = 0; k < n; k++) out[base + k] = src[base + k]! - m - ls;
    }
  } else {
    const m = new Float64Array(inner);
    const ls = new Float64Array(inner);
    for (let o = 0, base = 0; o < outer; o++, base += n * inner) {
      shiftAndLogSum(src, base, n, inner, m, ls);
      for (let k = 0, at = base; k < n; k++, at += inner) {
        for (let j = 0; j < inner; j++) out[at + j] = src[at + j]! - m[j]! - ls[j]!;
      }
    }
  }
  return kernelTensor(out, x.shape);
}

/**
 * softmax along `axis`: e^(x−m) / Σ e^(x−m), m the slice's maximum, one exponential per element
 * and a correctly rounded division, so n equal entries of any magnitude give exactly 1/n. As
 * PyTorch's, a slice holding +∞ or NaN, or all −∞, is NaN. Passes per slice: the maximum, the
 * exponentials and their sum, the division.
 */
export function softmax(x: Tensor, axis: number): Tensor {
  const src = x.data;
  const out = alloc(src.length);
  const [outer, n, inner] = around(x.shape, axis);
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += n) {
      const m = sliceMax(src, base, n);
      let s = 0;
      for (let k = 0; k < n; k++) {
        const e = libm.exp(src[base + k]! - m);
        out[base + k] = e;
        s += e;
      }
      for (let k = 0; k < n; k++) out[base + k] = out[base + k]! / s;
    }
  } else {
    const m = new Float64Array(inner);
    const s = new Float64Array(inner);
    for (let o = 0, base = 0; o < outer; o++, base += n * inner) {
      m.fill(-Infinity);
      s.fill(0);
      for (let k = 0, at = base; k < n; k++, at += inner) {
        for (let j = 0; j < inner; j++) {
          const v = src[at + j]!;
          if (v > m[j]! || v !== v) m[j] = v;
        }
      }
      for (let k = 0, at = base; k < n; k++, at += inner) {
        for (let j = 0; j < inner; j++) {
          const e = libm.exp(src[at + j]! - m[j]!);
          out[at + j] = e;
          s[j] = s[j]! + e;
        }
      }
      for (let k = 0, at = base; k < n; k++, at += inner) {
        for (let j = 0; j < inner; j++) out[at + j] = out[at + j]! / s[j]!;
      }
    }
  }
  return kernelTensor(out, x.shape);
}
