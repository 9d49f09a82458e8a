/**
 * The argument checks of fit and evaluate: the model, the data sets, the loss, the metrics and
 * every option of fit, each failing with an ArgumentError (or a ShapeError for rows that do not
 * match) that names the caller, the argument and what was expected.
 */
import { ArgumentError, ShapeError, Tensor, describe, fmtShape, isCallable } from '../lib';
import { asTensor, boolIn, choiceIn, isRecord, numberIn, optionsIn, stringIn, within } from './args';
import { Loss } from './losses';
import { METRICS, MetricName } from './metrics';
import { Module } from './module';
import { Optimizer } from './optim/optimizer';
import { Schedule } from './optim/schedules';
import { ProgressBar, ProgressOptions } from './progress';
import type { Dataset, EarlyStopping, FitOptions } from './train';

export function modelOf(who: string, model: unknown): Module {
  if (!(model instanceof Module)) throw new ArgumentError(`${who}: expected a model (a Module such as MLP or Sequential), got ${describe(model)}`);
  return model;
}

export function lossOf(who: string, loss: unknown): Loss {
  if (typeof (loss as Partial<Loss> | null)?.forward !== 'function') {
    throw new ArgumentError(`${who}: loss must be a loss (an object with forward(prediction, target), such as new MSELoss()), got ${describe(loss)}`);
  }
  return loss as Loss;
}

/** The value of a loss, which must be a scalar tensor. */
export function lossValue(who: string, loss: Loss, value: unknown): number {
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw new ArgumentError(`${who}: the loss ${describe(loss.name)} returned ${describe(value)}, expected a tensor with one element`);
  }
  return value.data[0]!;
}

export function metricsOf(who: string, metrics: unknown): MetricName[] {
  if (metrics === undefined) return [];
  const known = Object.keys(METRICS);
  if (!Array.isArray(metrics)) throw new ArgumentError(`${who}: metrics must be an array of metric names (${known.join(', ')}), got ${describe(metrics)}`);
  for (let i = 0; i < metrics.length; i++) {
    const m: unknown = metrics[i];
    if (typeof m !== 'string' || !known.includes(m)) throw new ArgumentError(`${who}: unknown metric ${describe(m)} at index ${i}; expected one of ${known.join(', ')}`);
  }
  return metrics.slice() as MetricName[];
}

/** A data set: inputs and targets as tensors with the same number of rows, at least one. */
export function datasetOf(who: string, name: string, data: unknown): Dataset {
  if (!isRecord(data) || !('x' in data) || !('y' in data)) {
    const got = isRecord(data) ? `an object with keys ${Object.keys(data).join(', ') || '(none)'}` : describe(data);
    throw new ArgumentError(`${who}: ${name} must be { x, y } (inputs and targets, one row per example), got ${got}`);
  }
  const x = asTensor(who, data.x, `${name}.x`);
  const y = asTensor(who, data.y, `${name}.y`);
  if (x.rank === 0 || y.rank === 0) {
    throw new ShapeError(`${who}: ${name}.x ${fmtShape(x.shape)} and ${name}.y ${fmtShape(y.shape)} must hold one row per example; a scalar has no rows`);
  }
  const n = x.shape[0]!;
  if (y.shape[0] !== n) throw new ShapeError(`${who}: ${name} has ${n} input rows but ${y.shape[0]} target rows`);
  if (n === 0) throw new ArgumentError(`${who}: ${name} has no rows (x ${fmtShape(x.shape)})`);
  return { x, y };
}

function earlyStoppingOf(value: unknown): Required<EarlyStopping> | null {
  if (value === undefined) return null;
  const o = optionsIn('fit: earlyStopping', value, 'patience, e.g. { patience: 5 }');
  return {
    patience: numberIn('fit', 'earlyStopping.patience', o.patience, { min: 1, integer: true }),
    minDelta: numberIn('fit', 'earlyStopping.minDelta', o.minDelta, { min: 0 }, 0),
    restoreBest: boolIn('fit', 'earlyStopping.restoreBest', o.restoreBest, true),
  };
}

/** The clipping norm of fit: clipGradNorm, or clipNorm (its former name), a number > 0, or undefined for none. */
function clipGradNormOf(o: Record<string, unknown>): number | undefined {
  const range = { min: 0, minOpen: true };
  const clip = o.clipGradNorm === undefined ? undefined : numberIn('fit', 'clipGradNorm', o.clipGradNorm, range);
  const old = o.clipNorm === undefined ? undefined : numberIn('fit', 'clipNorm', o.clipNorm, range);
  if (clip !== undefined && old !== undefined && clip !== old) {
    throw new ArgumentError(`fit: clipGradNorm ${clip} and clipNorm ${old} are one option (clipNorm is its former name); give one of them`);
  }
  return clip ?? old;
}

/** Every option of fit, checked, with the defaults filled in. */
export function fitOptionsOf(options: unknown, n: number) {
  const o = optionsIn('fit', options, 'loss, optimizer and epochs, e.g. { loss: new MSELoss(), optimizer: new Adam(model.parameters(), { lr: 1e-3 }), epochs: 10 }');
  const optimizer = o.optimizer;
  if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`fit: optimizer must be an optimizer (SGD, Adam, RMSProp…), got ${describe(optimizer)}`);
  const schedule = o.schedule;
  if (schedule !== undefined && typeof (schedule as Partial<Schedule> | null)?.apply !== 'function') {
    throw new ArgumentError(`fit: schedule must be a schedule (an object with apply(epoch), such as StepLR or CosineLR), got ${describe(schedule)}`);
  }
  const progress = o.progress;
  if (progress !== undefined && typeof progress !== 'boolean' && !isRecord(progress)) {
    throw new ArgumentError(`fit: progress must be true, false or progress-bar options, got ${describe(progress)}`);
  }
  // A bar's options are checked now, not at the end of the first epoch.
  if (isRecord(progress)) within('fit', 'progress', () => new ProgressBar('fit', 0, progress as ProgressOptions));
  const onEpoch = o.onEpoch;
  if (onEpoch !== undefined && !isCallable(onEpoch)) throw new ArgumentError(`fit: onEpoch must be a function, got ${describe(onEpoch)}`);
  return {
    loss: lossOf('fit', o.loss),
    optimizer,
    epochs: numberIn('fit', 'epochs', o.epochs, { min: 1, integer: true }),
    batchSize: Math.min(numberIn('fit', 'batchSize', o.batchSize, { min: 1, integer: true }, n), n),
    shuffle: boolIn('fit', 'shuffle', o.shuffle, true),
    seed: o.seed === undefined ? undefined : numberIn('fit', 'seed', o.seed, {}),
    validation: o.validation === undefined ? undefined : datasetOf('fit', 'validation', o.validation),
    validationName: stringIn('fit', 'validationName', o.validationName, 'val'),
    metrics: metricsOf('fit', o.metrics),
    earlyStopping: earlyStoppingOf(o.earlyStopping),
    schedule: schedule as Schedule | undefined,
    scheduleEvery: choiceIn('fit', 'scheduleEvery', o.scheduleEvery, ['epoch', 'step'] as const, 'epoch'),
    clipGradNorm: clipGradNormOf(o),
    progress: progress as boolean | ProgressOptions | undefined,
    onEpoch: onEpoch as FitOptions['onEpoch'],
  };
}
