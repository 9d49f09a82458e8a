/**
 * Adam (Kingma & Ba), with bias correction:
 *   m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
 *   θ ← θ − η m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 */
import { Tensor } from '../../lib';
import { pow } from '../../lib/math';
import { numberIn } from '../args';
import { DECAY, Hyperparameter, Optimizer, OptimizerOptions, POSITIVE } from './optimizer';

export interface AdamOptions extends OptimizerOptions {
  /** β₁ in [0, 1) (default 0.9). */
  beta1?: number;
  /** β₂ in [0, 1) (default 0.999). */
  beta2?: number;
  /** ε > 0 (default 1e-8). */
  eps?: number;
}

export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];

  constructor(params: readonly Tensor[], options: AdamOptions) {
    super(params, options);
    this.beta1 = numberIn(this.who, 'beta1', options.beta1, DECAY, 0.9);
    this.beta2 = numberIn(this.who, 'beta2', options.beta2, DECAY, 0.999);
    this.eps = numberIn(this.who, 'eps', options.eps, POSITIVE, 1e-8);
    this.m = this.params.map((p) => new Float64Array(p.size));
    this.v = this.params.map((p) => new Float64Array(p.size));
  }

  protected override hyperparameters(): Record<string, Hyperparameter> {
    return { ...super.hyperparameters(), beta1: this.beta1, beta2: this.beta2, eps: this.eps };
  }

  /** The first and second moments. */
  protected override stateBuffers(): Record<string, Float64Array[]> {
    return { m: this.m, v: this.v };
  }

  protected update(i: number, theta: Float64Array, g: Float64Array): void {
    const { beta1: b1, beta2: b2, eps, lr } = this;
    const m = this.m[i]!;
    const v = this.v[i]!;
    const c1 = 1 - pow(b1, this.steps);
    const c2 = 1 - pow(b2, this.steps);
    for (let k = 0; k < theta.length; k++) {
      const gk = g[k]!;
      m[k] = b1 * m[k]! + (1 - b1) * gk;
      v[k] = b2 * v[k]! + (1 - b2) * gk * gk;
      theta[k] = theta[k]! - (lr * (m[k]! / c1)) / (Math.sqrt(v[k]! / c2) + eps);
    }
  }
}
