import { ShapeError, Tensor, TensorLike, kernels, fmtShape, broadcastShapes, checkSize } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { sumTo } from './sum-to';
import { reshape } from './reshape';
import { Domain } from './domain';

/** Which operands the product reads transposed (last two axes swapped): C = op(A) op(B). */
interface Transposes {
  a: boolean;
  b: boolean;
}

/**
 * C = op(A) op(B) over the last two axes, batch axes broadcast: op(A) [..., n, k], op(B) [..., k, m].
 * For C = A B:  Ā = sumTo(G Bᵀ, A.shape),  B̄ = sumTo(Aᵀ G, B.shape). The transposes are flags of
 * the same op (read by strides, never copied); with them the four cases are
 *   C = A B:    Ā = G Bᵀ,  B̄ = Aᵀ G        C = A Bᵀ:   Ā = G B,    B̄ = Gᵀ A
 *   C = Aᵀ B:   Ā = B Gᵀ,  B̄ = A G         C = Aᵀ Bᵀ:  Ā = Bᵀ Gᵀ,  B̄ = Gᵀ Aᵀ
 */
const op = defineOp<Transposes>({
  name: 'matmul',
  forward: ([a, b], t) => kernels.matmul(a!, b!, t.a, t.b),
  vjp: (g, { inputs: [a, b], attrs: t, needs }) => {
    const product = (x: Tensor, y: Tensor, tx: boolean, ty: boolean) => op.apply([x, y], { a: tx, b: ty });
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (needs[0]) ga = sumTo(t.a ? (t.b ? product(b!, g, true, true) : product(b!, g, false, true)) : product(g, b!, false, !t.b), a!.shape);
    if (needs[1]) gb = sumTo(t.b ? (t.a ? product(g, a!, true, true) : product(g, a!, true, false)) : product(a!, g, !t.a, false), b!.shape);
    return [ga, gb];
  },
});

const PLAIN: Transposes = { a: false, b: false };

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
  const c = op.apply([x2, y2], PLAIN);
  if (x.rank > 1 && y.rank > 1) return c;
  const shape = c.shape.slice();
  if (y.rank === 1) shape.pop();
  if (x.rank === 1) shape.splice(shape.length - (y.rank === 1 ? 1 : 2), 1);
  return reshape(c, shape);
}

export const domain: Domain = { arity: 2, shapes: 'matmul', values: { min: -2, max: 2 } };
