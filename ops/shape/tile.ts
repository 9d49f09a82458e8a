import { ArgumentError, ShapeError, Tensor, TensorLike, checkSize, describe, fmtShape } from '../../lib';
import { asTensor } from '../args';
import { broadcastTo } from '../broadcast-to';
import { reshape } from '../reshape';
import { slice } from '../slice';
import { Domain } from '../domain';

/**
 * y = x repeated reps[k] times along each axis k (torch's Tensor.repeat), built per repeated axis
 * as reshape → broadcastTo → reshape. `reps` (a number or a list of non-negative integers) may be
 * longer than the rank: x is then read with 1s prepended to its shape. As in PyTorch (not
 * np.tile, which pads reps), fewer reps than axes is an error.
 * x̄ = the sum of g's tiles (sumTo, the VJP of broadcastTo)
 */
export function tile(x: TensorLike, reps: number | readonly number[]): Tensor {
  const t = asTensor('tile', x);
  const list: unknown[] = typeof reps === 'number' ? [reps] : Array.isArray(reps) ? Array.from(reps) : [];
  if (typeof reps !== 'number' && !Array.isArray(reps)) {
    throw new ArgumentError(`tile: reps must be a number or an array of non-negative integers, got ${describe(reps)}`);
  }
  list.forEach((r, i) => {
    if (typeof r !== 'number' || !Number.isSafeInteger(r) || r < 0) {
      throw new ArgumentError(`tile: reps must hold non-negative integers, got ${describe(r)} at index ${i} of ${fmtShape(list)}`);
    }
  });
  const rs = list as number[];
  if (rs.length < t.rank) {
    throw new ShapeError(`tile: reps ${fmtShape(rs)} has ${rs.length} entries for a tensor of shape ${fmtShape(t.shape)}; expected at least its rank ${t.rank}`);
  }
  const shape = [...new Array<number>(rs.length - t.rank).fill(1), ...t.shape];
  const result = shape.map((d, k) => d * rs[k]!);
  checkSize('tile', result);
  // An empty result: an empty slice of x, so that no intermediate shape can outgrow the size limit.
  if (result.includes(0)) return reshape(slice(reshape(t, [-1]), [0], [0]), result);
  let y = reshape(t, shape);
  for (let k = 0; k < rs.length; k++) {
    const r = rs[k]!;
    if (r === 1) continue;
    const before = shape.slice(0, k).reduce((p, d) => p * d, 1);
    const after = shape.slice(k + 1).reduce((p, d) => p * d, 1);
    const d = shape[k]!;
    y = reshape(broadcastTo(reshape(y, [before, 1, d, after]), [before, r, d, after]), [before, r * d, after]);
    shape[k] = r * d;
  }
  return reshape(y, shape);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => tile(x!, Array.from({ length: x!.rank + pick.int(0, 2) }, () => pick.int(0, 3) || 1).map((r) => (pick.int(0, 5) ? r : 0))),
};
