/**
 * Buffer reuse for loops such as a training step: inside tidy(fn) the kernels take their output
 * buffers from free lists, and when fn returns, every tensor made inside it — except what fn
 * returns and what was passed to keep — is disposed and its buffer goes back to the lists. After
 * the first step, a step of the same shapes allocates no tensor storage at all. A disposed tensor
 * throws a GraphError when its values are read, so a tensor kept by mistake fails loudly instead
 * of showing another step's numbers.
 */
import { ArgumentError, describe, isCallable } from './errors';
import { memoryError, memoryLimit } from './memory';
import type { Tensor } from './tensor';

interface Scope {
  parent: Scope | null;
  /** Every tensor constructed inside the scope. */
  created: Tensor[];
  /** Buffers handed out inside the scope (only these are recycled). */
  owned: Set<Float64Array>;
  kept: Set<Tensor>;
  /** Bytes of the buffers in `owned`. */
  bytes: number;
}

let scope: Scope | null = null;

/** Free buffers by length. A bound per length keeps a one-off burst from pinning memory. */
const free = new Map<number, Float64Array[]>();
const PER_LENGTH = 64;

/**
 * Bytes the arena holds at once: the buffers owned by open tidy scopes plus those in the free
 * lists (`pooled`). Buffers made outside tidy, or surviving the outermost scope, are the garbage
 * collector's and not counted.
 */
let held = 0;
let pooled = 0;

/** How messages call a kernel's output buffer. */
const RESULT = 'the result of shape';

/** What the arena holds, in bytes: `{ held, pooled }` (held includes pooled). For tests and diagnostics. */
export function arenaBytes(): { held: number; pooled: number } {
  return { held, pooled };
}

/**
 * A zeroed buffer of n values: recycled inside tidy, fresh outside. A fresh buffer is checked
 * against the memory limit first (alone, and inside tidy with what the arena holds), so that one
 * that cannot fit throws a MemoryError naming `op` and `shape` (default [n]) before it is
 * allocated; a recycled one is not checked again.
 */
export function alloc(n: number, op = 'alloc', shape?: readonly number[]): Float64Array {
  const bytes = n * 8;
  if (scope === null) {
    if (bytes > memoryLimit()) throw memoryError(op, shape ?? [n], bytes, RESULT);
    return new Float64Array(n);
  }
  let buf = free.get(n)?.pop();
  if (buf === undefined) {
    if (held + bytes > memoryLimit()) makeRoom(op, shape ?? [n], bytes);
    buf = new Float64Array(n);
    held += bytes;
  } else {
    pooled -= bytes;
    buf.fill(0);
  }
  scope.owned.add(buf);
  scope.bytes += bytes;
  return buf;
}

/**
 * Called when a fresh buffer would take the arena over the limit: empties the free lists (their
 * buffers go to the garbage collector) and throws a MemoryError if that is not enough.
 */
function makeRoom(op: string, shape: readonly number[], bytes: number): void {
  if (bytes > memoryLimit()) throw memoryError(op, shape, bytes, RESULT);
  free.clear();
  held -= pooled;
  pooled = 0;
  if (held + bytes > memoryLimit()) throw memoryError(op, shape, bytes, RESULT, held);
}

/** Called by the Tensor constructor: records the tensor in the innermost tidy scope. */
export function track(t: Tensor): void {
  scope?.created.push(t);
}

/** Keeps t (and its buffer) alive past the innermost tidy scope; returns t. */
export function keep<T extends Tensor>(t: T): T {
  scope?.kept.add(t);
  return t;
}

/** The tensors inside a value returned from a tidy scope: a tensor, or arrays and plain objects holding them. */
function collectTensors(value: unknown, into: Set<Tensor>, isTensor: (v: unknown) => v is Tensor, depth = 0): void {
  if (isTensor(value)) into.add(value);
  else if (depth < 4 && Array.isArray(value)) for (const v of value) collectTensors(v, into, isTensor, depth + 1);
  else if (depth < 4 && value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTensors(v, into, isTensor, depth + 1);
  }
}

/**
 * Runs fn; afterwards disposes every tensor fn created except those it returns (also inside arrays
 * or plain objects) or passed to keep, and recycles their buffers. Scopes nest: what an inner
 * scope returns belongs to the outer one.
 */
export function tidyScope<T>(fn: () => T, isTensor: (v: unknown) => v is Tensor): T {
  if (!isCallable(fn)) throw new ArgumentError(`tidy: expected a function to run, got ${describe(fn)}`);
  const own: Scope = { parent: scope, created: [], owned: new Set(), kept: new Set(), bytes: 0 };
  scope = own;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // Nothing is disposed when fn throws: its buffers are the garbage collector's from now on.
    held -= own.bytes;
    throw e;
  } finally {
    scope = own.parent;
  }
  const survivors = new Set(own.kept);
  collectTensors(result, survivors, isTensor);
  const liveBuffers = new Set<Float64Array>();
  for (const t of survivors) liveBuffers.add(t.data);
  const released = new Set<Float64Array>();
  for (const t of own.created) {
    if (survivors.has(t)) continue;
    const buf = t.dispose();
    if (buf !== null && own.owned.has(buf) && !liveBuffers.has(buf)) released.add(buf);
  }
  // The scope's bytes stay held only for what goes to the free lists or to the enclosing scope.
  let stay = 0;
  for (const buf of released) {
    let list = free.get(buf.length);
    if (list === undefined) free.set(buf.length, (list = []));
    if (list.length < PER_LENGTH) {
      list.push(buf);
      stay += buf.length * 8;
    }
  }
  pooled += stay;
  const parent = own.parent;
  if (parent !== null) {
    // What survives belongs to the enclosing scope now, which may dispose and recycle it in turn.
    for (const t of survivors) parent.created.push(t);
    for (const buf of liveBuffers) {
      if (own.owned.has(buf)) {
        parent.owned.add(buf);
        parent.bytes += buf.length * 8;
        stay += buf.length * 8;
      }
    }
  }
  held -= own.bytes - stay;
  return result;
}
