/**
 * The low-level functions of lib as the package offers them: `kernels`, `alloc`, `keep`,
 * `kernelTensor` and the shape helpers (sizeOf, stridesOf, broadcastShapes, normalizeAxis, …) with
 * their arguments checked. Inside the library the ops call lib's own, unchecked, with arguments
 * they have already checked (these run on every op, so a check there would cost every op); a
 * user calling one (in an op of their own, see docs/vjp-contract.md) gets its preconditions
 * checked first, and an error naming it, the argument and what was expected instead of a
 * TypeError or values read out of bounds. The public entry (index.ts) exports these in place of
 * lib's.
 */
import { ArgumentError, AxisError, ShapeError, callerIn, describe, fmtShape } from './errors';
import * as shapes from './shape';
import { MAX_ELEMENTS, MAX_RANK, Shape, shapeProblem } from './shape';
import { Producer, Tensor, asTensor, kernelTensor as rawKernelTensor } from './tensor';
import { alloc as rawAlloc, keep as rawKeep } from './arena';
import type { MatrixView, ThreadHost, Window2d } from './kernels';

type Fn = (...args: any[]) => unknown;

// ---------------------------------------------------------------------------------------------
// Argument checks, each naming the kernel (`who`) and the argument

function tensorArg(who: string, name: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentError(`${who}: ${name} must be a tensor, got ${describe(v)}`);
  return asTensor(who, v, name);
}

function numberArg(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number') throw new ArgumentError(`${who}: ${name} must be a number, got ${describe(v)}`);
  return v;
}

function intArg(who: string, name: string, v: unknown, min = 0, max = MAX_ELEMENTS): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new ArgumentError(`${who}: ${name} must be an integer in [${min}, ${max}], got ${describe(v)}`);
  }
  return v;
}

function boolArg(who: string, name: string, v: unknown, fallback?: boolean): boolean {
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'boolean') throw new ArgumentError(`${who}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}

function shapeArg(who: string, name: string, v: unknown): number[] {
  const problem = shapeProblem(v);
  if (problem !== null) throw new ArgumentError(`${who}: ${name}: ${problem}`);
  return v as number[];
}

function intListArg(who: string, name: string, v: unknown, length: number): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new ArgumentError(`${who}: ${name} must be ${length} non-negative integers (one per axis), got ${Array.isArray(v) ? fmtShape(v) : describe(v)}`);
  }
  return v;
}

function axisArg(who: string, v: unknown, x: Tensor, name = 'axis'): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= x.rank) {
    const range = x.rank === 0 ? 'a scalar has none' : `expected 0 … ${x.rank - 1}`;
    throw new AxisError(`${who}: ${name} must be an axis (counted from 0) of the tensor of shape ${fmtShape(x.shape)}, ${range}, got ${describe(v)}`);
  }
  return v;
}

function axesArg(who: string, v: unknown, x: Tensor): number[] {
  if (!Array.isArray(v)) throw new AxisError(`${who}: axes must be an array of axes of the tensor of shape ${fmtShape(x.shape)}, got ${describe(v)}`);
  v.forEach((a, i) => axisArg(who, a, x, `axes[${i}]`));
  if (new Set(v).size !== v.length) throw new AxisError(`${who}: axes ${fmtShape(v)} repeat an axis, expected distinct axes`);
  return v;
}

/** Indices as an Int32Array with every value in [0, bound). */
function indicesArg(who: string, name: string, v: unknown, bound: number): Int32Array {
  if (!(v instanceof Int32Array)) throw new ArgumentError(`${who}: ${name} must be an Int32Array, got ${describe(v)}`);
  for (let i = 0; i < v.length; i++) {
    const j = v[i]!;
    if (j < 0 || j >= bound) throw new AxisError(`${who}: ${name}[${i}] is ${j}, expected an index in [0, ${bound - 1}]`);
  }
  return v;
}

function sameShapes(who: string, a: Tensor, b: Tensor, names: [string, string]): void {
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`${who}: ${names[0]} ${fmtShape(a.shape)} and ${names[1]} ${fmtShape(b.shape)} must have the same shape`);
  }
}

function windowArg(who: string, v: unknown): Window2d {
  const w = (v !== null && typeof v === 'object' ? v : null) as Record<string, unknown> | null;
  if (w === null) throw new ArgumentError(`${who}: w must be a window { kH, kW, sH, sW, pH, pW, dH, dW }, got ${describe(v)}`);
  for (const k of ['kH', 'kW', 'sH', 'sW', 'dH', 'dW']) intArg(who, `w.${k}`, w[k], 1);
  for (const k of ['pH', 'pW']) intArg(who, `w.${k}`, w[k], 0);
  return w as unknown as Window2d;
}

function imageArg(who: string, name: string, v: unknown): Tensor {
  const x = tensorArg(who, name, v);
  if (x.rank !== 4) throw new ShapeError(`${who}: ${name} must have shape [N, C, H, W], got ${fmtShape(x.shape)}`);
  return x;
}

function viewArg(who: string, name: string, v: unknown, rows: number, cols: number): MatrixView {
  const m = (v !== null && typeof v === 'object' ? v : null) as Partial<MatrixView> | null;
  if (m === null || !(m.data instanceof Float64Array)) throw new ArgumentError(`${who}: ${name} must be a view { data: Float64Array, offset, rowStride, colStride }, got ${describe(v)}`);
  const offset = intArg(who, `${name}.offset`, m.offset);
  const rs = intArg(who, `${name}.rowStride`, m.rowStride);
  const cs = intArg(who, `${name}.colStride`, m.colStride);
  if (rows > 0 && cols > 0 && offset + (rows - 1) * rs + (cols - 1) * cs >= m.data.length) {
    throw new ShapeError(`${who}: ${name} reads past the end of its data (${m.data.length} values) for a ${rows} × ${cols} matrix at offset ${offset}`);
  }
  return m as MatrixView;
}

function checkedSize(who: string, shape: number[]): number[] {
  shapes.checkSize(who, shape);
  return shape;
}

// ---------------------------------------------------------------------------------------------
// The kernels' preconditions

const unary = (who: string, [x]: unknown[]) => {
  tensorArg(who, 'x', x);
};
const withNumber = (name: string) => (who: string, [x, a]: unknown[]) => {
  tensorArg(who, 'x', x);
  numberArg(who, name, a);
};
const broadcasting = (who: string, [a, b]: unknown[]) => {
  shapes.broadcastShapes(who, tensorArg(who, 'a', a).shape, tensorArg(who, 'b', b).shape);
};
const pairOfSame = (names: [string, string]) => (who: string, [a, b]: unknown[]) => {
  sameShapes(who, tensorArg(who, names[0], a), tensorArg(who, names[1], b), names);
};
const none = (): void => undefined;

/** For each kernel, a check of its arguments (what the ops check before calling it). */
const PRECONDITIONS: Record<string, (who: string, args: unknown[]) => void> = {
  add: broadcasting, sub: broadcasting, mul: broadcasting, div: broadcasting, pow: broadcasting, maximum: broadcasting, minimum: broadcasting,
  greater: broadcasting, equal: broadcasting, less: broadcasting, greaterEqual: broadcasting, lessEqual: broadcasting, notEqual: broadcasting,
  where: (who, [c, a, b]) => {
    const shape = shapes.broadcastShapes(who, tensorArg(who, 'cond', c).shape, tensorArg(who, 'a', a).shape);
    shapes.broadcastShapes(who, shape, tensorArg(who, 'b', b).shape);
  },
  neg: unary, exp: unary, log: unary, sqrt: unary, abs: unary, sign: unary, sin: unary, cos: unary, tanh: unary, sigmoid: unary,
  relu: unary, softplus: unary, positiveMask: unary, erf: unary,
  leakyRelu: withNumber('alpha'), leakyMask: withNumber('alpha'), elu: withNumber('alpha'), scale: withNumber('s'),
  clamp: (who, [x, lo, hi]) => {
    tensorArg(who, 'x', x);
    numberArg(who, 'lo', lo);
    numberArg(who, 'hi', hi);
  },
  clampMask: (who, [x, lo, hi]) => {
    tensorArg(who, 'x', x);
    numberArg(who, 'lo', lo);
    numberArg(who, 'hi', hi);
  },
  bceWithLogits: pairOfSame(['z', 'y']),
  sigmoidBackward: pairOfSame(['g', 'y']),
  tanhBackward: pairOfSame(['g', 'y']),
  erfScalar: (who, [x]) => numberArg(who, 'x', x),
  expm1Scalar: (who, [x]) => numberArg(who, 'x', x),
  reduce: (who, [x, axes, kind]) => {
    axesArg(who, axes, tensorArg(who, 'x', x));
    if (kind !== 'sum' && kind !== 'max' && kind !== 'min') throw new ArgumentError(`${who}: kind must be 'sum', 'max' or 'min', got ${describe(kind)}`);
  },
  logSumExp: (who, [x, axes]) => {
    axesArg(who, axes, tensorArg(who, 'x', x));
  },
  logSoftmax: (who, [x, axis]) => {
    axisArg(who, axis, tensorArg(who, 'x', x));
  },
  softmax: (who, [x, axis]) => {
    axisArg(who, axis, tensorArg(who, 'x', x));
  },
  cumsum: (who, [x, axis, reverse]) => {
    axisArg(who, axis, tensorArg(who, 'x', x));
    boolArg(who, 'reverse', reverse);
  },
  transpose: (who, [x, perm]) => {
    const t = tensorArg(who, 'x', x);
    if (!Array.isArray(perm) || perm.length !== t.rank) throw new AxisError(`${who}: perm must be a permutation of the ${t.rank} axes, got ${describe(perm)}`);
    axesArg(who, perm, t);
  },
  broadcastTo: (who, [x, shape]) => {
    const t = tensorArg(who, 'x', x);
    const s = shapeArg(who, 'shape', shape);
    if (!shapes.broadcastsTo(t.shape, s)) throw new ShapeError(`${who}: a tensor of shape ${fmtShape(t.shape)} does not broadcast to ${fmtShape(s)}`);
  },
  slice: (who, [x, begin, size]) => {
    const t = tensorArg(who, 'x', x);
    const b = intListArg(who, 'begin', begin, t.rank);
    const s = intListArg(who, 'size', size, t.rank);
    t.shape.forEach((d, i) => {
      if (b[i]! + s[i]! > d) throw new AxisError(`${who}: begin ${fmtShape(b)} + size ${fmtShape(s)} runs past the shape ${fmtShape(t.shape)} on axis ${i}`);
    });
  },
  pad: (who, [x, shape, begin]) => {
    const t = tensorArg(who, 'x', x);
    const s = shapeArg(who, 'shape', shape);
    const b = intListArg(who, 'begin', begin, t.rank);
    if (s.length !== t.rank || t.shape.some((d, i) => b[i]! + d > s[i]!)) {
      throw new ShapeError(`${who}: a tensor of shape ${fmtShape(t.shape)} placed at ${fmtShape(b)} does not fit in shape ${fmtShape(s)}`);
    }
  },
  concat: (who, [xs, axis]) => {
    if (!Array.isArray(xs) || xs.length === 0) throw new ArgumentError(`${who}: xs must be a non-empty array of tensors, got ${describe(xs)}`);
    const ts = xs.map((x, i) => tensorArg(who, `xs[${i}]`, x));
    const a = axisArg(who, axis, ts[0]!);
    const first = ts[0]!.shape;
    let total = 0;
    ts.forEach((t, i) => {
      if (t.rank !== first.length || t.shape.some((d, k) => k !== a && d !== first[k])) {
        throw new ShapeError(`${who}: xs[${i}] has shape ${fmtShape(t.shape)}, which does not fit xs[0] ${fmtShape(first)} outside axis ${a}`);
      }
      total += t.shape[a]!;
    });
    checkedSize(who, first.map((d, k) => (k === a ? total : d)));
  },
  takeRows: (who, [x, indices]) => {
    const t = tensorArg(who, 'x', x);
    if (t.rank === 0) throw new ShapeError(`${who}: x must have rows (rank ≥ 1), got a scalar`);
    const list: unknown = indices;
    if (!(list instanceof Int32Array) && !(Array.isArray(list) && list.every((i) => typeof i === 'number' && Number.isInteger(i)))) {
      throw new ArgumentError(`${who}: indices must be an Int32Array or an array of integers, got ${describe(indices)}`);
    }
    const n = t.shape[0]!;
    for (let i = 0; i < list.length; i++) {
      const j = list[i]!;
      if (j < 0 || j >= n) throw new AxisError(`${who}: indices[${i}] is ${j}, expected a row in [0, ${n - 1}]`);
    }
    checkedSize(who, [list.length, ...t.shape.slice(1)]);
  },
  matmul: (who, [a, b, transA, transB]) => {
    const x = tensorArg(who, 'a', a);
    const y = tensorArg(who, 'b', b);
    const ta = boolArg(who, 'transA', transA, false);
    const tb = boolArg(who, 'transB', transB, false);
    if (x.rank < 2 || y.rank < 2) throw new ShapeError(`${who}: a and b must have rank ≥ 2, got ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
    const k = x.shape[x.rank - (ta ? 2 : 1)]!;
    const k2 = y.shape[y.rank - (tb ? 1 : 2)]!;
    if (k !== k2) throw new ShapeError(`${who}: the inner dimensions of ${fmtShape(x.shape)} and ${fmtShape(y.shape)} differ (${k} against ${k2})`);
    const batch = shapes.broadcastShapes(who, x.shape.slice(0, -2), y.shape.slice(0, -2));
    checkedSize(who, [...batch, x.shape[x.rank - (ta ? 1 : 2)]!, y.shape[y.rank - (tb ? 2 : 1)]!]);
  },
  triangle: (who, [x, k, upper]) => {
    const t = tensorArg(who, 'x', x);
    if (t.rank < 2) throw new ShapeError(`${who}: x must have rank ≥ 2, got ${fmtShape(t.shape)}`);
    intArg(who, 'k', k, -MAX_ELEMENTS);
    boolArg(who, 'upper', upper);
  },
  flip: (who, [x, axes]) => {
    axesArg(who, axes, tensorArg(who, 'x', x));
  },
  argExtremum: (who, [x, axis, sign]) => {
    const t = tensorArg(who, 'x', x);
    const a = axisArg(who, axis, t);
    if (t.shape[a] === 0) throw new ShapeError(`${who}: axis ${a} of shape ${fmtShape(t.shape)} is empty; it has no extremum`);
    if (sign !== 1 && sign !== -1) throw new ArgumentError(`${who}: sign must be 1 (argmax) or -1 (argmin), got ${describe(sign)}`);
  },
  takeAxis: (who, [x, indices, indexShape, axis]) => {
    const t = tensorArg(who, 'x', x);
    const a = axisArg(who, axis, t);
    const idx = indicesArg(who, 'indices', indices, t.shape[a]!);
    const s = shapeArg(who, 'indexShape', indexShape);
    if (shapes.sizeOf(s) !== idx.length) throw new ShapeError(`${who}: indexShape ${fmtShape(s)} does not hold the ${idx.length} indices`);
    checkedSize(who, [...t.shape.slice(0, a), ...s, ...t.shape.slice(a + 1)]);
  },
  takeAxisAdd: (who, [g, indices, indexRank, axis, size]) => {
    const t = tensorArg(who, 'g', g);
    const r = intArg(who, 'indexRank', indexRank, 0, MAX_RANK);
    const a = intArg(who, 'axis', axis, 0, MAX_RANK);
    if (a + r > t.rank) throw new AxisError(`${who}: axis ${a} and indexRank ${r} run past the rank ${t.rank} of g`);
    const n = intArg(who, 'size', size);
    const idx = indicesArg(who, 'indices', indices, n);
    if (shapes.sizeOf(t.shape.slice(a, a + r)) !== idx.length) throw new ShapeError(`${who}: g ${fmtShape(t.shape)} does not have the ${idx.length} indices on axes ${a} … ${a + r - 1}`);
    checkedSize(who, [...t.shape.slice(0, a), n, ...t.shape.slice(a + r)]);
  },
  takeAlong: (who, [x, indices, m, axis]) => {
    const t = tensorArg(who, 'x', x);
    const a = axisArg(who, axis, t);
    const count = intArg(who, 'm', m);
    const idx = indicesArg(who, 'indices', indices, t.shape[a]!);
    const shape = t.shape.slice();
    shape[a] = count;
    if (shapes.sizeOf(checkedSize(who, shape)) !== idx.length) throw new ShapeError(`${who}: ${idx.length} indices do not fill the result of shape ${fmtShape(shape)}`);
  },
  takeAlongAdd: (who, [g, indices, axis, size]) => {
    const t = tensorArg(who, 'g', g);
    const a = axisArg(who, axis, t);
    const n = intArg(who, 'size', size);
    const idx = indicesArg(who, 'indices', indices, n);
    if (idx.length !== t.size) throw new ShapeError(`${who}: ${idx.length} indices for g of shape ${fmtShape(t.shape)} (${t.size} values)`);
    const shape = t.shape.slice();
    shape[a] = n;
    checkedSize(who, shape);
  },
  oneHot: (who, [labels, labelShape, classes]) => {
    const c = intArg(who, 'classes', classes, 1);
    const idx = indicesArg(who, 'labels', labels, c);
    const s = shapeArg(who, 'labelShape', labelShape);
    if (shapes.sizeOf(s) !== idx.length) throw new ShapeError(`${who}: labelShape ${fmtShape(s)} does not hold the ${idx.length} labels`);
    checkedSize(who, [...s, c]);
  },
  im2col: (who, [x, w, outH, outW, padValue, positionsFirst]) => {
    const t = imageArg(who, 'x', x);
    const win = windowArg(who, w);
    const L = intArg(who, 'outH', outH) * intArg(who, 'outW', outW);
    numberArg(who, 'padValue', padValue);
    boolArg(who, 'positionsFirst', positionsFirst, false);
    checkedSize(who, [t.shape[0]!, t.shape[1]! * win.kH * win.kW, L]);
  },
  col2im: (who, [cols, C, H, W, w, outH, outW, positionsFirst]) => {
    const t = tensorArg(who, 'cols', cols);
    const [c, h, wd] = [intArg(who, 'C', C), intArg(who, 'H', H), intArg(who, 'W', W)];
    const win = windowArg(who, w);
    const L = intArg(who, 'outH', outH) * intArg(who, 'outW', outW);
    const first = boolArg(who, 'positionsFirst', positionsFirst, false);
    const rows = c * win.kH * win.kW;
    const ok = first
      ? t.rank === 2 && t.shape[1] === rows && L > 0 && t.shape[0]! % L === 0
      : t.rank === 3 && t.shape[1] === rows && t.shape[2] === L;
    if (!ok) throw new ShapeError(`${who}: cols must have shape ${first ? `[N·${L}, ${rows}]` : `[N, ${rows}, ${L}]`} for these windows, got ${fmtShape(t.shape)}`);
    checkedSize(who, [first ? t.shape[0]! / L : t.shape[0]!, c, h, wd]);
  },
  windowCount: (who, [n, k, s, p, d]) => {
    intArg(who, 'n', n);
    intArg(who, 'k', k, 1);
    intArg(who, 's', s, 1);
    intArg(who, 'p', p);
    intArg(who, 'd', d, 1);
  },
  maxPool: (who, [x, w, outH, outW]) => {
    const t = imageArg(who, 'x', x);
    windowArg(who, w);
    checkedSize(who, [t.shape[0]!, t.shape[1]!, intArg(who, 'outH', outH), intArg(who, 'outW', outW)]);
  },
  gatherFlat: (who, [x, indices, shape]) => {
    const t = tensorArg(who, 'x', x);
    const idx = indicesArg(who, 'indices', indices, t.size);
    const s = shapeArg(who, 'shape', shape);
    if (shapes.sizeOf(s) !== idx.length) throw new ShapeError(`${who}: shape ${fmtShape(s)} does not hold the ${idx.length} gathered values`);
  },
  scatterAddFlat: (who, [g, indices, shape, size]) => {
    const t = tensorArg(who, 'g', g);
    const n = intArg(who, 'size', size);
    const idx = indicesArg(who, 'indices', indices, n);
    if (idx.length !== t.size) throw new ShapeError(`${who}: ${idx.length} indices for g of shape ${fmtShape(t.shape)} (${t.size} values)`);
    const s = shapeArg(who, 'shape', shape);
    if (shapes.sizeOf(s) !== n) throw new ShapeError(`${who}: shape ${fmtShape(s)} does not have size ${n}`);
  },
  gemm: (who, [m, n, k, A, B, C, cOffset, accumulate]) => {
    const [rows, cols, depth] = [intArg(who, 'm', m), intArg(who, 'n', n), intArg(who, 'k', k)];
    viewArg(who, 'A', A, rows, depth);
    viewArg(who, 'B', B, depth, cols);
    if (!(C instanceof Float64Array)) throw new ArgumentError(`${who}: C must be a Float64Array, got ${describe(C)}`);
    const at = intArg(who, 'cOffset', cOffset);
    if (at + rows * cols > C.length) throw new ShapeError(`${who}: C (${C.length} values) has no room for a ${rows} × ${cols} result at offset ${at}`);
    boolArg(who, 'accumulate', accumulate, false);
  },
  setParallel: (who, [on]) => boolArg(who, 'on', on),
  useSimd: (who, [on]) => boolArg(who, 'on', on),
  setThreadHost: (who, [next]) => {
    if (next === null) return;
    const h = (typeof next === 'object' ? next : null) as Partial<ThreadHost> | null;
    if (h === null || typeof h.name !== 'string' || typeof h.start !== 'function' || typeof h.cores !== 'number' || !Number.isSafeInteger(h.cores) || h.cores < 1) {
      throw new ArgumentError(`${who}: next must be a thread host { name, cores, start(signal) } or null, got ${describe(next)}`);
    }
  },
  parallelThreads: none, simdAvailable: none, usingSimd: none, kernelInfo: none, ready: none,
};

/**
 * A kernel that checks its arguments first (with the precondition PRECONDITIONS gives it), with
 * the kernel's name and type. A kernel without one is returned as it is.
 */
export function checkedKernel<F extends Fn>(name: string, kernel: F): F {
  const who = `kernels.${name}`;
  const check = Object.prototype.hasOwnProperty.call(PRECONDITIONS, name) ? PRECONDITIONS[name]! : null;
  if (check === null) return kernel;
  return {
    [name](...args: unknown[]) {
      check(who, args);
      return kernel(...args);
    },
  }[name] as F;
}

/** The kernels that have a precondition here (the public-surface fuzz checks that every kernel has one). */
export function checkedKernelNames(): string[] {
  return Object.keys(PRECONDITIONS);
}

/** A zeroed buffer of n values: recycled inside tidy, fresh outside (see tidy). */
export function alloc(n: number, op = 'alloc', shape?: readonly number[]): Float64Array {
  intArg('alloc', 'n', n);
  if (typeof op !== 'string') throw new ArgumentError(`alloc: op (the name for messages) must be a string, got ${describe(op)}`);
  if (shape !== undefined && shapes.sizeOf(shapeArg('alloc', 'shape', shape)) !== n) throw new ShapeError(`alloc: shape ${fmtShape(shape)} does not have ${n} elements`);
  return rawAlloc(n, op, shape);
}

/** Keeps t (and its buffer) alive past the innermost tidy scope; returns t. */
export function keep<T extends Tensor>(t: T): T {
  return rawKeep(tensorArg('keep', 't', t) as T);
}

/**
 * A tensor over `data` (not copied) with `shape`, as a kernel makes its result; from the public
 * entry its arguments are checked, since a user's call is not a kernel's.
 */
export function kernelTensor(data: Float64Array, shape: readonly number[], producer: Producer | null = null): Tensor {
  if (!(data instanceof Float64Array)) throw new ArgumentError(`kernelTensor: data must be a Float64Array, got ${describe(data)}`);
  const s = shapeArg('kernelTensor', 'shape', shape);
  if (shapes.sizeOf(s) !== data.length) throw new ShapeError(`kernelTensor: ${data.length} values do not fill shape ${fmtShape(s)}`);
  if (producer !== null && (typeof producer !== 'object' || typeof (producer as Partial<Producer>).id !== 'number')) {
    throw new ArgumentError(`kernelTensor: producer must be a graph node or null, got ${describe(producer)}`);
  }
  return rawKernelTensor(data, s.slice(), producer);
}

// ---------------------------------------------------------------------------------------------
// The shape helpers

/** A shape given to a helper: at most MAX_RANK non-negative integers, of any size. */
function shapeIn(who: string, name: string, shape: unknown): Shape {
  if (!Array.isArray(shape)) throw new ArgumentError(`${who}: ${name} must be a shape (an array of non-negative integers), got ${describe(shape)}`);
  if (shape.length > MAX_RANK) throw new ArgumentError(`${who}: ${name} must have at most ${MAX_RANK} dimensions, got ${shape.length}`);
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new ArgumentError(`${who}: ${name} must hold non-negative integers, got ${describe(d)} at index ${i} of ${fmtShape(shape)}`);
    }
  }
  return shape;
}

function rankIn(who: string, rank: unknown): number {
  if (typeof rank !== 'number' || !Number.isSafeInteger(rank) || rank < 0 || rank > MAX_RANK) {
    throw new ArgumentError(`${who}: rank must be an integer in [0, ${MAX_RANK}], got ${describe(rank)}`);
  }
  return rank;
}

/** Number of elements of a shape (1 for a scalar, shape []). */
export function sizeOf(shape: Shape): number {
  return shapes.sizeOf(shapeIn('sizeOf', 'shape', shape));
}

/** Row-major strides: the last dimension is contiguous. */
export function stridesOf(shape: Shape): number[] {
  return shapes.stridesOf(shapeIn('stridesOf', 'shape', shape));
}

export function sameShape(a: Shape, b: Shape): boolean {
  return shapes.sameShape(shapeIn('sameShape', 'a', a), shapeIn('sameShape', 'b', b));
}

/** Throws naming `op` when a shape is too large (more than MAX_RANK dimensions or MAX_ELEMENTS elements). */
export function checkSize(op: string, shape: Shape): void {
  shapes.checkSize(callerIn('checkSize', op), shapeIn('checkSize', 'shape', shape));
}

/** Checks a single size argument (eye's n, arange's n): a non-negative integer within MAX_ELEMENTS. */
export function checkDim(op: string, name: string, value: unknown): number {
  callerIn('checkDim', op);
  if (typeof name !== 'string') throw new ArgumentError(`checkDim: name (of the argument, for messages) must be a string, got ${describe(name)}`);
  return shapes.checkDim(op, name, value);
}

/** Checks that `shape` is a valid shape (see shapeProblem); `op` names the caller in the error. */
export function checkShape(op: string, shape: unknown): number[] {
  return shapes.checkShape(callerIn('checkShape', op), shape);
}

/** The NumPy broadcast of two shapes: align on the right; each pair of dimensions must be equal or contain a 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  callerIn('broadcastShapes', op);
  return shapes.broadcastShapes(op, shapeIn(op, 'the first shape', a), shapeIn(op, 'the second shape', b));
}

/** True when `from` broadcasts to exactly `to` (what broadcastTo and sumTo require). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  return shapes.broadcastsTo(shapeIn('broadcastsTo', 'from', from), shapeIn('broadcastsTo', 'to', to));
}

/** Strides for reading a tensor of shape `shape` as if it had shape `target`: broadcast dimensions get stride 0. */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  if (!shapes.broadcastsTo(shapeIn('broadcastStrides', 'shape', shape), shapeIn('broadcastStrides', 'target', target))) {
    throw new ShapeError(`broadcastStrides: shape ${fmtShape(shape)} does not broadcast to ${fmtShape(target)}`);
  }
  return shapes.broadcastStrides(shape, target);
}

/** Normalises one axis (negative counts from the end) against a rank, or throws naming the op. */
export function normalizeAxis(op: string, axis: unknown, rank: number): number {
  callerIn('normalizeAxis', op);
  return shapes.normalizeAxis(op, axis, rankIn('normalizeAxis', rank));
}

/** Normalises `axes` (a number, a list, or undefined for all axes) to a sorted list of distinct non-negative axes. */
export function normalizeAxes(op: string, axes: unknown, rank: number): number[] {
  callerIn('normalizeAxes', op);
  return shapes.normalizeAxes(op, axes, rankIn('normalizeAxes', rank));
}

/** The shape left after reducing `axes`, with 1s in their place when `keepDims`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  shapeIn('reducedShape', 'shape', shape);
  if (!Array.isArray(axes) || axes.some((a) => typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= shape.length)) {
    throw new AxisError(`reducedShape: axes must be an array of axes in [0, ${shape.length - 1}] (normalised, as normalizeAxes gives them), got ${Array.isArray(axes) ? fmtShape(axes) : describe(axes)}`);
  }
  if (typeof keepDims !== 'boolean') throw new ArgumentError(`reducedShape: keepDims must be true or false, got ${describe(keepDims)}`);
  return shapes.reducedShape(shape, axes, keepDims);
}
