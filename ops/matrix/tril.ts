import { ArgumentError, ShapeError, Tensor, TensorLike, describe, fmtShape, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { reshape } from '../reshape';
import { Domain } from '../domain';

/** The input of triu and tril: a tensor of rank ≥ 2. */
export function matrixOf(op: string, x: unknown): Tensor {
  const t = asTensor(op, x);
  if (t.rank < 2) throw new ShapeError(`${op}: needs a tensor of rank ≥ 2 (matrices in the last two axes), got shape ${fmtShape(t.shape)}`);
  return t;
}

/** The diagonal offset k of triu and tril: a safe integer. */
export function diagonalOf(op: string, k: unknown): number {
  if (k === undefined) return 0;
  if (typeof k !== 'number' || !Number.isSafeInteger(k)) throw new ArgumentError(`${op}: k must be an integer (the diagonal offset), got ${describe(k)}`);
  return k;
}

/** y = x where j − i ≤ k, 0 above (over the last two axes).  x̄ = tril(g, k) */
const op = defineOp<number>({
  name: 'tril',
  forward: ([x], k) => kernels.triangle(x!, k, false),
  vjp: (g, { attrs: k }) => [tril(g, k)],
});

/** The lower triangle of each matrix of the last two axes, from diagonal k down (torch.tril; k > 0 above the main diagonal). */
export function tril(x: TensorLike, k = 0): Tensor {
  const t = matrixOf('tril', x);
  return op.apply([t], diagonalOf('tril', k));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => tril(x!.rank >= 2 ? x! : reshape(x!, [1, x!.size]), pick.int(0, 4) - 2),
};
