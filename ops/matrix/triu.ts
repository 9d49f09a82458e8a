import { Tensor, TensorLike, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { reshape } from '../reshape';
import { Domain } from '../domain';
import { diagonalOf, matrixOf } from './tril';

/** y = x where j − i ≥ k, 0 below (over the last two axes).  x̄ = triu(g, k) */
const op = defineOp<number>({
  name: 'triu',
  forward: ([x], k) => kernels.triangle(x!, k, true),
  vjp: (g, { attrs: k }) => [triu(g, k)],
});

/** The upper triangle of each matrix of the last two axes, from diagonal k up (torch.triu; k > 0 above the main diagonal). */
export function triu(x: TensorLike, k = 0): Tensor {
  const t = matrixOf('triu', x);
  return op.apply([t], diagonalOf('triu', k));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => triu(x!.rank >= 2 ? x! : reshape(x!, [1, x!.size]), pick.int(0, 4) - 2),
};
