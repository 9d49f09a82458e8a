/**
 * BatchNorm2d: batch normalisation per channel of images x [N, C, H, W] (torch.nn.BatchNorm2d).
 * It is BatchNorm on the N·H·W rows [N·H·W, C] that the channel-last layout gives, so the
 * statistics, the running-statistics update (momentum, the unbiased running variance with
 * n = N·H·W), train/eval and γ, β are BatchNorm's own code; the transposes around it are ops, so
 * the training-mode gradient flows through the batch statistics as well.
 */
import { ArgumentError, Tensor, TensorLike, fmtShape } from '../lib';
import { reshape, transpose } from '../ops';
import { asTensor, boolIn, numberIn, optionsIn, sizeIn } from './args';
import { BatchNorm, BatchNormOptions } from './batch-norm';

/** The constructor's arguments checked under BatchNorm2d's name (BatchNorm would name itself). */
function checked(numFeatures: unknown, options: unknown): BatchNormOptions {
  sizeIn('BatchNorm2d', 'numFeatures', numFeatures);
  const o = optionsIn('BatchNorm2d', options);
  return {
    eps: numberIn('BatchNorm2d', 'eps', o.eps, { min: 0, minOpen: true }, 1e-5),
    momentum: numberIn('BatchNorm2d', 'momentum', o.momentum, { min: 0, max: 1 }, 0.1),
    affine: boolIn('BatchNorm2d', 'affine', o.affine, true),
  };
}

export class BatchNorm2d extends BatchNorm {
  /** numFeatures: the channels C; options as BatchNorm's (eps 1e-5, momentum 0.1, affine true). */
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, checked(numFeatures, options));
  }

  get numFeatures(): number {
    return this.features;
  }

  override forward(input: TensorLike): Tensor {
    const x = asTensor('BatchNorm2d.forward', input, 'x');
    const c = this.features;
    if (x.rank !== 4 || x.shape[1] !== c) throw new ArgumentError(`BatchNorm2d.forward: expected input of shape [N, ${c}, H, W], got ${fmtShape(x.shape)}`);
    const [n, , h, w] = x.shape as [number, number, number, number];
    if (this.training && n * h * w === 0) {
      throw new ArgumentError(`BatchNorm2d.forward: an input of shape ${fmtShape(x.shape)} has no values per channel; train mode needs at least one`);
    }
    const rows = reshape(transpose(x, [0, 2, 3, 1]), [n * h * w, c]);
    return transpose(reshape(super.forward(rows), [n, h, w, c]), [0, 3, 1, 2]);
  }

  override describe(): string {
    return `BatchNorm2d(${this.features})`;
  }
}
