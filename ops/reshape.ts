import { TensorLike, ShapeError, Tensor, fmtShape, sizeOf, ArgumentError, describe, checkShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { Domain } from './domain';

/** y = reshape(x, s): the same values in row-major order under shape s.  x̄ = reshape(g, x.shape) */
const op = defineOp<readonly number[]>({
  name: 'reshape',
  forward: ([x], shape) => new Tensor(x!.data, shape),
  vjp: (g, { inputs: [x] }) => [reshape(g, x!.shape)],
});

/** Gives x a new shape with the same number of elements; one dimension may be −1 (inferred). */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('reshape', x);
  if (!Array.isArray(shape)) throw new ArgumentError(`reshape: expected a shape, got ${describe(shape)}`);
  const s = shape.slice();
  const free = s.indexOf(-1);
  for (let i = 0; i < s.length; i++) {
    const d = s[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || (d < 0 && !(d === -1 && i === free))) {
      throw new ArgumentError(`reshape: a shape must hold non-negative integers and at most one −1, got ${fmtShape(shape)}`);
    }
  }
  if (free >= 0) {
    const known = sizeOf(s.filter((_, i) => i !== free));
    if (known === 0 || t.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer the −1 in ${fmtShape(shape)} for ${t.size} elements of shape ${fmtShape(t.shape)}`);
    }
    s[free] = t.size / known;
  }
  checkShape('reshape', s);
  if (sizeOf(s) !== t.size) {
    throw new ShapeError(`reshape: cannot reshape ${fmtShape(t.shape)} (${t.size} elements) to ${fmtShape(s)} (${sizeOf(s)} elements)`);
  }
  return op.apply([t], s);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => (pick.int(0, 1) ? reshape(x!, [-1]) : reshape(x!, [1, ...x!.shape.slice().reverse()])),
};
