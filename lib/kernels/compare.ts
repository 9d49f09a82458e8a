/**
 * Comparison masks with NumPy broadcasting: 1 where the relation holds, else 0 (NaN compares
 * false, so notEqual is 1 there). greater and equal are in binary.ts.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from '../shape';
import { Row3, walk3 } from './strided';

function compare(op: string, a: Tensor, b: Tensor, row: Row3): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = alloc(sizeOf(shape), op, shape);
  walk3(shape, out, stridesOf(shape), a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), row);
  return kernelTensor(out, shape);
}

const lessRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! < b[bi + k * bs]! ? 1 : 0;
};
const greaterEqualRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! >= b[bi + k * bs]! ? 1 : 0;
};
const lessEqualRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! <= b[bi + k * bs]! ? 1 : 0;
};
const notEqualRow: Row3 = (o, oi, os, a, ai, as, b, bi, bs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = a[ai + k * as]! !== b[bi + k * bs]! ? 1 : 0;
};

/** 1 where a < b, else 0. */
export const less = (a: Tensor, b: Tensor): Tensor => compare('less', a, b, lessRow);
/** 1 where a ≥ b, else 0. */
export const greaterEqual = (a: Tensor, b: Tensor): Tensor => compare('greaterEqual', a, b, greaterEqualRow);
/** 1 where a ≤ b, else 0. */
export const lessEqual = (a: Tensor, b: Tensor): Tensor => compare('lessEqual', a, b, lessEqualRow);
/** 1 where a ≠ b (or either is NaN), else 0. */
export const notEqual = (a: Tensor, b: Tensor): Tensor => compare('notEqual', a, b, notEqualRow);
