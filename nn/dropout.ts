/**
 * Dropout: in train mode each element is kept with probability 1 − p and scaled by 1/(1 − p)
 * (inverted dropout, so eval mode is the identity). The masks come from the given generator or
 * seed, or, without one, from the global generator at each forward pass (manualSeed), as PyTorch.
 */
import { Rng, Tensor, TensorLike } from '../lib';
import { mul } from '../ops';
import { asTensor, numberIn, rngIn } from './args';
import { Module } from './module';

export class Dropout extends Module {
  private readonly random: Rng;

  constructor(readonly p = 0.5, seed?: number | Rng) {
    super();
    numberIn('Dropout', 'p', p, { min: 0, max: 1, maxOpen: true });
    this.random = rngIn('Dropout', 'seed', seed);
  }

  forward(input: TensorLike): Tensor {
    const x = asTensor('Dropout.forward', input, 'x');
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
