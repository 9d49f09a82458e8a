/**
 * Dropout: in train mode each element is kept with probability 1 − p and scaled by 1/(1 − p)
 * (inverted dropout, so eval mode is the identity). The mask comes from a seeded generator.
 */
import { ArgumentError, Rng, Tensor, rng } from '../lib';
import { mul } from '../ops';
import { Module } from './module';

export class Dropout extends Module {
  private readonly random: Rng;

  constructor(readonly p = 0.5, seed: number | Rng = 0) {
    super();
    if (!(p >= 0 && p < 1)) throw new ArgumentError(`Dropout: p must be in [0, 1), got ${p}`);
    this.random = seed instanceof Rng ? seed : rng(seed);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = 1 - this.p;
    const mask = new Float64Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = this.random.uniform() < keep ? 1 / keep : 0;
    return mul(x, new Tensor(mask, x.shape));
  }

  describe(): string {
    return `Dropout(${this.p})`;
  }
}
