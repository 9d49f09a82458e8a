import { TensorLike, ShapeError, Tensor, fmtShape, kernels, sameShape, broadcastsTo } from '../lib';
import { defineOp } from '../graph';
import { asTensor, shapeOf } from './args';
import { sumTo } from './sum-to';
import { Domain } from './domain';

/** y = broadcastTo(x, s): x repeated along broadcast axes to shape s.  x̄ = sumTo(g, x.shape) */
const op = defineOp<readonly number[]>({
  name: 'broadcastTo',
  forward: ([x], shape) => kernels.broadcastTo(x!, shape),
  vjp: (g, { inputs: [x] }) => [sumTo(g, x!.shape)],
});

/** Broadcasts x to `shape` by NumPy rules (x's dimensions must be 1 or equal, aligned on the right). */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('broadcastTo', x);
  const s = shapeOf('broadcastTo', shape);
  if (sameShape(t.shape, s)) return t;
  if (!broadcastsTo(t.shape, s)) {
    throw new ShapeError(`broadcastTo: shape ${fmtShape(t.shape)} does not broadcast to ${fmtShape(s)}`);
  }
  return op.apply([t], s);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => broadcastTo(x!, [...(pick.int(0, 1) ? [pick.int(1, 3)] : []), ...x!.shape.map((d) => (d === 1 ? pick.int(1, 3) : d))]),
};
