/**
 * Training that loses nothing: the generators' and optimizers' state round trips, fit resumed from
 * any of its checkpoints (epoch and step granularity) equal to the uninterrupted run bit for bit,
 * trainGpt likewise, the refusals of a checkpoint of another run, the atomic write of
 * saveCheckpoint, and the non-finite loss (and, with anomaly detection, gradient) errors.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Adam, AdamW, ArgumentError, CosineLR, CrossEntropyLoss, DeltaGraphError, Dropout, FitCheckpoint, FitOptions, GptCheckpoint, Linear, MSELoss, Module, NonFiniteError,
  Optimizer, RMSProp, ReLU, Rng, SGD, Sequential, StepLR, Tensor, TensorLike, WarmupCosineLR, charDataset, fit, getRngState, globalRng, gpt, loadCheckpoint, log,
  manualSeed, mul, param, randn, rng, saveCheckpoint, setRngState, sqrt, tensor, trainGpt,
} from '../../node';

// fs with a renameSync that a test can make fail, as a kill between the write and the rename would.
let mockRename: ((from: string, to: string) => void) | null = null;
jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  return { ...actual, renameSync: (from: string, to: string) => (mockRename ?? actual.renameSync)(from, to) };
});

/** A JSON round trip, as a checkpoint file makes. */
const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Every value of the tensors as bits (Object.is tells −0 and NaN apart). */
function sameBits(a: readonly Tensor[], b: readonly Tensor[]): boolean {
  return a.length === b.length && a.every((t, i) => t.data.length === b[i]!.data.length && t.data.every((v, k) => Object.is(v, b[i]!.data[k])));
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-checkpoint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Rng state', () => {
  it('round-trips through JSON exactly, the kept normal value included, for a generator and the global one', () => {
    const g = rng(42);
    for (let i = 0; i < 7; i++) g.uniform();
    g.normal(); // keeps the second value of the pair
    const state = viaJson(g.state());
    expect(state.spare).not.toBeNull();
    const copy = rng(0).setState(state);
    const draws = (r: Rng) => [r.normal(), r.normal(), r.uniform(), r.int(1000), ...r.permutation(6)];
    expect(draws(copy)).toEqual(draws(g));
    expect(copy.initialSeed()).toBe(42);

    manualSeed(5);
    globalRng().normal();
    const saved = viaJson(getRngState());
    const expected = randn([9]).data;
    setRngState(saved);
    expect(Array.from(randn([9]).data)).toEqual(Array.from(expected));
  });

  it.each([
    [{}, /Rng\.setState: words must be an array of 4 integers/],
    [{ words: [1, 2, 3], spare: null, seed: 0 }, /words must be an array of 4 integers/],
    [{ words: [0, 0, 0, 0], spare: null, seed: 0 }, /all 0/],
    [{ words: [1, 2, 3, 2 ** 32], spare: null, seed: 0 }, /4294967296/],
    [{ words: [1, 2, 3, 4], spare: 'NaN', seed: 0 }, /spare must be null, a finite number or '-0'/],
    [{ words: [1, 2, 3, 4], spare: null, seed: -1 }, /seed must be an integer/],
    [null, /Rng\.setState: expected \{ words, spare, seed \}/],
  ])('setState refuses a bad state and changes nothing (%#)', (state, message) => {
    const g = rng(3);
    const before = g.state();
    expect(() => g.setState(state as never)).toThrow(ArgumentError);
    expect(() => g.setState(state as never)).toThrow(message);
    expect(g.state()).toEqual(before);
    expect(() => setRngState(state as never)).toThrow(/^setRngState: /);
  });
});

describe('optimizer state', () => {
  const shapes = [[3, 2], [2]];
  /** Parameters, and a fixed sequence of gradient sets for them. */
  const setup = () => shapes.map((s, i) => param(randn(s, rng(10 + i))));
  const gradients = Array.from({ length: 8 }, (_, t) => shapes.map((s, i) => randn(s, rng(100 * t + i))));
  const source = (gs: Tensor[], params: Tensor[]) => ({ get: (p: Tensor) => gs[params.indexOf(p)]! });
  const makers: Array<[string, (ps: Tensor[]) => Optimizer]> = [
    ['SGD with momentum', (ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['plain SGD', (ps) => new SGD(ps, { lr: 0.1 })],
    ['Adam', (ps) => new Adam(ps, { lr: 0.01, beta1: 0.8 })],
    ['AdamW', (ps) => new AdamW(ps, { lr: 0.01, weightDecay: 0.1, decay: (p) => p.rank >= 2 })],
    ['RMSProp', (ps) => new RMSProp(ps, { lr: 0.01, alpha: 0.9 })],
  ];

  it.each(makers)('%s: stateDict → JSON → loadStateDict continues exactly as the original', (_, make) => {
    const a = setup();
    const opt = make(a);
    for (let t = 0; t < 4; t++) opt.step(source(gradients[t]!, a));
    opt.lr = 0.0123; // as a schedule would have set it
    const state = viaJson(opt.stateDict());
    expect(state.steps).toBe(4);
    const b = a.map((p) => param(new Tensor(p.data.slice(), p.shape)));
    const copy = make(b);
    copy.loadStateDict(state);
    expect(copy.lr).toBe(0.0123);
    expect(copy.stateDict()).toEqual(opt.stateDict());
    for (let t = 4; t < 8; t++) {
      opt.step(source(gradients[t]!, a));
      copy.step(source(gradients[t]!, b));
    }
    expect(sameBits(a, b)).toBe(true);
  });

  it('writes −0, NaN and ±∞ in its buffers as strings and reads them back', () => {
    const ps = setup();
    const opt = new Adam(ps, { lr: 0.01 });
    const state = opt.stateDict();
    state.buffers.m![0]!.splice(0, 4, '-0', 'NaN', 'Infinity', '-Infinity');
    opt.loadStateDict(viaJson(state));
    const m = (opt.stateDict().buffers.m![0]!);
    expect(m.slice(0, 4)).toEqual(['-0', 'NaN', 'Infinity', '-Infinity']);
  });

  it.each([
    [() => new SGD(setup(), { lr: 0.1 }).loadStateDict(new Adam(setup(), { lr: 0.1 }).stateDict()), /SGD\.loadStateDict: the state is of "Adam", not of SGD/],
    [() => new Adam(setup(), { lr: 0.1 }).loadStateDict(new Adam(setup(), { lr: 0.1, beta1: 0.5 }).stateDict()), /Adam\.loadStateDict: the state was saved with beta1 0\.5, but this Adam has 0\.9/],
    [() => new Adam(setup(), { lr: 0.1 }).loadStateDict(new Adam([param(randn([3, 3]))], { lr: 0.1 }).stateDict()), /buffers\.m holds 1 arrays, but this Adam has 2 parameters/],
    [() => new Adam(setup(), { lr: 0.1 }).loadStateDict({ ...new Adam(setup(), { lr: 0.1 }).stateDict(), steps: 1.5 }), /Adam\.loadStateDict: steps must be an integer ≥ 0, got 1\.5/],
    [() => new RMSProp(setup(), { lr: 0.1 }).loadStateDict(5 as never), /RMSProp\.loadStateDict: expected the state/],
  ])('loadStateDict refuses state of another optimizer and changes nothing (%#)', (call, message) => {
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });

  it('a bad buffer leaves the optimizer as it was', () => {
    const ps = setup();
    const opt = new Adam(ps, { lr: 0.01 });
    opt.step(source(gradients[0]!, ps));
    const before = opt.stateDict();
    const bad = viaJson(before);
    bad.steps = 9;
    bad.buffers.v![1] = [1, 'x'];
    expect(() => opt.loadStateDict(bad)).toThrow(/buffers\.v\[1\] \(parameter 1, 2 elements\) has "x" at index 1/);
    expect(opt.stateDict()).toEqual(before);
  });

  it('schedules keep the learning rate they started from, so one built after a resume schedules as before', () => {
    const cases: Array<(o: Optimizer) => StepLR | CosineLR | WarmupCosineLR> = [
      (o) => new StepLR(o, 2, 0.5),
      (o) => new CosineLR(o, 10, 0.001),
      (o) => new WarmupCosineLR(o, { warmup: 3, total: 10, minLr: 0.001 }),
    ];
    for (const make of cases) {
      const opt = new SGD(setup(), { lr: 0.1 });
      const schedule = make(opt);
      schedule.apply(5);
      const state = viaJson(schedule.stateDict());
      const lr = opt.lr;
      // The new optimizer got the scheduled lr from the saved optimizer state before the schedule was built.
      const other = new SGD(setup(), { lr: 0.1 });
      other.loadStateDict(viaJson(opt.stateDict()));
      const resumed = make(other);
      resumed.loadStateDict(state);
      resumed.apply(5);
      expect(other.lr).toBe(lr);
      resumed.apply(7);
      schedule.apply(7);
      expect(other.lr).toBe(opt.lr);
    }
    expect(() => new StepLR(new SGD(setup(), { lr: 0.1 }), 3).loadStateDict(new StepLR(new SGD(setup(), { lr: 0.1 }), 2).stateDict())).toThrow(
      /StepLR\.loadStateDict: the state was saved with stepSize 2, but this StepLR has 3/,
    );
  });
});

describe('fit with checkpoints', () => {
  const r = rng(1);
  const x = randn([45, 3], r);
  const y = randn([45, 1], r);
  const validation = { x: randn([10, 3], r), y: randn([10, 1], r) };

  /** A fresh net with a seeded dropout and an unseeded one (the global generator), and its optimizer and schedule. */
  function make(kind: 'adam' | 'sgd') {
    manualSeed(0);
    const model = new Sequential(new Linear(3, 8, { rng: 2 }), new ReLU(), new Dropout(0.2, 7), new Linear(8, 4, { rng: 3 }), new Dropout(0.1), new Linear(4, 1, { rng: 4 }));
    const optimizer = kind === 'adam' ? new Adam(model.parameters(), { lr: 0.01 }) : new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
    return { model, optimizer };
  }

  type Variant = [string, 'adam' | 'sgd', (o: Optimizer) => Partial<FitOptions>, 'epoch' | { steps: number }];
  const variants: Variant[] = [
    ['shuffled by the global generator, a per-epoch StepLR, every epoch', 'adam', (o) => ({ schedule: new StepLR(o, 2, 0.5) }), 'epoch'],
    ['seeded, a per-step WarmupCosineLR and clipping, every 4 steps', 'sgd', (o) => ({ seed: 11, schedule: new WarmupCosineLR(o, { warmup: 5, total: 30 }), scheduleEvery: 'step', clipGradNorm: 0.5 }), { steps: 4 }],
    ['early stopping on a validation set with restoreBest, every 5 steps', 'adam', () => ({ seed: 3, validation, earlyStopping: { patience: 2 }, metrics: ['rmse'] }), { steps: 5 }],
  ];

  it.each(variants)('resumed from any checkpoint equals the uninterrupted run bit for bit: %s', (_, kind, extra, every) => {
    const options = (o: Optimizer): FitOptions => ({ loss: new MSELoss(), optimizer: o, epochs: 6, batchSize: 16, progress: false, ...extra(o) });
    const whole = make(kind);
    const expected = fit(whole.model, { x, y }, options(whole.optimizer));
    const globalAfter = getRngState();

    const checkpoints: FitCheckpoint[] = [];
    const saving = make(kind);
    const history = fit(saving.model, { x, y }, { ...options(saving.optimizer), checkpoint: { save: (c) => void checkpoints.push(viaJson(c)), every, meta: { note: 'test' } } });
    expect(sameBits(saving.model.parameters(), whole.model.parameters())).toBe(true);
    expect(history.epochs.map((e) => e.loss)).toEqual(expected.epochs.map((e) => e.loss));
    expect(checkpoints.length).toBeGreaterThan(2);
    expect(checkpoints[checkpoints.length - 1]!.finished).toBe(true);
    expect(checkpoints[0]!.meta).toEqual({ note: 'test' });
    if (every !== 'epoch') expect(checkpoints.some((c) => c.batch > 0)).toBe(true);

    const strip = (h: typeof expected) => ({ ...h, epochs: h.epochs.map(({ seconds, examplesPerSecond, ...rest }) => rest) });
    for (const c of checkpoints) {
      const resumed = make(kind);
      // Whatever the global generator holds now, the checkpoint's state replaces it.
      randn([3]);
      const h = fit(resumed.model, { x, y }, { ...options(resumed.optimizer), resume: c });
      expect([c.epoch, c.batch, sameBits(resumed.model.parameters(), whole.model.parameters())]).toEqual([c.epoch, c.batch, true]);
      expect(strip(h)).toEqual(strip(expected));
      expect(getRngState()).toEqual(globalAfter);
    }
  });

  it('a run resumed with more epochs goes on as a longer run would', () => {
    const options = (o: Optimizer, epochs: number): FitOptions => ({ loss: new MSELoss(), optimizer: o, epochs, batchSize: 16, seed: 1, progress: false });
    const long = make('adam');
    fit(long.model, { x, y }, options(long.optimizer, 5));
    let last: FitCheckpoint | undefined;
    const short = make('adam');
    fit(short.model, { x, y }, { ...options(short.optimizer, 3), checkpoint: { save: (c) => void (last = viaJson(c)) } });
    expect(last!.finished).toBe(true);
    const more = make('adam');
    const h = fit(more.model, { x, y }, { ...options(more.optimizer, 5), resume: last });
    expect(h.epochs.length).toBe(5);
    expect(sameBits(more.model.parameters(), long.model.parameters())).toBe(true);
  });

  it('refuses a checkpoint of another run with the setting that differs, and changes nothing', () => {
    let saved: FitCheckpoint | undefined;
    const a = make('adam');
    fit(a.model, { x, y }, { loss: new MSELoss(), optimizer: a.optimizer, epochs: 2, batchSize: 16, seed: 1, progress: false, checkpoint: { save: (c) => void (saved = viaJson(c)), every: { steps: 3 } } });
    const b = make('adam');
    const before = b.model.parameters().map((p) => p.data.slice());
    const go = (o: Partial<FitOptions>, model: Module = b.model) => () => fit(model, { x, y }, { loss: new MSELoss(), optimizer: b.optimizer, epochs: 2, batchSize: 16, seed: 1, progress: false, resume: saved, ...o });
    expect(go({ batchSize: 8 })).toThrow(/fit: resume: the checkpoint was saved by a run with batchSize 16, but this one has 8; resume with the options of that run/);
    expect(go({ seed: 2 })).toThrow(/with seed 1, but this one has 2/);
    expect(go({ loss: new CrossEntropyLoss() })).toThrow(/with loss 'MSE \(mean\)', but this one has 'cross-entropy'/);
    expect(go({ optimizer: new SGD(b.model.parameters(), { lr: 0.1 }) })).toThrow(/with optimizer 'Adam', but this one has 'SGD'/);
    expect(go({ epochs: 1 })).toThrow(/fit: resume: the checkpoint is after 2 epochs, more than the 1 asked for/);
    expect(go({ optimizer: new Adam(b.model.parameters(), { lr: 0.01, beta2: 0.9 }) })).toThrow(/fit: resume: Adam\.loadStateDict: the state was saved with beta2 0\.999/);
    expect(go({ resume: { ...saved!, format: 'x' } as never })).toThrow(/fit: resume must be a checkpoint/);
    expect(go({ resume: { ...saved!, step: 4 } })).toThrow(/the checkpoint's step 4 is not 6/);
    // The optimizer refused the state after the model took it: the model is put back.
    expect(b.model.parameters().every((p, i) => p.data.every((v, k) => Object.is(v, before[i]![k])))).toBe(true);
    const other = new Sequential(new Linear(3, 5, { rng: 2 }), new ReLU(), new Dropout(0.2, 7), new Linear(5, 4, { rng: 3 }), new Dropout(0.1), new Linear(4, 1, { rng: 4 }));
    expect(() => fit(other, { x, y }, { loss: new MSELoss(), optimizer: new Adam(other.parameters(), { lr: 0.01 }), epochs: 2, batchSize: 16, seed: 1, progress: false, resume: saved })).toThrow(
      /fit: .*the checkpoint's model/,
    );
  });

  it('checks its checkpoint option', () => {
    const a = make('adam');
    const go = (checkpoint: unknown) => () => fit(a.model, { x, y }, { loss: new MSELoss(), optimizer: a.optimizer, epochs: 1, progress: false, checkpoint: checkpoint as never });
    expect(go({})).toThrow(/fit: checkpoint must have one of dir \(a directory, in Node\) and save \(a function\), got neither/);
    expect(go({ dir: 'x', save: () => undefined })).toThrow(/got both/);
    expect(go({ save: () => undefined, every: { steps: 0 } })).toThrow(/fit: checkpoint\.every\.steps must be an integer ≥ 1, got 0/);
    expect(go({ save: () => undefined, every: 'batch' })).toThrow(/fit: checkpoint\.every must be 'epoch' or \{ steps: N \}/);
    expect(go({ save: 3 })).toThrow(/fit: checkpoint\.save must be a function/);
    expect(go({ save: () => undefined, meta: { big: 1n } })).toThrow(/fit: checkpoint\.meta cannot be written as JSON/);
  });

  it('checkpoint.dir needs the Node face: the universal entry alone refuses it', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const universal = require('../../index') as typeof import('../../index');
      const model = new universal.Linear(3, 1, { rng: 1 });
      const data = { x: universal.randn([4, 3]), y: universal.randn([4, 1]) };
      expect(() =>
        universal.fit(model, data, { loss: new universal.MSELoss(), optimizer: new universal.SGD(model.parameters(), { lr: 0.1 }), epochs: 1, progress: false, checkpoint: { dir } }),
      ).toThrow(/fit: checkpoint\.dir needs a file system: .*give checkpoint\.save/);
    });
  });

  it('writes to a directory through the Node face, which loadCheckpoint reads back', () => {
    const a = make('adam');
    const where = join(dir, 'fit-dir', 'nested');
    fit(a.model, { x, y }, { loss: new MSELoss(), optimizer: a.optimizer, epochs: 2, batchSize: 16, seed: 4, progress: false, checkpoint: { dir: where } });
    const c = loadCheckpoint(where) as FitCheckpoint;
    expect([c.trainer, c.epoch, c.batch, c.finished]).toEqual(['fit', 2, 0, true]);
    expect(loadCheckpoint(join(where, 'checkpoint.json'))).toEqual(c);
    expect(readdirSync(where)).toEqual(['checkpoint.json']);
  });

  it('a checkpoint that cannot be stored stops training with an error saying which checkpoint', () => {
    const a = make('adam');
    const call = () =>
      fit(a.model, { x, y }, { loss: new MSELoss(), optimizer: a.optimizer, epochs: 2, batchSize: 16, progress: false, checkpoint: { save: () => { throw new ArgumentError('disk full'); } } });
    expect(call).toThrow(/^fit: the checkpoint after epoch 1 \(step 3\): disk full$/);
  });
});

describe('saveCheckpoint', () => {
  /** A small real checkpoint. */
  function checkpointAt(epochs: number): FitCheckpoint {
    let last: FitCheckpoint | undefined;
    const model = new Linear(2, 1, { rng: 1 });
    fit(model, { x: tensor([[1, 2], [3, 4]]), y: tensor([[1], [2]]) }, {
      loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs, seed: 1, progress: false, checkpoint: { save: (c) => void (last = c) },
    });
    return last!;
  }

  it('replaces the checkpoint atomically: interrupted after the temporary file, it leaves the previous one whole', () => {
    const where = join(dir, 'atomic');
    const first = checkpointAt(1);
    saveCheckpoint(where, first);
    let seen = '';
    mockRename = (from) => {
      // The new checkpoint is all in the temporary file beside the old one when the write stops.
      seen = from;
      expect(JSON.parse(readFileSync(from, 'utf8')).epoch).toBe(2);
      throw new Error('killed');
    };
    try {
      expect(() => saveCheckpoint(where, checkpointAt(2))).toThrow(/^saveCheckpoint: cannot write .*checkpoint\.json: killed; the previous checkpoint, if any, is unchanged$/);
    } finally {
      mockRename = null;
    }
    expect(seen).toMatch(/checkpoint\.json\.tmp-\d+-\d+$/);
    expect(loadCheckpoint(where)).toEqual(viaJson(first));
    expect(readdirSync(where)).toEqual(['checkpoint.json']);
  });

  it('ignores what a killed writer left, and removes it with the next save', () => {
    const where = join(dir, 'stale');
    saveCheckpoint(where, checkpointAt(1));
    // A writer killed mid-write (a process id no process has) left half a file.
    writeFileSync(join(where, 'checkpoint.json.tmp-999999999-0'), '{"format":"deltagraph-chec');
    expect((loadCheckpoint(where) as FitCheckpoint).epoch).toBe(1);
    saveCheckpoint(where, checkpointAt(2));
    expect(readdirSync(where)).toEqual(['checkpoint.json']);
    expect((loadCheckpoint(where) as FitCheckpoint).epoch).toBe(2);
  });

  it('refuses what is not a checkpoint, and says when there is none', () => {
    expect(() => saveCheckpoint(join(dir, 'x'), { format: 'deltagraph-model' } as never)).toThrow(/^saveCheckpoint: the checkpoint is not a deltagraph checkpoint/);
    expect(() => saveCheckpoint('', checkpointAt(1))).toThrow(/^saveCheckpoint: expected a directory path, got ""/);
    expect(() => loadCheckpoint(join(dir, 'none'))).toThrow(/^loadCheckpoint: there is no checkpoint at .*none \(no such directory or file\)$/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => loadCheckpoint(empty)).toThrow(/^loadCheckpoint: there is no checkpoint in .*empty \(no .*checkpoint\.json\)$/);
    writeFileSync(join(empty, 'checkpoint.json'), '{"format":"deltagraph-checkpoint","version":1,"trainer":"fit"');
    expect(() => loadCheckpoint(empty)).toThrow(/^loadCheckpoint: .*checkpoint\.json is not valid JSON/);
    expect(existsSync(join(empty, 'checkpoint.json'))).toBe(true);
  });
});

describe('trainGpt with checkpoints', () => {
  const data = charDataset('abcdefg'.repeat(12) + 'gfedcba'.repeat(4), { validationFraction: 0.25 });
  const TINY = { layers: 1, heads: 2, embedding: 8, context: 4, vocabSize: 7 };
  const options = { iterations: 7, batch: 3, warmup: 2, evalEvery: 3, progress: false } as const;

  it('resumed from any checkpoint (every 2 iterations) equals the uninterrupted run: weights, losses, validation', () => {
    const whole = gpt(TINY, 1);
    const expected = trainGpt(whole, data, options);
    const sample = Array.from(whole.generate([1], 5));
    const saved: GptCheckpoint[] = [];
    const model = gpt(TINY, 1);
    trainGpt(model, data, { ...options, checkpoint: { save: (c) => void saved.push(viaJson(c)), every: { steps: 2 } } });
    expect(saved.map((c) => c.iteration)).toEqual([2, 4, 6, 7]);
    for (const c of saved) {
      const resumed = gpt(TINY, 1);
      const result = trainGpt(resumed, data, { ...options, resume: c });
      expect(sameBits(resumed.parameters(), whole.parameters())).toBe(true);
      expect(result.losses).toEqual(expected.losses);
      expect(result.validation).toEqual(expected.validation);
      expect(Array.from(resumed.generate([1], 5))).toEqual(sample);
    }
    expect(() => trainGpt(gpt(TINY, 1), data, { ...options, batch: 2, resume: saved[0] })).toThrow(/trainGpt: resume: the checkpoint was saved by a run with batch 3, but this one has 2/);
    expect(() => trainGpt(gpt(TINY, 1), data, { ...options, checkpoint: { save: () => undefined, every: 'epoch' as never } })).toThrow(/trainGpt: checkpoint\.every must be \{ steps: N \}/);
  });
});

/** A module whose forward is f(x W) for a given f, to make non-finite values on purpose. */
class Probe extends Module {
  readonly W: Tensor;
  constructor(private readonly f: (t: Tensor) => Tensor, w: number[][]) {
    super();
    this.W = this.addParameter('W', tensor(w));
  }
  forward(x: TensorLike): Tensor {
    return this.f(mul(x as Tensor, this.W));
  }
  describe(): string {
    return 'Probe';
  }
}

describe('non-finite values', () => {
  const x = tensor([[1], [2], [-3], [4]]);
  const y = tensor([[0], [0], [0], [0]]);

  it('a non-finite loss stops fit with a NonFiniteError naming the epoch, the batch and the step; the step is not taken', () => {
    const model = new Probe(log, [[1]]);
    const before = model.W.data.slice();
    let error: unknown;
    try {
      fit(model, { x, y }, { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 3, batchSize: 2, shuffle: false, progress: false });
    } catch (e) {
      error = e;
    }
    // Batch 1 (rows 1, 2) is finite; batch 2 takes log(−3).
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error).toBeInstanceOf(DeltaGraphError);
    const e = error as NonFiniteError;
    expect(e.message).toBe('fit: the loss is NaN at epoch 1/3, batch 2/2 (step 2 of the run); the optimizer did not take the step. pass anomaly: true to find the op that made it');
    expect([e.epoch, e.batch, e.step, e.op]).toEqual([1, 2, 2, null]);
    expect(Number.isNaN(e.value)).toBe(true);
    expect(model.W.data[0]).not.toBe(before[0]); // batch 1's step was taken
  });

  it('with anomaly: true it names the op that first made a non-finite value, or the input that held one', () => {
    const model = new Probe(log, [[1]]);
    const run = (data: { x: Tensor; y: Tensor }) => () => fit(model, data, { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.01 }), epochs: 1, batchSize: 4, shuffle: false, progress: false, anomaly: true });
    expect(run({ x, y })).toThrow(NonFiniteError);
    expect(run({ x, y })).toThrow(/^fit: the loss is NaN at epoch 1\/1, batch 1\/1 \(step 1 of the run\); the optimizer did not take the step\. anomaly detection: 'log' \(node \d+\) made the first non-finite value, NaN at index 2 of its output \[4, 1\], from finite inputs \[4, 1\]$/);
    const nan = tensor([[1], [NaN], [3], [4]]);
    expect(run({ x: nan, y })).toThrow(/anomaly detection: the batch's inputs \(x \[4, 1\]\) held NaN at index 1 before any op ran \('mul', node \d+, read it\)/);
    expect(run({ x: tensor([[1], [2], [3], [4]]), y: tensor([[0], [Infinity], [0], [0]]) })).toThrow(/the batch's targets \(y \[4, 1\]\) held Infinity at index 1/);
    try {
      run({ x, y })();
    } catch (e) {
      expect((e as NonFiniteError).op).toBe('log');
    }
  });

  it('with anomaly: true a non-finite gradient under a finite loss is caught before the step, naming the parameter', () => {
    // √(x W) at x W = 0 is 0, but its gradient is 0 · ∞ = NaN.
    const zero = tensor([[0], [0]]);
    const make = () => new Probe(sqrt, [[1]]);
    const model = make();
    const options = (m: Module): FitOptions => ({ loss: new MSELoss(), optimizer: new SGD(m.parameters(), { lr: 0.1 }), epochs: 2, progress: false, anomaly: true });
    let error: NonFiniteError | undefined;
    try {
      fit(model, { x: zero, y: tensor([[1], [1]]) }, options(model));
    } catch (e) {
      error = e as NonFiniteError;
    }
    expect(error).toBeInstanceOf(NonFiniteError);
    expect(error!.message).toMatch(/^fit: the gradient of the parameter 'W' \[1, 1\] is NaN at index 0 at epoch 1\/2, batch 1\/1 \(step 1 of the run\); the loss 1 was finite/);
    expect(error!.parameter).toBe('W');
    expect(model.W.data[0]).toBe(1);
    // Without anomaly detection the NaN goes into W, and the next loss stops training.
    const plain = make();
    expect(() => fit(plain, { x: zero, y: tensor([[1], [1]]) }, { ...options(plain), anomaly: false })).toThrow(/^fit: the loss is NaN at epoch 2\/2, batch 1\/1 \(step 2 of the run\)/);
  });

  it('a diverging trainGpt stops with a NonFiniteError naming the iteration', () => {
    const data = charDataset('abcdefg'.repeat(12), { validationFraction: 0.25 });
    const model = gpt({ layers: 1, heads: 1, embedding: 4, context: 4, vocabSize: 7 }, 0);
    model.tokens.weight.data[0] = NaN;
    expect(() => trainGpt(model, data, { iterations: 3, batch: 2, progress: false })).toThrow(/^trainGpt: the loss is NaN at iteration 1\/3; the optimizer did not take the step$/);
  });
});
