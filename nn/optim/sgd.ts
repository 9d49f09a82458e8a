/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's form) and Nesterov:
 *   plain:     θ ← θ − η g
 *   momentum:  v ← μ v + g,  θ ← θ − η v
 *   Nesterov:  v ← μ v + g,  θ ← θ − η (g + μ v)
 */
import { Tensor } from '../../lib';
import { boolIn, numberIn } from '../args';
import { DECAY, Hyperparameter, Optimizer, OptimizerOptions } from './optimizer';

export interface SGDOptions extends OptimizerOptions {
  /** μ in [0, 1) (default 0: plain SGD). */
  momentum?: number;
  /** Nesterov's look-ahead form (default false). */
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;
  private readonly velocity: Float64Array[];

  constructor(params: readonly Tensor[], options: SGDOptions) {
    super(params, options);
    this.momentum = numberIn(this.who, 'momentum', options.momentum, DECAY, 0);
    this.nesterov = boolIn(this.who, 'nesterov', options.nesterov, false);
    this.velocity = this.params.map((p) => new Float64Array(p.size));
  }

  protected override hyperparameters(): Record<string, Hyperparameter> {
    return { ...super.hyperparameters(), momentum: this.momentum, nesterov: this.nesterov };
  }

  /** The velocity, kept (and saved) only with momentum. */
  protected override stateBuffers(): Record<string, Float64Array[]> {
    return this.momentum === 0 ? {} : { velocity: this.velocity };
  }

  protected update(i: number, theta: Float64Array, g: Float64Array): void {
    const lr = this.lr;
    const mu = this.momentum;
    if (mu === 0) {
      for (let k = 0; k < theta.length; k++) theta[k] = theta[k]! - lr * g[k]!;
      return;
    }
    const v = this.velocity[i]!;
    for (let k = 0; k < theta.length; k++) {
      v[k] = mu * v[k]! + g[k]!;
      theta[k] = theta[k]! - lr * (this.nesterov ? g[k]! + mu * v[k]! : v[k]!);
    }
  }
}
