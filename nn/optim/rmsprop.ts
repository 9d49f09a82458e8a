/**
 * RMSProp (PyTorch's form): s ← α s + (1 − α) g²,  θ ← θ − η g / (√s + ε).
 */
import { Tensor } from '../../lib';
import { numberIn } from '../args';
import { DECAY, Hyperparameter, Optimizer, OptimizerOptions, POSITIVE } from './optimizer';

export interface RMSPropOptions extends OptimizerOptions {
  /** α in [0, 1) (default 0.99). */
  alpha?: number;
  /** ε > 0 (default 1e-8). */
  eps?: number;
}

export class RMSProp extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  private readonly square: Float64Array[];

  constructor(params: readonly Tensor[], options: RMSPropOptions) {
    super(params, options);
    this.alpha = numberIn(this.who, 'alpha', options.alpha, DECAY, 0.99);
    this.eps = numberIn(this.who, 'eps', options.eps, POSITIVE, 1e-8);
    this.square = this.params.map((p) => new Float64Array(p.size));
  }

  protected override hyperparameters(): Record<string, Hyperparameter> {
    return { ...super.hyperparameters(), alpha: this.alpha, eps: this.eps };
  }

  /** The running mean of the squared gradients. */
  protected override stateBuffers(): Record<string, Float64Array[]> {
    return { square: this.square };
  }

  protected update(i: number, theta: Float64Array, g: Float64Array): void {
    const { alpha, eps, lr } = this;
    const s = this.square[i]!;
    for (let k = 0; k < theta.length; k++) {
      const gk = g[k]!;
      s[k] = alpha * s[k]! + (1 - alpha) * gk * gk;
      theta[k] = theta[k]! - (lr * gk) / (Math.sqrt(s[k]!) + eps);
    }
  }
}
