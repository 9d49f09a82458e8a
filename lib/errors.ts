/**
 * Every error a user can cause is a DeltaGraphError. Its message names the operation, the shapes
 * or values involved, and what was expected, so that it can be acted on without a debugger.
 */
export class DeltaGraphError extends Error {
  constructor(message: string) {
    // A message that is not a string is described rather than converted, which could throw.
    super(typeof message === 'string' ? message : describe(message));
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together: broadcasting, matmul, reshape, concat, a VJP's result. */
export class ShapeError extends DeltaGraphError {}

/** An axis, an index or a permutation outside the tensor's rank or extent. */
export class AxisError extends DeltaGraphError {}

/** An argument of the wrong kind: a ragged nested array, NaN in a shape, a string for a tensor. */
export class ArgumentError extends DeltaGraphError {}

/** Misuse of the graph: a second backward over a released graph, grad of a non-scalar output. */
export class GraphError extends DeltaGraphError {}

/**
 * A tensor, a layer's parameters or a kernel's workspace that would not fit in the memory budget
 * (see setMemoryLimit), refused before anything was allocated or filled. It names the op (or
 * function, or layer), the shape and the bytes asked for, and the budget.
 */
export class MemoryError extends DeltaGraphError {
  constructor(
    message: string,
    /** The op, function or layer that asked. */
    readonly op: string,
    /** The shape it asked for. */
    readonly shape: readonly number[],
    /** The bytes it asked for. */
    readonly bytes: number,
    /** The memory limit in bytes when it asked. */
    readonly limit: number,
  ) {
    super(message);
  }
}

/**
 * Formats a shape the way messages show it: [2, 3]. Entries that are not numbers (a user's bad
 * shape) are described rather than converted, so formatting can never throw.
 */
export function fmtShape(shape: readonly unknown[]): string {
  if (!Array.isArray(shape) && !ArrayBuffer.isView(shape)) return describe(shape);
  const parts: string[] = [];
  const shown = Math.min(shape.length, 12);
  for (let i = 0; i < shown; i++) {
    const d: unknown = shape[i];
    parts.push(typeof d === 'number' ? String(d) : describe(d));
  }
  if (shape.length > shown) parts.push(`… (${shape.length - shown} more)`);
  return `[${parts.join(', ')}]`;
}

/**
 * Checks the caller's name that a shared check is given (the `op` of checkShape(op, shape)), so
 * that the check's own messages can name that caller: a non-empty string.
 */
export function callerIn(who: string, op: unknown): string {
  if (typeof who !== 'string' || who.trim() === '') throw new ArgumentError(`callerIn: who (the check's own name) must be a non-empty string, got ${describe(who)}`);
  if (typeof op !== 'string' || op.trim() === '') {
    throw new ArgumentError(`${who}: op (the name of the caller, for messages) must be a non-empty string, got ${describe(op)}`);
  }
  return op;
}

/**
 * Runs fn; a DeltaGraphError from inside it (a layer, the loss, a metric, an op of a formula) gets
 * `who` and the context in front of its message, so that it says where it arose (a context that
 * is costly to describe can be given as a function, called only on an error). Errors that
 * already start with `who` (the caller's own checks) are left as they are, and so is anything
 * that is not a DeltaGraphError (a user's function may throw what it likes).
 */
export function within<T>(who: string, context: string | null | (() => string), fn: () => T): T {
  callerIn('within', who);
  if (context !== null && typeof context !== 'string' && !isCallable(context)) {
    throw new ArgumentError(`within: context must be a string, a function giving one (made only on an error) or null, got ${describe(context)}`);
  }
  if (!isCallable(fn)) throw new ArgumentError(`within: fn must be a function to run, got ${describe(fn)}`);
  try {
    return fn();
  } catch (e) {
    if (e instanceof DeltaGraphError && !e.message.startsWith(`${who}: `)) {
      const where = typeof context === 'function' ? context() : context;
      e.message = `${who}: ${where === null ? '' : `${where}: `}${e.message}`;
    }
    throw e;
  }
}

const classes = new WeakMap<object, boolean>();

/**
 * True for a value that can be called: a function that is not a class (calling a class without
 * `new` throws a TypeError). What a check of a callback argument should ask.
 */
export function isCallable(f: unknown): f is (...args: any[]) => unknown {
  if (typeof f !== 'function') return false;
  let isClass = classes.get(f);
  if (isClass === undefined) {
    let text = '';
    try {
      text = Function.prototype.toString.call(f);
    } catch {
      // A function whose source cannot be shown (a proxy's target) is called as it is.
    }
    isClass = /^class[\s{]/.test(text);
    classes.set(f, isClass);
  }
  return !isClass;
}

/** Describes any value briefly for an error message, never throwing itself. */
export function describe(value: unknown): string {
  try {
    return describeValue(value);
  } catch {
    // An object that only looks like what it claims to be (a proxy, a typed array's prototype on a plain object).
    return typeof value === 'object' ? 'an object' : typeof value;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'function' && !isCallable(value)) return `the class ${value.name || '(anonymous)'}`;
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? value.slice(0, 20) + '…' : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Float64Array) return `a Float64Array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object') {
    try {
      const kind = (value as { constructor?: { name?: unknown } }).constructor?.name === 'Tensor' ? 'a tensor' : 'an object';
      const shape = (value as { shape?: unknown }).shape;
      if (Array.isArray(shape) && shape.every((d) => typeof d === 'number')) return `${kind} of shape ${fmtShape(shape)}`;
      return kind;
    } catch {
      return 'an object';
    }
  }
  return typeof value;
}
