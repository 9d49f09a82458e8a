/**
 * Learning-rate schedules, stepped once per epoch:
 *   step:    η_e = η₀ · γ^⌊e / stepSize⌋
 *   cosine:  η_e = η_min + ½ (η₀ − η_min)(1 + cos(π e / T))
 */
import { ArgumentError, describe } from '../../lib';
import { cos, pow } from '../../lib/math';
import { isRecord, numberIn } from '../args';
import { Optimizer } from './optimizer';

/**
 * A schedule's state as plain JSON: its class, the optimizer's learning rate it started from
 * (base) and its settings, which must match where the state is loaded.
 */
export interface ScheduleState {
  type: string;
  base: number;
  [setting: string]: number | string;
}

export interface Schedule {
  /** Sets the optimizer's learning rate for epoch `epoch` (0-based). */
  apply(epoch: number): void;
  /** The schedule's state (fit saves it in a checkpoint when the schedule has one). */
  stateDict?(): ScheduleState;
  /** Puts back what stateDict gave (fit does on resume). */
  loadStateDict?(state: ScheduleState): void;
}

/**
 * Checks a ScheduleState against a schedule's class and settings and returns its base learning
 * rate; `who` is e.g. 'StepLR.loadStateDict'.
 */
export function scheduleBaseOf(who: string, type: string, settings: Record<string, number>, state: unknown): number {
  if (!isRecord(state)) throw new ArgumentError(`${who}: expected the state a schedule's stateDict() gave, { type, base, … }, got ${describe(state)}`);
  if (state.type !== type) throw new ArgumentError(`${who}: the state is of ${describe(state.type)}, not of ${type}`);
  for (const [name, value] of Object.entries(settings)) {
    if (state[name] !== value) throw new ArgumentError(`${who}: the state was saved with ${name} ${describe(state[name])}, but this ${type} has ${value}`);
  }
  const extra = Object.keys(state).filter((k) => k !== 'type' && k !== 'base' && !Object.prototype.hasOwnProperty.call(settings, k));
  if (extra.length > 0) throw new ArgumentError(`${who}: the state has settings ${extra.join(', ')} that ${type} does not`);
  return numberIn(who, 'base', state.base, { min: 0, minOpen: true });
}

function optimizerOf(who: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`${who}: expected an optimizer (SGD, Adam, RMSProp…), got ${describe(optimizer)}`);
  return optimizer;
}

/** An epoch number: an integer ≥ 0. */
function epochOf(who: string, epoch: unknown): number {
  return numberIn(`${who}.apply`, 'epoch', epoch, { min: 0, integer: true });
}

export class StepLR implements Schedule {
  private base: number;
  /** Every stepSize epochs (an integer ≥ 1) the learning rate is multiplied by gamma (> 0; default 0.1). */
  constructor(private readonly optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {
    this.base = optimizerOf('StepLR', optimizer).lr;
    numberIn('StepLR', 'stepSize', stepSize, { min: 1, integer: true });
    numberIn('StepLR', 'gamma', gamma, { min: 0, minOpen: true });
  }
  apply(epoch: number): void {
    this.optimizer.lr = this.base * pow(this.gamma, Math.floor(epochOf('StepLR', epoch) / this.stepSize));
  }
  /** The learning rate it started from, and its settings. */
  stateDict(): ScheduleState {
    return { type: 'StepLR', base: this.base, stepSize: this.stepSize, gamma: this.gamma };
  }
  /** Puts back the starting learning rate of a StepLR with the same settings. */
  loadStateDict(state: ScheduleState): void {
    this.base = scheduleBaseOf('StepLR.loadStateDict', 'StepLR', { stepSize: this.stepSize, gamma: this.gamma }, state);
  }
}

export class CosineLR implements Schedule {
  private base: number;
  /** Over `epochs` epochs (an integer ≥ 1) the learning rate falls from the optimizer's to minLr (in [0, η₀]; default 0). */
  constructor(private readonly optimizer: Optimizer, readonly epochs: number, readonly minLr = 0) {
    this.base = optimizerOf('CosineLR', optimizer).lr;
    numberIn('CosineLR', 'epochs', epochs, { min: 1, integer: true });
    numberIn('CosineLR', `minLr (the optimizer's lr is ${this.base})`, minLr, { min: 0, max: this.base });
  }
  apply(epoch: number): void {
    const t = Math.min(epochOf('CosineLR', epoch), this.epochs) / this.epochs;
    this.optimizer.lr = this.minLr + 0.5 * (this.base - this.minLr) * (1 + cos(Math.PI * t));
  }
  /** The learning rate it started from, and its settings. */
  stateDict(): ScheduleState {
    return { type: 'CosineLR', base: this.base, epochs: this.epochs, minLr: this.minLr };
  }
  /** Puts back the starting learning rate of a CosineLR with the same settings. */
  loadStateDict(state: ScheduleState): void {
    this.base = scheduleBaseOf('CosineLR.loadStateDict', 'CosineLR', { epochs: this.epochs, minLr: this.minLr }, state);
  }
}
