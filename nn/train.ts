/**
 * The training loop: epochs of shuffled mini-batches drawn with a seeded generator; per batch a
 * forward pass, one backward pass and an optimizer step; per epoch the mean training loss,
 * throughput, validation loss and metrics, and early stopping; a learning-rate schedule applied
 * before each epoch or, with scheduleEvery: 'step', before each step; checkpoints that a resumed
 * run continues from bit for bit; a non-finite loss stops training with a NonFiniteError.
 */
import { ArgumentError, DeltaGraphError, Rng, RngState, Tensor, describe, fmtShape, globalRng, kernels, rng, tidy } from '../lib';
import { Gradients, ancestors, backward, noGrad } from '../graph';
import { boolIn, functionIn, isRecord, numberIn, optionsIn, stringIn, within } from './args';
import { Loss } from './losses';
import { METRICS, MetricName } from './metrics';
import { Module } from './module';
import { Optimizer, OptimizerState } from './optim/optimizer';
import { Schedule, ScheduleState } from './optim/schedules';
import { clipGradNorm } from './optim/clip';
import { SavedFloat, decodeFloat, decodeFloatsInto, encodeFloat, encodeFloats, floatsProblem, isSavedFloat } from './optim/state';
import { ProgressBar, ProgressOptions } from './progress';
import { SavedModel, fillModel, stateDict } from './serialize';
import { datasetOf, fitOptionsOf, lossOf, lossValue, metricsOf, modelOf } from './train-args';
import type { GptCheckpoint } from './gpt-training';

export interface Dataset {
  /** Inputs, one row per example. */
  x: Tensor;
  /** Targets, one row (or label) per example. */
  y: Tensor;
}

export interface EarlyStopping {
  /** Epochs without improvement before stopping. */
  patience: number;
  /** Improvement smaller than this does not count (default 0). */
  minDelta?: number;
  /** Put back the parameters of the best epoch when stopping (default true). */
  restoreBest?: boolean;
}

export interface FitOptions {
  loss: Loss;
  optimizer: Optimizer;
  epochs: number;
  /** Examples per mini-batch (default: the whole data set, full-batch gradient descent). */
  batchSize?: number;
  /**
   * Shuffle the examples every epoch (default true), with a generator of this seed, or, without
   * one, with the global generator (manualSeed), as PyTorch's DataLoader.
   */
  shuffle?: boolean;
  seed?: number;
  validation?: Dataset;
  /**
   * What the per-epoch line calls the validation set (default 'val'): with 'test' it reads
   * "test loss 0.1300". Only the printed line changes; the History keeps valLoss.
   */
  validationName?: string;
  /** Metrics computed on the validation set each epoch (and on the training set when there is none). */
  metrics?: MetricName[];
  /** Stops when the validation loss (training loss without validation) stops improving. */
  earlyStopping?: EarlyStopping;
  schedule?: Schedule;
  /**
   * When fit applies the schedule (default 'epoch'): 'epoch' calls schedule.apply(e) before epoch
   * e (0-based); 'step' calls schedule.apply(t) before every optimizer step, t counting steps from
   * 0 over the whole run, for schedules over iterations such as a WarmupCosineLR with warm-up in
   * steps. A run has epochs × ⌈rows / batchSize⌉ steps. Without a schedule it has no effect.
   */
  scheduleEvery?: 'epoch' | 'step';
  /**
   * Clip each step's gradients to this global L2 norm (clipGradNorm, as torch.nn.utils.
   * clip_grad_norm_) before the optimizer's step: a number > 0. Default: no clipping.
   */
  clipGradNorm?: number;
  /** The former name of clipGradNorm; give one or the other. */
  clipNorm?: number;
  /** Draw a progress bar (default true: a bar on a terminal, one line per epoch elsewhere). */
  progress?: boolean | ProgressOptions;
  /** Called after each epoch; return 'stop' to end training. */
  onEpoch?: (record: EpochRecord) => void | 'stop';
  /**
   * Save a checkpoint after every epoch (default) or every N steps, and when training ends: to a
   * directory (`dir`, in Node: written atomically by the Node face's saveCheckpoint) or to a
   * function of yours (`save`). See FitCheckpoint for what it holds.
   */
  checkpoint?: CheckpointOptions<FitCheckpoint>;
  /**
   * Continue from a checkpoint (loadCheckpoint(dir) in Node, or the object a `save` function got):
   * the model, the optimizer, the schedule, the generators, the history and the early-stopping
   * state are put back, and training goes on from the step after it, as though it had never
   * stopped. The other options must be those of the run that saved it (epochs may differ).
   */
  resume?: FitCheckpoint;
  /**
   * On a non-finite loss, find the op that first made a non-finite value (or the input, target or
   * parameter that held one) and name it in the error; and check every gradient before each
   * optimizer step. Slower; default false (the loss alone is checked, always).
   */
  anomaly?: boolean;
}

/** Where and how often fit (or trainGpt) saves checkpoints. */
export interface CheckpointOptions<C> {
  /** A directory to write checkpoint.json into, atomically (needs the Node face: import from 'deltagraph' in Node). */
  dir?: string;
  /** Called with each checkpoint, a plain JSON object, to store it; give this or dir. */
  save?: (checkpoint: C) => void;
  /** 'epoch' (fit's default: after every epoch) or { steps: N }: after every N optimizer steps. */
  every?: 'epoch' | { steps: number };
  /** Any JSON value stored in every checkpoint, e.g. how to rebuild the model. */
  meta?: unknown;
}

/** One float64 as JSON: a number, or '-0', 'NaN', 'Infinity', '-Infinity'. */
export type { SavedFloat };

/** An EpochRecord as JSON. */
export interface SavedEpochRecord {
  epoch: number;
  loss: SavedFloat;
  lr: SavedFloat;
  seconds: SavedFloat;
  examplesPerSecond: SavedFloat;
  valLoss?: SavedFloat;
  metrics: Record<string, SavedFloat>;
}

/** What a checkpoint records of the run that made it; a resumed run must agree (epochs aside). */
export interface FitRun {
  rows: number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number | null;
  scheduleEvery: 'epoch' | 'step';
  schedule: string | null;
  clipGradNorm: number | null;
  loss: string;
  optimizer: string;
  metrics: string[];
  validationRows: number | null;
  earlyStopping: { patience: number; minDelta: number; restoreBest: boolean } | null;
}

/**
 * Everything fit needs to continue a run exactly, as plain JSON (floats written as a saved model
 * writes them, so the round trip through JSON.stringify and JSON.parse is exact).
 */
export interface FitCheckpoint {
  format: 'deltagraph-checkpoint';
  version: 1;
  trainer: 'fit';
  /** Where training stands: the next step is batch `batch` (0-based) of epoch `epoch` (0-based). */
  epoch: number;
  batch: number;
  /** Optimizer steps taken over the run. */
  step: number;
  /** Early stopping or onEpoch's 'stop' ended the run: resuming returns its history. */
  stopped: boolean;
  /** Nothing is left to do (stopped, or every epoch of the run done). */
  finished: boolean;
  run: FitRun;
  model: SavedModel;
  optimizer: OptimizerState;
  /** The schedule's state, when it has one (StepLR, CosineLR, WarmupCosineLR). */
  schedule: ScheduleState | null;
  /** The global generator, fit's own (with a seed) and any a layer holds (a seeded Dropout), by path. */
  rng: { global: RngState; shuffle: RngState | null; modules: Record<string, RngState> };
  /** The epoch in progress (batch > 0): its order of the rows, and its batch losses so far. */
  partial: { order: number[]; lossSum: SavedFloat; seconds: number } | null;
  history: { epochs: SavedEpochRecord[]; stoppedEarly: boolean; bestEpoch: number };
  earlyStopping: { best: SavedFloat; sinceBest: number; bestState: SavedFloat[][] | null };
  /** The checkpoint option's meta. */
  meta?: unknown;
}

/** A checkpoint of fit or of trainGpt, as saveCheckpoint writes and loadCheckpoint reads it. */
export type Checkpoint = FitCheckpoint | GptCheckpoint;

/**
 * A non-finite loss (or, with anomaly detection, gradient) stopped training. epoch, batch and step
 * are counted from 1 as the message says them (step over the whole run); the optimizer did not
 * take that step, so the parameters are those before it.
 */
export class NonFiniteError extends DeltaGraphError {
  constructor(
    message: string,
    readonly epoch: number,
    readonly batch: number,
    readonly step: number,
    /** The non-finite value: the loss, or the first bad element of the gradient. */
    readonly value: number,
    /** With anomaly detection: the op that first made a non-finite value, when one did. */
    readonly op: string | null = null,
    /** The parameter whose gradient was not finite (anomaly detection), or null. */
    readonly parameter: string | null = null,
  ) {
    super(message);
  }
}

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's batches (weighted by batch size). */
  loss: number;
  /** The optimizer's learning rate at the end of the epoch (with scheduleEvery 'step', that of its last step). */
  lr: number;
  seconds: number;
  examplesPerSecond: number;
  valLoss?: number;
  /** Metric values (on validation data if given). */
  metrics: Partial<Record<MetricName, number>>;
}

export interface History {
  epochs: EpochRecord[];
  stoppedEarly: boolean;
  /** Epoch (0-based) with the lowest monitored loss. */
  bestEpoch: number;
}

/** Loss and metrics of a model on a data set, in eval mode and without recording. */
export function evaluate(model: Module, data: Dataset, loss: Loss, metrics: readonly MetricName[] = [], batchSize = 4096): { loss: number; metrics: Partial<Record<MetricName, number>> } {
  const m = modelOf('evaluate', model);
  const d = datasetOf('evaluate', 'data', data);
  const l = lossOf('evaluate', loss);
  const names = metricsOf('evaluate', metrics);
  const b = numberIn('evaluate', 'batchSize', batchSize, { min: 1, integer: true });
  return within('evaluate', null, () => evaluateChecked('evaluate', m, d, l, names, b));
}

/** evaluate on checked arguments; `who` names the caller in messages. */
function evaluateChecked(who: string, model: Module, data: Dataset, loss: Loss, metrics: readonly MetricName[], batchSize: number): { loss: number; metrics: Partial<Record<MetricName, number>> } {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const n = data.x.shape[0]!;
      const parts: Tensor[] = [];
      let total = 0;
      for (let start = 0; start < n; start += batchSize) {
        const idx = Int32Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
        const x = kernels.takeRows(data.x, idx);
        const y = kernels.takeRows(data.y, idx);
        const p = model.forward(x);
        total += lossValue(who, loss, loss.forward(p, y)) * idx.length;
        parts.push(p);
      }
      const prediction = parts.length === 1 ? parts[0]! : kernels.concat(parts, 0);
      const values: Partial<Record<MetricName, number>> = {};
      for (const m of metrics) values[m] = METRICS[m](prediction, data.y);
      return { loss: total / n, metrics: values };
    });
  } finally {
    model.train(wasTraining);
  }
}

function parametersAndBuffers(model: Module): Tensor[] {
  return [...model.parameters(), ...model.namedBuffers().map(([, t]) => t)];
}

function snapshot(model: Module): Float64Array[] {
  return parametersAndBuffers(model).map((t) => t.data.slice());
}

function restore(model: Module, saved: Float64Array[]): void {
  parametersAndBuffers(model).forEach((t, i) => t.data.set(saved[i]!));
}

function formatRecord(r: EpochRecord, validationName: string): string {
  const parts = [`loss ${r.loss.toPrecision(4)}`];
  if (r.valLoss !== undefined) parts.push(`${validationName} loss ${r.valLoss.toPrecision(4)}`);
  for (const [k, v] of Object.entries(r.metrics)) parts.push(`${k} ${k === 'accuracy' ? (100 * v).toFixed(2) + '%' : v.toPrecision(4)}`);
  parts.push(`${Math.round(r.examplesPerSecond).toLocaleString('en-US')} ex/s`);
  return parts.join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Checkpoints: shared by fit and trainGpt.

/** How checkpoint.dir is written; the Node face registers it (node/checkpoint.ts). */
type DirectoryWriter = (dir: string, checkpoint: Checkpoint) => void;
let directoryWriter: DirectoryWriter | null = null;

/**
 * Registers how fit and trainGpt write checkpoint.dir (the Node face does, with an atomic file
 * write); without one, checkpoint.dir is an error and checkpoint.save must be given.
 * @internal
 */
export function setCheckpointDirectoryWriter(writer: DirectoryWriter): void {
  directoryWriter = writer;
}

/** The checked checkpoint option: how to write one, how often, and the meta to put in it. */
export interface CheckpointPlan<C> {
  write: (checkpoint: C) => void;
  /** Every N steps, or null for every epoch. */
  everySteps: number | null;
  meta: unknown;
}

export function checkpointPlanOf<C extends Checkpoint>(who: string, value: unknown, epochs: boolean, defaultSteps?: number): CheckpointPlan<C> | null {
  if (value === undefined) return null;
  const o = optionsIn(`${who}: checkpoint`, value, "dir or save, e.g. { dir: 'checkpoints/' }");
  if ((o.dir === undefined) === (o.save === undefined)) {
    throw new ArgumentError(`${who}: checkpoint must have one of dir (a directory, in Node) and save (a function), got ${o.dir === undefined ? 'neither' : 'both'}`);
  }
  let write: (checkpoint: C) => void;
  if (o.dir !== undefined) {
    const dir = stringIn(who, 'checkpoint.dir', o.dir, '');
    const writer = directoryWriter;
    if (writer === null) {
      throw new ArgumentError(`${who}: checkpoint.dir needs a file system: import deltagraph's Node entry (which writes checkpoints to directories), or give checkpoint.save, a function that stores the checkpoint`);
    }
    write = (c) => writer(dir, c);
  } else {
    write = functionIn<(c: C) => void>(who, 'checkpoint.save', o.save);
  }
  const every = o.every;
  let everySteps: number | null;
  if (every === undefined && (epochs || defaultSteps !== undefined)) everySteps = epochs ? null : defaultSteps!;
  else if (every === 'epoch' && epochs) everySteps = null;
  else if (isRecord(every) && Object.keys(every).every((k) => k === 'steps')) everySteps = numberIn(who, 'checkpoint.every.steps', every.steps, { min: 1, integer: true });
  else {
    throw new ArgumentError(`${who}: checkpoint.every must be ${epochs ? "'epoch' or " : ''}{ steps: N } with N an integer ≥ 1, got ${describe(every)}`);
  }
  if (o.meta !== undefined) {
    try {
      JSON.stringify(o.meta);
    } catch (e) {
      throw new ArgumentError(`${who}: checkpoint.meta cannot be written as JSON: ${(e as Error).message}`);
    }
  }
  return { write, everySteps, meta: o.meta };
}

/**
 * The generators the layers of a model hold of their own (a seeded Dropout's), by path such as
 * '2.random'; the global generator is saved apart. Walked without recursion.
 */
export function moduleGenerators(model: Module): Array<[string, Rng]> {
  const out: Array<[string, Rng]> = [];
  const seen = new Set<Rng>([globalRng()]);
  const stack: Array<[string, Module]> = [['', model]];
  while (stack.length > 0) {
    const [prefix, m] = stack.pop()!;
    for (const [key, value] of Object.entries(m)) {
      if (value instanceof Rng && !seen.has(value)) {
        seen.add(value);
        out.push([prefix + key, value]);
      }
    }
    const children = m.modules();
    for (let i = children.length - 1; i >= 0; i--) stack.push([`${prefix}${children[i]![0]}.`, children[i]![1]]);
  }
  return out;
}

/** The states of the generators of a run: the global one, fit's own, the layers'. */
export function generatorStates(model: Module, own: Rng | null): FitCheckpoint['rng'] {
  const modules: Record<string, RngState> = {};
  for (const [path, g] of moduleGenerators(model)) modules[path] = g.state();
  return { global: globalRng().state(), shuffle: own === null ? null : own.state(), modules };
}

/** Checks saved generator states against a run's generators; returns what to apply. */
export function generatorPlan(who: string, model: Module, own: Rng | null, saved: unknown): Array<[Rng, RngState]> {
  if (!isRecord(saved)) throw new ArgumentError(`${who}: rng must be { global, shuffle, modules }, got ${describe(saved)}`);
  const plan: Array<[Rng, RngState]> = [];
  const check = (name: string, g: Rng, state: unknown) => {
    try {
      new Rng(0).setState(state as RngState);
    } catch (e) {
      throw new ArgumentError(`${who}: ${name}: ${(e as Error).message.replace(/^rng\.setState: /, '')}`);
    }
    plan.push([g, state as RngState]);
  };
  check('rng.global', globalRng(), saved.global);
  if (own !== null) check('rng.shuffle', own, saved.shuffle);
  const modules = saved.modules;
  if (!isRecord(modules)) throw new ArgumentError(`${who}: rng.modules must be an object of generator states by path, got ${describe(modules)}`);
  const mine = moduleGenerators(model);
  const paths = new Set(mine.map(([p]) => p));
  const extra = Object.keys(modules).filter((p) => !paths.has(p));
  if (extra.length > 0) throw new ArgumentError(`${who}: the checkpoint holds generators of ${extra.join(', ')}, which the model's layers do not have`);
  for (const [path, g] of mine) {
    if (!Object.prototype.hasOwnProperty.call(modules, path)) throw new ArgumentError(`${who}: the checkpoint has no state for the generator ${path} of the model`);
    check(`rng.modules['${path}']`, g, modules[path]);
  }
  return plan;
}

/**
 * Loads model, optimizer and schedule states from a checkpoint, each checked before it is put
 * in; if a later one is refused, the earlier ones are put back, so a refused resume changes
 * nothing.
 */
export function loadTrainingState(who: string, model: Module, optimizer: Optimizer, schedule: Schedule | undefined, c: Record<string, unknown>): void {
  const before = { model: stateDict(model), optimizer: optimizer.stateDict(), schedule: schedule?.stateDict?.() };
  try {
    fillModel(who, model, c.model, "the checkpoint's model");
    within(who, 'resume', () => optimizer.loadStateDict(c.optimizer as OptimizerState));
    if (schedule?.loadStateDict) {
      if (!isRecord(c.schedule)) throw new ArgumentError(`${who}: the checkpoint has no schedule state, but a schedule with one was given`);
      within(who, 'resume', () => schedule.loadStateDict!(c.schedule as ScheduleState));
    }
  } catch (e) {
    fillModel(who, model, before.model, 'the model as it was');
    optimizer.loadStateDict(before.optimizer);
    if (before.schedule !== undefined) schedule!.loadStateDict!(before.schedule);
    throw e;
  }
}

function encodeHistory(history: History): FitCheckpoint['history'] {
  return {
    epochs: history.epochs.map((r) => {
      const saved: SavedEpochRecord = {
        epoch: r.epoch,
        loss: encodeFloat(r.loss),
        lr: encodeFloat(r.lr),
        seconds: encodeFloat(r.seconds),
        examplesPerSecond: encodeFloat(r.examplesPerSecond),
        metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, encodeFloat(v!)])),
      };
      if (r.valLoss !== undefined) saved.valLoss = encodeFloat(r.valLoss);
      return saved;
    }),
    stoppedEarly: history.stoppedEarly,
    bestEpoch: history.bestEpoch,
  };
}

function decodeHistory(who: string, saved: unknown, epochsDone: number): History {
  if (!isRecord(saved) || !Array.isArray(saved.epochs)) throw new ArgumentError(`${who}: history must be { epochs, stoppedEarly, bestEpoch }, got ${describe(saved)}`);
  if (saved.epochs.length !== epochsDone) throw new ArgumentError(`${who}: history has ${saved.epochs.length} epochs, but the checkpoint is after ${epochsDone}`);
  const float = (where: string, v: unknown): number => {
    if (!isSavedFloat(v)) throw new ArgumentError(`${who}: history ${where} is ${describe(v)}, expected a number`);
    return decodeFloat(v);
  };
  const epochs = saved.epochs.map((r: unknown, i): EpochRecord => {
    if (!isRecord(r) || r.epoch !== i || !isRecord(r.metrics)) throw new ArgumentError(`${who}: history.epochs[${i}] is not the record of epoch ${i}, got ${describe(r)}`);
    const record: EpochRecord = {
      epoch: i,
      loss: float(`epochs[${i}].loss`, r.loss),
      lr: float(`epochs[${i}].lr`, r.lr),
      seconds: float(`epochs[${i}].seconds`, r.seconds),
      examplesPerSecond: float(`epochs[${i}].examplesPerSecond`, r.examplesPerSecond),
      metrics: {},
    };
    if (r.valLoss !== undefined) record.valLoss = float(`epochs[${i}].valLoss`, r.valLoss);
    for (const [k, v] of Object.entries(r.metrics)) {
      if (!Object.prototype.hasOwnProperty.call(METRICS, k)) throw new ArgumentError(`${who}: history.epochs[${i}] has an unknown metric ${describe(k)}`);
      record.metrics[k as MetricName] = float(`epochs[${i}].metrics.${k}`, v);
    }
    return record;
  });
  const stoppedEarly = boolIn(who, 'history.stoppedEarly', saved.stoppedEarly, false);
  const bestEpoch = numberIn(who, 'history.bestEpoch', saved.bestEpoch, { min: 0, max: Math.max(epochsDone - 1, 0), integer: true });
  return { epochs, stoppedEarly, bestEpoch };
}

/** The checked format, version and trainer of a checkpoint. */
export function checkpointOf(who: string, value: unknown, trainer: Checkpoint['trainer']): Record<string, unknown> {
  if (!isRecord(value) || value.format !== 'deltagraph-checkpoint') {
    throw new ArgumentError(`${who}: resume must be a checkpoint (format 'deltagraph-checkpoint', what loadCheckpoint or checkpoint.save gives), got ${describe(isRecord(value) ? value.format : value)}`);
  }
  if (value.version !== 1) throw new ArgumentError(`${who}: the checkpoint has version ${describe(value.version)}, expected 1`);
  if (value.trainer !== trainer) throw new ArgumentError(`${who}: the checkpoint was saved by ${describe(value.trainer)}, not by ${trainer}`);
  return value;
}

/** A setting of the run in a message: 64, 'step', null as "none", an object as JSON. */
function showSetting(x: unknown): string {
  if (x === null || x === undefined) return 'none';
  if (typeof x === 'string') return `'${x}'`;
  try {
    return JSON.stringify(x) ?? describe(x);
  } catch {
    return describe(x);
  }
}

/** JSON text of a value, or null when it has none (a BigInt, a cycle). */
function jsonOf(x: unknown): string | null {
  try {
    return JSON.stringify(x) ?? null;
  } catch {
    return null;
  }
}

/** Compares the settings a checkpoint was saved with to those of the run resuming it. */
export function checkSameRun(who: string, saved: unknown, current: Record<string, unknown>, skip: readonly string[] = []): void {
  if (!isRecord(saved)) throw new ArgumentError(`${who}: the checkpoint's run must be an object of settings, got ${describe(saved)}`);
  for (const [name, value] of Object.entries(current)) {
    if (skip.includes(name)) continue;
    const was = jsonOf(saved[name]);
    if (was === null || was !== jsonOf(value)) {
      throw new ArgumentError(`${who}: the checkpoint was saved by a run with ${name} ${showSetting(saved[name])}, but this one has ${showSetting(value)}; resume with the options of that run`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Non-finite values.

function firstNonFinite(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/**
 * Where the first non-finite value behind `loss` came from: the first op (in the order they ran)
 * whose output holds one although its inputs do not, or else the leaf that held one.
 */
function nonFiniteOrigin(loss: Tensor, x: Tensor, y: Tensor, names: ReadonlyMap<Tensor, string>): { text: string; op: string | null } {
  const leaf = (t: Tensor): string => {
    if (t === x) return `the batch's inputs (x ${fmtShape(x.shape)})`;
    if (t === y) return `the batch's targets (y ${fmtShape(y.shape)})`;
    const name = names.get(t);
    if (name !== undefined) return `the parameter '${name}' ${fmtShape(t.shape)}`;
    return `a tensor of shape ${fmtShape(t.shape)} computed outside the graph (from the data or constants)`;
  };
  for (const node of ancestors(loss, 'fit', 'anomaly detection needs the graph before the backward pass')) {
    const k = firstNonFinite(node.output.data);
    if (k < 0) continue;
    const bad = node.inputs!.find((t) => firstNonFinite(t.data) >= 0);
    if (bad === undefined) {
      const shapes = node.inputs!.map((t) => fmtShape(t.shape)).join(', ');
      return { text: `'${node.op.name}' (node ${node.id}) made the first non-finite value, ${node.output.data[k]} at index ${k} of its output ${fmtShape(node.output.shape)}, from finite inputs ${shapes}`, op: node.op.name };
    }
    const j = firstNonFinite(bad.data);
    return { text: `${leaf(bad)} held ${bad.data[j]} at index ${j} before any op ran ('${node.op.name}', node ${node.id}, read it)`, op: null };
  }
  return { text: 'no recorded op made it (the loss was computed without the parameters)', op: null };
}

/** A NonFiniteError for a step; `what` says what was not finite. */
function nonFinite(what: string, value: number, epoch: number, epochs: number, batch: number, batches: number, step: number, detail: string, op: string | null = null, parameter: string | null = null): NonFiniteError {
  return new NonFiniteError(`fit: ${what} at epoch ${epoch}/${epochs}, batch ${batch}/${batches} (step ${step} of the run); ${detail}`, epoch, batch, step, value, op, parameter);
}

/** The epoch in progress: its order of rows, its batch losses so far and its seconds. */
interface InEpoch {
  order: Int32Array;
  lossSum: number;
  seconds: number;
}

/** The options fit takes beyond train-args.ts's. */
function fitExtrasOf(options: unknown) {
  const o = options as Record<string, unknown>;
  return {
    checkpoint: checkpointPlanOf<FitCheckpoint>('fit', o.checkpoint, true),
    resume: o.resume === undefined ? undefined : checkpointOf('fit', o.resume, 'fit'),
    anomaly: boolIn('fit', 'anomaly', o.anomaly, false),
  };
}

export function fit(model: Module, data: Dataset, options: FitOptions): History {
  modelOf('fit', model);
  const train = datasetOf('fit', 'data', data);
  const n = train.x.shape[0]!;
  const o = fitOptionsOf(options, n);
  const extra = fitExtrasOf(options);
  const own = o.seed === undefined ? null : rng(o.seed);
  const random = own ?? globalRng();
  const named = model.namedParameters();
  const params = named.map(([, t]) => t);
  const names = new Map(named.map(([k, t]) => [t, k]));
  let history: History = { epochs: [], stoppedEarly: false, bestEpoch: 0 };
  const progressOptions = typeof o.progress === 'object' ? o.progress : {};
  const showProgress = o.progress !== false;
  const batches = Math.ceil(n / o.batchSize);
  let best = Infinity;
  let bestState: Float64Array[] | null = null;
  let sinceBest = 0;
  const perStep = o.scheduleEvery === 'step';
  let step = 0;
  let startEpoch = 0;
  let startBatch = 0;
  let partial: InEpoch | null = null;
  let stopped = false;

  const run: FitRun = {
    rows: n,
    epochs: o.epochs,
    batchSize: o.batchSize,
    shuffle: o.shuffle,
    seed: o.seed ?? null,
    scheduleEvery: o.scheduleEvery,
    schedule: o.schedule === undefined ? null : o.schedule.stateDict ? o.schedule.stateDict().type : (o.schedule.constructor?.name ?? 'a schedule'),
    clipGradNorm: o.clipGradNorm ?? null,
    loss: String(o.loss.name ?? 'loss'),
    optimizer: o.optimizer.stateDict().type,
    metrics: o.metrics.slice(),
    validationRows: o.validation ? o.validation.x.shape[0]! : null,
    earlyStopping: o.earlyStopping,
  };

  if (extra.resume) {
    const c = extra.resume;
    const who = 'fit';
    checkSameRun(`${who}: resume`, c.run, run as unknown as Record<string, unknown>, ['epochs']);
    const epoch = numberIn(who, 'the checkpoint\'s epoch', c.epoch, { min: 0, integer: true });
    const batch = numberIn(who, 'the checkpoint\'s batch', c.batch, { min: 0, max: batches - 1, integer: true });
    if (epoch + (batch > 0 ? 1 : 0) > o.epochs) throw new ArgumentError(`fit: resume: the checkpoint is ${batch > 0 ? `in epoch ${epoch + 1}` : `after ${epoch} epochs`}, more than the ${o.epochs} asked for`);
    const savedStep = numberIn(who, 'the checkpoint\'s step', c.step, { min: 0, integer: true });
    if (savedStep !== epoch * batches + batch) throw new ArgumentError(`fit: resume: the checkpoint's step ${savedStep} is not ${epoch * batches + batch}, the steps of ${epoch} epochs of ${batches} batches and ${batch} more`);
    const wasStopped = boolIn(who, "the checkpoint's stopped", c.stopped, false);
    const restoredHistory = decodeHistory(`${who}: resume`, c.history, epoch);
    const es = c.earlyStopping;
    if (!isRecord(es) || !isSavedFloat(es.best)) throw new ArgumentError(`fit: resume: earlyStopping must be { best, sinceBest, bestState }, got ${describe(es)}`);
    const since = numberIn(who, "the checkpoint's earlyStopping.sinceBest", es.sinceBest, { min: 0, integer: true });
    let restoredBest: Float64Array[] | null = null;
    if (es.bestState !== null && es.bestState !== undefined) {
      const targets = parametersAndBuffers(model);
      if (!Array.isArray(es.bestState) || es.bestState.length !== targets.length) throw new ArgumentError(`fit: resume: earlyStopping.bestState must hold ${targets.length} arrays (the model's parameters and buffers), got ${describe(es.bestState)}`);
      restoredBest = targets.map((t, i) => {
        const problem = floatsProblem(`earlyStopping.bestState[${i}]`, (es.bestState as unknown[])[i], t.size);
        if (problem !== null) throw new ArgumentError(`fit: resume: ${problem}`);
        const a = new Float64Array(t.size);
        decodeFloatsInto((es.bestState as SavedFloat[][])[i]!, a);
        return a;
      });
    }
    let restoredPartial: InEpoch | null = null;
    if (batch > 0) {
      const p = c.partial;
      if (!isRecord(p) || !Array.isArray(p.order) || p.order.length !== n || !isSavedFloat(p.lossSum)) {
        throw new ArgumentError(`fit: resume: a checkpoint inside an epoch needs partial { order, lossSum, seconds } with the order of all ${n} rows, got ${describe(p)}`);
      }
      const order = new Int32Array(n);
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const r: unknown = p.order[i];
        if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r >= n || seen[r]) throw new ArgumentError(`fit: resume: partial.order is not an order of the ${n} rows (${describe(r)} at index ${i})`);
        seen[r] = 1;
        order[i] = r;
      }
      const seconds = typeof p.seconds === 'number' && Number.isFinite(p.seconds) && p.seconds >= 0 ? p.seconds : 0;
      restoredPartial = { order, lossSum: decodeFloat(p.lossSum), seconds };
    }
    const rngPlan = generatorPlan(`${who}: resume`, model, own, c.rng);
    // Everything is checked; now the states go in (undone together if one is refused).
    loadTrainingState(who, model, o.optimizer, o.schedule, c);
    for (const [g, state] of rngPlan) g.setState(state);
    history = restoredHistory;
    best = decodeFloat(es.best as SavedFloat);
    sinceBest = since;
    bestState = restoredBest;
    step = savedStep;
    startEpoch = epoch;
    startBatch = batch;
    partial = restoredPartial;
    stopped = wasStopped;
    if (stopped) return history;
  }

  const plan = extra.checkpoint;
  const generators = own;
  const save = (epoch: number, batch: number, inEpoch: InEpoch | null) => {
    if (plan === null) return;
    const finished = stopped || (batch === 0 && epoch >= o.epochs);
    const checkpoint: FitCheckpoint = {
      format: 'deltagraph-checkpoint',
      version: 1,
      trainer: 'fit',
      epoch,
      batch,
      step,
      stopped,
      finished,
      run,
      model: stateDict(model),
      optimizer: o.optimizer.stateDict(),
      schedule: o.schedule?.stateDict ? o.schedule.stateDict() : null,
      rng: generatorStates(model, generators),
      partial: inEpoch === null ? null : { order: Array.from(inEpoch.order), lossSum: encodeFloat(inEpoch.lossSum), seconds: inEpoch.seconds },
      history: encodeHistory(history),
      earlyStopping: { best: encodeFloat(best), sinceBest, bestState: bestState === null ? null : bestState.map((a) => encodeFloats(a)) },
    };
    if (plan.meta !== undefined) checkpoint.meta = plan.meta;
    const where = batch === 0 ? `after epoch ${epoch}` : `at epoch ${epoch + 1}, batch ${batch}`;
    within('fit', `the checkpoint ${where} (step ${step})`, () => plan.write(checkpoint));
  };

  for (let epoch = startEpoch; epoch < o.epochs; epoch++) {
    const resumed = epoch === startEpoch ? partial : null;
    // Inside an epoch the learning rate came back with the optimizer: the schedule ran already.
    if (!perStep && resumed === null) within('fit', `the schedule at epoch ${epoch + 1}`, () => o.schedule?.apply(epoch));
    model.train();
    const started = Date.now() - (resumed === null ? 0 : resumed.seconds * 1000);
    const order = resumed !== null ? resumed.order : o.shuffle ? random.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    const bar = showProgress ? new ProgressBar(`epoch ${epoch + 1}/${o.epochs}`, n, progressOptions) : null;
    let lossSum = resumed === null ? 0 : resumed.lossSum;
    const firstBatch = resumed === null ? 0 : startBatch;
    if (bar && firstBatch > 0) bar.update(firstBatch * o.batchSize, 'resumed');
    for (let b = firstBatch; b < batches; b++) {
      const start = b * o.batchSize;
      const idx = order.subarray(start, Math.min(start + o.batchSize, n));
      const batch = `epoch ${epoch + 1}, batch ${b + 1} (${idx.length} rows)`;
      if (perStep && o.schedule) {
        const t = step;
        within('fit', `the schedule at step ${t} (${batch})`, () => o.schedule!.apply(t));
      }
      const t = step + 1;
      // One step in a tidy scope: its tensors are released when it ends, and the next step of the
      // same shapes reuses their buffers instead of allocating.
      lossSum += within('fit', batch, () =>
        tidy(() => {
          const x = idx.length === n ? train.x : kernels.takeRows(train.x, idx);
          const y = idx.length === n ? train.y : kernels.takeRows(train.y, idx);
          const loss = o.loss.forward(model.forward(x), y);
          const value = lossValue('fit', o.loss, loss);
          if (!Number.isFinite(value)) {
            const origin = extra.anomaly ? nonFiniteOrigin(loss, x, y, names) : null;
            const detail = origin !== null ? `anomaly detection: ${origin.text}` : 'pass anomaly: true to find the op that made it';
            throw nonFinite(`the loss is ${value}`, value, epoch + 1, o.epochs, b + 1, batches, t, `the optimizer did not take the step. ${detail}`, origin?.op ?? null);
          }
          const grads = backward(loss, { wrt: params });
          if (extra.anomaly) checkGradients(grads, params, names, value, epoch + 1, o.epochs, b + 1, batches, t);
          o.optimizer.step(o.clipGradNorm !== undefined ? clipGradNorm(grads, params, o.clipGradNorm).grads : grads);
          return value * idx.length;
        }),
      );
      step = t;
      if (bar) {
        const done = start + idx.length;
        const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 1e-3)).toLocaleString('en-US');
        bar.update(done, `loss ${(lossSum / done).toPrecision(4)} · ${rate} ex/s`);
      }
      if (plan !== null && plan.everySteps !== null && step % plan.everySteps === 0 && b < batches - 1) {
        save(epoch, b + 1, { order, lossSum, seconds: (Date.now() - started) / 1000 });
      }
    }
    const seconds = (Date.now() - started) / 1000;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / n,
      lr: o.optimizer.lr,
      seconds,
      examplesPerSecond: n / Math.max(seconds, 1e-9),
      metrics: {},
    };
    if (o.validation) {
      const v = within('fit', `epoch ${epoch + 1}, ${o.validationName} set`, () => evaluateChecked('fit', model, o.validation!, o.loss, o.metrics, 4096));
      record.valLoss = v.loss;
      record.metrics = v.metrics;
    } else if (o.metrics.length > 0) {
      record.metrics = within('fit', `epoch ${epoch + 1}, metrics`, () => evaluateChecked('fit', model, train, o.loss, o.metrics, 4096)).metrics;
    }
    history.epochs.push(record);
    bar?.finish(formatRecord(record, o.validationName));

    const monitored = record.valLoss ?? record.loss;
    if (monitored < best - (o.earlyStopping?.minDelta ?? 0)) {
      best = monitored;
      history.bestEpoch = epoch;
      sinceBest = 0;
      if (o.earlyStopping) bestState = snapshot(model);
    } else sinceBest++;
    if (o.onEpoch?.(record) === 'stop') stopped = true;
    else if (o.earlyStopping && sinceBest >= o.earlyStopping.patience) {
      history.stoppedEarly = true;
      stopped = true;
      if (bestState && o.earlyStopping.restoreBest) restore(model, bestState);
    }
    const last = stopped || epoch === o.epochs - 1;
    if (plan !== null && (plan.everySteps === null || step % plan.everySteps === 0 || last)) save(epoch + 1, 0, null);
    if (stopped) break;
  }
  return history;
}

/** With anomaly detection: every gradient must be finite before the optimizer uses it. */
function checkGradients(grads: Gradients, params: readonly Tensor[], names: ReadonlyMap<Tensor, string>, loss: number, epoch: number, epochs: number, batch: number, batches: number, step: number): void {
  for (const p of params) {
    const g = grads.get(p);
    const k = firstNonFinite(g.data);
    if (k < 0) continue;
    const name = names.get(p) ?? '?';
    throw nonFinite(
      `the gradient of the parameter '${name}' ${fmtShape(p.shape)} is ${g.data[k]} at index ${k}`,
      g.data[k]!, epoch, epochs, batch, batches, step,
      `the loss ${loss} was finite, so a backward pass (a VJP) made it; the optimizer did not take the step`, null, name,
    );
  }
}
