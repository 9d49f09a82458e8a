/**
 * The training loop: epochs of shuffled mini-batches drawn with a seeded generator; per batch a
 * forward pass, one backward pass and an optimizer step; per epoch the mean training loss,
 * throughput, validation loss and metrics, and early stopping; a learning-rate schedule applied
 * before each epoch or, with scheduleEvery: 'step', before each step.
 */
import { Tensor, globalRng, kernels, rng, tidy } from '../lib';
import { backward, noGrad } from '../graph';
import { numberIn, within } from './args';
import { Loss } from './losses';
import { METRICS, MetricName } from './metrics';
import { Module } from './module';
import { Optimizer } from './optim/optimizer';
import { Schedule } from './optim/schedules';
import { clipGradNorm } from './optim/clip';
import { ProgressBar, ProgressOptions } from './progress';
import { datasetOf, fitOptionsOf, lossOf, lossValue, metricsOf, modelOf } from './train-args';

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

function snapshot(model: Module): Float64Array[] {
  return [...model.parameters(), ...model.namedBuffers().map(([, t]) => t)].map((t) => t.data.slice());
}

function restore(model: Module, saved: Float64Array[]): void {
  [...model.parameters(), ...model.namedBuffers().map(([, t]) => t)].forEach((t, i) => t.data.set(saved[i]!));
}

function formatRecord(r: EpochRecord, validationName: string): string {
  const parts = [`loss ${r.loss.toPrecision(4)}`];
  if (r.valLoss !== undefined) parts.push(`${validationName} loss ${r.valLoss.toPrecision(4)}`);
  for (const [k, v] of Object.entries(r.metrics)) parts.push(`${k} ${k === 'accuracy' ? (100 * v).toFixed(2) + '%' : v.toPrecision(4)}`);
  parts.push(`${Math.round(r.examplesPerSecond).toLocaleString('en-US')} ex/s`);
  return parts.join(' · ');
}

export function fit(model: Module, data: Dataset, options: FitOptions): History {
  modelOf('fit', model);
  const train = datasetOf('fit', 'data', data);
  const n = train.x.shape[0]!;
  const o = fitOptionsOf(options, n);
  const random = o.seed === undefined ? globalRng() : rng(o.seed);
  const params = model.parameters();
  const history: History = { epochs: [], stoppedEarly: false, bestEpoch: 0 };
  const progressOptions = typeof o.progress === 'object' ? o.progress : {};
  const showProgress = o.progress !== false;
  let best = Infinity;
  let bestState: Float64Array[] | null = null;
  let sinceBest = 0;
  const perStep = o.scheduleEvery === 'step';
  let step = 0;

  for (let epoch = 0; epoch < o.epochs; epoch++) {
    if (!perStep) within('fit', `the schedule at epoch ${epoch + 1}`, () => o.schedule?.apply(epoch));
    model.train();
    const started = Date.now();
    const order = o.shuffle ? random.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    const bar = showProgress ? new ProgressBar(`epoch ${epoch + 1}/${o.epochs}`, n, progressOptions) : null;
    let lossSum = 0;
    for (let start = 0; start < n; start += o.batchSize) {
      const idx = order.subarray(start, Math.min(start + o.batchSize, n));
      const batch = `epoch ${epoch + 1}, batch ${start / o.batchSize + 1} (${idx.length} rows)`;
      if (perStep && o.schedule) {
        const t = step;
        within('fit', `the schedule at step ${t} (${batch})`, () => o.schedule!.apply(t));
      }
      step++;
      // One step in a tidy scope: its tensors are released when it ends, and the next step of the
      // same shapes reuses their buffers instead of allocating.
      lossSum += within('fit', batch, () =>
        tidy(() => {
          const x = idx.length === n ? train.x : kernels.takeRows(train.x, idx);
          const y = idx.length === n ? train.y : kernels.takeRows(train.y, idx);
          const loss = o.loss.forward(model.forward(x), y);
          const value = lossValue('fit', o.loss, loss);
          const grads = backward(loss, { wrt: params });
          o.optimizer.step(o.clipGradNorm !== undefined ? clipGradNorm(grads, params, o.clipGradNorm).grads : grads);
          return value * idx.length;
        }),
      );
      if (bar) {
        const done = start + idx.length;
        const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 1e-3)).toLocaleString('en-US');
        bar.update(done, `loss ${(lossSum / done).toPrecision(4)} · ${rate} ex/s`);
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
    if (o.onEpoch?.(record) === 'stop') break;
    if (o.earlyStopping && sinceBest >= o.earlyStopping.patience) {
      history.stoppedEarly = true;
      if (bestState && o.earlyStopping.restoreBest) restore(model, bestState);
      break;
    }
  }
  return history;
}
