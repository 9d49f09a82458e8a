/**
 * The checks of plain arguments shared by every part of the library (nn, check, viz, expr):
 * numbers in a range, booleans, strings, one of a set of strings, options objects and callbacks.
 * Each names its caller (`who`, e.g. "Adam" or "Linear.forward" or "toDot"), the argument, the
 * value given and what was expected, and throws an ArgumentError. Not exported by the package:
 * the checks of the public functions, not public functions themselves.
 */
import { ArgumentError, describe, isCallable } from './errors';

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

export function functionIn<F>(who: string, name: string, value: unknown): F {
  if (!isCallable(value)) throw new ArgumentError(`${who}: ${name} must be a function, got ${describe(value)}`);
  return value as F;
}

