import { ArgumentError, ShapeError, Tensor, TensorLike, kernels, fmtShape, describe, checkSize } from '../lib';
import { defineOp } from '../graph';
import { asTensor, axisOf } from './args';
import { slice } from './slice';
import { reshape } from './reshape';
import { Domain } from './domain';

/** y = [x₁ | x₂ | …] along `axis`.  x̄ᵢ = the slice of g that xᵢ occupies */
const op = defineOp<number>({
  name: 'concat',
  forward: (xs, axis) => kernels.concat(xs, axis),
  vjp: (g, { inputs, attrs: axis, needs }) => {
    let offset = 0;
    return inputs.map((x, i) => {
      const begin = x.shape.map((_, k) => (k === axis ? offset : 0));
      offset += x.shape[axis]!;
      return needs[i] ? slice(g, begin, x.shape) : null;
    });
  },
});

/** Joins tensors along `axis` (default 0); their other dimensions must be equal. */
export function concat(xs: readonly TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) {
    throw new ArgumentError(`concat: expected a non-empty array of tensors, got ${describe(xs)}`);
  }
  const ts = Array.from(xs, (x, i) => asTensor('concat', x, `tensor ${i}`));
  const first = ts[0]!;
  const a = axisOf('concat', first, axis);
  for (const [i, t] of ts.entries()) {
    if (t.rank !== first.rank || t.shape.some((d, k) => k !== a && d !== first.shape[k])) {
      throw new ShapeError(
        `concat: tensor ${i} has shape ${fmtShape(t.shape)} but tensor 0 has ${fmtShape(first.shape)}; all dimensions but axis ${a} must agree`,
      );
    }
  }
  checkSize('concat', first.shape.map((d, k) => (k === a ? ts.reduce((n, t) => n + t.shape[a]!, 0) : d)));
  return op.apply(ts, a);
}

export const domain: Domain = {
  arity: 2,
  shapes: 'any',
  values: { min: -3, max: 3 },
  // Scalars cannot be joined; the check lifts them to vectors first.
  call: ([a, b], pick) =>
    a!.rank === 0 ? concat([reshape(a!, [1]), reshape(b!, [1])]) : concat([a!, b!], pick.int(0, a!.rank - 1)),
};
