/**
 * The optimizer base: holds the parameters and a learning rate, and applies an update per
 * parameter in place under noGrad (an update never grows the graph). Gradients come from any
 * source with get(param): a backward pass's Gradients, or a clipped view of it.
 */
import { ArgumentError, ShapeError, Tensor, describe, fmtShape, sameShape } from '../../lib';
import { noGrad } from '../../graph';
import { numberIn, optionsIn, tensorsIn } from '../args';

export interface GradientSource {
  get(t: Tensor): Tensor;
}

export interface OptimizerOptions {
  /** Learning rate η, a finite number > 0. */
  lr: number;
  /** L2 weight decay λ ≥ 0: the gradient gains λθ (coupled, as in PyTorch's SGD and Adam). Default 0. */
  weightDecay?: number;
}

/** The ranges of the optimizers' hyperparameters. */
export const POSITIVE = { min: 0, minOpen: true } as const;
export const NON_NEGATIVE = { min: 0 } as const;
/** A decay rate such as momentum, β₁, β₂ or α: in [0, 1). */
export const DECAY = { min: 0, max: 1, maxOpen: true } as const;

export abstract class Optimizer {
  lr: number;
  readonly weightDecay: number;
  /** Number of steps taken. */
  steps = 0;
  protected readonly params: Tensor[];

  /** The class's name, for messages. */
  protected readonly who: string;

  constructor(params: readonly Tensor[], options: OptimizerOptions) {
    const who = new.target.name;
    this.who = who;
    this.params = tensorsIn(who, 'params', params);
    const o = optionsIn(who, options, 'a learning rate, e.g. { lr: 0.01 }');
    this.lr = numberIn(who, 'lr', o.lr, POSITIVE);
    this.weightDecay = numberIn(who, 'weightDecay', o.weightDecay, NON_NEGATIVE, 0);
  }


  /** Updates every parameter from its gradient in `grads`. */
  step(grads: GradientSource): void {
    const who = `${this.who}.step`;
    if (typeof (grads as Partial<GradientSource> | null)?.get !== 'function') {
      throw new ArgumentError(`${who}: expected gradients (an object with get(param), such as backward's result), got ${describe(grads)}`);
    }
    if (!(Number.isFinite(this.lr) && this.lr >= 0)) throw new ArgumentError(`${who}: lr must be a finite number ≥ 0, got ${describe(this.lr)}`);
    // Every gradient is fetched and checked before any parameter moves, so a bad one changes nothing.
    noGrad(() => {
      const gradients = this.params.map((p, i) => {
        const g: unknown = grads.get(p);
        if (!(g instanceof Tensor)) throw new ArgumentError(`${who}: the gradient of parameter ${i} must be a tensor, got ${describe(g)}`);
        if (!sameShape(g.shape, p.shape)) {
          throw new ShapeError(`${who}: the gradient of parameter ${i} has shape ${fmtShape(g.shape)}, expected the parameter's shape ${fmtShape(p.shape)}`);
        }
        return g;
      });
      this.steps++;
      this.params.forEach((p, i) => {
        const g = gradients[i]!.data;
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
