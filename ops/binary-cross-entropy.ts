import { ShapeError, Tensor, TensorLike, fmtShape, kernels, sameShape } from '../lib';
import { equal } from './compare/comparisons';
import { asTensor } from './args';
import { add } from './add';
import { log } from './log';
import { maximum } from './maximum';
import { mul } from './mul';
import { neg } from './neg';
import { sub } from './sub';
import { where } from './where';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

const ZERO = new Tensor(Float64Array.of(0), []);

/**
 * max(log q, −100), with log read at a tiny positive number where q = 0: the same value (−100),
 * and a gradient of 0 there (the clamp's slope) instead of log's 0/0.
 */
function clampedLog(q: Tensor): Tensor {
  return maximum(log(where(equal(q, ZERO), 1e-300, q)), -100);
}

/**
 * L = −mean(y log p + (1 − y) log(1 − p)) for probabilities p and targets y of one shape. As in
 * PyTorch each log is clamped at −100, so p = 0 or 1 gives a finite loss, and the gradient is
 * that of the clamped loss: a log below −100 (p < e^−100 ≈ 3.7e−44, or 1 − p so) contributes 0,
 * so at p = 0 it is (1 − y)/N and at p = 1 it is −y/N, finite (PyTorch's backward divides by
 * max(p(1 − p), 10⁻¹²) instead, giving ∓10¹²/N there). p outside [0, 1] gives NaN. With p = σ(a)
 * the gradient with respect to a is (p − y)/N; bceWithLogits computes that without forming p.
 */
export function binaryCrossEntropy(probabilities: TensorLike, targets: TensorLike, options?: LossOptions): Tensor {
  const p = asTensor('binaryCrossEntropy', probabilities, 'probabilities');
  const y = asTensor('binaryCrossEntropy', targets, 'targets');
  if (!sameShape(p.shape, y.shape)) {
    throw new ShapeError(`binaryCrossEntropy: probabilities ${fmtShape(p.shape)} and targets ${fmtShape(y.shape)} must have the same shape`);
  }
  const logP = clampedLog(p);
  const log1mP = clampedLog(sub(1, p));
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
