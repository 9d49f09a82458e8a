/**
 * The tensor: float64 data in row-major order with a shape. Immutable from the user's side: ops
 * return new tensors and never write into their inputs.
 */
import { ArgumentError, DeltaGraphError, GraphError, ShapeError, callerIn, describe, fmtShape } from './errors';
import { tidyScope, track } from './arena';
import { checkBytes, checkTensorBytes } from './memory';
import { MAX_RANK, Shape, checkDim, checkShape, shapeProblem, sizeOf } from './shape';

/** A (possibly nested) array of numbers, as `toArray` returns it. */
export type NestedArray = number | NestedArray[];

/** What `tensor` accepts: a number or (possibly readonly) nested arrays of numbers. */
export type NestedInput = number | readonly NestedInput[];

/**
 * The edge into the graph: the node that produced a tensor. lib/ only needs its identity; the
 * engine (graph/) defines what a node holds.
 */
export interface Producer {
  readonly id: number;
}

const TRUSTED: unique symbol = Symbol('trusted');

/**
 * A tensor from a kernel or the engine, skipping the constructor's checks: `shape` must be a fresh
 * array of non-negative integers (it is frozen, not copied) whose product is data.length.
 */
export function kernelTensor(data: Float64Array, shape: Shape, producer: Producer | null = null): Tensor {
  return new Tensor(data, shape, producer, producer !== null, TRUSTED);
}

/** What a disposed tensor holds instead of its values. */
const DISPOSED = new Float64Array(0);

export class Tensor {
  readonly shape: readonly number[];
  private values: Float64Array;
  /** The node that computed this tensor, when it was recorded into a graph. */
  readonly producer: Producer | null;
  /** True for parameters (leaves that want a gradient) and for every recorded result. */
  readonly requiresGrad: boolean;

  constructor(data: Float64Array, shape: Shape, producer: Producer | null = null, requiresGrad = producer !== null, trusted?: typeof TRUSTED) {
    if (trusted === TRUSTED) {
      // Kernels build shapes themselves and hand over a fresh array: no checks, no copy.
      this.values = data;
      this.shape = Object.isFrozen(shape) ? shape : Object.freeze(shape as number[]);
      this.producer = producer;
      this.requiresGrad = requiresGrad;
      track(this);
      return;
    }
    if (!(data instanceof Float64Array)) {
      throw new ArgumentError(`Tensor: data must be a Float64Array, got ${describe(data)}`);
    }
    const problem = shapeProblem(shape);
    if (problem !== null) throw new ArgumentError(`Tensor: ${problem}`);
    if (data.length !== sizeOf(shape)) {
      throw new ArgumentError(`Tensor: ${data.length} values do not fill shape ${fmtShape(shape)} (${sizeOf(shape)} elements)`);
    }
    this.values = data;
    this.shape = Object.freeze(shape.slice());
    this.producer = producer;
    this.requiresGrad = requiresGrad;
    track(this);
  }

  /** The values, row-major. */
  get data(): Float64Array {
    const values = this.values;
    if (values === DISPOSED) {
      throw new GraphError(
        `tensor of shape ${fmtShape(this.shape)}: its values were released when the tidy scope that made it ended; return it from the scope or keep(t) it to use it afterwards`,
      );
    }
    return values;
  }

  /** Releases the values (tidy calls this); returns the buffer, or null if already released. */
  dispose(): Float64Array | null {
    const values = this.values;
    if (values === DISPOSED) return null;
    this.values = DISPOSED;
    return values;
  }

  /** True once the tensor's values were released by tidy. */
  get disposed(): boolean {
    return this.values === DISPOSED;
  }

  get size(): number {
    return this.data.length;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.values === DISPOSED) throw releasedError('item', this, 'the tensor');
    if (this.data.length !== 1) {
      throw new ShapeError(`item: expected a tensor with one element, got shape ${fmtShape(this.shape)}`);
    }
    return this.data[0]!;
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this.values === DISPOSED) throw releasedError('toArray', this, 'the tensor');
    if (this.shape.length === 0) return this.data[0]!;
    let flat: NestedArray[] = Array.from(this.data);
    for (let axis = this.shape.length - 1; axis > 0; axis--) {
      const n = this.shape[axis]!;
      const grouped: NestedArray[] = [];
      for (let i = 0; i < flat.length; i += n) grouped.push(flat.slice(i, i + n));
      flat = grouped;
    }
    return flat;
  }

  toString(): string {
    if (this.values === DISPOSED) return `tensor(<released>, shape=${fmtShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
    // Numbers are rendered here rather than by JSON, which would print NaN and ±∞ as null.
    const render = (v: NestedArray): string => (Array.isArray(v) ? `[${v.map(render).join(',')}]` : String(Number(v.toPrecision(6))));
    const body = render(this.toArray());
    return `tensor(${body}, shape=${fmtShape(this.shape)}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

/** The error for reading a disposed tensor, naming the op that read it. */
function releasedError(op: string, t: Tensor, argName: string): GraphError {
  return new GraphError(
    `${op}: ${argName} (a tensor of shape ${fmtShape(t.shape)}) was released when the tidy scope that made it ended; return it from the scope or keep(t) it to use it afterwards`,
  );
}

/**
 * Flattens a nested array, checking that it is rectangular and holds only numbers. The walk keeps
 * an explicit stack of indices, so deep or large inputs cannot overflow the call stack, and the
 * depth is bounded, so an array that contains itself is an error rather than an endless loop.
 */
function flatten(data: readonly unknown[]): { values: Float64Array; shape: number[] } {
  const shape: number[] = [];
  let probe: unknown = data;
  while (Array.isArray(probe)) {
    if (shape.length === MAX_RANK) {
      throw new ArgumentError(`tensor: nested arrays deeper than ${MAX_RANK} levels (or an array containing itself), expected at most ${MAX_RANK}`);
    }
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const problem = shapeProblem(shape);
  if (problem !== null) throw new ArgumentError(`tensor: ${problem}`);
  checkTensorBytes('tensor', shape);
  const values = new Float64Array(sizeOf(shape));
  const rank = shape.length;
  const arrays: (readonly unknown[])[] = [data];
  const index: number[] = [0];
  let k = 0;
  while (arrays.length > 0) {
    const depth = arrays.length - 1;
    const node = arrays[depth]!;
    const i = index[depth]!;
    if (i === node.length) {
      arrays.pop();
      index.pop();
      if (depth > 0) index[depth - 1]!++;
      continue;
    }
    const child: unknown = node[i];
    if (depth + 1 === rank) {
      if (typeof child !== 'number') {
        throw new ArgumentError(`tensor: expected a number at index [${index.join(', ')}], got ${describe(child)}`);
      }
      values[k++] = child;
      index[depth] = i + 1;
    } else if (Array.isArray(child) && child.length === shape[depth + 1]) {
      arrays.push(child);
      index.push(0);
    } else {
      throw new ArgumentError(
        `tensor: ragged nested array: at index [${index.join(', ')}] expected an array of length ${shape[depth + 1]}, got ${describe(child)}`,
      );
    }
  }
  return { values, shape };
}

/** Anything the ops accept where a tensor is expected. */
export type TensorLike = Tensor | NestedInput | Float64Array;

/**
 * Creates a tensor from a number, a nested array or a Float64Array (then `shape` is required
 * unless the data is 1-D). A given `shape` must match the number of values.
 */
export function tensor(data: TensorLike, shape?: readonly number[]): Tensor {
  if (data instanceof Tensor) return shape === undefined ? data : tensor(asTensor('tensor', data, 'data').data.slice(), shape);
  let values: Float64Array;
  let inferred: number[];
  if (data instanceof Float64Array) {
    values = data;
    inferred = [data.length];
  } else if (typeof data === 'number') {
    values = Float64Array.of(data);
    inferred = [];
  } else if (Array.isArray(data)) {
    const flat = flatten(data);
    values = flat.values;
    inferred = flat.shape;
  } else {
    throw new ArgumentError(`tensor: expected a number, a nested array of numbers or a Float64Array, got ${describe(data)}`);
  }
  const finalShape = shape === undefined ? inferred : checkShape('tensor', shape);
  if (sizeOf(finalShape) !== values.length) {
    throw new ArgumentError(
      `tensor: ${values.length} values cannot take shape ${fmtShape(finalShape)} (${sizeOf(finalShape)} elements)`,
    );
  }
  return new Tensor(values, finalShape);
}

/** Coerces an op argument to a tensor, naming the op and the argument when it cannot. */
export function asTensor(op: string, value: unknown, argName = 'input'): Tensor {
  if (value instanceof Tensor) {
    if (value.disposed) throw releasedError(callerIn('asTensor', op), value, argName);
    return value;
  }
  callerIn('asTensor', op);
  if (typeof argName !== 'string') throw new ArgumentError(`asTensor: argName (for messages) must be a string, got ${describe(argName)}`);
  if (typeof value === 'number' || Array.isArray(value) || value instanceof Float64Array) {
    try {
      return tensor(value as TensorLike);
    } catch (e) {
      if (e instanceof DeltaGraphError) throw new ArgumentError(`${op}: ${argName}: ${e.message}`);
      throw e;
    }
  }
  throw new ArgumentError(`${op}: ${argName} must be a tensor, a number or a nested array of numbers, got ${describe(value)}`);
}

/** A tensor of the given shape filled with `value`. */
export function full(shape: readonly number[], value: number): Tensor {
  const s = checkShape('full', shape);
  if (typeof value !== 'number') throw new ArgumentError(`full: the fill value must be a number, got ${describe(value)}`);
  checkTensorBytes('full', s);
  return new Tensor(new Float64Array(sizeOf(s)).fill(value), s);
}

export function zeros(shape: readonly number[]): Tensor {
  const s = checkShape('zeros', shape);
  checkTensorBytes('zeros', s);
  return new Tensor(new Float64Array(sizeOf(s)), s);
}

export function ones(shape: readonly number[]): Tensor {
  const s = checkShape('ones', shape);
  checkTensorBytes('ones', s);
  return full(s, 1);
}

/** The n×n identity matrix. */
export function eye(n: number): Tensor {
  checkShape('eye', [checkDim('eye', 'n', n), n]);
  checkTensorBytes('eye', [n, n]);
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return new Tensor(data, [n, n]);
}

/** 0, 1, …, n − 1 as a vector. */
export function arange(n: number): Tensor {
  checkDim('arange', 'n', n);
  checkBytes('arange', [n], 8 * n);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  return new Tensor(data, [n]);
}

/**
 * A leaf of the graph that requires a gradient: shares the values of `t`, with no history.
 * This is what a weight or an input one differentiates with respect to.
 */
export function param(t: TensorLike): Tensor {
  const base = asTensor('param', t);
  return new Tensor(base.data, base.shape, null, true);
}

/** The same values with no graph history: the result is a constant. */
export function detach(t: Tensor): Tensor {
  const base = asTensor('detach', t);
  return new Tensor(base.data, base.shape, null, false);
}

/**
 * Runs fn and then releases every tensor it created except those it returns (also inside arrays
 * or plain objects) or passed to keep; their buffers are reused by the next tensors of the same
 * size. This is how a training step avoids allocating tensor storage after its first run.
 */
export function tidy<T>(fn: () => T): T {
  return tidyScope(fn, (v): v is Tensor => v instanceof Tensor);
}
