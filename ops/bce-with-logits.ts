import { ShapeError, Tensor, TensorLike, fmtShape, kernels, sameShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { neg } from './neg';
import { sigmoid } from './sigmoid';
import { sub } from './sub';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

/**
 * l = softplus(z) − y z = −(y log σ(z) + (1 − y) log(1 − σ(z))) elementwise, computed as
 * (max(z, 0) − y z) + log(1 + e^−|z|): shifted by max(z, 0) first, as logSoftmax by its maximum,
 * so z = 40 with y = 1 keeps its loss e^−40 and z = ±1e308 gives 0 or 1e308; an infinite z with
 * y = 1 (+∞) or y = 0 (−∞) is NaN (∞ − ∞), as in PyTorch.
 * z̄ = g ⊙ (σ(z) − y), formed as (1 − y) σ(z) − y σ(−z) so that a 0 or 1 target loses no digits
 * (σ(40) − 1 would round to 0, −σ(−40) is −e^−40),  ȳ = −g ⊙ z
 */
const op = defineOp({
  name: 'bceWithLogits',
  forward: ([z, y]) => kernels.bceWithLogits(z!, y!),
  vjp: (g, { inputs: [z, y], needs }) => [
    needs[0] ? mul(g, sub(mul(sub(1, y!), sigmoid(z!)), mul(y!, sigmoid(neg(z!))))) : null,
    needs[1] ? neg(mul(g, z!)) : null,
  ],
});

/**
 * L = mean(softplus(z) − y z) = −mean(y log σ(z) + (1 − y) log(1 − σ(z))) for logits z and
 * targets y of one shape ('sum' or 'none' by option): stable for any finite z, and
 * ∂L/∂z = (σ(z) − y)/N.
 */
export function bceWithLogits(logits: TensorLike, targets: TensorLike, options?: LossOptions): Tensor {
  const z = asTensor('bceWithLogits', logits, 'logits');
  const y = asTensor('bceWithLogits', targets, 'targets');
  if (!sameShape(z.shape, y.shape)) {
    throw new ShapeError(`bceWithLogits: logits ${fmtShape(z.shape)} and targets ${fmtShape(y.shape)} must have the same shape`);
  }
  return reduceLoss('bceWithLogits', op.apply([z, y], undefined), options);
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
