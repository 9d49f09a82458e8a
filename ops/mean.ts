import { Tensor, TensorLike, sizeOf } from '../lib';
import { asTensor, axesOf, boolOf } from './args';
import { sum, pickAxes } from './sum';
import { div } from './div';
import { Domain } from './domain';

/** y = (1/N) Σ_axes x, N the number of elements reduced. A composite: its gradient comes from sum and div. */
export function mean(x: TensorLike, axes?: number | readonly number[], keepDims = false): Tensor {
  const t = asTensor('mean', x);
  const list = axesOf('mean', t, axes);
  const keep = boolOf('mean', 'keepDims', keepDims, false);
  const count = sizeOf(list.map((a) => t.shape[a]!));
  return div(sum(t, list, keep), count);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => mean(x!, ...pickAxes(x!, pick)),
};
