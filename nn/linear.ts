/**
 * Linear: Z = X W + b for a batch X [n, in] (rows are examples), W [in, out], b [out] broadcast
 * over rows. No hand-written backward: the graph gives ∂L/∂W = Xᵀ Δ, ∂L/∂b = Δᵀ1, ∂L/∂X = Δ Wᵀ.
 */
import { Rng, Tensor, TensorLike } from '../lib';
import { add, matmul } from '../ops';
import { boolIn, checkLayerSize, optionsIn, rngIn, sizeIn } from './args';
import { Module, batchOf } from './module';
import { Initializer, initialize, parseInitializer } from './init';

export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default fanInUniform, as PyTorch). */
  init?: Initializer | string;
  /** Bias initialiser (default: zeros for normal/xavier/he, fanInUniform for fanInUniform). */
  biasInit?: Initializer | string;
  /**
   * A generator to draw from (shared across layers), or a seed for a generator of its own (the
   * same weights whatever else ran). Default: the global generator (manualSeed), as PyTorch.
   */
  rng?: Rng | number;
}

export class Linear extends Module {
  readonly W: Tensor;
  readonly b: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    sizeIn('Linear', 'inFeatures', inFeatures);
    sizeIn('Linear', 'outFeatures', outFeatures);
    checkLayerSize('Linear', inFeatures, outFeatures);
    const o = optionsIn('Linear', options);
    const random = rngIn('Linear', 'rng', o.rng);
    const init = parseInitializer('Linear: init', o.init ?? 'fanInUniform');
    const bias = boolIn('Linear', 'bias', o.bias, true);
    const biasInit = parseInitializer('Linear: biasInit', o.biasInit ?? (init.kind === 'fanInUniform' ? 'fanInUniform' : 'zeros'));
    this.W = this.addParameter('W', initialize(init, [inFeatures, outFeatures], random));
    this.b = bias ? this.addParameter('b', initialize(biasInit, [outFeatures], random, inFeatures, outFeatures)) : null;
  }

  forward(input: TensorLike): Tensor {
    const x = batchOf('Linear', input, this.inFeatures);
    const z = matmul(x, this.W);
    return this.b ? add(z, this.b) : z;
  }

  describe(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.b ? '' : ', no bias'})`;
  }
}
