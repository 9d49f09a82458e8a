/**
 * Argument checking shared by the layers, optimizers, schedules, training loop, metrics and
 * loaders. Each check names its caller (`who`, e.g. "Adam" or "Linear.forward"), the argument,
 * the value given and what was expected, and throws an ArgumentError.
 */
import { ArgumentError, MAX_ELEMENTS, Rng, Tensor, asTensor, describe, globalRng, isCallable, rng, within } from '../lib';

export { asTensor, within };

/**
 * The numbers a numeric argument may take: an interval (closed unless an end is marked open),
 * optionally integers only, optionally with +∞ allowed (NaN never is).
 */
export interface NumberRange {
  min?: number;
  max?: number;
  /** min itself is excluded: (min, …. */
  minOpen?: boolean;
  /** max itself is excluded: …, max). */
  maxOpen?: boolean;
  integer?: boolean;
  /** Accept +Infinity (as "no limit"). */
  infinity?: boolean;
}

/** The range in words, e.g. "a finite number in [0, 1)" or "an integer ≥ 1". */
export function rangeText(range: NumberRange): string {
  const kind = range.integer ? 'an integer' : range.infinity ? 'a number' : 'a finite number';
  const { min, max } = range;
  let text: string;
  if (min !== undefined && max !== undefined) text = `${kind} in ${range.minOpen ? '(' : '['}${min}, ${max}${range.maxOpen ? ')' : ']'}`;
  else if (min !== undefined) text = `${kind} ${range.minOpen ? '>' : '≥'} ${min}`;
  else if (max !== undefined) text = `${kind} ${range.maxOpen ? '<' : '≤'} ${max}`;
  else text = kind;
  return range.infinity ? `${text} (Infinity for no limit)` : text;
}

function inRange(value: number, range: NumberRange): boolean {
  if (Number.isNaN(value)) return false;
  if (value === Infinity ? !range.infinity : !Number.isFinite(value)) return false;
  if (range.integer && value !== Infinity && !Number.isSafeInteger(value)) return false;
  if (range.min !== undefined && (range.minOpen ? !(value > range.min) : !(value >= range.min))) return false;
  if (range.max !== undefined && (range.maxOpen ? !(value < range.max) : !(value <= range.max))) return false;
  return true;
}

/** A number in `range`; undefined gives `fallback` when there is one. */
export function numberIn(who: string, name: string, value: unknown, range: NumberRange, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !inRange(value, range)) {
    throw new ArgumentError(`${who}: ${name} must be ${rangeText(range)}, got ${describe(value)}`);
  }
  return value;
}

/** A size such as a layer width: an integer in 1 … MAX_ELEMENTS. */
export function sizeIn(who: string, name: string, value: unknown): number {
  return numberIn(who, name, value, { min: 1, max: MAX_ELEMENTS, integer: true });
}

/** Checks that a weight matrix [inFeatures, outFeatures] fits in a tensor. */
export function checkLayerSize(who: string, inFeatures: number, outFeatures: number): void {
  if (inFeatures * outFeatures > MAX_ELEMENTS) {
    throw new ArgumentError(
      `${who}: a ${inFeatures} × ${outFeatures} weight matrix has ${inFeatures * outFeatures} elements, more than the ${MAX_ELEMENTS} a tensor may hold`,
    );
  }
}

export function boolIn(who: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ArgumentError(`${who}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

export function stringIn(who: string, name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) throw new ArgumentError(`${who}: ${name} must be a non-empty string, got ${describe(value)}`);
  return value;
}

/** One of a fixed set of strings. */
export function choiceIn<T extends string>(who: string, name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ArgumentError(`${who}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/**
 * A plain object (a literal, or one without a prototype): what an options object, a state or a
 * configuration is. Arrays, typed arrays, tensors, modules and other class instances are not.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * An options object: a plain object, or undefined for none (unless `required`, when the caller
 * names what it must hold).
 */
export function optionsIn(who: string, value: unknown, required?: string): Record<string, unknown> {
  if (value === undefined && required === undefined) return {};
  if (!isRecord(value)) {
    const expected = required === undefined ? 'an options object or nothing' : `an options object with ${required}`;
    throw new ArgumentError(`${who}: expected ${expected}, got ${describe(value)}`);
  }
  return value;
}

/** An array of tensors (holes in a sparse array included in the check). */
export function tensorsIn(who: string, name: string, value: unknown): Tensor[] {
  if (!Array.isArray(value)) throw new ArgumentError(`${who}: ${name} must be an array of tensors, got ${describe(value)}`);
  for (let i = 0; i < value.length; i++) {
    const t: unknown = value[i];
    if (!(t instanceof Tensor)) throw new ArgumentError(`${who}: ${name}[${i}] must be a tensor, got ${describe(t)}`);
    asTensor(who, t, `${name}[${i}]`);
  }
  return value.slice() as Tensor[];
}

export function functionIn<F>(who: string, name: string, value: unknown): F {
  if (!isCallable(value)) throw new ArgumentError(`${who}: ${name} must be a function, got ${describe(value)}`);
  return value as F;
}

/**
 * A generator, or a seed (a finite number) to make a fresh one from, so that the caller draws the
 * same numbers whatever else ran; undefined gives the global generator (see manualSeed).
 */
export function rngIn(who: string, name: string, value: unknown): Rng {
  if (value instanceof Rng) return value;
  if (value === undefined) return globalRng();
  return rng(numberIn(who, name, value, {}));
}

