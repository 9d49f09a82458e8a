import { Tensor, TensorLike } from '../../lib';
import { asTensor } from '../args';
import { mul } from '../mul';
import { sigmoid } from '../sigmoid';
import { Domain } from '../domain';

/** y = x ⊙ σ(x) (SiLU, "swish"; F.silu). A composite: its gradient g ⊙ (σ(x) + x σ(x)(1 − σ(x))) comes from mul and sigmoid. */
export function silu(x: TensorLike): Tensor {
  const t = asTensor('silu', x);
  return mul(t, sigmoid(t));
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -4, max: 4 } };
