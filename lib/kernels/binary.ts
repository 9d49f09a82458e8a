/**
 * Elementwise binary kernels with NumPy broadcasting by strides (stride 0 on broadcast
 * dimensions): the broadcast operand is never materialised.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { broadcastShapes, broadcastStrides, sameShape, sizeOf, stridesOf } from '../shape';
import { Row3, walk3 } from './strided';
import * as libm from '../math';

function binary(op: string, a: Tensor, b: Tensor, row: Row3): Tensor {
  // Fast paths for the common small cases: equal shapes, or one operand a single value.
  const n = a.data.length;
  if (sameShape(a.shape, b.shape)) {
    const out = alloc(n);
    row(out, 0, 1, a.data, 0, 1, b.data, 0, 1, n);
    return kernelTensor(out, a.shape);
  }
  if (b.data.length === 1 && b.rank <= a.rank) {
    const out = alloc(n);
    row(out, 0, 1, a.data, 0, 1, b.data, 0, 0, n);
    return kernelTensor(out, a.shape);
  }
  if (n === 1 && a.rank <= b.rank) {
    const out = alloc(b.data.length);
    row(out, 0, 1, a.data, 0, 0, b.data, 0, 1, b.data.length);
    return kernelTensor(out, b.shape);
  }
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = alloc(sizeOf(shape), op, shape);
  walk3(shape, out, stridesOf(shape), a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), row);
  return kernelTensor(out, shape);
}

// One row function per operation keeps each loop monomorphic: no per-element call.
const addRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! + b[bi + k * bs]!;
};
const subRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! - b[bi + k * bs]!;
};
const mulRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! * b[bi + k * bs]!;
};
const divRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! / b[bi + k * bs]!;
};
const powRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = libm.pow(a[ai + k * as]!, b[bi + k * bs]!);
};
// Math.max/min propagate NaN (as NumPy does) and order −0 below +0, whichever operand comes first.
const maximumRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = Math.max(a[ai + k * as]!, b[bi + k * bs]!);
};
const minimumRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = Math.min(a[ai + k * as]!, b[bi + k * bs]!);
};
const greaterRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! > b[bi + k * bs]! ? 1 : 0;
};
const equalRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! === b[bi + k * bs]! ? 1 : 0;
};

export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b, addRow);
export const sub = (a: Tensor, b: Tensor): Tensor => binary('sub', a, b, subRow);
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b, mulRow);
export const div = (a: Tensor, b: Tensor): Tensor => binary('div', a, b, divRow);
export const pow = (a: Tensor, b: Tensor): Tensor => binary('pow', a, b, powRow);
export const maximum = (a: Tensor, b: Tensor): Tensor => binary('maximum', a, b, maximumRow);
export const minimum = (a: Tensor, b: Tensor): Tensor => binary('minimum', a, b, minimumRow);
/** 1 where a > b, else 0 (a mask; not differentiable). */
export const greater = (a: Tensor, b: Tensor): Tensor => binary('greater', a, b, greaterRow);
/** 1 where a = b, else 0 (a mask; not differentiable). */
export const equal = (a: Tensor, b: Tensor): Tensor => binary('equal', a, b, equalRow);

/** (cond ≠ 0 ? a : b), all three broadcast together. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const ab = broadcastShapes('where', a.shape, b.shape);
  const shape = broadcastShapes('where', cond.shape, ab);
  const out = alloc(sizeOf(shape), 'where', shape);
  const c = cond.data;
  const cs = broadcastStrides(cond.shape, shape);
  // Select first, then overwrite where cond is false: two strided passes, no per-element branches on shape.
  walk3(shape, out, stridesOf(shape), c, cs, a.data, broadcastStrides(a.shape, shape), (o, oi, os, cc, ci, ccs, x, xi, xs, n) => {
    for (let k = 0; k < n; k++) if (cc[ci + k * ccs]! !== 0) o[oi + k * os] = x[xi + k * xs]!;
  });
  walk3(shape, out, stridesOf(shape), c, cs, b.data, broadcastStrides(b.shape, shape), (o, oi, os, cc, ci, ccs, y, yi, ys, n) => {
    for (let k = 0; k < n; k++) if (cc[ci + k * ccs]! === 0) o[oi + k * os] = y[yi + k * ys]!;
  });
  return kernelTensor(out, shape);
}
