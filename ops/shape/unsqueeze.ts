import { Tensor, TensorLike, normalizeAxis } from '../../lib';
import { asTensor } from '../args';
import { reshape } from '../reshape';
import { Domain } from '../domain';

/**
 * y = reshape(x, x.shape with a 1 inserted at `axis`). `axis` is an axis of the result: −rank−1 ≤
 * axis ≤ rank, a negative one counting from the end of the result (torch.unsqueeze,
 * np.expand_dims).
 * x̄ = reshape(g, x.shape)
 */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  const t = asTensor('unsqueeze', x);
  const a = normalizeAxis('unsqueeze', axis, t.rank + 1);
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => unsqueeze(x!, pick.int(-x!.rank - 1, x!.rank)),
};
