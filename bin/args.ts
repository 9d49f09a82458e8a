/**
 * Command-line parsing on node's util.parseArgs: unknown flags and bad values become a UsageError,
 * which the entry point prints as one line and turns into exit code 2.
 */
import { parseArgs } from 'util';

export class UsageError extends Error {}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parse(command: string, argv: string[], flags: FlagSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...flags, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (e) {
    const message = (e as Error).message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '');
    throw new UsageError(`${command}: ${message} (see deltagraph ${command} --help)`);
  }
}

export function intFlag(command: string, name: string, value: string | boolean | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${command}: --${name} must be an integer ≥ ${min}, got '${value}'`);
  }
  return n;
}

export function numberFlag(command: string, name: string, value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`${command}: --${name} must be a positive number, got '${value}'`);
  }
  return n;
}

export function choiceFlag<T extends string>(command: string, name: string, value: string | boolean | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new UsageError(`${command}: --${name} must be one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}

export function listFlag(command: string, name: string, value: string | boolean | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = typeof value === 'string' ? value.split(',').map(Number) : [];
  if (parts.length === 0 || parts.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new UsageError(`${command}: --${name} must be a comma-separated list of positive integers such as 128,64, got '${value}'`);
  }
  return parts;
}
