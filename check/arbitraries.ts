/**
 * fast-check arbitraries for property-checking gradients: shapes, broadcastable and matmul pairs,
 * tensors with values in a domain, whole op cases from a registry domain, and random op graphs
 * with shared sub-expressions. Everything shrinks: a failure reduces to a small case.
 */
import fc from 'fast-check';
import { ArgumentError, Tensor, checkShape, describe, fmtShape, isCallable, shapeProblem, sizeOf, within } from '../lib';
import { numberIn, optionsIn } from '../lib/args';
import { Domain, Pick, ValueRange } from '../ops';

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  minDim?: number;
  maxDim?: number;
}

/** Options of an arbitrary: an object whose named entries are integers ≥ 0 with each min ≤ its max. */
function integerOptions(who: string, options: unknown, names: readonly string[]): Record<string, number | undefined> {
  const o = optionsIn(who, options);
  for (const name of names) if (o[name] !== undefined) numberIn(who, name, o[name], { min: 0, max: 64, integer: true });
  return o as Record<string, number | undefined>;
}

function checkOrder(who: string, lo: number, hi: number, loName: string, hiName: string): void {
  if (lo > hi) throw new ArgumentError(`${who}: ${loName} ${lo} exceeds ${hiName} ${hi}`);
}

/** Shapes of rank minRank…maxRank (default 0–3) with dimensions minDim…maxDim (default 1–3). */
export function shapes(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 3, minDim = 1, maxDim = 3 } = integerOptions('shapes', options, ['minRank', 'maxRank', 'minDim', 'maxDim']);
  checkOrder('shapes', minRank, maxRank, 'minRank', 'maxRank');
  checkOrder('shapes', minDim, maxDim, 'minDim', 'maxDim');
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** Two shapes that broadcast together: a common shape with some dimensions set to 1 or dropped from the front. */
export function broadcastablePair(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  const o = integerOptions('broadcastablePair', options, ['minRank', 'maxRank', 'minDim', 'maxDim']);
  checkOrder('broadcastablePair', o.minRank ?? 0, o.maxRank ?? 3, 'minRank', 'maxRank');
  checkOrder('broadcastablePair', o.minDim ?? 1, o.maxDim ?? 3, 'minDim', 'maxDim');
  return shapes(options).chain((base) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
        fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
        fc.integer({ min: 0, max: base.length }),
        fc.boolean(),
      )
      .map(([onesA, onesB, drop, dropFromA]): [number[], number[]] => {
        let a = base.map((d, i) => (onesA[i] ? 1 : d));
        let b = base.map((d, i) => (onesB[i] && !onesA[i] ? 1 : d));
        if (dropFromA) a = a.slice(drop);
        else b = b.slice(drop);
        return [a, b];
      }),
  );
}

/** [..., n, k] and [..., k, m], with batch axes (rank 0–2) that broadcast. */
export function matmulPair(options: { maxDim?: number; maxBatchRank?: number } = {}): fc.Arbitrary<[number[], number[]]> {
  const o = integerOptions('matmulPair', options, ['maxDim', 'maxBatchRank']);
  checkOrder('matmulPair', 1, o.maxDim ?? 3, 'the least dimension', 'maxDim');
  const dim = fc.integer({ min: 1, max: o.maxDim ?? 3 });
  return fc
    .tuple(broadcastablePair({ maxRank: o.maxBatchRank ?? 2, maxDim: 2 }), dim, dim, dim)
    .map(([[ba, bb], n, k, m]): [number[], number[]] => [[...ba, n, k], [...bb, k, m]]);
}

/** A value in a range, kept `margin` away from the range's `avoid` points. */
function valueIn(range: ValueRange): fc.Arbitrary<number> {
  const margin = range.margin ?? 0.1;
  return fc.double({ min: range.min, max: range.max, noNaN: true, noDefaultInfinity: true }).map((v) => {
    for (const p of range.avoid ?? []) {
      if (Math.abs(v - p) < margin) v = v >= p ? p + margin : p - margin;
    }
    return v;
  });
}

/** A tensor of the given shape (or shapes) with values in `range` (default [−3, 3]). */
export function tensorOf(shape: readonly number[] | fc.Arbitrary<number[]>, range: ValueRange = { min: -3, max: 3 }): fc.Arbitrary<Tensor> {
  if (!Array.isArray(shape) && !(shape instanceof fc.Arbitrary)) {
    throw new ArgumentError(`tensorOf: shape must be a shape or an arbitrary of shapes, got ${describe(shape)}`);
  }
  const shapeArb = Array.isArray(shape) ? fc.constant(checkShape('tensorOf', shape)) : (shape as fc.Arbitrary<number[]>);
  const r: Partial<ValueRange> | null = typeof range === 'object' ? range : null;
  if (r === null || typeof r.min !== 'number' || typeof r.max !== 'number' || !Number.isFinite(r.min) || !Number.isFinite(r.max) || r.min > r.max) {
    throw new ArgumentError(`tensorOf: range must be { min, max } with finite min ≤ max, got ${describe(range)}`);
  }
  return shapeArb.chain((s) =>
    fc.array(valueIn(range), { minLength: sizeOf(s), maxLength: sizeOf(s) }).map((v) => new Tensor(Float64Array.from(v), s)),
  );
}

/** Shapes for the inputs of a domain. */
function inputShapes(domain: Domain): fc.Arbitrary<number[][]> {
  if (typeof domain.shapes === 'object') return fc.constantFrom(...domain.shapes.oneOf).map((set) => set.map((shape) => [...shape]));
  switch (domain.shapes) {
    case 'broadcastable':
      return broadcastablePair();
    case 'matmul':
      return matmulPair();
    case 'matrix':
      return fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 4 })).map(([n, c]) => Array.from({ length: domain.arity }, () => [n, c]));
    case 'any':
      return shapes().map((s) => Array.from({ length: domain.arity }, () => s));
  }
}

/**
 * Values on a grid of step 0.05 within a range, pairwise distinct: ops that compare values see no
 * ties or near-ties, which would put a finite difference across a kink.
 */
function distinctValues(count: number, range: ValueRange): fc.Arbitrary<number[]> {
  const steps = Math.floor((range.max - range.min) / 0.05);
  return fc.uniqueArray(fc.integer({ min: 0, max: steps }), { minLength: count, maxLength: count }).map((ks) => ks.map((k) => range.min + k * 0.05));
}

/** One generated call of an op: its inputs and the choices for its other arguments. */
export interface OpCase {
  inputs: Tensor[];
  choices: number[];
}

/** A Pick that reads choices in order (0 once they run out), so shrinking choices toward 0 simplifies the call. */
export function pickFrom(choices: readonly number[]): Pick {
  if (!Array.isArray(choices) || !choices.every((c) => typeof c === 'number' && Number.isSafeInteger(c) && c >= 0)) {
    throw new ArgumentError(`pickFrom: choices must be an array of non-negative integers, got ${Array.isArray(choices) ? fmtShape(choices) : describe(choices)}`);
  }
  const list = choices.slice();
  let next = 0;
  const draw = (): number => list[next++] ?? 0;
  return {
    int: (lo, hi) => {
      if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) {
        throw new ArgumentError(`pickFrom: int(lo, hi) needs integers lo ≤ hi, got ${describe(lo)} and ${describe(hi)}`);
      }
      return lo + (draw() % (hi - lo + 1));
    },
    unit: () => (draw() % 1000) / 1000,
  };
}

/** Checks a value range of a domain: finite min ≤ max, avoid a list of finite numbers, margin ≥ 0. */
function checkRange(who: string, name: string, r: unknown): void {
  const o = (r !== null && typeof r === 'object' ? r : null) as Partial<ValueRange> | null;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const ok = o !== null && finite(o.min) && finite(o.max) && o.min! <= o.max! &&
    (o.avoid === undefined || (Array.isArray(o.avoid) && o.avoid.every(finite))) &&
    (o.margin === undefined || (finite(o.margin) && o.margin! >= 0));
  if (!ok) throw new ArgumentError(`${who}: ${name} must be { min, max, avoid?, margin? } with finite min ≤ max, got ${describe(r)}`);
}

const SHAPE_KINDS = ['any', 'broadcastable', 'matmul', 'matrix'];

/** Checks a test domain (see ops/domain.ts), naming the field that is wrong. */
function checkDomain(who: string, domain: unknown): asserts domain is Domain {
  if (domain === null || typeof domain !== 'object' || Array.isArray(domain)) {
    throw new ArgumentError(`${who}: expected a domain { arity, shapes, values, distinct?, call? }, got ${describe(domain)}`);
  }
  const d = domain as Partial<Domain>;
  const arity: unknown = d.arity;
  if (typeof arity !== 'number' || !Number.isSafeInteger(arity) || arity < 0 || arity > 16) {
    throw new ArgumentError(`${who}: the domain's arity must be an integer in [0, 16], got ${describe(arity)}`);
  }
  const shapes: unknown = d.shapes;
  if (typeof shapes === 'string') {
    if (!SHAPE_KINDS.includes(shapes)) throw new ArgumentError(`${who}: the domain's shapes must be one of ${SHAPE_KINDS.map((k) => `'${k}'`).join(', ')} or { oneOf }, got ${describe(shapes)}`);
    if ((shapes === 'broadcastable' || shapes === 'matmul') && arity !== 2) throw new ArgumentError(`${who}: '${shapes}' shapes are for two inputs, got arity ${arity}`);
  } else {
    const oneOf: unknown = shapes !== null && typeof shapes === 'object' ? (shapes as { oneOf?: unknown }).oneOf : undefined;
    if (!Array.isArray(oneOf) || oneOf.length === 0) throw new ArgumentError(`${who}: the domain's shapes must be one of ${SHAPE_KINDS.map((k) => `'${k}'`).join(', ')} or { oneOf: [[shape, …], …] }, got ${describe(shapes)}`);
    oneOf.forEach((set: unknown, i) => {
      if (!Array.isArray(set) || set.length !== arity) throw new ArgumentError(`${who}: shapes.oneOf[${i}] must list ${arity} shapes (one per input), got ${describe(set)}`);
      set.forEach((shape: unknown, k) => {
        const problem = shapeProblem(shape);
        if (problem !== null) throw new ArgumentError(`${who}: shapes.oneOf[${i}][${k}]: ${problem}`);
      });
    });
  }
  const values: unknown = d.values;
  if (Array.isArray(values)) {
    if (values.length < arity) throw new ArgumentError(`${who}: the domain's values must give a range per input (${arity}), got ${values.length}`);
    values.forEach((r, i) => checkRange(who, `values[${i}]`, r));
  } else checkRange(who, 'the domain\'s values', values);
  if (d.distinct !== undefined && typeof d.distinct !== 'boolean') throw new ArgumentError(`${who}: the domain's distinct must be true or false, got ${describe(d.distinct)}`);
  if (d.call !== undefined && !isCallable(d.call)) throw new ArgumentError(`${who}: the domain's call must be a function (inputs, pick) => tensor, got ${describe(d.call)}`);
}

/** Random calls of an op within its domain. */
export function opCase(domain: Domain): fc.Arbitrary<OpCase> {
  checkDomain('opCase', domain);
  const ranges = (i: number): ValueRange => (Array.isArray(domain.values) ? domain.values[i] : domain.values) as ValueRange;
  const choices = fc.array(fc.nat({ max: 1 << 20 }), { maxLength: 64 });
  return inputShapes(domain).chain((ss) => {
    const values: fc.Arbitrary<Tensor[]> = domain.distinct
      ? distinctValues(ss.reduce((n, s) => n + sizeOf(s), 0), ranges(0)).map((all) => {
          let offset = 0;
          return ss.map((s) => {
            const t = new Tensor(Float64Array.from(all.slice(offset, offset + sizeOf(s))), s);
            offset += sizeOf(s);
            return t;
          });
        })
      : fc.tuple(...ss.map((s, i) => tensorOf(s, ranges(i))));
    return fc.record({ inputs: values, choices });
  });
}

/** Calls the op of a registry-like entry on a generated case. */
export function callCase(entry: { fn: (...args: any[]) => Tensor; domain: Domain }, c: OpCase): (...inputs: Tensor[]) => Tensor {
  if (entry === null || typeof entry !== 'object' || !isCallable(entry.fn)) {
    throw new ArgumentError(`callCase: expected a registry entry { fn, domain }, got ${describe(entry)}`);
  }
  checkDomain('callCase', entry.domain);
  const choices: unknown = c !== null && typeof c === 'object' ? c.choices : undefined;
  if (!Array.isArray(choices)) throw new ArgumentError(`callCase: expected a case { inputs, choices } from opCase, got ${describe(c)}`);
  within('callCase', 'the case', () => pickFrom(choices));
  const { fn, domain } = entry;
  return (...inputs: Tensor[]) => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new ArgumentError(`callCase: input ${i} must be a tensor, got ${describe(x)}`);
    });
    return domain.call ? domain.call(inputs, pickFrom(choices)) : fn(...inputs);
  };
}
