/**
 * Buffer reuse for loops such as a training step: inside tidy(fn) the kernels take their output
 * buffers from free lists, and when fn returns, every tensor made inside it — except what fn
 * returns and what was passed to keep — is disposed and its buffer goes back to the lists. After
 * the first step, a step of the same shapes allocates no tensor storage at all. A disposed tensor
 * throws a GraphError when its values are read, so a tensor kept by mistake fails loudly instead
 * of showing another step's numbers.
 */
import { ArgumentError, describe } from './errors';
import type { Tensor } from './tensor';

interface Scope {
  parent: Scope | null;
  /** Every tensor constructed inside the scope. */
  created: Tensor[];
  /** Buffers handed out inside the scope (only these are recycled). */
  owned: Set<Float64Array>;
  kept: Set<Tensor>;
}

let scope: Scope | null = null;

/** Free buffers by length. A bound per length keeps a one-off burst from pinning memory. */
const free = new Map<number, Float64Array[]>();
const PER_LENGTH = 64;

/** A zeroed buffer of n values: recycled inside tidy, fresh outside. */
export function alloc(n: number): Float64Array {
  if (scope === null) return new Float64Array(n);
  const reused = free.get(n)?.pop();
  const buf = reused === undefined ? new Float64Array(n) : reused.fill(0);
  scope.owned.add(buf);
  return buf;
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
  if (typeof fn !== 'function') throw new ArgumentError(`tidy: expected a function to run, got ${describe(fn)}`);
  const own: Scope = { parent: scope, created: [], owned: new Set(), kept: new Set() };
  scope = own;
  let result: T;
  try {
    result = fn();
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
  for (const buf of released) {
    let list = free.get(buf.length);
    if (list === undefined) free.set(buf.length, (list = []));
    if (list.length < PER_LENGTH) list.push(buf);
  }
  if (own.parent !== null) {
    // What survives belongs to the enclosing scope now, which may dispose and recycle it in turn.
    for (const t of survivors) own.parent.created.push(t);
    for (const buf of liveBuffers) if (own.owned.has(buf)) own.parent.owned.add(buf);
  }
  return result;
}
