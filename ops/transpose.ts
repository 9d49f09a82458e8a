import { TensorLike, AxisError, Tensor, kernels, ArgumentError, describe, fmtShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { Domain } from './domain';

/** y = transpose(x, p): y.shape[k] = x.shape[p[k]].  x̄ = transpose(g, p⁻¹) */
const op = defineOp<readonly number[]>({
  name: 'transpose',
  forward: ([x], perm) => kernels.transpose(x!, perm),
  vjp: (g, { attrs: perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, k) => (inverse[p] = k));
    return [transpose(g, inverse)];
  },
});

/** Permutes the axes of x; by default reverses them (a matrix transpose for rank 2). */
export function transpose(x: TensorLike, perm?: readonly number[]): Tensor {
  const t = asTensor('transpose', x);
  const p = perm === undefined ? t.shape.map((_, i) => t.rank - 1 - i) : perm;
  if (!Array.isArray(p)) throw new ArgumentError(`transpose: perm must be an array of axes, got ${describe(p)}`);
  const normalized = Array.from(p, (a: unknown) => (typeof a === 'number' && Number.isInteger(a) && a < 0 ? a + t.rank : a));
  const seen = new Set(normalized);
  if (
    normalized.length !== t.rank ||
    seen.size !== t.rank ||
    normalized.some((a) => typeof a !== 'number' || !Number.isInteger(a) || a < 0 || a >= t.rank)
  ) {
    throw new AxisError(`transpose: perm ${fmtShape(p)} is not a permutation of the ${t.rank} axes of a tensor of rank ${t.rank}`);
  }
  return op.apply([t], normalized as number[]);
}

/** Swaps the last two axes: the matrix transpose of each matrix in a batch. */
export function mT(x: TensorLike): Tensor {
  const t = asTensor('mT', x);
  const r = t.rank;
  if (r < 2) throw new AxisError(`mT: needs a tensor of rank ≥ 2 (a matrix or a batch of them), got shape ${fmtShape(t.shape)}`);
  const perm = t.shape.map((_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transpose(t, perm);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const perm = x!.shape.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = pick.int(0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    return transpose(x!, perm);
  },
};
