/**
 * The memory budget. Every tensor the library allocates, every layer's parameters and every
 * kernel workspace is checked against one limit before anything is allocated or filled, so that a
 * request that cannot fit fails at once with a MemoryError (naming the op, the shape, the bytes
 * and the limit) instead of running for seconds into gigabytes or dying in the engine.
 *
 * What is checked (each an O(1) comparison where the allocation happens):
 * - each single allocation: the creators (tensor, zeros, ones, full, eye, arange, randn, rand), the
 *   kernels' outputs (lib/arena.ts alloc: matmul, broadcasts, concat, pad, gathers, im2col, …) and
 *   the matrix product's workspaces (packed panels, shared scratch for threads, WebAssembly memory);
 * - inside tidy scopes, the buffers they hold at once plus the arena's free lists (a fresh buffer
 *   that would take them over the limit first empties the free lists, then fails);
 * - a layer's or a model's declared parameters (Linear, MLP, initialize, model files) before any is
 *   filled.
 * Tensors made outside tidy are freed by the garbage collector, so their sum is not tracked.
 *
 * The limit defaults to what the engine can give: in Node a quarter of the machine's memory (set by
 * the Node face, which also reads DELTAGRAPH_MEMORY_LIMIT); in a browser performance.memory's
 * jsHeapSizeLimit where the engine reports it, else 2 GiB. This file reads no environment itself.
 */
import { ArgumentError, MemoryError, describe, fmtShape } from './errors';

/** The limit where the engine reports nothing (2 GiB). */
export const FALLBACK_MEMORY_LIMIT = 2 ** 31;

/** The engine's default limit and a few words saying where it comes from. */
function engineDefault(): { bytes: number; origin: string } {
  try {
    const memory = (globalThis as { performance?: { memory?: { jsHeapSizeLimit?: unknown } } }).performance?.memory;
    const heap = memory?.jsHeapSizeLimit;
    if (typeof heap === 'number' && Number.isFinite(heap) && heap > 0) return { bytes: heap, origin: "the engine's heap limit, performance.memory.jsHeapSizeLimit" };
  } catch {
    // a host object that throws on access: fall through to the fixed default
  }
  return { bytes: FALLBACK_MEMORY_LIMIT, origin: 'the default of 2 GiB' };
}

let fallback = engineDefault();
let limit = fallback.bytes;
let origin = fallback.origin;

/** The memory limit in bytes (Infinity when switched off). */
export function memoryLimit(): number {
  return limit;
}

/** Where the current limit comes from, as error messages say it. */
export function memoryLimitOrigin(): string {
  return origin;
}

/**
 * Sets the memory limit: a number of bytes (> 0, or Infinity to check only the 2³¹ − 1 element
 * bound of a shape), or a string such as '4GB', '512 MiB' or '1e9'; no argument restores the
 * default. Returns the previous limit, so that `const before = setMemoryLimit(x); …;
 * setMemoryLimit(before)` restores it. The limit bounds every single allocation, the buffers tidy
 * scopes hold at once and the declared parameters of a layer or model.
 */
export function setMemoryLimit(bytes?: number | string): number {
  const previous = limit;
  if (bytes === undefined) {
    limit = fallback.bytes;
    origin = fallback.origin;
    return previous;
  }
  if (typeof bytes === 'string') {
    limit = parseMemorySize('setMemoryLimit', bytes);
  } else if (typeof bytes === 'number' && bytes > 0 && !Number.isNaN(bytes)) {
    limit = bytes === Infinity ? Infinity : Math.floor(Math.max(bytes, 1));
  } else {
    throw new ArgumentError(
      `setMemoryLimit: expected a number of bytes > 0 (or Infinity), a size such as '4GB', or nothing for the default, got ${describe(bytes)}`,
    );
  }
  origin = 'set by setMemoryLimit';
  return previous;
}

/**
 * Sets the limit and makes it the default that setMemoryLimit() restores: what a face calls at
 * load time (the Node face with a share of the machine's memory or DELTAGRAPH_MEMORY_LIMIT).
 */
export function configureMemoryLimit(bytes: number, from: string): void {
  if (!(bytes > 0)) throw new ArgumentError(`configureMemoryLimit: expected a number of bytes > 0, got ${describe(bytes)}`);
  fallback = { bytes: bytes === Infinity ? Infinity : Math.floor(bytes), origin: from };
  limit = fallback.bytes;
  origin = from;
}

const UNITS: Record<string, number> = {
  '': 1, b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  // One letter, as java -Xmx and docker --memory read it: powers of 1024.
  k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40,
};

/**
 * Bytes from a size such as '4294967296', '4GB', '1.5 GiB', '512m' or 'Infinity' (also 'none'):
 * kB, MB, GB, TB are powers of 1000, KiB, MiB, GiB, TiB and the single letters K, M, G, T powers
 * of 1024, case-insensitive. Throws an ArgumentError naming `who` for anything else.
 */
export function parseMemorySize(who: string, text: unknown): number {
  const expected = "expected a number of bytes or a size such as 4GB, 1.5GiB or 512MB (kB/MB/GB/TB: powers of 1000; KiB/MiB/GiB/TiB, K/M/G/T: of 1024), or 'Infinity'";
  if (typeof text !== 'string') throw new ArgumentError(`${who}: ${expected}, got ${describe(text)}`);
  const t = text.trim().toLowerCase();
  if (t === 'infinity' || t === 'none') return Infinity;
  const match = /^(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*([a-z]*)$/.exec(t);
  if (match === null || !Object.prototype.hasOwnProperty.call(UNITS, match[3]!)) {
    throw new ArgumentError(`${who}: ${expected}, got ${describe(text)}`);
  }
  const bytes = Math.floor(Number(`${match[1]}e${match[2] ?? 0}`) * UNITS[match[3]!]!);
  if (!(bytes >= 1) || !Number.isFinite(bytes)) throw new ArgumentError(`${who}: the size must be at least 1 byte and finite (or 'Infinity'), got ${describe(text)}`);
  return bytes;
}

/** Bytes in decimal units for messages: 17179869184 → '17.2 GB', 512 → '512 bytes'. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return bytes === Infinity ? 'no limit' : String(bytes);
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${bytes} bytes` : `${Number(v.toPrecision(3))} ${units[i]}`;
}

/** The end of every budget message: the limit, where it comes from, and how to change it. */
export function overLimit(): string {
  return (
    `the memory limit of ${formatBytes(limit)} (${origin}); ` +
    'raise it with setMemoryLimit(bytes) or the environment variable DELTAGRAPH_MEMORY_LIMIT, or use smaller sizes'
  );
}

/**
 * The MemoryError for `op` asking for `bytes` for `what` (e.g. 'a tensor of shape') of `shape`;
 * `held` adds what tidy scopes already hold when that is what tips it over.
 */
export function memoryError(op: string, shape: readonly number[], bytes: number, what = 'a tensor of shape', held = 0): MemoryError {
  const over = held > 0 ? `, and tidy scopes and the arena already hold ${formatBytes(held)}: together more than` : ', more than';
  return new MemoryError(`${op}: ${what} ${fmtShape(shape)} needs ${formatBytes(bytes)} (${bytes} bytes)${over} ${overLimit()}`, op, shape.slice(), bytes, limit);
}

/**
 * Throws a MemoryError naming `who` when float64 parameters of the given (name, shape) pairs do
 * not fit together, before any is allocated: what a layer or a model checks first. `subject` says
 * whose they are (e.g. 'Linear(46340 → 46340)'). The error's shape is the largest parameter's.
 */
export function checkParameterBytes(who: string, subject: string, params: ReadonlyArray<readonly [string, readonly number[]]>): void {
  let values = 0;
  let largest: readonly [string, readonly number[]] | undefined;
  let largestSize = -1;
  for (const p of params) {
    let size = 1;
    for (const d of p[1]) size *= d;
    values += size;
    if (size > largestSize) {
      largest = p;
      largestSize = size;
    }
  }
  const bytes = 8 * values;
  if (bytes <= limit || largest === undefined) return;
  const shown = params.slice(0, 4).map(([name, shape]) => `${name} ${fmtShape(shape)}`);
  if (params.length > 4) shown.push(`… ${params.length} in all, the largest ${largest[0]} ${fmtShape(largest[1])}`);
  throw new MemoryError(
    `${who}: ${subject} needs ${formatBytes(bytes)} (${bytes} bytes) for ${values} parameters (${shown.join(', ')}), more than ${overLimit()}`,
    who,
    largest[1].slice(),
    bytes,
    limit,
  );
}

/** Throws a MemoryError naming `op` when `bytes` for `shape` do not fit under the limit. O(1). */
export function checkBytes(op: string, shape: readonly number[], bytes: number, what?: string): void {
  if (bytes > limit) throw memoryError(op, shape, bytes, what);
}

/** checkBytes for a float64 tensor of `shape` (already checked to be a valid shape). */
export function checkTensorBytes(op: string, shape: readonly number[], what?: string): void {
  let n = 8;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  if (n > limit) throw memoryError(op, shape, n, what);
}
