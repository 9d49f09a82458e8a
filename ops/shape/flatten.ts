import { AxisError, Tensor, TensorLike, normalizeAxis } from '../../lib';
import { asTensor } from '../args';
import { reshape } from '../reshape';
import { Domain } from '../domain';

/**
 * y = reshape(x, x.shape with axes startAxis … endAxis merged into one). As torch.flatten: the
 * defaults flatten everything into a vector, a scalar becomes a vector of one element (its axes
 * are then 0 or −1), and startAxis must not come after endAxis.
 * x̄ = reshape(g, x.shape)
 */
export function flatten(x: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const t = asTensor('flatten', x);
  const rank = Math.max(t.rank, 1);
  const s = normalizeAxis('flatten', startAxis, rank);
  const e = normalizeAxis('flatten', endAxis, rank);
  if (s > e) {
    throw new AxisError(`flatten: startAxis ${startAxis} (axis ${s}) comes after endAxis ${endAxis} (axis ${e}) for a tensor of rank ${t.rank}; expected start ≤ end`);
  }
  if (t.rank === 0) return reshape(t, [1]);
  const merged = t.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(t, [...t.shape.slice(0, s), merged, ...t.shape.slice(e + 1)]);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const rank = Math.max(x!.rank, 1);
    const s = pick.int(0, rank - 1);
    return flatten(x!, s, pick.int(s, rank - 1) - (pick.int(0, 1) ? rank : 0));
  },
};
