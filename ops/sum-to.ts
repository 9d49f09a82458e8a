import { TensorLike, ShapeError, Tensor, fmtShape, kernels, sameShape, broadcastsTo } from '../lib';
import { defineOp } from '../graph';
import { asTensor, shapeOf } from './args';
import { broadcastTo } from './broadcast-to';
import { Domain } from './domain';

/** y = sumTo(x, s): sums x over the axes that broadcasting s to x.shape would create.  x̄ = broadcastTo(g, x.shape) */
const op = defineOp<readonly number[]>({
  name: 'sumTo',
  forward: ([x], shape) => {
    const lead = x!.rank - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < x!.rank; i++) if (i < lead || (shape[i - lead] === 1 && x!.shape[i] !== 1)) axes.push(i);
    const r = kernels.reduce(x!, axes, 'sum');
    return new Tensor(r.data, shape);
  },
  vjp: (g, { inputs: [x] }) => [broadcastTo(g, x!.shape)],
});

/** Sums x down to `shape` (the adjoint of broadcastTo); `shape` must broadcast to x's shape. */
export function sumTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('sumTo', x);
  const s = shapeOf('sumTo', shape);
  if (sameShape(t.shape, s)) return t;
  if (!broadcastsTo(s, t.shape)) {
    throw new ShapeError(`sumTo: cannot sum shape ${fmtShape(t.shape)} down to ${fmtShape(s)}: ${fmtShape(s)} must broadcast to ${fmtShape(t.shape)}`);
  }
  return op.apply([t], s);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => sumTo(x!, x!.shape.slice(pick.int(0, x!.rank)).map((d) => (pick.int(0, 1) ? 1 : d))),
};
