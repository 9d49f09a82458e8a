/**
 * The optimizer base: holds the parameters and a learning rate, and applies an update per
 * parameter in place under noGrad (an update never grows the graph). Gradients come from any
 * source with get(param): a backward pass's Gradients, or a clipped view of it.
 */
import { ArgumentError, Tensor, describe } from '../../lib';
import { noGrad } from '../../graph';

export interface GradientSource {
  get(t: Tensor): Tensor;
}

export interface OptimizerOptions {
  lr: number;
  /** L2 weight decay λ: the gradient gains λθ (coupled, as in PyTorch's SGD and Adam). Default 0. */
  weightDecay?: number;
}

export abstract class Optimizer {
  lr: number;
  readonly weightDecay: number;
  /** Number of steps taken. */
  steps = 0;
  protected readonly params: Tensor[];

  constructor(params: readonly Tensor[], options: OptimizerOptions) {
    if (!(typeof options.lr === 'number' && options.lr > 0 && Number.isFinite(options.lr))) {
      throw new ArgumentError(`${new.target.name}: lr must be a positive number, got ${describe(options.lr)}`);
    }
    this.params = [...params];
    this.lr = options.lr;
    this.weightDecay = options.weightDecay ?? 0;
  }

  /** Updates every parameter from its gradient in `grads`. */
  step(grads: GradientSource): void {
    this.steps++;
    noGrad(() => {
      this.params.forEach((p, i) => {
        const g = grads.get(p).data;
        const theta = p.data;
        let gradient = g;
        if (this.weightDecay !== 0) {
          gradient = new Float64Array(g.length);
          for (let k = 0; k < g.length; k++) gradient[k] = g[k]! + this.weightDecay * theta[k]!;
        }
        this.update(i, theta, gradient);
      });
    });
  }

  /** Updates θ in place from its gradient; i identifies the parameter for per-parameter state. */
  protected abstract update(i: number, theta: Float64Array, gradient: Float64Array): void;
}
