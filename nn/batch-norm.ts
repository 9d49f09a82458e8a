/**
 * Batch normalisation over the features of a batch X [n, f]:
 *   train:  μ = mean(X, 0), σ² = mean((X − μ)², 0), X̂ = (X − μ)/√(σ² + ε), Y = γ ⊙ X̂ + β,
 *           and the running statistics move toward the batch's: r ← (1 − m) r + m · stat
 *           (the running variance takes the unbiased n/(n − 1) σ², as PyTorch does);
 *   eval:   X̂ uses the running mean and variance.
 * Built from ops, so the training-mode gradient is the true one: it flows through μ and σ² as
 * well (a hand-derived backward that treats them as constants gives only the eval-mode gradient).
 *
 * numBatchesTracked counts the training-mode forward passes, as PyTorch's num_batches_tracked
 * (deltagraph's statistics do not use it: the momentum is always a number). It is an optional
 * buffer: saved with the others, and a model saved before it existed loads with it left as it is.
 */
import { ArgumentError, Tensor, TensorLike, ones, zeros } from '../lib';
import type { TorchLayout } from './state-dict';

import { add, div, mean, mul, sqrt, sub } from '../ops';
import { boolIn, numberIn, optionsIn, sizeIn } from './args';
import { Module, batchOf } from './module';

export interface BatchNormOptions {
  /** ε added to the variance (default 1e-5). */
  eps?: number;
  /** Weight m of the newest batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learn γ and β (default true). */
  affine?: boolean;
}

export class BatchNorm extends Module {
  readonly gamma: Tensor | null;
  readonly beta: Tensor | null;
  readonly runningMean: Tensor;
  readonly runningVar: Tensor;
  /** The training-mode forward passes so far, a scalar (PyTorch's num_batches_tracked). */
  readonly numBatchesTracked: Tensor;
  readonly eps: number;
  readonly momentum: number;

  constructor(readonly features: number, options: BatchNormOptions = {}) {
    super();
    sizeIn('BatchNorm', 'features', features);
    const o = optionsIn('BatchNorm', options);
    this.eps = numberIn('BatchNorm', 'eps', o.eps, { min: 0, minOpen: true }, 1e-5);
    this.momentum = numberIn('BatchNorm', 'momentum', o.momentum, { min: 0, max: 1 }, 0.1);
    const affine = boolIn('BatchNorm', 'affine', o.affine, true);
    this.gamma = affine ? this.addParameter('gamma', ones([features])) : null;
    this.beta = affine ? this.addParameter('beta', zeros([features])) : null;
    this.runningMean = this.addBuffer('runningMean', zeros([features]));
    this.runningVar = this.addBuffer('runningVar', ones([features]));
    this.numBatchesTracked = this.addBuffer('numBatchesTracked', zeros([]), { optional: true });
  }

  forward(input: TensorLike): Tensor {
    const x = batchOf('BatchNorm', input, this.features);
    let normalized: Tensor;
    if (this.training) {
      if (x.shape[0] === 0) throw new ArgumentError('BatchNorm.forward: a batch of 0 rows has no mean or variance; train mode needs at least one row');
      const mu = mean(x, 0);
      const centered = sub(x, mu);
      const variance = mean(mul(centered, centered), 0);
      normalized = div(centered, sqrt(add(variance, this.eps)));
      this.updateRunning(mu, variance, x.shape[0]!);
      this.numBatchesTracked.data[0] = this.numBatchesTracked.data[0]! + 1;
    } else {
      normalized = div(sub(x, this.runningMean), sqrt(add(this.runningVar, this.eps)));
    }
    return this.gamma && this.beta ? add(mul(normalized, this.gamma), this.beta) : normalized;
  }

  /** Moves the running statistics toward the batch's, in place (state, not part of the graph). */
  private updateRunning(mu: Tensor, variance: Tensor, n: number): void {
    const m = this.momentum;
    const unbiased = n > 1 ? n / (n - 1) : 1;
    const rm = this.runningMean.data;
    const rv = this.runningVar.data;
    for (let i = 0; i < this.features; i++) {
      rm[i] = (1 - m) * rm[i]! + m * mu.data[i]!;
      rv[i] = (1 - m) * rv[i]! + m * unbiased * variance.data[i]!;
    }
  }

  /**
   * As torch.nn.BatchNorm1d (and BatchNorm2d): weight (γ) and bias (β) when affine, then the
   * buffers running_mean, running_var and num_batches_tracked (a scalar; a dict without it loads,
   * leaving the count, as PyTorch fills it in for dicts saved before it had one).
   */
  protected override torchLayout(): TorchLayout {
    const affine = this.gamma && this.beta ? [{ key: 'weight', tensor: this.gamma }, { key: 'bias', tensor: this.beta }] : [];
    const buffers = [
      { key: 'running_mean', tensor: this.runningMean },
      { key: 'running_var', tensor: this.runningVar },
      { key: 'num_batches_tracked', tensor: this.numBatchesTracked, optional: true },
    ];
    return { tensors: [...affine, ...buffers], children: [] };
  }

  describe(): string {
    return `BatchNorm(${this.features})`;
  }
}

