/**
 * Integer arguments of the indexing ops: index tensors (a tensor of integer values, a nested
 * number array, an Int32Array, a Float64Array of integers or a number) read into an Int32Array
 * with their shape, and wrapped or checked against the extent they index.
 */
import { ArgumentError, AxisError, DeltaGraphError, Tensor, asTensor, checkShape, describe, fmtShape, sizeOf, tensor } from '../../lib';
import { Pick } from '../domain';

export interface IndexArray {
  /** The values in row-major order (not yet wrapped). */
  values: Int32Array;
  shape: number[];
}

/** Reads an index argument: every value must be an integer (within ±2³¹). */
export function indexArrayOf(op: string, name: string, value: unknown): IndexArray {
  let t: Tensor;
  if (value instanceof Int32Array) {
    t = new Tensor(Float64Array.from(value), [value.length]);
  } else if (value instanceof Tensor) {
    t = asTensor(op, value, name);
  } else if (typeof value === 'number' || Array.isArray(value) || value instanceof Float64Array) {
    try {
      t = tensor(value as number[]);
    } catch (e) {
      if (e instanceof DeltaGraphError) throw new ArgumentError(`${op}: ${name}: ${e.message}`);
      throw e;
    }
  } else {
    throw new ArgumentError(
      `${op}: ${name} must be a tensor of integer values, a nested array of integers or an Int32Array, got ${describe(value)}`,
    );
  }
  const data = t.data;
  const values = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new ArgumentError(`${op}: ${name} must hold integers, got ${describe(v)} at flat position ${i} of shape ${fmtShape(t.shape)}`);
    }
    values[i] = v;
  }
  return { values, shape: t.shape.slice() };
}

/**
 * Wraps indices into [0, size) in place: −size ≤ i < 0 counts from the end (as NumPy's take);
 * anything else outside [0, size) is an AxisError naming the index, its position and the bound.
 */
export function wrapIndices(op: string, name: string, idx: IndexArray, size: number, what: string): Int32Array {
  const v = idx.values;
  for (let i = 0; i < v.length; i++) {
    let k = v[i]!;
    if (k < 0) k += size;
    if (k < 0 || k >= size) {
      throw new AxisError(
        `${op}: ${name} holds ${v[i]} at flat position ${i} of shape ${fmtShape(idx.shape)}, out of range for ${what} of extent ${size} (expected ${-size} … ${size - 1})`,
      );
    }
    v[i] = k;
  }
  return v;
}

/** A count such as takeBackward's size or oneHot's classes: a non-negative integer. */
export function countOf(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ArgumentError(`${op}: ${name} must be a non-negative integer, got ${describe(value)}`);
  }
  checkShape(op, [value]);
  return value;
}

/** For the test domains: an index tensor of `shape`, each index drawn from −n … n − 1 (negative ones included). */
export function drawIndices(pick: Pick, shape: readonly number[], n: number): Tensor {
  const values = Array.from({ length: sizeOf(shape) }, () => pick.int(-n, n - 1));
  return new Tensor(Float64Array.from(values), shape);
}
