/**
 * The training loop: epochs of shuffled mini-batches drawn with a seeded generator; per batch a
 * forward pass, one backward pass and an optimizer step; per epoch the mean training loss,
 * throughput, validation loss and metrics, a learning-rate schedule, and early stopping.
 */
import { ArgumentError, Tensor, kernels, rng } from '../lib';
import { backward, noGrad } from '../graph';
import { Loss } from './losses';
import { METRICS, MetricName } from './metrics';
import { Module } from './module';
import { Optimizer } from './optim/optimizer';
import { Schedule } from './optim/schedules';
import { clipGradNorm } from './optim/clip';
import { ProgressBar, ProgressOptions } from './progress';

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
  /** Shuffle the examples every epoch (default true), with this seed (default 0). */
  shuffle?: boolean;
  seed?: number;
  validation?: Dataset;
  /** Metrics computed on the validation set each epoch (and on the training set when there is none). */
  metrics?: MetricName[];
  /** Stops when the validation loss (training loss without validation) stops improving. */
  earlyStopping?: EarlyStopping;
  schedule?: Schedule;
  /** Clip the global gradient norm to this value before each step. */
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
        total += loss.forward(p, y).item() * idx.length;
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

function formatRecord(r: EpochRecord): string {
  const parts = [`loss ${r.loss.toPrecision(4)}`];
  if (r.valLoss !== undefined) parts.push(`val loss ${r.valLoss.toPrecision(4)}`);
  for (const [k, v] of Object.entries(r.metrics)) parts.push(`${k} ${k === 'accuracy' ? (100 * v).toFixed(2) + '%' : v.toPrecision(4)}`);
  parts.push(`${Math.round(r.examplesPerSecond).toLocaleString('en-US')} ex/s`);
  return parts.join(' · ');
}

export function fit(model: Module, data: Dataset, options: FitOptions): History {
  const n = data.x.shape[0]!;
  if (data.y.shape[0] !== n) {
    throw new ArgumentError(`fit: ${n} input rows but ${data.y.shape[0]} target rows`);
  }
  if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new ArgumentError(`fit: epochs must be a positive integer, got ${options.epochs}`);
  const batchSize = Math.min(options.batchSize ?? n, n);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ArgumentError(`fit: batchSize must be a positive integer, got ${options.batchSize}`);
  const random = rng(options.seed ?? 0);
  const params = model.parameters();
  const metrics = options.metrics ?? [];
  const history: History = { epochs: [], stoppedEarly: false, bestEpoch: 0 };
  const progressOptions = typeof options.progress === 'object' ? options.progress : {};
  const showProgress = options.progress !== false;
  let best = Infinity;
  let bestState: Float64Array[] | null = null;
  let sinceBest = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    options.schedule?.apply(epoch);
    model.train();
    const started = Date.now();
    const order = options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : random.permutation(n);
    const bar = showProgress ? new ProgressBar(`epoch ${epoch + 1}/${options.epochs}`, n, progressOptions) : null;
    let lossSum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.subarray(start, Math.min(start + batchSize, n));
      const x = idx.length === n ? data.x : kernels.takeRows(data.x, idx);
      const y = idx.length === n ? data.y : kernels.takeRows(data.y, idx);
      const loss = options.loss.forward(model.forward(x), y);
      const grads = backward(loss, { wrt: params });
      options.optimizer.step(options.clipNorm ? clipGradNorm(grads, params, options.clipNorm).grads : grads);
      lossSum += loss.item() * idx.length;
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
      lr: options.optimizer.lr,
      seconds,
      examplesPerSecond: n / Math.max(seconds, 1e-9),
      metrics: {},
    };
    if (options.validation) {
      const v = evaluate(model, options.validation, options.loss, metrics);
      record.valLoss = v.loss;
      record.metrics = v.metrics;
    } else if (metrics.length > 0) {
      record.metrics = evaluate(model, data, options.loss, metrics).metrics;
    }
    history.epochs.push(record);
    bar?.finish(formatRecord(record));

    const monitored = record.valLoss ?? record.loss;
    if (monitored < best - (options.earlyStopping?.minDelta ?? 0)) {
      best = monitored;
      history.bestEpoch = epoch;
      sinceBest = 0;
      if (options.earlyStopping) bestState = snapshot(model);
    } else sinceBest++;
    if (options.onEpoch?.(record) === 'stop') break;
    if (options.earlyStopping && sinceBest >= options.earlyStopping.patience) {
      history.stoppedEarly = true;
      if (bestState && options.earlyStopping.restoreBest !== false) restore(model, bestState);
      break;
    }
  }
  return history;
}
