import { ShapeError, Tensor, TensorLike, fmtShape, sameShape } from '../lib';
import { asTensor } from './args';
import { sub } from './sub';
import { mul } from './mul';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

/**
 * L = mean((ŷ − y)²) over all elements (PyTorch's MSELoss; 'sum' or 'none' by option). A composite:
 * ∂L/∂ŷ = 2(ŷ − y)/N comes from sub, mul and mean.
 */
export function mseLoss(prediction: TensorLike, target: TensorLike, options?: LossOptions): Tensor {
  const p = asTensor('mseLoss', prediction, 'prediction');
  const y = asTensor('mseLoss', target, 'target');
  if (!sameShape(p.shape, y.shape)) {
    throw new ShapeError(`mseLoss: prediction ${fmtShape(p.shape)} and target ${fmtShape(y.shape)} must have the same shape`);
  }
  const d = sub(p, y);
  return reduceLoss('mseLoss', mul(d, d), options);
}

export const domain: Domain = {
  arity: 2,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([p, y], pick) => mseLoss(p!, y!, pickLossOptions(pick)),
};
