/**
 * Linear: Z = X W + b for a batch X [n, in] (rows are examples), W [in, out], b [out] broadcast
 * over rows. No hand-written backward: the graph gives ∂L/∂W = Xᵀ Δ, ∂L/∂b = Δᵀ1, ∂L/∂X = Δ Wᵀ.
 */
import { Tensor, rng, Rng } from '../lib';
import { add, matmul } from '../ops';
import { Module, checkFeatures } from './module';
import { Initializer, initialize, initializer } from './init';

export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default fanInUniform, as PyTorch). */
  init?: Initializer | string;
  /** Bias initialiser (default: zeros for normal/xavier/he, fanInUniform for fanInUniform). */
  biasInit?: Initializer | string;
  /** A generator to draw from (shared across layers), or a seed. */
  rng?: Rng | number;
}

export class Linear extends Module {
  readonly W: Tensor;
  readonly b: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    const random = options.rng instanceof Rng ? options.rng : rng(options.rng ?? 0);
    const init = initializer(options.init ?? 'fanInUniform');
    this.W = this.addParameter('W', initialize(init, [inFeatures, outFeatures], random));
    if (options.bias === false) this.b = null;
    else {
      const biasInit = initializer(options.biasInit ?? (init.kind === 'fanInUniform' ? 'fanInUniform' : 'zeros'));
      this.b = this.addParameter('b', initialize(biasInit, [outFeatures], random, inFeatures, outFeatures));
    }
  }

  forward(x: Tensor): Tensor {
    checkFeatures('Linear', x, this.inFeatures);
    const z = matmul(x, this.W);
    return this.b ? add(z, this.b) : z;
  }

  describe(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.b ? '' : ', no bias'})`;
  }
}
