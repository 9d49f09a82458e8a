/**
 * Learning-rate schedules, stepped once per epoch:
 *   step:    η_e = η₀ · γ^⌊e / stepSize⌋
 *   cosine:  η_e = η_min + ½ (η₀ − η_min)(1 + cos(π e / T))
 */
import { ArgumentError, describe } from '../../lib';
import { cos, pow } from '../../lib/math';
import { numberIn } from '../args';
import { Optimizer } from './optimizer';

export interface Schedule {
  /** Sets the optimizer's learning rate for epoch `epoch` (0-based). */
  apply(epoch: number): void;
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
  private readonly base: number;
  /** Every stepSize epochs (an integer ≥ 1) the learning rate is multiplied by gamma (> 0; default 0.1). */
  constructor(private readonly optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {
    this.base = optimizerOf('StepLR', optimizer).lr;
    numberIn('StepLR', 'stepSize', stepSize, { min: 1, integer: true });
    numberIn('StepLR', 'gamma', gamma, { min: 0, minOpen: true });
  }
  apply(epoch: number): void {
    this.optimizer.lr = this.base * pow(this.gamma, Math.floor(epochOf('StepLR', epoch) / this.stepSize));
  }
}

export class CosineLR implements Schedule {
  private readonly base: number;
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
}
