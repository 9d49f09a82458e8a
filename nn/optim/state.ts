/**
 * Float64 values as JSON for the optimizers' and the training loop's saved state, encoded as
 * nn/serialize.ts encodes a model's tensors: a finite number in the shortest form that reads back
 * to the same float64 (what JSON.stringify writes), and −0, NaN and ±∞, which JSON cannot hold, as
 * the strings '-0', 'NaN', 'Infinity' and '-Infinity'. A round trip is exact, bit for bit.
 */
import { describe } from '../../lib';

/** One float64 as JSON. */
export type SavedFloat = number | string;

/** The strings that stand for the values JSON cannot hold. */
const SPECIAL: Record<string, number> = { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

export function encodeFloat(x: number): SavedFloat {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return Object.is(x, -0) ? '-0' : String(x);
}

export function decodeFloat(x: SavedFloat): number {
  return typeof x === 'number' ? x : SPECIAL[x]!;
}

export function isSavedFloat(x: unknown): x is SavedFloat {
  return (typeof x === 'number' && Number.isFinite(x)) || (typeof x === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, x));
}

export function encodeFloats(values: ArrayLike<number>): SavedFloat[] {
  return Array.from(values, encodeFloat);
}

/**
 * The first thing wrong with saved values meant to fill `length` float64s, or null: `what` names
 * them in the message.
 */
export function floatsProblem(what: string, saved: unknown, length: number): string | null {
  if (!Array.isArray(saved)) return `${what} is ${describe(saved)}, expected an array of ${length} numbers`;
  if (saved.length !== length) return `${what} has ${saved.length} values, expected ${length}`;
  for (let i = 0; i < saved.length; i++) {
    const v: unknown = saved[i];
    if (!isSavedFloat(v)) return `${what} has ${describe(v)} at index ${i}, expected a number or one of "NaN", "Infinity", "-Infinity", "-0"`;
  }
  return null;
}

/** Decodes checked saved values into `target`. */
export function decodeFloatsInto(saved: readonly SavedFloat[], target: Float64Array): void {
  for (let i = 0; i < saved.length; i++) target[i] = decodeFloat(saved[i]!);
}
