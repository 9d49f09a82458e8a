import { Tensor, TensorLike } from '../lib';
import { asTensor, axisOf } from './args';
import { exp } from './exp';
import { logSoftmax } from './log-softmax';
import { reshape } from './reshape';
import { Domain } from './domain';

/** softmax(x)ᵢ = e^(xᵢ) / Σⱼ e^(xⱼ) along `axis` (default the last): exp of the stable logSoftmax, a composite. */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = asTensor('softmax', x);
  return exp(logSoftmax(t, axisOf('softmax', t, axis)));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => (x!.rank === 0 ? softmax(reshape(x!, [1])) : softmax(x!, pick.int(0, x!.rank - 1))),
};
