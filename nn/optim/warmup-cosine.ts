/**
 * Linear warm-up, then cosine decay (the schedule of transformer training, as Hugging Face's
 * get_cosine_schedule_with_warmup with a floor), for step or epoch t:
 *   t < warmup:           η_t = η₀ · t / warmup                    (from 0 up to the optimizer's η₀)
 *   warmup ≤ t ≤ total:   η_t = η_min + ½ (η₀ − η_min)(1 + cos(π (t − warmup) / (total − warmup)))
 *   t > total:            η_t = η_min
 * Like StepLR and CosineLR it is a Schedule: fit applies it once per epoch (so t counts epochs, and
 * epoch 0 runs at η = 0 when warmup > 0); a hand-written loop may call apply(step) every step.
 */
import { ArgumentError, describe } from '../../lib';
import { cos } from '../../lib/math';
import { numberIn, optionsIn } from '../args';
import { Optimizer } from './optimizer';
import { Schedule, ScheduleState, scheduleBaseOf } from './schedules';

export interface WarmupCosineOptions {
  /** Steps (or epochs) of linear warm-up, an integer in [0, total) (0: none). */
  warmup: number;
  /** The step (or epoch) at which the cosine reaches minLr, an integer ≥ 1. */
  total: number;
  /** The floor, in [0, η₀] (default 0). */
  minLr?: number;
}

export class WarmupCosineLR implements Schedule {
  private base: number;
  readonly warmup: number;
  readonly total: number;
  readonly minLr: number;

  constructor(private readonly optimizer: Optimizer, options: WarmupCosineOptions) {
    if (!(optimizer instanceof Optimizer)) throw new ArgumentError(`WarmupCosineLR: expected an optimizer (SGD, Adam, AdamW…), got ${describe(optimizer)}`);
    this.base = optimizer.lr;
    const o = optionsIn('WarmupCosineLR', options, 'warmup and total, e.g. { warmup: 5, total: 100 }');
    this.total = numberIn('WarmupCosineLR', 'total', o.total, { min: 1, integer: true });
    this.warmup = numberIn('WarmupCosineLR', `warmup (total is ${this.total})`, o.warmup, { min: 0, max: this.total, maxOpen: true, integer: true });
    this.minLr = numberIn('WarmupCosineLR', `minLr (the optimizer's lr is ${this.base})`, o.minLr, { min: 0, max: this.base }, 0);
  }

  /** Sets the optimizer's learning rate for step (or epoch) t, an integer ≥ 0. */
  apply(t: number): void {
    const step = numberIn('WarmupCosineLR.apply', 'epoch', t, { min: 0, integer: true });
    if (step < this.warmup) {
      this.optimizer.lr = (this.base * step) / this.warmup;
      return;
    }
    const progress = Math.min(step - this.warmup, this.total - this.warmup) / (this.total - this.warmup);
    this.optimizer.lr = this.minLr + 0.5 * (this.base - this.minLr) * (1 + cos(Math.PI * progress));
  }

  /** The learning rate it started from, and its settings. */
  stateDict(): ScheduleState {
    return { type: 'WarmupCosineLR', base: this.base, warmup: this.warmup, total: this.total, minLr: this.minLr };
  }

  /** Puts back the starting learning rate of a WarmupCosineLR with the same settings. */
  loadStateDict(state: ScheduleState): void {
    this.base = scheduleBaseOf('WarmupCosineLR.loadStateDict', 'WarmupCosineLR', { warmup: this.warmup, total: this.total, minLr: this.minLr }, state);
  }
}
