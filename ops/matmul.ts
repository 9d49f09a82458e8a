import { ShapeError, Tensor, TensorLike, kernels, fmtShape, broadcastShapes, checkSize } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { reshape } from './reshape';
import { mT } from './transpose';
import { Domain } from './domain';

/**
 * C = A B over the last two axes, batch axes broadcast: A [..., n, k], B [..., k, m] → C [..., n, m].
 * Ā = sumTo(G Bᵀ, A.shape),  B̄ = sumTo(Aᵀ G, B.shape)
 */
const op = defineOp({
  name: 'matmul',
  forward: ([a, b]) => kernels.matmul(a!, b!),
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? sumTo(matmul(g, mT(b!)), a!.shape) : null,
    needs[1] ? sumTo(matmul(mT(a!), g), b!.shape) : null,
  ],
});

/**
 * The matrix product with NumPy's rules: a 1-D operand is a row (left) or column (right) vector
 * whose axis is dropped from the result; leading batch axes broadcast.
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor('matmul', a, 'a');
  const y = asTensor('matmul', b, 'b');
  if (x.rank === 0 || y.rank === 0) {
    throw new ShapeError(`matmul: needs tensors of rank ≥ 1, got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}; use mul for scalars`);
  }
  const x2 = x.rank === 1 ? reshape(x, [1, x.shape[0]!]) : x;
  const y2 = y.rank === 1 ? reshape(y, [y.shape[0]!, 1]) : y;
  const k = x2.shape[x2.rank - 1]!;
  if (y2.shape[y2.rank - 2] !== k) {
    throw new ShapeError(
      `matmul: shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} do not multiply: the inner dimensions ${k} and ${y2.shape[y2.rank - 2]} must be equal`,
    );
  }
  const batch = broadcastShapes('matmul', x2.shape.slice(0, -2), y2.shape.slice(0, -2));
  checkSize('matmul', [...batch, x2.shape[x2.rank - 2]!, y2.shape[y2.rank - 1]!]);
  const c = op.apply([x2, y2], undefined);
  if (x.rank > 1 && y.rank > 1) return c;
  const shape = c.shape.slice();
  if (y.rank === 1) shape.pop();
  if (x.rank === 1) shape.splice(shape.length - (y.rank === 1 ? 1 : 2), 1);
  return reshape(c, shape);
}

export const domain: Domain = { arity: 2, shapes: 'matmul', values: { min: -2, max: 2 } };
