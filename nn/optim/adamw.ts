/**
 * AdamW (Loshchilov & Hutter; torch.optim.AdamW): Adam with decoupled weight decay. Each step
 * first shrinks the parameter, θ ← θ − η λ θ, then takes Adam's step on the raw gradient (the
 * decay never enters m or v, unlike Adam's coupled weightDecay, which adds λθ to the gradient):
 *   θ ← θ (1 − η λ),  m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
 *   θ ← θ − η m̂ / (√v̂ + ε),  m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)
 * η is the learning rate at the step (a schedule moves both the decay and the step).
 *
 * Where PyTorch users pass parameter groups to leave biases and norm weights undecayed, AdamW
 * takes a `decay(p, name, index)` predicate, asked once per parameter at construction; params may
 * be a list of tensors or module.namedParameters(), whose names it then receives:
 *   new AdamW(model.namedParameters(), { decay: (p) => p.rank >= 2 })   // weights, not biases
 */
import { ArgumentError, Tensor, describe } from '../../lib';
import { functionIn, numberIn, optionsIn } from '../args';
import { Adam, AdamOptions } from './adam';
import { DECAY, Hyperparameter, NON_NEGATIVE } from './optimizer';

export interface AdamWOptions {
  /** Learning rate η > 0 (default 1e-3). */
  lr?: number;
  /** [β₁, β₂], each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** ε > 0 (default 1e-8). */
  eps?: number;
  /** Decoupled weight decay λ ≥ 0 (default 0.01, as torch.optim.AdamW). */
  weightDecay?: number;
  /**
   * Which parameters decay (default: all, as torch.optim.AdamW given one group). Called once per
   * parameter with the tensor, its name (when params came from namedParameters(), else undefined)
   * and its index; must return true or false.
   */
  decay?: (p: Tensor, name: string | undefined, index: number) => boolean;
}

/** Parameters as tensors, or as [name, tensor] pairs (module.namedParameters()). */
export type ParamList = readonly Tensor[] | ReadonlyArray<readonly [string, Tensor]>;

interface Checked {
  tensors: Tensor[];
  names: Array<string | undefined>;
  adam: AdamOptions;
  weightDecay: number;
  decay: AdamWOptions['decay'];
}

function isPair(entry: unknown): entry is readonly [string, Tensor] {
  return Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && entry[1] instanceof Tensor;
}

/** The constructor's arguments, checked under AdamW's name, before Adam's constructor runs. */
function checked(params: unknown, options: unknown): Checked {
  const o = optionsIn('AdamW', options);
  let tensors = params as Tensor[];
  let names: Array<string | undefined> = [];
  if (Array.isArray(params) && params.some((e) => !(e instanceof Tensor))) {
    params.forEach((e: unknown, i) => {
      if (!(e instanceof Tensor) && !isPair(e)) {
        throw new ArgumentError(`AdamW: params[${i}] must be a tensor or a [name, tensor] pair (as namedParameters() gives), got ${describe(e)}`);
      }
    });
    tensors = params.map((e: Tensor | readonly [string, Tensor]) => (e instanceof Tensor ? e : e[1]));
    names = params.map((e: Tensor | readonly [string, Tensor]) => (e instanceof Tensor ? undefined : e[0]));
  }
  const betas: unknown = o.betas ?? [0.9, 0.999];
  if (!Array.isArray(betas) || betas.length !== 2) throw new ArgumentError(`AdamW: betas must be a pair [β₁, β₂] of numbers in [0, 1), got ${describe(betas)}`);
  return {
    tensors,
    names,
    adam: {
      lr: numberIn('AdamW', 'lr', o.lr, { min: 0, minOpen: true }, 1e-3),
      beta1: numberIn('AdamW', 'betas[0]', betas[0], DECAY),
      beta2: numberIn('AdamW', 'betas[1]', betas[1], DECAY),
      eps: numberIn('AdamW', 'eps', o.eps, { min: 0, minOpen: true }, 1e-8),
      // Adam's own (coupled) weight decay stays off: AdamW decays in update.
      weightDecay: 0,
    },
    weightDecay: numberIn('AdamW', 'weightDecay', o.weightDecay, NON_NEGATIVE, 0.01),
    decay: o.decay === undefined ? undefined : functionIn<NonNullable<AdamWOptions['decay']>>('AdamW', 'decay', o.decay),
  };
}

export class AdamW extends Adam {
  /** λ of the decoupled decay. (The base class's weightDecay, the coupled L2 term, is 0 for AdamW.) */
  readonly decoupledWeightDecay: number;
  /** decays[i]: parameter i is decayed. */
  readonly decays: readonly boolean[];

  constructor(params: ParamList, options: AdamWOptions = {}) {
    const c = checked(params, options);
    super(c.tensors, c.adam);
    this.decoupledWeightDecay = c.weightDecay;
    this.decays = this.params.map((p, i) => {
      if (c.decay === undefined) return true;
      const answer: unknown = c.decay(p, c.names[i], i);
      if (typeof answer !== 'boolean') {
        const which = c.names[i] === undefined ? `parameter ${i}` : `parameter ${i} ('${c.names[i]}')`;
        throw new ArgumentError(`AdamW: decay must return true or false, got ${describe(answer)} for ${which}`);
      }
      return answer;
    });
  }

  protected override hyperparameters(): Record<string, Hyperparameter> {
    return { ...super.hyperparameters(), decoupledWeightDecay: this.decoupledWeightDecay, decays: this.decays };
  }

  protected override update(i: number, theta: Float64Array, g: Float64Array): void {
    if (this.decays[i] && this.decoupledWeightDecay !== 0) {
      const shrink = 1 - this.lr * this.decoupledWeightDecay;
      for (let k = 0; k < theta.length; k++) theta[k] = theta[k]! * shrink;
    }
    super.update(i, theta, g);
  }
}
