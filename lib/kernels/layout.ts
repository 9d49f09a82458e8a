/** Kernels that move data without arithmetic: transpose, broadcast, slice, pad, concat. */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { broadcastStrides, sizeOf, stridesOf } from '../shape';
import { Row2, walk2 } from './strided';

const copyRow: Row2 = (o, oi, os, x, xi, xs, n) => {
  for (let k = 0; k < n; k++) o[oi + k * os] = x[xi + k * xs]!;
};

/** Reads x through (shape, strides, offset) into a new contiguous tensor. */
function gather(op: string, x: Tensor, shape: readonly number[], strides: number[], offset: number): Tensor {
  const out = alloc(sizeOf(shape), op, shape);
  walk2(shape, out, 0, stridesOf(shape), x.data, offset, strides, copyRow);
  return kernelTensor(out, shape);
}

/** out[i₀, …] = x[i_{perm⁻¹}…]: out.shape[k] = x.shape[perm[k]]. */
export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  const xs = stridesOf(x.shape);
  return gather('transpose', x, perm.map((p) => x.shape[p]!), perm.map((p) => xs[p]!), 0);
}

/** x repeated along its broadcast dimensions to `shape`. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return gather('broadcastTo', x, shape, broadcastStrides(x.shape, shape), 0);
}

/** The block of x starting at `begin` with extent `size`. */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const xs = stridesOf(x.shape);
  let offset = 0;
  for (let i = 0; i < begin.length; i++) offset += begin[i]! * xs[i]!;
  return gather('slice', x, size, xs, offset);
}

/** A zero tensor of `shape` with x written at `begin`: the adjoint of slice. */
export function pad(x: Tensor, shape: readonly number[], begin: readonly number[]): Tensor {
  const out = alloc(sizeOf(shape), 'pad', shape);
  const os = stridesOf(shape);
  let offset = 0;
  for (let i = 0; i < begin.length; i++) offset += begin[i]! * os[i]!;
  walk2(x.shape, out, offset, os, x.data, 0, stridesOf(x.shape), copyRow);
  return kernelTensor(out, shape);
}

/** Joins tensors along `axis`; all other dimensions must agree (checked by the caller). */
export function concat(xs: readonly Tensor[], axis: number): Tensor {
  const first = xs[0]!;
  const shape = first.shape.slice();
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  const out = alloc(sizeOf(shape), 'concat', shape);
  const os = stridesOf(shape);
  let offset = 0;
  for (const x of xs) {
    walk2(x.shape, out, offset, os, x.data, 0, stridesOf(x.shape), copyRow);
    offset += x.shape[axis]! * os[axis]!;
  }
  return kernelTensor(out, shape);
}

/** Rows `indices[i]` of x (axis 0), in that order: how a mini-batch is drawn from a data set. */
export function takeRows(x: Tensor, indices: ArrayLike<number>): Tensor {
  const row = x.size / (x.shape[0] || 1);
  const shape = [indices.length, ...x.shape.slice(1)];
  const out = alloc(indices.length * row, 'takeRows', shape);
  for (let i = 0; i < indices.length; i++) out.set(x.data.subarray(indices[i]! * row, (indices[i]! + 1) * row), i * row);
  return kernelTensor(out, shape);
}
