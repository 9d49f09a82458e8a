/**
 * The fuzzer of the public surface: every export of every public entry (the root, nn, check,
 * expr, viz and the Node face), every method of every exported class (found by walking the
 * prototypes, on instances built from a table of valid constructor arguments), the functions of
 * exported namespaces (kernels, ACTIVATIONS, METRICS) and the closures that calls return (grad,
 * vjp's pullback, fromExpression, initializer, …), each called with seeded random wrong
 * arguments. A call must return, or throw a subclass of DeltaGraphError whose message names the
 * callee, within a second.
 *
 * Arguments come from two pools: wild values, wrong for nearly everything (NaN, symbols,
 * released tensors, proxies that throw, prototype-pollution keys, arrays nested 100,000 deep…),
 * and plausible ones (small tensors, graphs, models, options objects whose keys are the names the
 * callee's own source mentions). A call either draws every argument at random or mutates a
 * known-good call: one from the tables here or one that an earlier call of the same callee found
 * (a call that returned normally becomes a seed for later ones), so checks deep inside a callee
 * are reached too.
 *
 * Errors a user's own code throws are passed through untouched, not judged: those of the
 * functions and proxies the fuzzer hands in are marked, and a call may end with one of them.
 */
import { appendFileSync, readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import * as root from '../../index';
import * as nnEntry from '../../nn';
import * as checkEntry from '../../check';
import * as exprEntry from '../../expr';
import * as vizEntry from '../../viz';
import * as nodeEntry from '../../node';
import {
  Adam, BatchNorm, Conv2d, DeltaGraphError, GPT, Gradients, Linear, MLP, Module, Node, ReLU, Rng, SGD, Sequential, Sigmoid, Tensor,
  backward, fit, isRecording, matmul, mul, nodeOf, param, randn, sum, tensor, tidy, zeros, MSELoss, gradcheck, GradcheckError,
} from '../../node';
import { show } from './fuzz-harness';
import { tinyMlp } from '../interop/onnx-builder';

// ---------------------------------------------------------------------------------------------
// Seeded choices

/** Choices drawn from the project's generator. */
export class Rand {
  private readonly g: Rng;
  constructor(seed: number) {
    this.g = new Rng(seed);
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return n <= 1 ? 0 : this.g.int(n);
  }
  chance(p: number): boolean {
    return this.g.uniform() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  normal(): number {
    return this.g.normal();
  }
}

/** A 31-bit hash of a string (FNV-1a), to derive each call's seed from its callee. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 2 ** 31;
}

// ---------------------------------------------------------------------------------------------
// The user's own errors: what the fuzzer's functions and proxies throw passes through unjudged.

/** What a proxy or getter handed in by the fuzzer throws. */
export class TrapError extends Error {
  constructor(what: string) {
    super(`trap: ${what}`);
    this.name = 'TrapError';
  }
}

/** Errors thrown from inside a function the fuzzer handed in (the user's code). */
const userErrors = new WeakSet<object>();

/** Wraps a user function so that whatever it throws is known to be the user's. */
function userFn<F extends (...args: any[]) => unknown>(f: F, name = f.name): F {
  const wrapped = {
    [name](this: unknown, ...args: unknown[]) {
      try {
        return f.apply(this, args);
      } catch (e) {
        if (e !== null && typeof e === 'object') userErrors.add(e);
        throw e;
      }
    },
  }[name]!;
  return wrapped as F;
}

const proxies = new WeakSet<object>();

function throwingProxy<T extends object>(target: T, label: string): T {
  const trap = (what: string) => () => {
    throw new TrapError(`${label} ${what}`);
  };
  const p = new Proxy(target, {
    get: trap('get'),
    has: trap('has'),
    ownKeys: trap('ownKeys'),
    getOwnPropertyDescriptor: trap('getOwnPropertyDescriptor'),
    getPrototypeOf: trap('getPrototypeOf'),
    set: trap('set'),
    apply: trap('apply'),
  });
  proxies.add(p);
  return p;
}

// ---------------------------------------------------------------------------------------------
// The vocabulary of option names and strings, harvested from the sources

const SOURCE_DIRS = ['lib', 'graph', 'ops', 'check', 'nn', 'expr', 'viz', 'node'];
const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

let vocabulary: { keys: string[]; keySet: Set<string> } | null = null;

/** Every optional field named in an interface of the sources: the options a call may be given. */
function optionKeys(): { keys: string[]; keySet: Set<string> } {
  if (vocabulary !== null) return vocabulary;
  const keys = new Set<string>();
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s+(?:readonly\s+)?([a-zA-Z_]\w*)\??:\s/gm)) keys.add(m[1]!);
    }
  }
  for (const k of ['x', 'y', 'names', 'paths', 'values', 'layers', 'lr', 'epochs', 'seed']) keys.add(k);
  const list = [...keys].sort();
  vocabulary = { keys: list, keySet: keys };
  return vocabulary;
}

/** The option names and string literals a function's source mentions. */
function sourceHints(fn: unknown): { keys: string[]; strings: string[] } {
  let text = '';
  try {
    text = Function.prototype.toString.call(fn);
  } catch {
    return { keys: [], strings: [] };
  }
  const { keySet } = optionKeys();
  const keys = new Set<string>();
  for (const m of text.matchAll(/\b([a-zA-Z_]\w*)\b/g)) if (keySet.has(m[1]!)) keys.add(m[1]!);
  const strings = new Set<string>();
  for (const m of text.matchAll(/'([^'\\\n$]{1,24})'/g)) strings.add(m[1]!);
  return { keys: [...keys], strings: [...strings].slice(0, 60) };
}

// ---------------------------------------------------------------------------------------------
// Argument pools

/** What a generator may use: the choices and the callee's hints. */
export interface Ctx {
  r: Rand;
  keys: readonly string[];
  strings: readonly string[];
}

type Gen = (c: Ctx) => unknown;

const SHAPES: number[][] = [[], [1], [2], [3], [4], [2, 2], [2, 3], [3, 2], [4, 2], [2, 1], [1, 4], [2, 3, 4], [1, 2, 4, 4], [2, 1, 5, 5], [2, 4, 4]];

function smallTensor(c: Ctx, shape = c.r.pick(SHAPES)): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(c.r.normal() * 100) / 100;
  return new Tensor(data, shape);
}

/** A small graph: a scalar loss (or a vector output) over parameters, with the parameters. */
function smallGraph(c: Ctx, scalar = true): Tensor {
  const w = param(smallTensor(c, [2, 2]));
  const x = tensor([[1, 2], [3, -1]]);
  const z = matmul(x, w);
  return scalar ? sum(mul(z, z)) : mul(z, 2);
}

function released(c: Ctx): Tensor {
  let t: Tensor | undefined;
  tidy(() => {
    t = smallTensor(c, c.r.pick([[2], [2, 2], []]));
    return 0;
  });
  return t!;
}

/** A loss whose graph a backward pass has released. */
function graphReleased(c: Ctx): Tensor {
  const loss = smallGraph(c);
  backward(loss);
  return loss;
}

function deepArray(depth: number): unknown[] {
  let a: unknown[] = [1];
  for (let i = 0; i < depth; i++) a = [a];
  return a;
}

function deepObject(depth: number): Record<string, unknown> {
  let o: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < depth; i++) o = { a: o, x: o };
  return o;
}

const POLLUTION = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}';

/** Values wrong for (nearly) every argument, by kind. */
export const WILD: ReadonlyArray<readonly [string, Gen]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['-1', () => -1],
  ['-0', () => -0],
  ['0', () => 0],
  ['1.5', () => 1.5],
  ['-2.5', () => -2.5],
  ['2^31', () => 2 ** 31],
  ['2^53', () => 2 ** 53],
  ['1e300', () => 1e300],
  ['-1e300', () => -1e300],
  ['5e-324', () => 5e-324],
  ['true', () => true],
  ['false', () => false],
  ['empty string', () => ''],
  ['string', () => 'abc'],
  ['numeric string', () => '3'],
  ['whitespace', () => ' \n'],
  ['long string', () => 'x'.repeat(100_000)],
  ['__proto__ string', () => '__proto__'],
  ['constructor string', () => 'constructor'],
  ['symbol', () => Symbol('wild')],
  ['bigint', () => 10n],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[[]]', () => [[]]],
  ['ragged array', () => [[1, 2], [3]]],
  ['mixed array', () => [1, 'a']],
  ['[NaN, Infinity]', () => [NaN, Infinity]],
  ['[null]', () => [null]],
  ['sparse array', () => [, 1, 2]], // eslint-disable-line no-sparse-arrays
  ['array of symbols', () => [Symbol('a')]],
  ['self-containing array', () => {
    const a: unknown[] = [1];
    a.push(a);
    return a;
  }],
  ['array nested 100 deep', () => deepArray(100)],
  ['array nested 100,000 deep', () => deepArray(100_000)],
  ['object nested 100,000 deep', () => deepObject(100_000)],
  ['Object.create(null)', () => Object.create(null)],
  ['prototype-pollution keys', () => JSON.parse(POLLUTION)],
  ['throwing proxy', () => throwingProxy({}, 'object')],
  ['throwing array proxy', () => throwingProxy([1, 2], 'array')],
  ['throwing function proxy', () => throwingProxy(function proxied() {}, 'function')],
  ['object with a throwing getter', () => {
    const o = {};
    for (const k of ['x', 'y', 'lr', 'shape', 'data', 'layers', 'epochs', 'names', 'points', 'series', 'length']) {
      Object.defineProperty(o, k, { enumerable: true, get: () => { throw new TrapError(`getter ${k}`); } });
    }
    proxies.add(o);
    return o;
  }],
  ['throwing toPrimitive', () => {
    const o = { [Symbol.toPrimitive]: () => { throw new TrapError('toPrimitive'); } };
    proxies.add(o);
    return o;
  }],
  ['array-like', () => ({ length: 2, 0: 1, 1: 2 })],
  ['huge array-like', () => ({ length: 2 ** 32 })],
  ['fake tensor', () => ({ shape: [2], data: [1, 2], size: 2, rank: 1 })],
  ['Float32Array', () => new Float32Array([1, 2, 3])],
  ['Int32Array', () => new Int32Array([1, 0, 2])],
  ['Uint8Array', () => new Uint8Array([1, 2, 3, 4])],
  ['empty Float64Array', () => new Float64Array(0)],
  ['Float64Array with NaN', () => new Float64Array([NaN, 1])],
  ['empty tensor [0]', () => zeros([0])],
  ['empty tensor [2, 0]', () => zeros([2, 0])],
  ['wrong-shape tensor [7]', (c) => smallTensor(c, [7])],
  ['wrong-shape tensor [3, 5]', (c) => smallTensor(c, [3, 5])],
  ['rank-5 tensor', (c) => smallTensor(c, [1, 2, 1, 2, 1])],
  ['scalar tensor', (c) => smallTensor(c, [])],
  ['non-finite tensor', () => tensor([NaN, Infinity, -Infinity])],
  ['huge-valued tensor', () => tensor([1e300, -1e300])],
  ['index tensor out of range', () => tensor([5, -7])],
  ['fractional index tensor', () => tensor([0.5, 1.5])],
  ['released tensor', (c) => released(c)],
  ['tensor whose graph was released', (c) => graphReleased(c)],
  ['proxied tensor', (c) => new Proxy(smallTensor(c, [2]), {})],
  ['function returning a number', () => userFn(() => 1, 'returnsNumber')],
  ['function returning undefined', () => userFn(() => undefined, 'returnsUndefined')],
  ['identity function', () => userFn((x: unknown) => x, 'identityFn')],
  ['function returning a string', () => userFn(() => 'x', 'returnsString')],
  ['function returning a wrong tensor', () => userFn(() => tensor([1, 2, 3]), 'returnsVector')],
  ['async function', () => userFn(async () => tensor(1), 'asyncFn')],
  ['generator function', () => function* gen() { yield 1; }],
  ['a class', () => ReLU],
  ['Map', () => new Map()],
  ['Map of garbage', () => new Map<unknown, unknown>([[1, 2], ['a', {}]])],
  ['Set', () => new Set([1])],
  ['Date', () => new Date(NaN)],
  ['RegExp', () => /x/],
  ['Promise', () => Promise.resolve(1)],
  ['WeakMap', () => new WeakMap()],
  ['Error', () => new Error('not mine')],
  ['boxed number', () => new Number(3)],
  ['boxed string', () => new String('s')],
  ['frozen object', () => Object.freeze({ a: 1 })],
  ['valueOf object', () => ({ valueOf: () => 2 })],
  ['iterable of garbage', () => ({ *[Symbol.iterator]() { yield 1; yield [2, 3]; } })],
  ['Rng', () => new Rng(1)],
  ['module', () => new ReLU()],
  ['Node', (c) => nodeOf(smallGraph(c))],
];

/** Values of the right kind for many arguments, by kind. */
export const PLAUSIBLE: ReadonlyArray<readonly [string, Gen]> = [
  ['small tensor', (c) => smallTensor(c)],
  ['matrix [4, 2]', (c) => smallTensor(c, [4, 2])],
  ['image [2, 1, 5, 5]', (c) => smallTensor(c, [2, 1, 5, 5])],
  ['sequence [2, 3, 4]', (c) => smallTensor(c, [2, 3, 4])],
  ['parameter', (c) => param(smallTensor(c))],
  ['scalar loss with a graph', (c) => smallGraph(c)],
  ['vector output with a graph', (c) => smallGraph(c, false)],
  ['small integer', (c) => c.r.int(4)],
  ['small number', (c) => c.r.pick([0.5, 0.1, 1e-3, 2, 0.9])],
  ['boolean', (c) => c.r.chance(0.5)],
  ['hinted string', (c) => (c.strings.length > 0 ? c.r.pick(c.strings) : c.r.pick(['mean', 'sum', 'none', 'relu', 'x', 'W']))],
  ['string', (c) => c.r.pick(['mean', 'sum', 'none', 'relu', 'sigmoid', 'he', 'x + y', 'sigmoid(W * x + b)', 'ij,jk->ik', 'digraph { a -> b }', 'model.json'])],
  ['axis list', (c) => c.r.pick([[0], [1], [0, 1], [-1], [2, 3], [2, 2], [1, 2, 4]])],
  ['nested numbers', () => [[1, 2], [3, 4]]],
  ['number array', () => [1, 2, 3]],
  ['label array', () => [0, 1, 1, 0]],
  ['Int32Array of labels', () => new Int32Array([0, 1, 2, 1, 0, 2, 1, 0, 1, 2])],
  ['tensor array', (c) => [smallTensor(c, [2, 2]), smallTensor(c, [2, 2])]],
  ['parameter array', (c) => [param(smallTensor(c, [2, 2])), param(smallTensor(c, [2]))]],
  ['scalar function', () => userFn((x: Tensor) => sum(mul(x, x)), 'sumOfSquares')],
  ['tensor function', () => userFn((x: Tensor) => mul(x, 2), 'double')],
  ['function of two', () => userFn((x: Tensor, y: Tensor) => sum(mul(x, y)), 'dot')],
  ['options object', (c) => optionsObject(c)],
  ['options object', (c) => optionsObject(c)],
  ['Linear(2, 3)', () => new Linear(2, 3)],
  ['MLP 2-3-1', () => new MLP({ layers: [2, 3, 1], seed: 1 })],
  ['Sequential', () => new Sequential(new Linear(2, 2), new Sigmoid())],
  ['SGD', () => new SGD([param(zeros([2]))], { lr: 0.1 })],
  ['Rng', (c) => new Rng(c.r.int(100))],
  ['names Map', (c) => {
    const loss = smallGraph(c);
    return new Map([[loss, 'L']]);
  }],
  ['name pairs', (c) => [['W', param(smallTensor(c, [2, 2]))]]],
  ['Gradients', (c) => backward(smallGraph(c), { retainGraph: true })],
  ['dataset', (c) => ({ x: smallTensor(c, [4, 2]), y: smallTensor(c, [4, 1]) })],
  ['chart panels', () => [{ yLabel: 'loss', series: [{ name: 'a', color: 'red', points: [[0, 1], [1, 0.5], [2, 0.25]] }] }]],
  ['history', () => history()],
];

let savedHistory: unknown;
function history(): unknown {
  if (savedHistory === undefined) {
    const model = new MLP({ layers: [2, 1], seed: 0 });
    const data = { x: tensor([[0, 1], [1, 0]]), y: tensor([[1], [0]]) };
    const options = { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2, seed: 0, validation: data, metrics: ['rmse'], progress: false };
    savedHistory = fit(model, data, options as never);
  }
  return savedHistory;
}

/** An options object: a few of the callee's own option names (or any), with plausible or wild values. */
function optionsObject(c: Ctx): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const vocab = c.keys.length > 0 && c.r.chance(0.85) ? c.keys : optionKeys().keys;
  const n = 1 + c.r.int(3);
  for (let i = 0; i < n; i++) o[c.r.pick(vocab)] = c.r.chance(0.5) ? value(c, 0.5, 1) : c.r.pick([0, 1, 2, 0.5, true, false, 'mean', [2, 3], [0]]);
  return o;
}

/** A value: wild with probability `wild`, plausible otherwise. */
export function value(c: Ctx, wild = 0.5, depth = 0): unknown {
  const pool = c.r.chance(wild) ? WILD : PLAUSIBLE;
  let [kind, gen] = c.r.pick(pool);
  // Nested options objects stay shallow.
  while (depth > 0 && kind === 'options object') [kind, gen] = c.r.pick(pool);
  kindsUsed.add(kind);
  return gen(c);
}

export const kindsUsed = new Set<string>();

// ---------------------------------------------------------------------------------------------
// Callees

export interface Callee {
  /** How failures are reported, e.g. "nn.fit", "Linear.forward", "grad(…)". */
  label: string;
  /** Names the message of an error may carry (the function, Class.method, a free function). */
  names: readonly string[];
  /** Arguments the callee declares. */
  arity: number;
  /**
   * Calls it; `name` may add a name for this call (the class of the instance a method runs on,
   * or the caller's name that a helper such as checkShape(op, …) is given).
   */
  invoke(args: unknown[], name: (n: string) => void): unknown;
  /** Known-good calls to mutate. */
  examples?: () => unknown[];
  hints: { keys: string[]; strings: string[] };
  /** Calls per run (default from the run's scale). */
  calls?: number;
  /** Bounds the work a generated call may ask for (epochs, iterations), so that only defects are slow. */
  cap?: (args: unknown[]) => unknown[];
}

function isClass(v: unknown): v is new (...args: any[]) => unknown {
  return typeof v === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(v));
}

/** The public entries, as the package.json "exports" (and the Node face) give them. */
export const ENTRIES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['deltagraph', root],
  ['deltagraph/nn', nnEntry],
  ['deltagraph/check', checkEntry],
  ['deltagraph/expr', exprEntry],
  ['deltagraph/viz', vizEntry],
  ['deltagraph (Node)', nodeEntry],
];

const stream = { write: () => true, isTTY: false };

/** Arguments that bound a call's work: few epochs, iterations and samples. */
function capOptions(o: unknown, limits: Record<string, number>): unknown {
  if (!isPlainObject(o) && !(o !== null && typeof o === 'object' && !proxies.has(o) && Object.getPrototypeOf(o) === null)) return o;
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(o));
  Object.assign(copy, o);
  for (const [k, max] of Object.entries(limits)) {
    const v = copy[k];
    // A count that would be accepted (a safe integer) is bounded; others (1e300, NaN) are left to be refused.
    if (typeof v === 'number' && v > max && Number.isSafeInteger(v)) copy[k] = max;
  }
  if (typeof copy.timeLimit === 'number' && !(copy.timeLimit <= 200)) copy.timeLimit = 200;
  return copy;
}

const WORK_LIMITS = { epochs: 3, iterations: 3, steps: 3, batchSize: 64, batch: 4, total: 50, runs: 3, samples: 3, maxSteps: 20, evalEvery: 3, trainLimit: 200, testLimit: 100 };

/**
 * Calls of functions that take an options object as argument `at`, with the work it asks for
 * bounded; `fill` is what an absent options object (the defaults: a full run) becomes.
 */
const capAt = (at: number, fill?: Record<string, number>) => (args: unknown[]): unknown[] => {
  const out = args.slice();
  if (fill !== undefined && out[at] === undefined) out[at] = { ...fill };
  else if (fill !== undefined && isPlainObject(out[at])) {
    const o: Record<string, unknown> = { ...(out[at] as object) };
    for (const [k, v] of Object.entries(fill)) if (o[k] === undefined) o[k] = v;
    out[at] = o;
  }
  out[at] = capOptions(out[at], WORK_LIMITS);
  return out;
};

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !proxies.has(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Known-good calls of functions, to mutate. A function not listed still gets random calls, and
 * every call that returns normally becomes a seed for later mutations.
 */
function functionExamples(c: Ctx): Record<string, () => unknown[]> {
  const loss = () => smallGraph(c);
  const panels = () => [{ yLabel: 'loss', series: [{ name: 'train', color: '#123456', points: [[0, 1], [1, 0.5], [2, 0.3]] }], log: 'auto' }];
  return {
    describeGraph: () => [loss(), { values: true, names: new Map(), outputLabel: 'L' }],
    toDot: () => [loss(), { title: 'g' }],
    lineChartSvg: () => [panels(), { title: 't', width: 600, maxPoints: 100 }],
    historyChartSvg: () => [history(), { title: 'h' }],
    moduleGroups: () => {
      const m = new MLP({ layers: [2, 2, 1] });
      m.forward([[1, 2]]);
      return [m];
    },
    mlpTensorNames: () => {
      const m = new MLP({ layers: [2, 2, 1] });
      m.forward([[1, 2]]);
      return [m, { preActivation: 'Z' }];
    },
    fromExpression: () => [c.r.pick(['sigmoid(W * x + b)', 'x + y', 'sum(x .* x)', 'norm(x)', 'mseLoss(x, y)'])],
    grad: () => [userFn((x: Tensor) => sum(mul(x, x)), 'sumOfSquares'), 0],
    valueAndGrad: () => [userFn((x: Tensor, y: Tensor) => sum(mul(x, y)), 'dot'), [0, 1]],
    vjp: () => [userFn((x: Tensor) => mul(x, 2), 'double'), smallTensor(c, [2])],
    jacobian: () => [userFn((x: Tensor) => mul(x, x), 'square'), 0],
    jvp: () => [userFn((x: Tensor) => mul(x, x), 'square'), [smallTensor(c, [2])], [smallTensor(c, [2])]],
    linearize: () => [userFn((x: Tensor) => mul(x, x), 'square'), smallTensor(c, [2])],
    jacfwd: () => [userFn((x: Tensor) => mul(x, x), 'square'), 0],
    hessian: () => [userFn((x: Tensor) => sum(mul(mul(x, x), x)), 'cube'), 0],
    hvp: () => [userFn((x: Tensor) => sum(mul(mul(x, x), x)), 'cube'), [smallTensor(c, [2])], [smallTensor(c, [2])]],
    customVjp: () => [userFn((x: Tensor) => mul(x, 2), 'double'), userFn((g: Tensor) => [mul(g, 2)], 'doubleRule')],
    checkpoint: () => [userFn((x: Tensor) => mul(x, x), 'square')],
    detectAnomaly: () => [userFn(() => sum(tensor([1, 2])), 'finite')],
    backward: () => [loss(), { retainGraph: true }],
    gradcheck: () => [userFn((x: Tensor) => sum(mul(x, x)), 'sumOfSquares'), [smallTensor(c, [2])]],
    gradgradcheck: () => [userFn((x: Tensor) => sum(mul(mul(x, x), x)), 'cube'), [smallTensor(c, [2])]],
    numericJacobian: () => [userFn((x: Tensor) => mul(x, x), 'square'), [smallTensor(c, [2])]],
    numericDirectional: () => [userFn((x: Tensor) => mul(x, x), 'square'), [smallTensor(c, [2])], [smallTensor(c, [2])]],
    evaluateGraph: () => [{ shape: [2], inputs: [smallTensor(c, [2])], steps: [{ op: 'tanh', args: [0, 0] }] }, [smallTensor(c, [2])]],
    opCase: () => [{ arity: 1, shapes: 'any', values: { min: -1, max: 1 } }],
    callCase: () => [{ fn: userFn((x: Tensor) => mul(x, 2), 'double'), domain: { arity: 1, shapes: 'any', values: { min: -1, max: 1 } } }, { inputs: [smallTensor(c, [2])], choices: [] }],
    fit: () => {
      const model = new MLP({ layers: [2, 1], seed: 0 });
      return [model, { x: tensor([[0, 1], [1, 0]]), y: tensor([[1], [0]]) }, { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 1, progress: false }];
    },
    evaluate: () => [new MLP({ layers: [2, 1], seed: 0 }), { x: tensor([[0, 1], [1, 0]]), y: tensor([[1], [0]]) }, new MSELoss()],
    checkOps: () => [{ ops: ['add'], runs: 1 }],
    renderSvg: () => ['digraph { a -> b }'],
    renderSvgSync: () => ['digraph { a -> b }'],
    formatTensor: () => [smallTensor(c), { digits: 2 }],
    stateDict: () => [new MLP({ layers: [2, 1] })],
    modelToJson: () => [new MLP({ layers: [2, 1] })],
    saveModel: () => [new MLP({ layers: [2, 1] }), 'model.json'],
    einsum: () => ['ij,jk->ik', smallTensor(c, [2, 3]), smallTensor(c, [3, 2])],
    conv2d: () => [smallTensor(c, [2, 1, 5, 5]), smallTensor(c, [2, 1, 3, 3])],
    crossEntropy: () => [smallTensor(c, [4, 3]), [0, 1, 2, 1]],
    charDataset: () => ['hello world'],
    sampleWindows: () => [new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { batch: 2, context: 3, rng: new Rng(0) }],
    windows: () => [new Int32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 3],
    gpt: () => [{ vocabSize: 5, layers: 1, heads: 1, embedding: 4, context: 4 }],
    trainGpt: () => [new GPT({ vocabSize: 4, layers: 1, heads: 1, embedding: 4, context: 4 }), (nodeEntry as any).charDataset('abcdabcdabcdabcdabcdabcd'), { iterations: 1, batch: 2, evalEvery: 1 }],
    windowLoss: () => [new GPT({ vocabSize: 4, layers: 1, heads: 1, embedding: 4, context: 4 }), new Int32Array([0, 1, 2, 3, 0, 1, 2, 3, 0]), 4],
    initialize: () => [zeros([2, 3]), 'he', new Rng(0)],
    initializer: () => [c.r.pick(['he', 'normal:0.1', 'xavier'])],
    clipGradNorm: () => [[param(zeros([2]))], 1, { get: (t: Tensor) => zeros(t.shape) }],
    accuracy: () => [smallTensor(c, [4, 2]), [0, 1, 1, 0]],
    tensor: () => [[[1, 2], [3, 4]]],
    asTensor: () => ['op', [1, 2], 'x'],
    fromOnnx: () => [tinyMlp()],
  };
}

const CLOSURE_NAMES: Record<string, readonly string[]> = {
  fromExpression: ['expression '],
};

/** Calls that could ask for unbounded work, with their options argument bounded. */
const CAPS: Record<string, (args: unknown[]) => unknown[]> = {
  fit: capAt(2),
  trainGpt: capAt(2, { iterations: 2, evalEvery: 2 }),
  // checkOps() checks the whole registry, which takes half a minute: an empty list becomes one op.
  checkOps: (args) => {
    const out = capAt(1, { runs: 2 })(args);
    if (out[0] === undefined || (Array.isArray(out[0]) && !proxies.has(out[0]) && out[0].length === 0)) out[0] = ['add'];
    else if (Array.isArray(out[0]) && !proxies.has(out[0]) && out[0].length > 1) out[0] = out[0].slice(0, 1);
    return out;
  },
  gradcheck: capAt(2),
  opGraph: capAt(0),
  loadMnist: capAt(0, { trainLimit: 20, testLimit: 20 }),
  renderSvgSync: (args) => [args[0], typeof args[1] === 'number' && args[1] > 2000 ? 2000 : args[1]],
};

/** Callees that are slow even when they reject their arguments quickly, or costly per valid call. */
const CALLS: Record<string, number> = {
  renderSvg: 8,
  renderSvgSync: 8,
  checkOps: 20,
  loadMnist: 8,
  loadTinyShakespeare: 16,
  loadCaliforniaHousing: 6,
  trainGpt: 30,
  fit: 60,
};

/** The functions of the entries and of exported namespaces, without duplicates. */
export function functionCallees(c: Ctx): { callees: Callee[]; classes: Map<string, new (...args: any[]) => unknown>; exportCount: number } {
  const seen = new Map<unknown, Callee>();
  const classes = new Map<string, new (...args: any[]) => unknown>();
  const examples = functionExamples(c);
  let exportCount = 0;
  const addFunction = (label: string, name: string, fn: (...args: any[]) => unknown, names: string[]) => {
    if (seen.has(fn)) return;
    // A helper given its caller's name (checkShape(op, shape), ancestors(t, caller, …)) names that caller.
    const params = /^[^(]*\(([^)]*)\)/.exec(Function.prototype.toString.call(fn))?.[1] ?? '';
    const whoAt = params.split(',').map((p) => p.trim().split(/[\s=]/)[0]).map((p, i) => (p === 'op' || p === 'who' || p === 'caller' ? i : -1)).filter((i) => i >= 0);
    seen.set(fn, {
      label,
      names,
      arity: fn.length,
      invoke: (args, name) => {
        for (const i of whoAt) if (typeof args[i] === 'string' && (args[i] as string).trim() !== '') name(args[i] as string);
        return fn(...args);
      },
      examples: Object.hasOwn(examples, name) ? examples[name] : undefined,
      hints: sourceHints(fn),
      calls: Object.hasOwn(CALLS, name) ? CALLS[name] : undefined,
      cap: Object.hasOwn(CAPS, name) ? CAPS[name] : undefined,
    });
  };
  for (const [entry, mod] of ENTRIES) {
    for (const [name, v] of Object.entries(mod)) {
      exportCount++;
      if (isClass(v)) classes.set(name, v);
      else if (typeof v === 'function') addFunction(`${entry}: ${name}`, name, v as (...args: any[]) => unknown, [name]);
      else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        // A namespace of functions (kernels) or a table of them (ACTIVATIONS, METRICS).
        for (const [key, f] of Object.entries(v)) {
          if (isClass(f)) continue;
          if (typeof f === 'function') addFunction(`${entry}: ${name}.${key}`, key, f as (...args: any[]) => unknown, [`${name}.${key}`]);
        }
      }
    }
  }
  return { callees: [...seen.values()], classes, exportCount };
}

/** How to make an instance of an exported class: valid constructor arguments, or the instance itself. */
export interface ClassEntry {
  args: (c: Ctx) => unknown[];
  /** An instance to call methods on, when the constructor's is not the useful one. */
  instance?: (c: Ctx) => unknown;
  /** Known-good arguments of some methods. */
  methods?: Record<string, (c: Ctx) => unknown[]>;
}

const image = (c: Ctx) => [smallTensor(c, [2, 1, 5, 5])];
const seq = (c: Ctx) => [smallTensor(c, [2, 3, 4])];
const batch2 = (c: Ctx) => [smallTensor(c, [4, 2])];
const ps = () => [param(tensor([1, -2])), param(tensor([[0.5]]))];
const sgd = () => new SGD(ps(), { lr: 0.1 });
const message = () => ['something went wrong'];
const gradients = (c: Ctx) => backward(smallGraph(c), { retainGraph: true });

function gradcheckFailure(): GradcheckError {
  try {
    gradcheck((x: Tensor) => sum(mul(tensor(1e6), x.relu())), [tensor([0.0, 1])], { atol: 1e-12, rtol: 1e-12 } as never);
  } catch (e) {
    if (e instanceof GradcheckError) return e;
    throw e;
  }
  throw new Error('gradcheck did not fail');
}

/** Every exported class, with valid constructor arguments. A class missing here fails the suite. */
export const CLASSES: Record<string, ClassEntry> = {
  DeltaGraphError: { args: message },
  ShapeError: { args: message },
  AxisError: { args: message },
  ArgumentError: { args: message },
  GraphError: { args: message },
  AnomalyError: { args: () => ["detectAnomaly: the forward pass of 'log' turned finite inputs [3] into -Infinity", 'log', 'forward', [[3]], [3], null] },
  RenderError: { args: message },
  GradcheckError: { args: () => [gradcheckFailure().result], instance: () => gradcheckFailure() },
  NonFiniteError: { args: () => ['fit: epoch 1, step 3: the loss is NaN', 0, 2, 3, NaN, null, null] },
  MemoryError: { args: () => ['zeros: a tensor of shape [1e9] needs 8 GB', 'zeros', [1e9], 8e9, 2 ** 31] },
  ExpressionError: { args: () => ['x + y', 'the formula is wrong', 'x'] },
  ExpressionSyntaxError: { args: () => ['x +', 'unexpected end'] },
  MissingVariableError: { args: () => ['x + y', 'y is missing', 'y'] },
  UnknownFunctionError: { args: () => ['foo(x)', 'unknown function foo', 'foo'] },
  ExpressionShapeError: { args: () => ['x * y', 'x * y', [[2, 3], [2, 3]], 'inner dimensions differ'] },
  Tensor: {
    args: () => [new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]],
    instance: (c) => (c.r.chance(0.3) ? param(smallTensor(c)) : smallTensor(c)),
    methods: {
      matmul: (c) => [smallTensor(c, [3, 2])],
      reshape: () => [[3, 2]],
      sum: () => [1, true],
      take: () => [[0, 1], 1],
    },
  },
  Rng: { args: () => [42] },
  Node: {
    args: (c) => [{ name: 'userOp', forward: (xs: readonly Tensor[]) => xs[0]!, vjp: (g: Tensor) => [g] }, [smallTensor(c, [2])], undefined],
    instance: (c) => nodeOf(smallGraph(c)),
  },
  Gradients: { args: () => [new Map(), null], instance: gradients, methods: { get: (c) => [smallTensor(c)] } },
  Module: { args: () => [] },
  Linear: { args: () => [2, 3], methods: { forward: batch2 } },
  ReLU: { args: () => [] },
  Sigmoid: { args: () => [] },
  Tanh: { args: () => [] },
  Identity: { args: () => [] },
  LeakyReLU: { args: () => [0.1] },
  Softmax: { args: () => [] },
  GELU: { args: () => [{ approximate: 'tanh' }] },
  SiLU: { args: () => [] },
  BatchNorm: { args: () => [2, { momentum: 0.1 }], methods: { forward: batch2 } },
  BatchNorm2d: { args: () => [1], methods: { forward: image } },
  LayerNorm: { args: () => [4], methods: { forward: seq } },
  Embedding: { args: () => [5, 3], methods: { forward: () => [[[0, 1, 4]]] } },
  MultiHeadAttention: { args: () => [4, 2], methods: { forward: (c) => [smallTensor(c, [2, 3, 4]), { causal: true }] } },
  LSTM: { args: () => [4, 3], methods: { forward: seq, forwardWithState: seq } },
  Dropout: { args: () => [0.5, 1] },
  Conv1d: { args: () => [3, 2, 2], methods: { forward: seq } },
  Conv2d: { args: () => [1, 2, 3, { padding: 1 }], methods: { forward: image } },
  ConvTranspose2d: { args: () => [1, 2, 3, { stride: 2 }], methods: { forward: image } },
  MaxPool2d: { args: () => [2], methods: { forward: image } },
  AvgPool2d: { args: () => [2, { stride: 1 }], methods: { forward: image } },
  Flatten: { args: () => [1, -1], methods: { forward: image } },
  Unflatten: { args: () => [1, [2, 2]], methods: { forward: (c) => [smallTensor(c, [3, 4])] } },
  Sequential: {
    args: () => [new Linear(2, 3), new ReLU(), new Linear(3, 1)],
    instance: (c) => {
      const s = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
      if (c.r.chance(0.7)) s.forward([[1, 2]]);
      return s;
    },
    methods: { forward: batch2, outputOf: () => [1], nodeSpanOf: () => [0], gradientOf: (c) => [0, gradients(c)] },
  },
  MLP: {
    args: () => [{ layers: [2, 3, 1], activation: 'tanh', seed: 1 }],
    instance: (c) => {
      const m = new MLP({ layers: [2, 3, 1], batchNorm: c.r.chance(0.3), seed: 1 });
      if (c.r.chance(0.7)) m.forward([[1, 2], [3, 4]]);
      return m;
    },
    methods: { forward: batch2, deltas: (c) => [gradients(c)] },
  },
  GPT: {
    args: () => [{ vocabSize: 5, layers: 1, heads: 2, embedding: 4, context: 4 }],
    methods: { forward: () => [[[0, 1, 2]]], generate: () => [[0, 1], 2, { temperature: 1, rng: new Rng(0) }] },
  },
  GPTBlock: { args: () => [4, 2], methods: { forward: seq } },
  MSELoss: { args: () => ['mean'], methods: { forward: (c) => [smallTensor(c, [4, 1]), smallTensor(c, [4, 1])] } },
  CrossEntropyLoss: { args: () => [], methods: { forward: (c) => [smallTensor(c, [4, 3]), [0, 1, 2, 0]] } },
  BCELoss: { args: () => [{ logits: true }], methods: { forward: (c) => [smallTensor(c, [4, 1]), [[0], [1], [1], [0]]] } },
  Optimizer: { args: () => [ps(), { lr: 0.1 }], instance: () => sgd() },
  SGD: { args: () => [ps(), { lr: 0.1, momentum: 0.9 }], methods: { step: () => [] } },
  Adam: { args: () => [ps(), { lr: 0.01 }], methods: { step: () => [] } },
  AdamW: { args: () => [ps(), { lr: 0.01, weightDecay: 0.1 }], methods: { step: () => [] } },
  RMSProp: { args: () => [ps(), { lr: 0.01 }], methods: { step: () => [] } },
  StepLR: { args: () => [sgd(), 2, 0.5], methods: { step: () => [1] } },
  CosineLR: { args: () => [sgd(), 10], methods: { step: () => [1] } },
  WarmupCosineLR: { args: () => [sgd(), { warmup: 2, total: 10 }], methods: { step: () => [1] } },
  ProgressBar: { args: () => ['epoch', 10, { stream }], methods: { update: () => [3, 'loss 1'] } },
  OnnxModel: { args: () => [tinyMlp()], methods: { forward: batch2, run: batch2, trace: batch2 } },
};

let declarations: Map<string, string> | null = null;

/** The source text of each class declared in the sources, by name. */
function classSources(): Map<string, string> {
  if (declarations !== null) return declarations;
  declarations = new Map();
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(join(ROOT, dir))) {
      const text = readFileSync(file, 'utf8');
      const starts = [...text.matchAll(/^export (?:abstract )?class (\w+)/gm)];
      starts.forEach((m, i) => declarations!.set(m[1]!, text.slice(m.index, starts[i + 1]?.index ?? text.length)));
    }
  }
  return declarations;
}

/**
 * Whether a method is private or protected in its class's TypeScript source: not part of the
 * public surface (TypeScript does not let a user call it on an instance).
 */
function hidden(owner: string, key: string): boolean {
  const text = classSources().get(owner);
  if (text === undefined) return false;
  return new RegExp(`^\\s+(?:private|protected)\\s+(?:override\\s+|abstract\\s+|static\\s+|async\\s+)*${key}\\s*[(<]`, 'm').test(text);
}

const BUILTIN_PROTOTYPES = new Set<unknown>([Object.prototype, Function.prototype, Error.prototype, null]);

/** The constructor, static methods and prototype methods of a class (most derived definition first). */
export function classCallees(name: string, cls: new (...args: any[]) => unknown, entry: ClassEntry, c: Ctx): Callee[] {
  const hints = sourceHints(cls);
  const out: Callee[] = [
    {
      label: `new ${name}`,
      names: [name],
      arity: cls.length,
      invoke: (args) => new cls(...args),
      examples: () => entry.args(c),
      hints,
    },
  ];
  for (const key of Object.getOwnPropertyNames(cls)) {
    if (['length', 'name', 'prototype'].includes(key)) continue;
    const f = (cls as unknown as Record<string, unknown>)[key];
    if (typeof f !== 'function') continue;
    out.push({ label: `${name}.${key}`, names: [`${name}.${key}`], arity: f.length, invoke: (args) => (f as (...a: unknown[]) => unknown).apply(cls, args), hints: sourceHints(f) });
  }
  const methods = new Map<string, { fn: (...args: unknown[]) => unknown; owners: string[] }>();
  const getters = new Map<string, (this: unknown) => unknown>();
  for (let proto: any = cls.prototype; !BUILTIN_PROTOTYPES.has(proto); proto = Object.getPrototypeOf(proto)) {
    const owner: string = proto.constructor?.name ?? name;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      if (d.get !== undefined && !getters.has(key) && !hidden(owner, key)) getters.set(key, d.get);
      if (typeof d.value !== 'function') continue;
      const known = methods.get(key);
      if (known === undefined) methods.set(key, { fn: d.value, owners: [owner] });
      else known.owners.push(owner);
    }
  }
  const make = () => (entry.instance ? entry.instance(c) : new cls(...entry.args(c)));
  // Getters take no arguments: each is read on fresh instances (x.T of a rank-3 tensor must fail cleanly).
  for (const [key, get] of getters) {
    const free = /return (?:\(0, )?(?:\w+\.)?(\w+)\)?\(/.exec(Function.prototype.toString.call(get))?.[1];
    out.push({
      label: `${name}.${key} (getter)`,
      names: [`${name}.${key}`, ...(name === 'Tensor' && free !== undefined ? [free] : [])],
      arity: 0,
      invoke: () => get.call(make()),
      hints: { keys: [], strings: [] },
      calls: 6,
    });
  }
  for (const [key, { fn, owners }] of methods) {
    if (owners.every((o) => hidden(o, key))) continue;
    const names = [name, ...owners].map((o) => `${o}.${key}`);
    if (name === 'Tensor') {
      // A tensor method fails as its free function (x.gt(y) as greater).
      const free = /return (?:\(0, )?(?:\w+\.)?(\w+)\)?\(/.exec(Function.prototype.toString.call(fn))?.[1];
      names.push(key, ...(free === undefined ? [] : [free]));
    }
    const example = entry.methods !== undefined && Object.hasOwn(entry.methods, key) ? entry.methods[key] : undefined;
    out.push({
      label: `${name}.${key}`,
      names,
      arity: fn.length,
      invoke: (args, name) => {
        const self = make();
        const actual = (self as { constructor?: { name?: unknown } } | null)?.constructor?.name;
        if (typeof actual === 'string') name(`${actual}.${key}`);
        return fn.apply(self, args);
      },
      examples: example ? () => example(c) : undefined,
      hints: sourceHints(fn),
      cap: name === 'GPT' && key === 'generate' ? (args) => [args[0], typeof args[1] === 'number' && args[1] > 8 ? 8 : args[1], ...args.slice(2)] : undefined,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Arguments of one call

/** A copy of an argument with one part changed: an option, an element, or the whole. */
function mutateOne(c: Ctx, v: unknown): unknown {
  if (v !== null && (typeof v === 'object' || typeof v === 'function') && proxies.has(v)) return value(c, 0.6);
  if (v !== null && typeof v === 'object' && !proxies.has(v) && Object.getPrototypeOf(v) === Object.prototype && c.r.chance(0.7)) {
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const own = Object.keys(copy);
    const roll = c.r.int(10);
    if (roll < 5 && own.length > 0) copy[c.r.pick(own)] = value(c, 0.7, 1);
    else if (roll < 8) copy[c.r.pick(c.keys.length > 0 ? c.keys : optionKeys().keys)] = value(c, 0.7, 1);
    else if (roll < 9) return Object.assign(JSON.parse(POLLUTION), copy);
    else return Object.assign(Object.create(null), copy);
    return copy;
  }
  if (Array.isArray(v) && v.length > 0 && c.r.chance(0.6)) {
    const copy = v.slice();
    const roll = c.r.int(6);
    if (roll < 4) copy[c.r.int(copy.length)] = value(c, 0.6, 1);
    else if (roll < 5) copy.push(value(c, 0.5, 1));
    else copy.pop();
    return copy;
  }
  return value(c, 0.6);
}

/** The arguments of one call: a known-good call mutated, or each drawn at random. */
export function argumentsFor(c: Ctx, callee: Callee, seeds: readonly unknown[][]): unknown[] {
  const known: unknown[][] = [...seeds];
  if (callee.examples && c.r.chance(0.8)) known.push(callee.examples());
  if (known.length > 0 && c.r.chance(0.75)) {
    const args = c.r.pick(known).slice();
    const changes = c.r.chance(0.8) ? 1 : 2;
    for (let k = 0; k < changes; k++) {
      const roll = c.r.int(10);
      if (roll < 8 || args.length === 0) {
        const i = c.r.int(Math.max(args.length, callee.arity, 1) + (c.r.chance(0.1) ? 1 : 0));
        args[i] = mutateOne(c, args[i]);
      } else if (roll < 9) args.pop();
      else args.push(value(c, 0.5));
    }
    return args;
  }
  const n = Math.min(6, Math.max(0, callee.arity + c.r.int(3) - 1));
  const args: unknown[] = [];
  for (let i = 0; i < n; i++) args.push(value(c, 0.5));
  return args;
}

// ---------------------------------------------------------------------------------------------
// Running and judging

export interface Failure {
  label: string;
  args: string;
  problem: string;
}

const showOwn = (v: unknown): string | undefined => {
  if (v !== null && (typeof v === 'object' || typeof v === 'function') && proxies.has(v)) return '<throwing proxy>';
  if (v instanceof Tensor && v.disposed) return `<released tensor of shape [${v.shape.join(', ')}]>`;
  if (v instanceof Module) {
    try {
      return v.describe().split('\n')[0];
    } catch {
      return v.constructor.name;
    }
  }
  if (v instanceof Gradients) return 'Gradients';
  if (v instanceof Node) return `Node(${v.op.name})`;
  if (Array.isArray(v) && v.length === 1 && Array.isArray(v[0])) {
    let d = 0;
    let a: unknown = v;
    while (Array.isArray(a) && a.length === 1 && d < 200_000) {
      a = a[0];
      d++;
    }
    if (d > 8) return `<array nested ${d} deep>`;
  }
  if (typeof v === 'string' && v.length > 60) return JSON.stringify(v.slice(0, 40) + '…') + ` (${v.length} characters)`;
  return undefined;
};

function safeShow(args: readonly unknown[]): string {
  try {
    return show(args, showOwn);
  } catch (e) {
    return `<arguments not shown: ${String(e)}>`;
  }
}

/** The error of a call, judged: null when it is acceptable. */
function judge(callee: Callee, names: readonly string[], e: unknown): string | null {
  if (e instanceof TrapError || (e !== null && typeof e === 'object' && userErrors.has(e))) return null;
  if (!(e instanceof DeltaGraphError)) {
    const what = e instanceof Error ? `${e.name}: ${e.message.slice(0, 300)}\n${(e.stack ?? '').split('\n').slice(1, 7).join('\n')}` : String(e);
    return `threw a non-DeltaGraphError ${what}`;
  }
  if (e.constructor === DeltaGraphError) return `threw the base DeltaGraphError, expected a subclass: ${e.message.slice(0, 300)}`;
  if (!names.some((n) => e.message.includes(n))) return `threw ${e.name} whose message does not name ${[...new Set(names)].join(' or ')}: ${e.message.slice(0, 300)}`;
  return null;
}

const baselineObjectKeys = Object.getOwnPropertyNames(Object.prototype).join();

/** Global state a call must leave as it found it. */
function stateProblem(): string | null {
  if (Object.getOwnPropertyNames(Object.prototype).join() !== baselineObjectKeys || ({} as Record<string, unknown>).polluted !== undefined) {
    for (const k of Object.getOwnPropertyNames(Object.prototype)) if (!baselineObjectKeys.split(',').includes(k)) delete (Object.prototype as Record<string, unknown>)[k];
    return 'polluted Object.prototype';
  }
  if (!isRecording()) return 'left recording switched off';
  return null;
}

const lib = root as unknown as { memoryLimit?: () => number; setMemoryLimit?: (bytes: number) => number };
const initialMemoryLimit = lib.memoryLimit?.();

/** Puts back the global settings a call may legitimately change (the memory limit). */
function restoreGlobals(): void {
  if (initialMemoryLimit !== undefined && lib.memoryLimit!() !== initialMemoryLimit) lib.setMemoryLimit!(initialMemoryLimit);
}

export interface RunOptions {
  seed: number;
  /** Calls per function or method (some have their own count). */
  calls: number;
  /** Calls per closure a call returned. */
  closureCalls: number;
  /** Slowest acceptable call, in milliseconds. */
  timeLimit: number;
  /** Stop after this many distinct failures. */
  maxFailures?: number;
  /** Only callees whose label contains this. */
  only?: string;
  /** Leave out callees whose label contains one of these. */
  skip?: readonly string[];
}

export interface RunReport {
  calls: number;
  callees: number;
  functions: number;
  classes: number;
  /** Public methods (prototype and static), without constructors and getters. */
  methods: number;
  getters: number;
  closures: number;
  exports: number;
  kinds: number;
  failures: Failure[];
  /** The callees that took longest, with their total milliseconds. */
  slowest: Array<[string, number]>;
  milliseconds: number;
}

/** Runs the whole fuzz: every callee `calls` times with arguments from `seed`. */
export async function runFuzz(options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  await warmUp();
  const c0: Ctx = { r: new Rand(options.seed), keys: [], strings: [] };
  const { callees: fns, classes, exportCount } = functionCallees(c0);
  const failures: Failure[] = [];
  const failed = new Set<string>();
  const missing = [...classes.keys()].filter((name) => !Object.hasOwn(CLASSES, name));
  for (const name of missing) failures.push({ label: name, args: '', problem: `exported class ${name} has no entry in the fuzzer's CLASSES table` });
  const methodCallees: Callee[] = [];
  let classCount = 0;
  for (const [name, cls] of classes) {
    if (!Object.hasOwn(CLASSES, name)) continue;
    const entry = CLASSES[name]!;
    classCount++;
    methodCallees.push(...classCallees(name, cls, entry, c0));
  }
  const queue: Array<{ callee: Callee; calls: number }> = [
    ...fns.map((callee) => ({ callee, calls: callee.calls ?? options.calls })),
    ...methodCallees.map((callee) => ({ callee, calls: callee.calls ?? Math.ceil(options.calls / 2) })),
  ].filter(({ callee }) => (options.only === undefined || callee.label.includes(options.only)) && !(options.skip ?? []).some((s) => callee.label.includes(s)));
  let calls = 0;
  let closures = 0;
  const spent = new Map<string, number>();
  const trace = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.DELTAGRAPH_FUZZ_TRACE;
  for (let qi = 0; qi < queue.length; qi++) {
    const { callee, calls: n } = queue[qi]!;
    const seeds: unknown[][] = [];
    let closuresOfThis = 0;
    for (let i = 0; i < n; i++) {
      if (options.maxFailures !== undefined && failures.length >= options.maxFailures) break;
      const r = new Rand((hash(callee.label) + options.seed * 1_000_003 + i * 7919) % 2 ** 31);
      const c: Ctx = { r, keys: callee.hints.keys, strings: callee.hints.strings };
      let args: unknown[];
      const seedsBefore = seeds.length;
      try {
        args = argumentsFor(c, callee, seeds);
        if (callee.cap) args = callee.cap(args);
      } catch (e) {
        failures.push({ label: callee.label, args: '(making the arguments)', problem: `the fuzzer failed to make arguments: ${String(e)}\n${(e as Error).stack ?? ''}` });
        break;
      }
      calls++;
      // DELTAGRAPH_FUZZ_TRACE=file: each call's callee and index, written before the call (to find a call that hangs).
      if (trace !== undefined) appendFileSync(trace, `${callee.label} ${i} (${safeShow(args)})\n`);
      let result: unknown;
      let problem: string | null = null;
      const names = [...callee.names];
      const t0 = performance.now();
      try {
        result = callee.invoke(args, (n) => names.push(n));
        if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
          result = await withTimeout(result as Promise<unknown>, options.timeLimit);
        }
      } catch (e) {
        problem = judge(callee, names, e);
      }
      const ms = performance.now() - t0;
      spent.set(callee.label, (spent.get(callee.label) ?? 0) + ms);
      if (ms > options.timeLimit) {
        // A loaded machine or a garbage collection can stall one call: a slow call is made again
        // (its arguments drawn afresh from the same seed) and fails only if it is slow twice.
        const again = new Rand((hash(callee.label) + options.seed * 1_000_003 + i * 7919) % 2 ** 31);
        const c2: Ctx = { r: again, keys: callee.hints.keys, strings: callee.hints.strings };
        let retry = argumentsFor(c2, callee, seeds.slice(0, seedsBefore));
        if (callee.cap) retry = callee.cap(retry);
        const t1 = performance.now();
        try {
          const r2 = callee.invoke(retry, () => undefined);
          if (r2 !== null && typeof r2 === 'object' && typeof (r2 as { then?: unknown }).then === 'function') await withTimeout(r2 as Promise<unknown>, options.timeLimit).catch(() => undefined);
        } catch {
          // Judged on the first call.
        }
        const ms2 = performance.now() - t1;
        if (ms2 > options.timeLimit) problem = `took ${Math.round(ms)} ms and ${Math.round(ms2)} ms again, more than ${options.timeLimit} ms${problem === null ? '' : `, and ${problem}`}`;
      }
      problem ??= stateProblem();
      restoreGlobals();
      if (problem !== null) {
        const key = `${callee.label}: ${problem.replace(/\d+/g, '#').slice(0, 120)}`;
        if (!failed.has(key)) {
          failed.add(key);
          failures.push({ label: callee.label, args: `seed ${options.seed}, call ${i}: (${safeShow(args)})`, problem });
        }
        continue;
      }
      if (result !== undefined && seeds.length < 6 && !args.some((a) => a !== null && typeof a === 'object' && proxies.has(a))) seeds.push(args);
      for (const [key, f] of returnedFunctions(result)) {
        if (closuresOfThis >= 3 || callee.label.includes('(…)')) break;
        closuresOfThis++;
        closures++;
        const producer = callee.names[0]!;
        queue.push({
          callee: {
            label: `${callee.label}(…)${key === '' ? '' : `.${key}`}`,
            // A function returned in an object is named as its method would be (CharDataset.encode).
            names: [...callee.names, ...(Object.hasOwn(CLOSURE_NAMES, producer) ? CLOSURE_NAMES[producer]! : []), ...(key === '' || /^\d+$/.test(key) ? [] : [`.${key}`])],
            arity: f.length,
            invoke: (a) => f(...a),
            examples: closureExample(producer, args),
            hints: sourceHints(f),
          },
          calls: options.closureCalls,
        });
      }
    }
  }
  const slow = [...spent].sort((a, b) => b[1] - a[1]);
  return {
    calls,
    callees: queue.length,
    functions: fns.length,
    classes: classCount,
    methods: methodCallees.filter((c) => !c.label.startsWith('new ') && !c.label.endsWith('(getter)')).length,
    getters: methodCallees.filter((c) => c.label.endsWith('(getter)')).length,
    closures,
    exports: exportCount,
    kinds: kindsUsed.size,
    failures,
    slowest: slow.slice(0, 25).map(([label, ms]): [string, number] => [label, Math.round(ms)]),
    milliseconds: performance.now() - started,
  };
}

/** Loads what the library loads lazily on first use (mathjs, Graphviz), so that no call pays for it. */
async function warmUp(): Promise<void> {
  (nodeEntry as { fromExpression: (t: string) => unknown }).fromExpression('x + 1');
  history();
  // The universal renderSvg cannot load Graphviz under jest (an ES module); its calls then fail
  // at once with a RenderError, which is what they are judged on.
  await vizEntry.renderSvg('digraph { a -> b }').catch(() => undefined);
  nodeEntry.renderSvgSync('digraph { a -> b }');
}

/** For the closure of a transform, a known-good call: the producer's own arguments. */
function closureExample(producer: string, args: unknown[]): (() => unknown[]) | undefined {
  if (producer === 'grad' || producer === 'valueAndGrad' || producer === 'jacobian' || producer === 'jacfwd' || producer === 'hessian') return () => [tensor([1, 2]), tensor([3, 4])];
  if (producer === 'linearize' || producer === 'customVjp' || producer === 'checkpoint') return () => [tensor([1, 2])];
  if (producer === 'vjp') return () => [tensor(args.slice(1).map(() => 1).length === 1 ? [1, 1] : [1, 1])];
  if (producer === 'fromExpression') return () => [{ x: tensor([1, 2]), y: tensor([3, 4]), W: tensor([[1, 0], [0, 1]]), b: tensor([1, 1]) }];
  if (producer === 'initializer') return () => [[2, 3], new Rng(0)];
  return undefined;
}

/** The functions a call returned: the result itself, or those in a short array or a plain object, with their keys. */
function returnedFunctions(result: unknown): Array<[string, (...args: unknown[]) => unknown]> {
  const out: Array<[string, (...args: unknown[]) => unknown]> = [];
  const consider = (v: unknown, key: string) => {
    if (typeof v === 'function' && !isClass(v) && !proxies.has(v)) out.push([key, v as (...args: unknown[]) => unknown]);
  };
  if (result !== null && (typeof result === 'object' || typeof result === 'function') && proxies.has(result)) return out;
  try {
    consider(result, '');
    if (Array.isArray(result) && result.length <= 4) result.forEach((v, i) => consider(v, String(i)));
    else if (result !== null && typeof result === 'object' && Object.getPrototypeOf(result) === Object.prototype) Object.entries(result).slice(0, 8).forEach(([k, v]) => consider(v, k));
  } catch {
    // A result made of the fuzzer's own throwing values.
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms + 50);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Everything fuzzed calls may print, swallowed; returns the function that restores the streams. */
export function silence(): () => void {
  const out = process.stdout.write;
  const err = process.stderr.write;
  const log = console.log;
  const warn = console.warn;
  const error = console.error;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  console.log = console.warn = console.error = () => undefined;
  return () => {
    process.stdout.write = out;
    process.stderr.write = err;
    console.log = log;
    console.warn = warn;
    console.error = error;
  };
}

export { Adam, BatchNorm, Conv2d, randn };
