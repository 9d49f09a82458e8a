import { ShapeError, Tensor, TensorLike, fmtShape, sameShape } from '../lib';
import { asTensor } from './args';
import { mul } from './mul';
import { softplus } from './softplus';
import { sub } from './sub';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

/**
 * L = mean(softplus(z) − y z) = −mean(y log σ(z) + (1 − y) log(1 − σ(z))) for logits z: stable for
 * z = ±1000 because softplus is. ∂L/∂z = (σ(z) − y)/N, the sigmoid-cross-entropy cancellation.
 */
export function bceWithLogits(logits: TensorLike, targets: TensorLike, options?: LossOptions): Tensor {
  const z = asTensor('bceWithLogits', logits, 'logits');
  const y = asTensor('bceWithLogits', targets, 'targets');
  if (!sameShape(z.shape, y.shape)) {
    throw new ShapeError(`bceWithLogits: logits ${fmtShape(z.shape)} and targets ${fmtShape(y.shape)} must have the same shape`);
  }
  return reduceLoss('bceWithLogits', sub(softplus(z), mul(y, z)), options);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -4, max: 4 },
  call: ([z], pick) => {
    const y = new Tensor(Float64Array.from({ length: z!.size }, () => (pick.int(0, 1) ? pick.unit() : pick.int(0, 1))), z!.shape);
    return bceWithLogits(z!, y, pickLossOptions(pick));
  },
};
