/**
 * Evaluation metrics on predictions and targets (plain numbers, no graph):
 *   accuracy  fraction of rows whose argmax (or, for one column, p > ½ / logit > 0) matches the label
 *   rmse      √(mean (ŷ − y)²)
 *   r2        1 − Σ(ŷ − y)² / Σ(y − ȳ)²
 */
import { ShapeError, Tensor, fmtShape } from '../lib';

export type MetricName = 'accuracy' | 'rmse' | 'r2';

/** Index of the largest entry of each row of a [n, c] tensor. */
export function argmaxRows(x: Tensor): Int32Array {
  const [n, c] = [x.shape[0]!, x.shape[1] ?? 1];
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
 * output column binary labels [n, 1]; `threshold` is the decision point of a single column:
 * 0 for logits, ½ for probabilities. Left out, it is ½ when every prediction lies in [0, 1]
 * (probabilities) and 0 otherwise (logits); pass it when that guess could be wrong.
 */
export function accuracy(prediction: Tensor, target: Tensor, threshold?: number): number {
  const n = prediction.shape[0]!;
  const c = prediction.shape[1] ?? 1;
  let correct = 0;
  if (c === 1) {
    threshold ??= prediction.data.every((v) => v >= 0 && v <= 1) ? 0.5 : 0;
    for (let i = 0; i < n; i++) correct += (prediction.data[i]! > threshold ? 1 : 0) === target.data[i] ? 1 : 0;
    return correct / n;
  }
  const predicted = argmaxRows(prediction);
  const labels = target.rank === 1 ? target.data : argmaxRows(target);
  for (let i = 0; i < n; i++) correct += predicted[i] === labels[i] ? 1 : 0;
  return correct / n;
}

function checkSame(metric: string, p: Tensor, y: Tensor): void {
  if (p.size !== y.size) throw new ShapeError(`${metric}: prediction ${fmtShape(p.shape)} and target ${fmtShape(y.shape)} differ in size`);
}

export function rmse(prediction: Tensor, target: Tensor): number {
  checkSame('rmse', prediction, target);
  let s = 0;
  for (let i = 0; i < prediction.size; i++) s += (prediction.data[i]! - target.data[i]!) ** 2;
  return Math.sqrt(s / prediction.size);
}

export function r2(prediction: Tensor, target: Tensor): number {
  checkSame('r2', prediction, target);
  let mean = 0;
  for (const v of target.data) mean += v / target.size;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < target.size; i++) {
    residual += (prediction.data[i]! - target.data[i]!) ** 2;
    total += (target.data[i]! - mean) ** 2;
  }
  return 1 - residual / total;
}

export const METRICS: Record<MetricName, (prediction: Tensor, target: Tensor) => number> = { accuracy, rmse, r2 };
