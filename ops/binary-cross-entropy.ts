import { ShapeError, Tensor, TensorLike, fmtShape, sameShape } from '../lib';
import { asTensor } from './args';
import { add } from './add';
import { log } from './log';
import { maximum } from './maximum';
import { mul } from './mul';
import { neg } from './neg';
import { sub } from './sub';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

/**
 * L = −mean(y log p + (1 − y) log(1 − p)) for probabilities p and targets y of one shape. As in
 * PyTorch each log is clamped at −100, so p = 0 or 1 gives a finite loss. With p = σ(a) the
 * gradient with respect to a is (p − y)/N; bceWithLogits computes that without forming p.
 */
export function binaryCrossEntropy(probabilities: TensorLike, targets: TensorLike, options?: LossOptions): Tensor {
  const p = asTensor('binaryCrossEntropy', probabilities, 'probabilities');
  const y = asTensor('binaryCrossEntropy', targets, 'targets');
  if (!sameShape(p.shape, y.shape)) {
    throw new ShapeError(`binaryCrossEntropy: probabilities ${fmtShape(p.shape)} and targets ${fmtShape(y.shape)} must have the same shape`);
  }
  const logP = maximum(log(p), -100);
  const log1mP = maximum(log(sub(1, p)), -100);
  return reduceLoss('binaryCrossEntropy', neg(add(mul(y, logP), mul(sub(1, y), log1mP))), options);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: 0.05, max: 0.95 },
  call: ([p], pick) => {
    const y = new Tensor(Float64Array.from({ length: p!.size }, () => (pick.int(0, 1) ? pick.unit() : pick.int(0, 1))), p!.shape);
    return binaryCrossEntropy(p!, y, pickLossOptions(pick));
  },
};
