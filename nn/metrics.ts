/**
 * Evaluation metrics on predictions and targets (plain numbers, no graph):
 *   accuracy  fraction of rows whose argmax (or, for one column, p > ½ / logit > 0) matches the label
 *   rmse      √(mean (ŷ − y)²)
 *   r2        1 − Σ(ŷ − y)² / Σ(y − ȳ)²
 */
import { ArgumentError, ShapeError, Tensor, TensorLike, describe, fmtShape } from '../lib';
import { asTensor, numberIn } from './args';

export type MetricName = 'accuracy' | 'rmse' | 'r2';

/** A [n] or [n, c] tensor with at least one row, or an error naming the metric. */
function rowsOf(metric: string, name: string, value: unknown): Tensor {
  const t = asTensor(metric, value, name);
  if (t.rank < 1 || t.rank > 2) throw new ShapeError(`${metric}: ${name} must have shape [n] or [n, c] (rows are examples), got ${fmtShape(t.shape)}`);
  if (t.shape[0] === 0) throw new ShapeError(`${metric}: ${name} ${fmtShape(t.shape)} has no rows`);
  return t;
}

/** Index of the largest entry of each row of a [n, c] tensor (a [n] tensor is one column). */
export function argmaxRows(input: TensorLike): Int32Array {
  const x = asTensor('argmaxRows', input, 'x');
  if (x.rank < 1 || x.rank > 2) throw new ShapeError(`argmaxRows: x must have shape [n] or [n, c], got ${fmtShape(x.shape)}`);
  const [n, c] = [x.shape[0]!, x.shape[1] ?? 1];
  if (c === 0 && n > 0) throw new ShapeError(`argmaxRows: the rows of x ${fmtShape(x.shape)} are empty; there is no largest entry`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (x.data[i * c + j]! > x.data[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}

/**
 * Classification accuracy. Targets are integer labels [n], one-hot rows [n, c], or for a single
 * output column binary labels [n, 1] (or [n]); `threshold` is the decision point of a single column:
 * 0 for logits, ½ for probabilities. Left out, it is ½ when every prediction lies in [0, 1]
 * (probabilities) and 0 otherwise (logits); pass it when that guess could be wrong.
 */
export function accuracy(predictionLike: TensorLike, targetLike: TensorLike, threshold?: number): number {
  const prediction = rowsOf('accuracy', 'prediction', predictionLike);
  const target = rowsOf('accuracy', 'target', targetLike);
  const n = prediction.shape[0]!;
  const c = prediction.shape[1] ?? 1;
  const ok = target.shape[0] === n && (target.rank === 1 || target.shape[1] === c);
  if (!ok) {
    const expected = c === 1 ? `[${n}] or [${n}, 1] (binary labels)` : `[${n}] (labels) or [${n}, ${c}] (one-hot rows)`;
    throw new ShapeError(`accuracy: prediction ${fmtShape(prediction.shape)} and target ${fmtShape(target.shape)} do not match; expected a target of shape ${expected}`);
  }
  if (c === 0) throw new ShapeError(`accuracy: prediction ${fmtShape(prediction.shape)} has no columns`);
  let correct = 0;
  if (c === 1) {
    const t = threshold === undefined ? (prediction.data.every((v) => v >= 0 && v <= 1) ? 0.5 : 0) : numberIn('accuracy', 'threshold', threshold, {});
    for (let i = 0; i < n; i++) correct += (prediction.data[i]! > t ? 1 : 0) === target.data[i] ? 1 : 0;
    return correct / n;
  }
  if (threshold !== undefined) throw new ArgumentError(`accuracy: a threshold applies to a single output column, but prediction has shape ${fmtShape(prediction.shape)}; got threshold ${describe(threshold)}`);
  const predicted = argmaxRows(prediction);
  const labels = target.rank === 1 ? target.data : argmaxRows(target);
  for (let i = 0; i < n; i++) correct += predicted[i] === labels[i] ? 1 : 0;
  return correct / n;
}

/** Prediction and target of a regression metric: tensors of the same size with the same number of rows. */
function pairOf(metric: string, predictionLike: unknown, targetLike: unknown): [Tensor, Tensor] {
  const p = rowsOf(metric, 'prediction', predictionLike);
  const y = rowsOf(metric, 'target', targetLike);
  if (p.size !== y.size || p.shape[0] !== y.shape[0]) {
    throw new ShapeError(`${metric}: prediction ${fmtShape(p.shape)} and target ${fmtShape(y.shape)} differ; expected the same rows and the same number of values`);
  }
  if (p.size === 0) throw new ShapeError(`${metric}: prediction ${fmtShape(p.shape)} and target ${fmtShape(y.shape)} hold no values`);
  return [p, y];
}

export function rmse(predictionLike: TensorLike, targetLike: TensorLike): number {
  const [prediction, target] = pairOf('rmse', predictionLike, targetLike);
  let s = 0;
  for (let i = 0; i < prediction.size; i++) {
    const d = prediction.data[i]! - target.data[i]!;
    s += d * d;
  }
  return Math.sqrt(s / prediction.size);
}

export function r2(predictionLike: TensorLike, targetLike: TensorLike): number {
  const [prediction, target] = pairOf('r2', predictionLike, targetLike);
  let mean = 0;
  for (const v of target.data) mean += v / target.size;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < target.size; i++) {
    const d = prediction.data[i]! - target.data[i]!;
    const dm = target.data[i]! - mean;
    residual += d * d;
    total += dm * dm;
  }
  if (total === 0) {
    throw new ArgumentError(`r2: the target ${fmtShape(target.shape)} is constant (every value ${target.data[0]}), so R² = 1 − Σ(ŷ − y)²/Σ(y − ȳ)² is undefined`);
  }
  return 1 - residual / total;
}

export const METRICS: Record<MetricName, (prediction: Tensor, target: Tensor) => number> = { accuracy, rmse, r2 };
