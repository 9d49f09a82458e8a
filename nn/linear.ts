/**
 * Linear: Z = X W + b for a batch X [n, in] (rows are examples), W [in, out], b [out] broadcast
 * over rows. No hand-written backward: the graph gives ∂L/∂W = Xᵀ Δ, ∂L/∂b = Δᵀ1, ∂L/∂X = Δ Wᵀ.
 * As PyTorch's, it applies to the last axis of an input of any rank ≥ 1: [..., in] → [..., out]
 * (the leading axes are flattened into rows for one product and restored), and [in] → [out].
 */
import { ArgumentError, Tensor, TensorLike, Rng, fmtShape } from '../lib';
import { checkParameterBytes } from '../lib/memory';
import { add, matmul, reshape } from '../ops';
import { asTensor, boolIn, checkLayerSize, optionsIn, rngIn, sizeIn } from './args';
import { Module, checkFeatures } from './module';
import { Initializer, initialize, parseInitializer } from './init';
import type { TorchLayout } from './state-dict';

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
    // Refused before anything is drawn when the parameters cannot fit in the memory budget.
    checkParameterBytes('Linear', `Linear(${inFeatures} → ${outFeatures})`, bias ? [['W', [inFeatures, outFeatures]], ['b', [outFeatures]]] : [['W', [inFeatures, outFeatures]]]);
    this.W = this.addParameter('W', initialize(init, [inFeatures, outFeatures], random));
    this.b = bias ? this.addParameter('b', initialize(biasInit, [outFeatures], random, inFeatures, outFeatures)) : null;
  }

  forward(input: TensorLike): Tensor {
    const x = asTensor('Linear.forward', input, 'x');
    if (x.rank === 2) {
      checkFeatures('Linear', x, this.inFeatures);
      return this.affine(x);
    }
    if (x.rank === 0 || x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ArgumentError(
        `Linear.forward: expected input of shape [n, ${this.inFeatures}] (rows are examples) or [..., ${this.inFeatures}] (features on the last axis), got ${fmtShape(x.shape)}`,
      );
    }
    const lead = x.shape.slice(0, -1);
    const rows = reshape(x, [lead.reduce((a, b) => a * b, 1), this.inFeatures]);
    return reshape(this.affine(rows), [...lead, this.outFeatures]);
  }

  /** XW + b on rows [n, in]. */
  private affine(x: Tensor): Tensor {
    const z = matmul(x, this.W);
    return this.b ? add(z, this.b) : z;
  }

  /** As torch.nn.Linear: weight [out, in] (W's transpose), bias [out]. */
  protected override torchLayout(): TorchLayout {
    const weight = { key: 'weight', tensor: this.W, transposed: true };
    return { tensors: this.b ? [weight, { key: 'bias', tensor: this.b }] : [weight], children: [] };
  }

  describe(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.b ? '' : ', no bias'})`;
  }
}
