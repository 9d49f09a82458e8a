/**
 * Learning-rate schedules, stepped once per epoch:
 *   step:    η_e = η₀ · γ^⌊e / stepSize⌋
 *   cosine:  η_e = η_min + ½ (η₀ − η_min)(1 + cos(π e / T))
 */
import { Optimizer } from './optimizer';

export interface Schedule {
  /** Sets the optimizer's learning rate for epoch `epoch` (0-based). */
  apply(epoch: number): void;
}

export class StepLR implements Schedule {
  private readonly base: number;
  constructor(private readonly optimizer: Optimizer, readonly stepSize: number, readonly gamma = 0.1) {
    this.base = optimizer.lr;
  }
  apply(epoch: number): void {
    this.optimizer.lr = this.base * Math.pow(this.gamma, Math.floor(epoch / this.stepSize));
  }
}

export class CosineLR implements Schedule {
  private readonly base: number;
  constructor(private readonly optimizer: Optimizer, readonly epochs: number, readonly minLr = 0) {
    this.base = optimizer.lr;
  }
  apply(epoch: number): void {
    const t = Math.min(epoch, this.epochs) / this.epochs;
    this.optimizer.lr = this.minLr + 0.5 * (this.base - this.minLr) * (1 + Math.cos(Math.PI * t));
  }
}
