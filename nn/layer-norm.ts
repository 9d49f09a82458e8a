/**
 * LayerNorm: y = (x − mean x) / √(var x + ε) ⊙ weight + bias over the trailing axes given by
 * normalizedShape, the biased variance, per example (torch.nn.LayerNorm). weight starts at 1 and
 * bias at 0, both shaped like normalizedShape; the layerNorm op computes it, so the gradients
 * for x, weight and bias come from its ops.
 */
import { ArgumentError, Tensor, TensorLike, describe, fmtShape, ones, zeros } from '../lib';
import { layerNorm } from '../ops';
import { asTensor, boolIn, numberIn, optionsIn, sizeIn } from './args';
import { Module } from './module';

export interface LayerNormOptions {
  /** ε added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a weight (and a bias unless bias is false) shaped like normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** Learn the bias as well, when elementwiseAffine (default true). */
  bias?: boolean;
}

export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape: unknown = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (!Array.isArray(shape) || shape.length === 0) {
      throw new ArgumentError(`LayerNorm: normalizedShape must be a size or a non-empty list of sizes (the trailing dimensions to normalise), got ${describe(normalizedShape)}`);
    }
    // A loop, not forEach, which would skip the holes of a sparse array.
    for (let i = 0; i < shape.length; i++) sizeIn('LayerNorm', `normalizedShape[${i}] (of ${describe(normalizedShape)})`, shape[i]);
    this.normalizedShape = Object.freeze((shape as number[]).slice());
    sizeIn('LayerNorm', `the size of normalizedShape ${fmtShape(this.normalizedShape)}`, this.normalizedShape.reduce((a, b) => a * b, 1));
    const o = optionsIn('LayerNorm', options);
    this.eps = numberIn('LayerNorm', 'eps', o.eps, { min: 0 }, 1e-5);
    const affine = boolIn('LayerNorm', 'elementwiseAffine', o.elementwiseAffine, true);
    const bias = boolIn('LayerNorm', 'bias', o.bias, true);
    this.weight = affine ? this.addParameter('weight', ones(this.normalizedShape)) : null;
    this.bias = affine && bias ? this.addParameter('bias', zeros(this.normalizedShape)) : null;
  }

  forward(input: TensorLike): Tensor {
    const x = asTensor('LayerNorm.forward', input, 'x');
    const k = this.normalizedShape.length;
    if (x.rank < k || x.shape.slice(x.rank - k).some((d, i) => d !== this.normalizedShape[i])) {
      throw new ArgumentError(
        `LayerNorm.forward: expected input of shape [..., ${this.normalizedShape.join(', ')}] (normalizedShape ${fmtShape(this.normalizedShape)} on the trailing axes), got ${fmtShape(x.shape)}`,
      );
    }
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  describe(): string {
    return `LayerNorm(${fmtShape(this.normalizedShape)}${this.weight ? (this.bias ? '' : ', no bias') : ', no affine'})`;
  }
}
