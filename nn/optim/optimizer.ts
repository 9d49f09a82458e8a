/**
 * The optimizer base: holds the parameters and a learning rate, and applies an update per
 * parameter in place under noGrad (an update never grows the graph). Gradients come from any
 * source with get(param): a backward pass's Gradients, or a clipped view of it.
 */
import { ArgumentError, ShapeError, Tensor, describe, fmtShape, sameShape } from '../../lib';
import { noGrad } from '../../graph';
import { isRecord, numberIn, optionsIn, tensorsIn } from '../args';
import { SavedFloat, decodeFloat, decodeFloatsInto, encodeFloat, encodeFloats, floatsProblem, isSavedFloat } from './state';

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

/** A hyperparameter as saved: a number, a flag, or a flag per parameter (AdamW's decays). */
export type Hyperparameter = number | boolean | readonly boolean[];

/**
 * An optimizer's state as plain JSON (stateDict gives it, loadStateDict takes it), floats encoded
 * exactly as a saved model's (−0, NaN and ±∞ as strings), so a round trip is bit for bit.
 */
export interface OptimizerState {
  /** The optimizer's class: 'SGD', 'Adam', 'AdamW', 'RMSProp'. */
  type: string;
  /** The learning rate at the time (a schedule may have moved it). */
  lr: SavedFloat;
  /** Steps taken (Adam's bias correction counts them). */
  steps: number;
  /** The hyperparameters, which must be those of the optimizer the state is loaded into. */
  hyperparameters: Record<string, Hyperparameter>;
  /** Per-parameter buffers by name (SGD's velocity, Adam's m and v, RMSProp's square): one array of values per parameter. */
  buffers: Record<string, SavedFloat[][]>;
}

function sameHyperparameter(a: Hyperparameter, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && b.length === a.length && a.every((x, i) => x === b[i]);
  // === rather than Object.is: JSON writes a hyperparameter of −0 as 0, which is the same setting.
  return a === b;
}

function showHyperparameter(x: unknown): string {
  return Array.isArray(x) ? `[${x.map((v: unknown) => describe(v)).join(', ')}]` : describe(x);
}

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

  /**
   * The hyperparameters that saved state must agree with (the base class: weightDecay). A subclass
   * adds its own.
   */
  protected hyperparameters(): Record<string, Hyperparameter> {
    return { weightDecay: this.weightDecay };
  }

  /**
   * The per-parameter state, by name, one Float64Array per parameter in the order of params (the
   * base class has none). A subclass that keeps state between steps returns it here, so that
   * stateDict saves it and loadStateDict fills it in place.
   */
  protected stateBuffers(): Record<string, Float64Array[]> {
    return {};
  }

  /**
   * The optimizer's state as plain JSON (torch.optim.Optimizer.state_dict): its class, learning
   * rate, step count, hyperparameters and per-parameter buffers, copied. JSON.stringify writes it
   * and loadStateDict of JSON.parse's result puts back exactly the same numbers.
   */
  stateDict(): OptimizerState {
    const buffers: Record<string, SavedFloat[][]> = {};
    for (const [name, arrays] of Object.entries(this.stateBuffers())) buffers[name] = arrays.map((a) => encodeFloats(a));
    const hyperparameters: Record<string, Hyperparameter> = {};
    for (const [name, value] of Object.entries(this.hyperparameters())) hyperparameters[name] = Array.isArray(value) ? value.slice() : value;
    return { type: this.who, lr: encodeFloat(this.lr), steps: this.steps, hyperparameters, buffers };
  }

  /**
   * Puts back state that stateDict gave, into an optimizer of the same class, hyperparameters and
   * parameter sizes (torch.optim.Optimizer.load_state_dict): the learning rate, the step count and
   * every buffer. Everything is checked first; on an error nothing changes.
   */
  loadStateDict(state: OptimizerState): void {
    const who = `${this.who}.loadStateDict`;
    if (!isRecord(state)) throw new ArgumentError(`${who}: expected the state an optimizer's stateDict() gave, { type, lr, steps, hyperparameters, buffers }, got ${describe(state)}`);
    if (state.type !== this.who) throw new ArgumentError(`${who}: the state is of ${describe(state.type)}, not of ${this.who}`);
    const lr: unknown = state.lr;
    if (!isSavedFloat(lr) || !(decodeFloat(lr) >= 0 && Number.isFinite(decodeFloat(lr)))) throw new ArgumentError(`${who}: lr must be a finite number ≥ 0, got ${describe(lr)}`);
    const steps = numberIn(who, 'steps', state.steps, { min: 0, integer: true });
    const hyper: unknown = state.hyperparameters;
    if (!isRecord(hyper)) throw new ArgumentError(`${who}: hyperparameters must be an object, got ${describe(hyper)}`);
    const mine = this.hyperparameters();
    for (const [name, value] of Object.entries(mine)) {
      if (!Object.prototype.hasOwnProperty.call(hyper, name)) throw new ArgumentError(`${who}: the state has no hyperparameter ${name} (this ${this.who} has ${showHyperparameter(value)})`);
      if (!sameHyperparameter(value, hyper[name])) {
        throw new ArgumentError(`${who}: the state was saved with ${name} ${showHyperparameter(hyper[name])}, but this ${this.who} has ${showHyperparameter(value)}`);
      }
    }
    const extraHyper = Object.keys(hyper).filter((k) => !Object.prototype.hasOwnProperty.call(mine, k));
    if (extraHyper.length > 0) throw new ArgumentError(`${who}: the state has hyperparameters ${extraHyper.join(', ')} that ${this.who} does not`);
    const buffers: unknown = state.buffers;
    if (!isRecord(buffers)) throw new ArgumentError(`${who}: buffers must be an object, got ${describe(buffers)}`);
    const targets = this.stateBuffers();
    for (const [name, arrays] of Object.entries(targets)) {
      const saved: unknown = Object.prototype.hasOwnProperty.call(buffers, name) ? buffers[name] : undefined;
      if (!Array.isArray(saved)) throw new ArgumentError(`${who}: buffers.${name} must be an array of ${arrays.length} arrays (one per parameter), got ${describe(saved)}`);
      if (saved.length !== arrays.length) throw new ArgumentError(`${who}: buffers.${name} holds ${saved.length} arrays, but this ${this.who} has ${arrays.length} parameters`);
      arrays.forEach((a, i) => {
        const problem = floatsProblem(`buffers.${name}[${i}] (parameter ${i}, ${a.length} elements)`, saved[i], a.length);
        if (problem !== null) throw new ArgumentError(`${who}: ${problem}`);
      });
    }
    const extra = Object.keys(buffers).filter((k) => !Object.prototype.hasOwnProperty.call(targets, k));
    if (extra.length > 0) throw new ArgumentError(`${who}: the state has buffers ${extra.join(', ')} that ${this.who} does not keep`);
    for (const [name, arrays] of Object.entries(targets)) arrays.forEach((a, i) => decodeFloatsInto((buffers[name] as SavedFloat[][])[i]!, a));
    this.lr = decodeFloat(lr);
    this.steps = steps;
  }

  /** Updates θ in place from its gradient; i identifies the parameter for per-parameter state. */
  protected abstract update(i: number, theta: Float64Array, gradient: Float64Array): void;
}
