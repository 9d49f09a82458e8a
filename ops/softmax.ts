import { Tensor, TensorLike } from '../lib';
import { exp } from './exp';
import { logSoftmax } from './log-softmax';
import { reshape } from './reshape';
import { Domain } from './domain';

/** softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) along `axis` (default the last): exp of the stable logSoftmax, a composite. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  return exp(logSoftmax(x, axis));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => (x!.rank === 0 ? softmax(reshape(x!, [1])) : softmax(x!, pick.int(0, x!.rank - 1))),
};
