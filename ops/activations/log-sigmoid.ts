import { Tensor, TensorLike } from '../../lib';
import { asTensor } from '../args';
import { neg } from '../neg';
import { softplus } from '../softplus';
import { Domain } from '../domain';

/** y = log σ(x) = −softplus(−x) (F.logsigmoid; finite at ±1000). A composite: its gradient g ⊙ σ(−x) comes from neg and softplus. */
export function logSigmoid(x: TensorLike): Tensor {
  return neg(softplus(neg(asTensor('logSigmoid', x))));
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -4, max: 4 } };
