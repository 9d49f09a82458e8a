/**
 * Shapes, strides, axes and NumPy broadcasting. Pure functions of number arrays; no tensor data.
 */
import { ArgumentError, AxisError, ShapeError, describe, fmtShape } from './errors';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar, shape []). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides: the last dimension is contiguous. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The largest rank a tensor may have (as in NumPy 2); it also bounds the depth of nested arrays. */
export const MAX_RANK = 64;

/**
 * The most elements a tensor may hold: 2³¹ − 1 (16 GiB of float64). The bound applies to the
 * product of the non-zero dimensions, so that an empty tensor of shape [0, 10¹²] cannot turn into a
 * huge one through a reduction, a broadcast or a matrix product.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Product of the non-zero dimensions: the size any reduction or broadcast of the shape can reach. */
function spanOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) if (d !== 0) n *= d;
  return n;
}

/** Throws naming `op` when a shape (already checked to hold non-negative integers) is too large. */
export function checkSize(op: string, shape: Shape): void {
  if (shape.length > MAX_RANK) {
    throw new ShapeError(`${op}: shape ${fmtShape(shape)} has rank ${shape.length}, expected at most ${MAX_RANK}`);
  }
  if (spanOf(shape) > MAX_ELEMENTS) {
    throw new ShapeError(
      `${op}: shape ${fmtShape(shape)} is too large, expected at most ${MAX_ELEMENTS} elements (ignoring zero dimensions)`,
    );
  }
}

/**
 * The reason `shape` is not a valid shape — a list of at most MAX_RANK non-negative safe integers
 * whose non-zero product is at most MAX_ELEMENTS — or null when it is one.
 */
export function shapeProblem(shape: unknown): string | null {
  if (!Array.isArray(shape)) return `expected a shape (an array of non-negative integers), got ${describe(shape)}`;
  if (shape.length > MAX_RANK) return `a shape may have at most ${MAX_RANK} dimensions, got ${shape.length}`;
  let span = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      return `a shape must hold non-negative integers, got ${describe(d)} at index ${i} of ${fmtShape(shape)}`;
    }
    if (d !== 0) span *= d;
  }
  if (span > MAX_ELEMENTS) {
    return `shape ${fmtShape(shape)} is too large, expected at most ${MAX_ELEMENTS} elements (ignoring zero dimensions)`;
  }
  return null;
}

/** Checks a single size argument (eye's n, arange's n): a non-negative integer within MAX_ELEMENTS. */
export function checkDim(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_ELEMENTS) {
    throw new ArgumentError(`${op}: ${name} must be an integer in 0 … ${MAX_ELEMENTS}, got ${describe(value)}`);
  }
  return value;
}

/** Checks that `shape` is a valid shape (see shapeProblem); `op` names the caller in the error. */
export function checkShape(op: string, shape: unknown): number[] {
  const problem = shapeProblem(shape);
  if (problem !== null) throw new ArgumentError(`${op}: ${problem}`);
  return (shape as number[]).slice();
}

/**
 * The NumPy broadcast of two shapes: align on the right; each pair of dimensions must be equal or
 * contain a 1.
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} do not broadcast: ` +
          `dimension ${i - rank} is ${da} against ${db}; each pair must be equal or contain a 1`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  checkSize(op, out);
  return out;
}

/** True when `from` broadcasts to exactly `to` (what broadcastTo and sumTo require). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  const lead = to.length - from.length;
  for (let i = 0; i < from.length; i++) {
    const d = from[i]!;
    if (d !== 1 && d !== to[lead + i]) return false;
  }
  return true;
}

/**
 * Strides for reading a tensor of shape `shape` as if it had shape `target` (rank ≥ its own):
 * broadcast dimensions get stride 0, so nothing is materialised.
 */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const own = stridesOf(shape);
  const lead = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 ? 0 : own[i]!;
  return out;
}

/** Normalises one axis (negative counts from the end) against a rank, or throws naming the op. */
export function normalizeAxis(op: string, axis: unknown, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new AxisError(`${op}: an axis must be an integer, got ${describe(axis)}`);
  }
  if (axis < -rank || axis >= rank) {
    throw new AxisError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank} (expected ${-rank} … ${rank - 1})`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalises `axes` (a number, a list, or undefined for all axes) to a sorted list of distinct
 * non-negative axes.
 */
export function normalizeAxes(op: string, axes: unknown, rank: number): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  // Array.from turns the holes of a sparse array into undefined, which map would skip.
  const list: unknown[] = Array.isArray(axes) ? Array.from(axes) : [axes];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) {
    throw new AxisError(`${op}: axes ${fmtShape(list)} repeat an axis, expected distinct axes`);
  }
  return sorted;
}

/** The shape left after reducing `axes`, with 1s in their place when `keepDims`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i]!);
  }
  return out;
}
