/**
 * Kernels that index: take along an axis and its adjoint (a scatter-add), the same along an axis
 * with an index per element (gather / take_along_axis), flips, arg-extrema and one-hot rows.
 * Indices arrive validated and non-negative (the ops check and wrap them); every loop is a plain
 * loop over typed arrays.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { sizeOf, stridesOf } from '../shape';
import { Row2, walk2 } from './strided';

/** x.shape split around `axis` (and the `span` axes from it): the sizes before and after. */
function around(shape: readonly number[], axis: number, span: number): { outer: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), inner: sizeOf(shape.slice(axis + span)) };
}

/**
 * out[o, j…, i] = x[o, indices[j…], i]: the entries of `indices` (of shape `indexShape`) pick
 * positions along `axis`; out.shape = x.shape[:axis] + indexShape + x.shape[axis+1:].
 */
export function takeAxis(x: Tensor, indices: Int32Array, indexShape: readonly number[], axis: number): Tensor {
  const { outer, inner } = around(x.shape, axis, 1);
  const n = x.shape[axis]!;
  const m = indices.length;
  const shape = [...x.shape.slice(0, axis), ...indexShape, ...x.shape.slice(axis + 1)];
  const out = alloc(outer * m * inner, 'take', shape);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    const xBase = o * n * inner;
    const oBase = o * m * inner;
    for (let j = 0; j < m; j++) {
      const src = xBase + indices[j]! * inner;
      const dst = oBase + j * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = xd[src + i]!;
    }
  }
  return kernelTensor(out, shape);
}

/**
 * The adjoint of takeAxis: a zero tensor of g.shape[:axis] + [size] + g.shape[axis+r:] (r the
 * rank of the indices) with out[o, indices[j…], i] += g[o, j…, i]; repeated indices add up.
 */
export function takeAxisAdd(g: Tensor, indices: Int32Array, indexRank: number, axis: number, size: number): Tensor {
  const { outer, inner } = around(g.shape, axis, indexRank);
  const m = indices.length;
  const shape = [...g.shape.slice(0, axis), size, ...g.shape.slice(axis + indexRank)];
  const out = alloc(outer * size * inner, 'take (gradient)', shape);
  const gd = g.data;
  for (let o = 0; o < outer; o++) {
    const oBase = o * size * inner;
    const gBase = o * m * inner;
    for (let j = 0; j < m; j++) {
      const dst = oBase + indices[j]! * inner;
      const src = gBase + j * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += gd[src + i]!;
    }
  }
  return kernelTensor(out, shape);
}

/**
 * out[o, j, i] = x[o, indices[o, j, i], i] (torch.gather, np.take_along_axis): `indices` has the
 * output's shape, which is x.shape with `m` in place of x.shape[axis].
 */
export function takeAlong(x: Tensor, indices: Int32Array, m: number, axis: number): Tensor {
  const { outer, inner } = around(x.shape, axis, 1);
  const n = x.shape[axis]!;
  const shape = x.shape.slice();
  shape[axis] = m;
  const out = alloc(outer * m * inner, 'takeAlongAxis', shape);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    const xBase = o * n * inner;
    for (let j = 0; j < m; j++) {
      const at = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[at + i] = xd[xBase + indices[at + i]! * inner + i]!;
    }
  }
  return kernelTensor(out, shape);
}

/**
 * The adjoint of takeAlong: a zero tensor of g.shape with `size` in place of g.shape[axis], and
 * out[o, indices[o, j, i], i] += g[o, j, i]; repeated indices add up.
 */
export function takeAlongAdd(g: Tensor, indices: Int32Array, axis: number, size: number): Tensor {
  const { outer, inner } = around(g.shape, axis, 1);
  const m = g.shape[axis]!;
  const shape = g.shape.slice();
  shape[axis] = size;
  const out = alloc(outer * size * inner, 'takeAlongAxis (gradient)', shape);
  const gd = g.data;
  for (let o = 0; o < outer; o++) {
    const oBase = o * size * inner;
    for (let j = 0; j < m; j++) {
      const at = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[oBase + indices[at + i]! * inner + i]! += gd[at + i]!;
    }
  }
  return kernelTensor(out, shape);
}

const copyRow: Row2 = (o, oi, os, x, xi, xs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = x[xi + k * xs]!;
};

/** x with the order of the entries along each of `axes` reversed: a read through negative strides. */
export function flip(x: Tensor, axes: readonly number[]): Tensor {
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (const a of axes) {
    offset += (x.shape[a]! - 1) * strides[a]!;
    strides[a] = -strides[a]!;
  }
  const shape = x.shape.slice();
  const out = alloc(x.size);
  if (x.size > 0) walk2(shape, out, 0, stridesOf(shape), x.data, offset, strides, copyRow);
  return kernelTensor(out, shape);
}

/**
 * The position of the largest (`sign` = 1) or smallest (`sign` = −1) entry along `axis` of x,
 * as a float: out.shape = x.shape without `axis`. Ties give the first position; a NaN counts as
 * the extremum (its first occurrence), as in PyTorch and NumPy. The axis must not be empty.
 */
export function argExtremum(x: Tensor, axis: number, sign: 1 | -1): Tensor {
  const { outer, inner } = around(x.shape, axis, 1);
  const n = x.shape[axis]!;
  const shape = [...x.shape.slice(0, axis), ...x.shape.slice(axis + 1)];
  const out = alloc(outer * inner);
  const best = new Float64Array(inner);
  const nan = new Uint8Array(inner);
  const xd = x.data;
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const at = o * inner;
    for (let i = 0; i < inner; i++) {
      const v = xd[base + i]!;
      best[i] = v;
      nan[i] = v !== v ? 1 : 0;
      out[at + i] = 0;
    }
    for (let k = 1; k < n; k++) {
      const row = base + k * inner;
      for (let i = 0; i < inner; i++) {
        if (nan[i]) continue;
        const v = xd[row + i]!;
        if (v !== v) {
          nan[i] = 1;
          out[at + i] = k;
        } else if (sign * (v - best[i]!) > 0) {
          best[i] = v;
          out[at + i] = k;
        }
      }
    }
  }
  return kernelTensor(out, shape);
}

/** out[j…, c] = [labels[j…] = c] for c < classes: one row of 0s and a 1 per label. */
export function oneHot(labels: Int32Array, labelShape: readonly number[], classes: number): Tensor {
  const shape = [...labelShape, classes];
  const out = alloc(labels.length * classes, 'oneHot', shape);
  for (let j = 0; j < labels.length; j++) out[j * classes + labels[j]!] = 1;
  return kernelTensor(out, shape);
}
