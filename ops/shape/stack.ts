import { ArgumentError, ShapeError, Tensor, TensorLike, checkSize, describe, fmtShape, normalizeAxis } from '../../lib';
import { asTensor } from '../args';
import { concat } from '../concat';
import { reshape } from '../reshape';
import { Domain } from '../domain';

/**
 * y = concat([unsqueeze(x₁, axis), unsqueeze(x₂, axis), …], axis): the inputs, all of one shape,
 * along a new axis.  x̄ᵢ = the slice i of g along that axis
 */
export function stack(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ArgumentError(`stack: expected a non-empty array of tensors, got ${describe(xs)}`);
  }
  const ts = Array.from(xs, (x, i) => asTensor('stack', x, `tensor ${i}`));
  const first = ts[0]!;
  const a = normalizeAxis('stack', axis, first.rank + 1);
  for (const [i, t] of ts.entries()) {
    if (t.rank !== first.rank || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new ShapeError(`stack: tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(first.shape)}; all must have one shape`);
    }
  }
  const shape = [...first.shape.slice(0, a), 1, ...first.shape.slice(a)];
  checkSize('stack', [...first.shape.slice(0, a), ts.length, ...first.shape.slice(a)]);
  return concat(ts.map((t) => reshape(t, shape)), a);
}

export const domain: Domain = {
  arity: 2,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([a, b], pick) => stack(pick.int(0, 1) ? [a!, b!] : [b!, a!, b!], pick.int(-a!.rank - 1, a!.rank)),
};
