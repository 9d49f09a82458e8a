/**
 * The nets, optimizers, schedules, training loop, metrics, loaders and gradient checkers called
 * with random, partly invalid arguments: each returns normally or throws a DeltaGraphError
 * subclass naming the callee, never a TypeError, a RangeError or a silent NaN.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Adam, ArgumentError, BCELoss, BatchNorm, CosineLR, CrossEntropyLoss, DeltaGraphError, Dropout, GraphError, History, Linear, MLP,
  MSELoss, Module, ProgressBar, RMSProp, ReLU, Rng, SGD, Sequential, ShapeError, StepLR, Tensor, accuracy, argmaxRows, clipGradNorm,
  evaluate, fit, gradNorm, initialize, initializer, loadCaliforniaHousing, loadMnist, loadModel, loadStateDict, mul, param, parseIdx,
  r2, readModel, rmse, rng, saveModel, stateDict, sum, tensor, xorDataset, zeros,
} from '../../node';
import { checkOps, formatOpTable, gradcheck, gradgradcheck, numericJacobian, shapes, tensorOf } from '../../check';
import { expectSane as expectSaneCall, show as showAny } from './fuzz-harness';
import { expectError, thrown } from './expect-error';
import { params, quiet, sink } from './nn-fixtures';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-nn-fuzz-'));
});

/** Shows an argument with this spec's own kinds. */
const showArg = (v: unknown): string => showAny(v, showOwn);

/** The kinds only this spec passes: fresh-made values and modules. */
const showOwn = (v: unknown): string | undefined =>
  v instanceof Fresh ? `Fresh(${v.label})` : v instanceof Module ? v.describe().split('\n')[0]! : undefined;

/** A value made afresh for every call (a model, parameters, an optimizer), so that runs do not share state. */
class Fresh {
  constructor(readonly label: string, readonly make: () => unknown) {}
}
const fresh = (label: string, make: () => unknown) => fc.constant(new Fresh(label, make));
/** A plain object: a literal, or one without a prototype (fast-check's records may be either). */
function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Replaces Fresh values (also inside plain objects and arrays, one level down) by new ones. */
function realize(v: unknown): unknown {
  if (v instanceof Fresh) return v.make();
  if (Array.isArray(v)) return v.map((x) => (x instanceof Fresh ? x.make() : x));
  if (isPlain(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x instanceof Fresh ? x.make() : x]));
  }
  return v;
}

/** Values that are wrong for almost every argument. */
const WILD: unknown[] = [
  null, undefined, NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1, 1.5, 2, 7, 1e300, 2 ** 31, 2 ** 53, '', 'abc', '0.1', 'relu', true, false,
  {}, [], [[]], [1, 'a'], [[1, 2], [3]], [NaN], [-1], () => 1, (x: unknown) => x, Symbol('s'), 10n, Object.create(null),
  new Float32Array(2), new Float64Array(0), tensor([1, 2]), tensor(3), zeros([2, 0]), rng(1), new Map(), new Date(0),
];
const wild: fc.Arbitrary<unknown> = fc.constantFrom(...WILD);

/** Mostly a plausible value, sometimes a wild one. */
function mixed(plausible: fc.Arbitrary<unknown>, plausibleWeight = 6): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: plausibleWeight, arbitrary: plausible }, { weight: 1, arbitrary: wild });
}

/** Mostly a valid value, sometimes an invalid one of the right kind. */
function sometimes<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>, validWeight = 10): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: 1, arbitrary: invalid });
}

/**
 * An options object whose fields are each left out (unless required), plausible or (rarely, as
 * there are many) wild; sometimes the whole object is wild.
 */
function optionsOf(fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []): fc.Arbitrary<unknown> {
  const record = fc.record(Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, mixed(a, 30)])), { requiredKeys: required });
  return fc.oneof({ weight: 12, arbitrary: record }, { weight: 1, arbitrary: wild });
}

const value = fc.double({ min: -3, max: 3, noNaN: true });
/** A batch [n, k] as a tensor or as nested arrays. */
const matrix = (rows: fc.Arbitrary<number>, cols: fc.Arbitrary<number>): fc.Arbitrary<unknown> =>
  fc
    .tuple(rows, cols)
    .chain(([n, k]) => fc.tuple(fc.array(value, { minLength: n * k, maxLength: n * k }), fc.boolean()).map(([v, nested]) => {
      const t = new Tensor(Float64Array.from(v), [n, k]);
      return nested ? t.toArray() : t;
    }));
const rows = sometimes(fc.integer({ min: 1, max: 4 }), fc.constant(0)) as fc.Arbitrary<number>;
/** A batch of `cols` columns (mostly), or of another width, or something else. */
const batchOf = (cols: number): fc.Arbitrary<unknown> =>
  mixed(fc.oneof({ weight: 5, arbitrary: matrix(rows, fc.constant(cols)) }, { weight: 1, arbitrary: matrix(rows, fc.integer({ min: 1, max: 3 })) }));
const batch = mixed(matrix(rows, fc.integer({ min: 1, max: 3 })));
const width = fc.integer({ min: 1, max: 3 });
const size = mixed(sometimes(width, fc.constantFrom(-1, 0, 0.5)));
const lr = sometimes(fc.double({ min: 1e-3, max: 1, noNaN: true }), fc.constantFrom(0, -0.1, NaN, Infinity));
const decay = sometimes(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.constantFrom(1, -0.1, 1.5));
const positive = sometimes(fc.double({ min: 1e-9, max: 1, noNaN: true }), fc.constantFrom(0, -1e-8));
const seed = sometimes(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), fc.constantFrom(NaN, Infinity));
const paramsArb = mixed(sometimes(fc.oneof(fresh('params', params), fresh('no params', () => [])), fresh('a tensor and a number', () => [param([1]), 2])));
const optimizerArb = mixed(fresh('SGD', () => new SGD(params(), { lr: 0.5 })));
const gradientSource = mixed(
  fc.constantFrom<unknown>(
    { get: (t: Tensor) => zeros(t.shape) },
    { get: (t: Tensor) => mul(zeros(t.shape), 1) },
    { get: () => tensor([1]) },
    { get: () => 3 },
    { get: 'x' },
  ),
);
const initSpec = mixed(sometimes(
  fc.constantFrom<unknown>('normal', 'normal:0.1', 'normal:1e-3', 'xavier', 'he', 'kaiming', 'glorot', 'fanInUniform', 'zeros', { kind: 'normal', std: 0.1 }, { kind: 'he' }),
  fc.constantFrom<unknown>('normal:abc', 'normal:', 'normal:-1', 'normal:1:2', 'xavier:1', 'ones', { kind: 'normal' }, { kind: 'bad' }),
));
const lossArb = fc.constantFrom<unknown>(new MSELoss(), new MSELoss('exampleMean'), new BCELoss({ logits: true }), new CrossEntropyLoss());
const modelArb = mixed(
  fc.oneof(
  { weight: 3, arbitrary: fresh('MLP 2-1', () => new MLP({ layers: [2, 1], seed: 1 })) },
  { weight: 2, arbitrary: fresh('MLP 2-3-1 batch norm', () => new MLP({ layers: [2, 3, 1], batchNorm: true, dropout: 0.2 })) },
  { weight: 1, arbitrary: fresh('MLP 3-2', () => new MLP({ layers: [3, 2] })) },
  ),
  12,
);
/** Inputs of width 2 (the models' usual width) with one target column, n rows each; or something less fitting. */
const dataArb = fc.oneof(
  { weight: 40, arbitrary: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constant(0) }).chain((n) => fc.record({ x: mixed(matrix(fc.constant(n), fc.constant(2)), 20), y: mixed(matrix(fc.constant(n), fc.constant(1)), 20) })) },
  { weight: 1, arbitrary: fc.record({ x: batch, y: batch }) },
  { weight: 1, arbitrary: fc.record({ X: batch, y: batch }) },
  { weight: 1, arbitrary: fc.record({ x: batch }) },
  { weight: 1, arbitrary: wild },
);
/** The optimizer of fit: a marker replaced by an SGD over the model's parameters. */
const OWN_OPTIMIZER = Symbol('SGD over the model');
const OWN_SCHEDULE = Symbol('StepLR of that SGD');

/** Runs one call: it must return (and pass `validate`) or throw a DeltaGraphError subclass naming one of `names`. */
function expectSane(name: string, names: readonly string[], args: readonly unknown[], call: () => unknown, validate?: (r: unknown) => void): void {
  expectSaneCall(name, names, args, call, validate, showOwn);
}

/**
 * True when every number among the arguments (tensors, nested arrays and options included) is
 * finite and moderate: a weight decay or a γ of 1e300 may rightly overflow to ∞.
 */
function tame(args: readonly unknown[]): boolean {
  const moderate = (x: number) => Number.isFinite(x) && Math.abs(x) <= 1e3;
  const ok = (v: unknown, depth: number): boolean => {
    if (typeof v === 'number') return moderate(v);
    if (v instanceof Tensor) return v.data.every(moderate);
    if (isPlain(v)) return depth < 6 && Object.values(v).every((x) => ok(x, depth + 1));
    if (Array.isArray(v)) return depth < 6 && v.every((x) => ok(x, depth + 1));
    return true;
  };
  return args.every((a) => ok(a, 0));
}

function finiteTensor(name: string, args: readonly unknown[], t: unknown): void {
  if (!(t instanceof Tensor)) throw new Error(`${name}(${showArg(args)}) returned ${showArg(t)}, expected a tensor`);
  if (tame(args) && !t.data.every(Number.isFinite)) throw new Error(`${name}(${showArg(args)}) returned non-finite values from moderate arguments: ${showArg(t)}`);
}

interface Callee {
  name: string;
  /** Names its messages may carry (default: its own). */
  names?: string[];
  args: fc.Arbitrary<unknown[]>;
  call: (...args: any[]) => unknown;
  validate?: (result: unknown, args: unknown[]) => void;
  runs?: number;
}

/** An optimizer's result must take a step without turning finite parameters into NaN. */
const stepsFinitely = (name: string) => (r: unknown, args: unknown[]): void => {
  const opt = r as SGD;
  for (const p of (opt as unknown as { params: Tensor[] }).params) {
    if (tame(args) && !p.data.every(Number.isFinite)) throw new Error(`${name}(${showArg(args)}) made a parameter non-finite: ${showArg(p)}`);
  }
};

const optimizer = (name: string, Cls: new (p: Tensor[], o: any) => SGD | Adam | RMSProp, fields: Record<string, fc.Arbitrary<unknown>>): Callee => ({
  name,
  args: fc.tuple(paramsArb, optionsOf({ lr, weightDecay: positive, ...fields }, ['lr']), gradientSource),
  call: (ps: unknown, options: unknown, grads: unknown) => {
    const opt = new Cls(realize(ps) as Tensor[], options);
    opt.step(grads as { get(t: Tensor): Tensor });
    opt.step(grads as { get(t: Tensor): Tensor });
    return opt;
  },
  validate: stepsFinitely(name),
});

/** A prediction [n, c] and a target [n] of labels, [n, c] or [n, 1]; or less fitting pairs. */
const predictionAndTarget: fc.Arbitrary<[unknown, unknown]> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.tuple(rows, width).chain(([n, c]) =>
      fc.tuple(
        mixed(matrix(fc.constant(n), fc.constant(c)), 20),
        mixed(fc.oneof(matrix(fc.constant(n), fc.constant(c)), fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }).map((v) => tensor(v))), 20),
      ),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(batch, batch) },
);
const metric = (name: string, fn: (...a: any[]) => number): Callee => ({
  name,
  args: fc.tuple(predictionAndTarget, mixed(fc.constantFrom(undefined, 0, 0.5), 20)).map(([[p, y], t]) => [p, y, t]),
  call: fn,
  validate: (r, args) => {
    if (typeof r !== 'number') throw new Error(`${name}(${showArg(args)}) returned ${showArg(r)}`);
    // R² of a nearly constant target can be below −1.8e308: −∞ is then its correctly rounded value. NaN never is.
    const bad = name === 'r2' ? Number.isNaN(r) : !Number.isFinite(r);
    if (tame(args) && bad) throw new Error(`${name}(${showArg(args)}) returned ${r} from moderate arguments`);
  },
});

const GRAD_FUNCTIONS: ReadonlyArray<(...a: any[]) => unknown> = [
  (x: Tensor) => sum(mul(x, x)),
  (x: Tensor, y: Tensor) => mul(x, y),
  (x: Tensor) => x,
  () => tensor(1),
  () => 3,
];
const gradcheckArgs = fc.tuple(
  mixed(fc.constantFrom(...GRAD_FUNCTIONS)),
  mixed(fc.array(mixed(fc.constantFrom(tensor([0.5, -1]), tensor(2), tensor([[1, 2], [3, 4]]), zeros([0])), 12), { minLength: 1, maxLength: 2 })),
  optionsOf({
    eps: sometimes(fc.constantFrom(1e-6, 1e-4), fc.constantFrom(0, -1)),
    atol: sometimes(fc.constantFrom(1e-5, 0), fc.constant(-1)),
    rtol: sometimes(fc.constant(1e-4), fc.constant(-1)),
    mode: sometimes(fc.constantFrom('full', 'dot'), fc.constant('half')),
    name: sometimes(fc.constant('f'), fc.constant(3)),
    wrt: sometimes(fc.constant([0]), fc.constantFrom([1], [0, 0], [], [-1], [0.5])),
    seed: seed,
    raise: fc.boolean(),
  }),
);

let housingFile = '';
let modelFile = '';
let notJsonFile = '';

const CALLEES: Callee[] = [
  optimizer('SGD', SGD, { momentum: decay, nesterov: fc.boolean() }),
  optimizer('Adam', Adam, { beta1: decay, beta2: decay, eps: positive }),
  optimizer('RMSProp', RMSProp, { alpha: decay, eps: positive }),
  {
    name: 'StepLR',
    args: fc.tuple(optimizerArb, size, mixed(fc.double({ min: 0.01, max: 2, noNaN: true })), mixed(sometimes(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 0.5)))),
    call: (opt: unknown, stepSize: number, gamma: number, epoch: number) => {
      const o = realize(opt) as SGD;
      new StepLR(o, stepSize, gamma).apply(epoch);
      return o;
    },
    validate: (o, args) => {
      if (tame(args) && !Number.isFinite((o as SGD).lr)) throw new Error(`StepLR(${showArg(args)}) set lr to ${(o as SGD).lr}`);
    },
  },
  {
    name: 'CosineLR',
    args: fc.tuple(optimizerArb, size, mixed(fc.double({ min: 0, max: 0.5, noNaN: true })), mixed(sometimes(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 0.5)))),
    call: (opt: unknown, epochs: number, minLr: number, epoch: number) => {
      const o = realize(opt) as SGD;
      new CosineLR(o, epochs, minLr).apply(epoch);
      return o;
    },
    validate: (o, args) => {
      if (tame(args) && !Number.isFinite((o as SGD).lr)) throw new Error(`CosineLR(${showArg(args)}) set lr to ${(o as SGD).lr}`);
    },
  },
  {
    name: 'initializer',
    args: fc.tuple(initSpec),
    call: initializer,
    validate: (r, args) => {
      const i = r as { kind: string; std?: number };
      if (i.kind === 'normal' && !(Number.isFinite(i.std) && i.std! > 0)) throw new Error(`initializer(${showArg(args)}) returned σ = ${i.std}`);
    },
  },
  {
    name: 'initialize',
    args: fc.tuple(
      mixed(fc.constantFrom({ kind: 'normal', std: 0.1 }, { kind: 'xavier' }, { kind: 'he' }, { kind: 'fanInUniform' }, { kind: 'zeros' })),
      mixed(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 })),
      mixed(fc.constant(null).map(() => rng(0))),
      mixed(fc.constantFrom(undefined, 1, 3)),
      mixed(fc.constantFrom(undefined, 1, 3)),
    ),
    call: initialize,
    validate: (r, args) => finiteTensor('initialize', args, r),
  },
  {
    name: 'Linear',
    args: fc.tuple(width, size, optionsOf({ bias: fc.boolean(), init: initSpec, biasInit: initSpec, rng: fc.oneof(seed, fc.constant(rng(2))) })).chain(([a, b, o]) =>
      fc.tuple(sometimes(fc.constant(a), size), fc.constant(b), fc.constant(o), batchOf(a)),
    ),
    call: (a: number, b: number, o: unknown, x: unknown) => new Linear(a, b, o as object).forward(x as Tensor),
    validate: (r, args) => finiteTensor('Linear', args, r),
  },
  {
    name: 'BatchNorm',
    args: fc.tuple(width, optionsOf({ eps: positive, momentum: decay, affine: fc.boolean() }), fc.boolean()).chain(([f, o, training]) =>
      fc.tuple(sometimes(fc.constant(f), size), fc.constant(o), batchOf(f), fc.constant(training)),
    ),
    call: (features: number, o: unknown, x: unknown, training: boolean) => new BatchNorm(features, o as object).train(training).forward(x as Tensor),
    validate: (r, args) => finiteTensor('BatchNorm', args, r),
  },
  {
    name: 'MLP',
    args: sometimes(fc.array(width, { minLength: 2, maxLength: 4 }), fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 4 })).chain((layers) =>
      fc.tuple(
        optionsOf({
          layers: fc.constant(layers),
          hidden: sometimes(fc.constantFrom('relu', 'tanh', 'leakyRelu'), fc.constantFrom(['relu'], ['sigmoid', 'tanh'], 'bogus')),
          output: sometimes(fc.constantFrom('identity', 'sigmoid', 'softmax'), fc.constant('toString')),
          init: initSpec,
          batchNorm: fc.boolean(),
          dropout: decay,
          seed,
        }, ['layers']),
        batchOf(Array.isArray(layers) && typeof layers[0] === 'number' && layers[0] >= 1 ? layers[0] : 2),
      ),
    ),
    call: (o: unknown, x: unknown) => new MLP(o as never).forward(x as Tensor),
    validate: (r, args) => finiteTensor('MLP', args, r),
  },
  {
    name: 'Dropout',
    args: fc.tuple(mixed(decay), mixed(fc.oneof(seed, fc.constant(rng(3)))), batch),
    call: (p: number, s: number, x: unknown) => new Dropout(p, s).forward(x as Tensor),
    validate: (r, args) => finiteTensor('Dropout', args, r),
  },
  {
    name: 'Sequential',
    args: fc.tuple(fc.array(mixed(fresh('Linear 2-2', () => new Linear(2, 2)), 12), { maxLength: 2 }), batchOf(2)),
    call: (layers: unknown, x: unknown) => new Sequential(...(realize(layers) as Module[])).forward(x as Tensor),
    validate: (r, args) => finiteTensor('Sequential', args, r),
  },
  {
    name: 'fit',
    args: fc.tuple(
      modelArb,
      dataArb,
      optionsOf({
        loss: lossArb,
        optimizer: fc.constant(OWN_OPTIMIZER),
        epochs: sometimes(fc.integer({ min: 1, max: 2 }), fc.constantFrom(0, 1.5)),
        batchSize: sometimes(fc.integer({ min: 1, max: 5 }), fc.constant(0)),
        shuffle: fc.boolean(),
        seed,
        validation: dataArb,
        validationName: sometimes(fc.constantFrom('val', 'test'), fc.constant('')),
        metrics: sometimes(fc.subarray(['accuracy', 'rmse']), fc.constantFrom(['r2'], ['f1'])),
        earlyStopping: optionsOf({ patience: sometimes(fc.integer({ min: 1, max: 2 }), fc.constant(0)), minDelta: fc.double({ min: 0, max: 1, noNaN: true }), restoreBest: fc.boolean() }),
        schedule: fc.constant(OWN_SCHEDULE),
        clipNorm: positive,
        progress: sometimes(fc.constantFrom(false, { stream: sink, tty: true }, { stream: sink, tty: false }), fc.constant({ stream: sink, width: 0 })),
        onEpoch: fc.constantFrom(() => undefined, () => 'stop'),
      }, ['loss', 'optimizer', 'epochs']),
    ),
    call: (m: unknown, d: unknown, o: unknown) => {
      const model = realize(m);
      const options = realize(o) as Record<string, unknown>;
      if (options !== null && typeof options === 'object') {
        // A huge epoch count (2³¹) is valid, only slow: cap it.
        if (Number.isSafeInteger(options.epochs) && (options.epochs as number) > 3) options.epochs = 3;
        const opt = model instanceof Module ? new SGD(model.parameters(), { lr: 0.1 }) : undefined;
        if (options.optimizer === OWN_OPTIMIZER) options.optimizer = opt;
        if (options.schedule === OWN_SCHEDULE) options.schedule = opt && new StepLR(opt, 1, 0.5);
      }
      return fit(model as Module, realize(d) as never, options as never);
    },
    validate: (r, args) => {
      const h = r as History;
      if (!Array.isArray(h.epochs) || h.epochs.length === 0) throw new Error(`fit(${showArg(args)}) returned ${showArg(r)}`);
    },
    runs: 300,
  },
  {
    name: 'evaluate',
    args: fc.tuple(modelArb, dataArb, mixed(lossArb), mixed(sometimes(fc.subarray(['accuracy', 'rmse']), fc.constantFrom(['r2'], ['f1']))), mixed(sometimes(fc.integer({ min: 1, max: 3 }), fc.constant(0)))),
    call: (m: unknown, d: unknown, loss: unknown, metrics: unknown, b: unknown) => (evaluate as any)(realize(m), realize(d), loss, metrics, b),
  },
  metric('accuracy', accuracy),
  metric('rmse', rmse),
  metric('r2', r2),
  {
    name: 'argmaxRows',
    args: fc.tuple(mixed(fc.oneof(batch, fc.constant(tensor([1, 3, 2]))))),
    call: argmaxRows,
  },
  {
    name: 'clipGradNorm',
    args: fc.tuple(gradientSource, paramsArb, mixed(fc.double({ min: 0.01, max: 10, noNaN: true }))),
    call: (g: unknown, ps: unknown, maxNorm: number) => clipGradNorm(g as never, realize(ps) as Tensor[], maxNorm),
  },
  {
    name: 'loadStateDict',
    args: fc.tuple(
      modelArb,
      mixed(fc.oneof(
        { weight: 4, arbitrary: fresh('a 2-1 model', () => stateDict(new MLP({ layers: [2, 1] }))) },
        fresh('no buffers', () => ({ ...stateDict(new MLP({ layers: [2, 1] })), buffers: undefined })),
        fresh('a string value', () => {
          const s = stateDict(new MLP({ layers: [2, 1] }));
          s.parameters['net.0.b']!.data = ['x'];
          return s;
        }),
        fc.constant({ format: 'deltagraph-model' }),
      )),
    ),
    call: (m: unknown, s: unknown) => loadStateDict(realize(m) as Module, realize(s) as never),
  },
  {
    name: 'readModel',
    args: fc.tuple(mixed(fc.constantFrom('model', 'missing', 'not JSON'))),
    call: (which: unknown) => {
      const files: Record<string, string> = { model: modelFile, missing: join(dir, 'missing.json'), 'not JSON': notJsonFile };
      return readModel(typeof which === 'string' && Object.prototype.hasOwnProperty.call(files, which) ? files[which]! : (which as string));
    },
  },
  {
    name: 'loadCaliforniaHousing',
    args: fc.tuple(optionsOf({
      testFraction: sometimes(fc.constantFrom(0.2, 0.5), fc.constantFrom(0, 1, 2, -0.1, 1e-6)),
      seed,
      clip: sometimes(fc.constantFrom(5, Infinity), fc.constantFrom(0, -1, NaN)),
      logTransform: fc.boolean(),
      path: sometimes(fc.constant('housing'), fc.constant('/missing.csv')),
    })),
    call: (o: unknown) => {
      const options = o !== null && typeof o === 'object' && (o as { path?: unknown }).path === 'housing' ? { ...o, path: housingFile } : o;
      return loadCaliforniaHousing(options as never);
    },
    validate: (r, args) => {
      const h = r as ReturnType<typeof loadCaliforniaHousing>;
      if (h.train.x.shape[0] === 0 || h.test.x.shape[0] === 0 || !h.train.x.data.every(Number.isFinite)) {
        throw new Error(`loadCaliforniaHousing(${showArg(args)}) returned ${h.train.x.shape[0]} training and ${h.test.x.shape[0]} test rows`);
      }
    },
    runs: 12,
  },
  {
    name: 'ProgressBar',
    args: fc.tuple(mixed(fc.constant('epoch 1/1')), mixed(fc.integer({ min: 0, max: 10 })), optionsOf({ stream: fc.constant(sink), width: size, tty: fc.boolean() }), mixed(fc.integer({ min: 0, max: 10 }))),
    call: (label: string, total: number, o: unknown, done: number) => {
      const options = o !== null && typeof o === 'object' && !('stream' in o) ? { ...o, stream: sink } : o;
      const bar = new ProgressBar(label, total, options as never);
      bar.update(done, 'status');
      bar.finish('done');
      return bar;
    },
  },
  {
    name: 'checkOps',
    args: fc.tuple(
      mixed(fc.array(sometimes(fc.constantFrom('add', 'relu', 'tanh'), fc.constantFrom('nope', 3)), { minLength: 1, maxLength: 2 })),
      // Not the wild objects: a Map or a tensor as options would mean the default 100 runs per op, valid but slow.
      fc.oneof(
        { weight: 12, arbitrary: fc.record({ runs: mixed(sometimes(fc.constantFrom(1, 2), fc.constantFrom(0, -1, 1.5)), 30), seed: sometimes(fc.constantFrom(0, 1), fc.constant(0.5)), onRow: mixed(fc.constant(() => undefined), 30) }, { requiredKeys: ['runs'] }) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, 3, 'fast', [], {}) },
      ),
    ),
    // An empty list means every op: too slow here, so the property leaves it out.
    call: (names: unknown, o: unknown) => {
      // Many runs (the default 100, or 2³¹) are valid, only slow: cap them.
      const runs = (o as { runs?: unknown } | null)?.runs;
      const options = o === undefined ? { runs: 1 } : isPlain(o) && (runs === undefined || (Number.isSafeInteger(runs) && (runs as number) > 2)) ? { ...o, runs: 2 } : o;
      return Array.isArray(names) && names.length === 0 ? [] : checkOps(names as string[], options as never);
    },
    runs: 60,
  },
  {
    name: 'gradcheck',
    names: ['gradcheck', 'mul', 'sum'],
    args: gradcheckArgs,
    call: gradcheck,
  },
  {
    // A failed comparison is reported by gradcheck on h = vᵀ∂f, named f′′.
    name: 'gradgradcheck',
    names: ['gradgradcheck', 'gradcheck', 'mul', 'sum'],
    args: gradcheckArgs,
    call: gradgradcheck,
  },
  {
    name: 'numericJacobian',
    names: ['numericJacobian', 'mul', 'sum'],
    args: fc.tuple(gradcheckArgs.map(([f]) => f), gradcheckArgs.map(([, inputs]) => inputs), mixed(sometimes(fc.constant(0), fc.constantFrom(1, -1, 0.5))), mixed(sometimes(fc.constant(1e-6), fc.constant(0)))),
    call: numericJacobian,
  },
  {
    name: 'formatOpTable',
    args: fc.tuple(mixed(fc.array(fc.constantFrom<unknown>(
      { op: 'add', kind: 'binary', cases: 2, firstOrderError: 0, secondOrderError: 1e-9, pass: true },
      { op: 'add' },
      null,
    ), { maxLength: 2 }))),
    call: formatOpTable,
  },
  {
    name: 'shapes',
    args: fc.tuple(optionsOf({ minRank: sometimes(fc.integer({ min: 0, max: 2 }), fc.constantFrom(-1, 65, 0.5)), maxRank: size, minDim: size, maxDim: size })),
    call: (o: unknown) => fc.sample(shapes(o as never), { numRuns: 2, seed: 1 }),
  },
  {
    name: 'tensorOf',
    args: fc.tuple(mixed(fc.constantFrom([2], [1, 2], [-1])), mixed(fc.constantFrom({ min: -1, max: 1 }, { min: 1, max: -1 }, { min: NaN, max: 1 }))),
    call: (shape: unknown, range: unknown) => fc.sample(tensorOf(shape as number[], range as never), { numRuns: 2, seed: 1 }),
  },
  {
    name: 'parseIdx',
    args: fc.tuple(
      mixed(fc.oneof(fc.constant(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 7, 9)), fc.uint8Array({ maxLength: 12 }))),
      optionsOf({ limit: size, scale: sometimes(fc.constantFrom(1, 1 / 255), fc.constant(NaN)), source: sometimes(fc.constant('file'), fc.constant('')) }),
    ),
    call: parseIdx,
    validate: (r, args) => {
      if (!(r instanceof Tensor)) throw new Error(`parseIdx(${showArg(args)}) returned ${showArg(r)}`);
    },
  },
];

describe('nn and check functions, called with random and partly invalid arguments', () => {
  let restoreStdout: () => void;
  beforeAll(() => {
    // fit draws progress by default; keep the test output clean.
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    restoreStdout = () => spy.mockRestore();
    housingFile = join(__dirname, '..', '..', 'data', 'california-housing.csv');
    modelFile = join(dir, 'model.json');
    saveModel(new MLP({ layers: [2, 1] }), modelFile);
    notJsonFile = join(dir, 'not-json.json');
    writeFileSync(notJsonFile, 'deltagraph');
  });
  afterAll(() => restoreStdout());

  it.each(CALLEES.map((c) => [c.name, c] as const))('%s returns normally or throws a DeltaGraphError naming it', (name, callee) => {
    fc.assert(
      fc.property(callee.args, (args) => {
        expectSane(name, callee.names ?? [name], args, () => callee.call(...args), callee.validate && ((r) => callee.validate!(r, args)));
      }),
      { numRuns: callee.runs ?? 150 },
    );
  });
});

it('asking for the pre-activations before any forward pass is a GraphError naming Sequential', () => {
  expectError(() => new MLP({ layers: [2, 1] }).preActivations(), GraphError, 'Sequential', 'forward');
});
