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

/** Checks that `shape` is a list of non-negative integers; `op` names the caller in the error. */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw new ArgumentError(`${op}: expected a shape (an array of non-negative integers), got ${describe(shape)}`);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ArgumentError(
        `${op}: a shape must hold non-negative integers, got ${describe(d)} in [${shape.map(String).join(', ')}]`,
      );
    }
  }
  return shape.slice() as number[];
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
  const list = Array.isArray(axes) ? axes : [axes];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) {
    throw new AxisError(`${op}: axes [${list.join(', ')}] repeat an axis`);
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
