import { AxisError, Tensor, TensorLike, kernels, fmtShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor, indicesOf, shapeOf } from './args';
import { slice } from './slice';
import { Domain } from './domain';

interface Placement {
  shape: readonly number[];
  begin: readonly number[];
}

/** y = zeros(shape) with x written at `begin` (the adjoint of slice).  x̄ = slice(g, begin, x.shape) */
const op = defineOp<Placement>({
  name: 'pad',
  forward: ([x], { shape, begin }) => kernels.pad(x!, shape, begin),
  vjp: (g, { inputs: [x], attrs: { begin } }) => [slice(g, begin, x!.shape)],
});

/** Places x inside a zero tensor of `shape`, its first element at index `begin`. */
export function pad(x: TensorLike, shape: readonly number[], begin: readonly number[]): Tensor {
  const t = asTensor('pad', x);
  const s = shapeOf('pad', shape);
  const b = indicesOf('pad', 'begin', begin, Infinity);
  if (s.length !== t.rank || b.length !== t.rank || t.shape.some((d, i) => b[i]! + d > s[i]!)) {
    throw new AxisError(`pad: a tensor of shape ${fmtShape(t.shape)} placed at [${b.join(', ')}] does not fit in shape ${fmtShape(s)}`);
  }
  return op.apply([t], { shape: s, begin: b });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const begin = x!.shape.map(() => pick.int(0, 2));
    return pad(x!, x!.shape.map((d, i) => d + begin[i]! + pick.int(0, 2)), begin);
  },
};
