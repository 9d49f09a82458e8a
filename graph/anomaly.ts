/**
 * Anomaly detection: find the op that first turns finite values into NaN or ±∞, forward or
 * backward, and say where the user created it. Inside detectAnomaly(fn) every op's forward is
 * checked as it runs and every recorded node remembers the stack of the call that created it;
 * backward checks each VJP's gradients (also outside detectAnomaly with { checkFinite: true }).
 * Outside anomaly mode nothing is checked or captured: a normal run pays one comparison per op.
 */
import { ArgumentError, DeltaGraphError, Tensor, describe, fmtShape, isCallable } from '../lib';

/** Forward or backward: which pass made the first non-finite value. */
export type AnomalyPhase = 'forward' | 'backward';

/**
 * An op turned finite inputs into NaN or ±∞ under anomaly detection. The message names the op,
 * the pass, its input and output shapes, the first bad value and where the op was created.
 */
export class AnomalyError extends DeltaGraphError {
  constructor(
    message: string,
    /** The op's name. */
    readonly op: string,
    /** 'forward' (its values) or 'backward' (its VJP's gradients). */
    readonly phase: AnomalyPhase,
    /** The shapes of the op's inputs. */
    readonly inputShapes: readonly (readonly number[])[],
    /** The shape of the op's output. */
    readonly outputShape: readonly number[],
    /** The user's frames of the call that created the op (recorded inside detectAnomaly), or null. */
    readonly createdAt: string | null,
  ) {
    super(message);
  }
}

/** How many detectAnomaly calls are running, and how many passes have the forward checks suspended. */
let depth = 0;
let suspended = 0;

/** Whether anomaly mode is on (inside detectAnomaly). */
export function anomalyMode(): boolean {
  return depth > 0;
}

/** Whether an op's forward values are to be checked now (anomaly mode, outside a checked backward pass). */
export function checkingForward(): boolean {
  return depth > 0 && suspended === 0;
}

/**
 * Runs fn with anomaly detection on and returns its result: the first op whose forward, or whose
 * VJP in a backward pass, turns finite inputs into NaN or ±∞ throws an AnomalyError naming the
 * op, the pass, the shapes and the stack of the call that created the op. Slower than a normal
 * run (every value is scanned, every node keeps a stack): for finding a bug, not for training.
 * The mode lasts while fn runs: the ops of an async fn after its first await are not checked.
 */
export function detectAnomaly<T>(fn: () => T): T {
  if (!isCallable(fn)) throw new ArgumentError(`detectAnomaly: fn must be a function to run, got ${describe(fn)}`);
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}

/** Runs fn with the forward checks off: a backward pass checks the VJPs' results itself. */
export function withoutForwardChecks<T>(fn: () => T): T {
  suspended++;
  try {
    return fn();
  } finally {
    suspended--;
  }
}

/** The index of the first NaN or ±∞ in data, or −1. */
export function firstNonFinite(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/** t's values; for a tensor carrying a vmap batch (graph/vmap.ts), those of the whole batch. */
function valuesOf(t: Tensor): Float64Array {
  let x: Tensor = t;
  while ('physical' in x && x.physical instanceof Tensor) x = x.physical;
  return x.data;
}

const allFinite = (ts: readonly Tensor[]): boolean => ts.every((t) => firstNonFinite(valuesOf(t)) < 0);

/** The directory holding the library's folders (graph/, ops/, …), from this file's own frame. */
let libraryRoot: string | null | undefined;
function rootOf(stack: string): string | null {
  if (libraryRoot === undefined) {
    const m = /([^\s(]*?)[/\\]graph[/\\]anomaly\.[cm]?[jt]s/.exec(stack);
    libraryRoot = m === null ? null : m[1]!;
  }
  return libraryRoot;
}

const OWN_FOLDERS = ['lib', 'graph', 'ops', 'check', 'nn', 'expr', 'viz', 'interop'];

/**
 * The user's part of the current call stack: the frames outside the library's own folders, at
 * most eight, one per line. Only called in anomaly mode (capturing a stack costs microseconds).
 */
export function creationStack(): string {
  const E = Error as { stackTraceLimit?: number };
  const limit = E.stackTraceLimit;
  if (typeof limit === 'number') E.stackTraceLimit = 40;
  let stack = '';
  try {
    stack = new Error().stack ?? '';
  } finally {
    if (typeof limit === 'number') E.stackTraceLimit = limit;
  }
  const root = rootOf(stack);
  const frames = stack.split('\n').slice(1).map((l) => l.trim()).filter((l) => l !== '');
  const own = (line: string) => root !== null && OWN_FOLDERS.some((d) => line.includes(`${root}/${d}/`) || line.includes(`${root}\\${d}\\`));
  return frames.filter((l) => !own(l)).slice(0, 8).join('\n');
}

/** The "created at" part of a message. */
function where(createdAt: string | null): string {
  if (createdAt === null || createdAt === '') return 'where it was created is unknown (run the forward pass inside detectAnomaly to record it)';
  return `created at\n${createdAt.split('\n').map((l) => `    ${l}`).join('\n')}`;
}

const shapesOf = (ts: readonly Tensor[]) => ts.map((t) => t.shape.slice());

/** In anomaly mode, after an op's forward: an AnomalyError if the output has NaN or ±∞ that its finite inputs did not. */
export function checkForward(op: string, inputs: readonly Tensor[], output: Tensor): void {
  const k = firstNonFinite(valuesOf(output));
  if (k < 0 || !allFinite(inputs)) return;
  const createdAt = creationStack();
  throw new AnomalyError(
    `detectAnomaly: the forward pass of '${op}' turned finite inputs ${inputs.map((t) => fmtShape(t.shape)).join(', ') || '(none)'} into ` +
      `${valuesOf(output)[k]} at index ${k} of its output ${fmtShape(output.shape)}; ${where(createdAt)}`,
    op, 'forward', shapesOf(inputs), output.shape.slice(), createdAt,
  );
}

/** What a backward check knows of the node whose VJP it checks. */
export interface CheckedNode {
  readonly id: number;
  readonly op: { readonly name: string };
  readonly output: Tensor;
  readonly createdAt: string | null;
}

/**
 * In a checked backward pass, after a node's VJP: an AnomalyError if a gradient it returned (for
 * input `index`) holds NaN or ±∞ although the incoming gradient g and the node's inputs are finite.
 */
export function checkBackward(node: CheckedNode, inputs: readonly Tensor[], g: Tensor, index: number, gradient: Tensor, what = 'the VJP'): void {
  const k = firstNonFinite(valuesOf(gradient));
  if (k < 0 || firstNonFinite(valuesOf(g)) >= 0 || !allFinite(inputs)) return;
  const op = node.op.name;
  throw new AnomalyError(
    `backward: ${what} of '${op}' (node ${node.id}, inputs ${inputs.map((t) => fmtShape(t.shape)).join(', ')} → output ${fmtShape(node.output.shape)}) ` +
      `turned a finite gradient and finite inputs into ${valuesOf(gradient)[k]} at index ${k} of the gradient of its input ${index}; ${where(node.createdAt)}`,
    op, 'backward', shapesOf(inputs), node.output.shape.slice(), node.createdAt,
  );
}

/**
 * In a checked backward pass, after two gradients reaching one input of a node were summed: an
 * AnomalyError if the finite parts overflowed to ±∞.
 */
export function checkSum(node: CheckedNode, index: number, a: Tensor, b: Tensor, sum: Tensor): void {
  const k = firstNonFinite(valuesOf(sum));
  if (k < 0 || firstNonFinite(valuesOf(a)) >= 0 || firstNonFinite(valuesOf(b)) >= 0) return;
  throw new AnomalyError(
    `backward: summing the finite gradients that reach input ${index} (${fmtShape(a.shape)}) of '${node.op.name}' (node ${node.id}) over several paths ` +
      `gave ${valuesOf(sum)[k]} at index ${k} (an overflow); ${where(node.createdAt)}`,
    'accumulate', 'backward', [a.shape.slice(), b.shape.slice()], sum.shape.slice(), node.createdAt,
  );
}
