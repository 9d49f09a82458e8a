/** Argument checking shared by the ops' public functions. */
import { ArgumentError, AxisError, Tensor, asTensor, checkShape, describe, fmtShape, normalizeAxes, normalizeAxis } from '../lib';

export { asTensor };

/** Axes argument of a reduction: a number, a list, or undefined for all axes. */
export function axesOf(op: string, x: Tensor, axes: unknown): number[] {
  return normalizeAxes(op, axes, x.rank);
}

export function axisOf(op: string, x: Tensor, axis: unknown): number {
  if (x.rank === 0) throw new AxisError(`${op}: needs a tensor of rank ≥ 1, got a scalar`);
  return normalizeAxis(op, axis, x.rank);
}

export function boolOf(op: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ArgumentError(`${op}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

export function numberOf(op: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ArgumentError(`${op}: ${name} must be a finite number, got ${describe(value)}`);
  }
  return value;
}

export function shapeOf(op: string, shape: unknown): number[] {
  return checkShape(op, shape);
}

/**
 * A list of integers such as slice's begin or pad's offsets: an array of at most `maxLength`
 * entries, each a safe integer ≥ `min` (−1 lets slice's size say "to the end").
 */
export function indicesOf(op: string, name: string, value: unknown, maxLength: number, min = 0): number[] {
  if (!Array.isArray(value)) throw new ArgumentError(`${op}: ${name} must be an array of integers, got ${describe(value)}`);
  if (value.length > maxLength) {
    throw new AxisError(`${op}: ${name} ${fmtShape(value)} has ${value.length} entries, expected at most ${maxLength} (the rank)`);
  }
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new ArgumentError(`${op}: ${name} must hold integers ≥ ${min}, got ${describe(v)} at index ${i} of ${fmtShape(value)}`);
    }
  }
  return value.slice() as number[];
}
