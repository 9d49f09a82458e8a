import { ArgumentError, ShapeError, Tensor, TensorLike, describe, fmtShape } from '../../lib';
import { asTensor, axisOf } from '../args';
import { concat } from '../concat';
import { reshape } from '../reshape';
import { slice } from '../slice';
import { Domain, drawAxis } from '../domain';

/**
 * yₖ = slice(x, offsetₖ, sizeₖ) along `axis`: consecutive pieces. As torch.split: a number is the
 * size of every piece, the last one smaller when it does not divide the axis (an empty axis gives
 * one empty piece); an array gives the pieces' sizes, which must sum to the axis's extent. Each
 * piece is its own slice, so a piece that is not used sends no gradient and the others' gradients
 * are unaffected.
 * x̄ = Σₖ pad(ḡₖ, x.shape, offsetₖ) (zeros where a piece gets no gradient)
 */
export function split(x: TensorLike, sizes: number | readonly number[], axis = 0): Tensor[] {
  const t = asTensor('split', x);
  const a = axisOf('split', t, axis);
  const n = t.shape[a]!;
  let list: number[];
  if (typeof sizes === 'number') {
    if (!Number.isSafeInteger(sizes) || sizes < 1) {
      throw new ArgumentError(`split: a piece size must be a positive integer, got ${describe(sizes)}`);
    }
    list = [];
    for (let at = 0; at < n; at += sizes) list.push(Math.min(sizes, n - at));
    if (n === 0) list.push(0);
  } else if (Array.isArray(sizes)) {
    list = Array.from(sizes, (s: unknown, i) => {
      if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
        throw new ArgumentError(`split: sizes must hold non-negative integers, got ${describe(s)} at index ${i} of ${fmtShape(sizes)}`);
      }
      return s;
    });
    const total = list.reduce((p, s) => p + s, 0);
    if (total !== n) {
      throw new ShapeError(`split: sizes ${fmtShape(list)} sum to ${total}, but axis ${a} of shape ${fmtShape(t.shape)} has extent ${n}`);
    }
  } else {
    throw new ArgumentError(`split: sizes must be a piece size or an array of sizes, got ${describe(sizes)}`);
  }
  let offset = 0;
  return list.map((s) => {
    const begin = t.shape.map((_, k) => (k === a ? offset : 0));
    const size = t.shape.map((d, k) => (k === a ? s : d));
    offset += s;
    return slice(t, begin, size);
  });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  // Some pieces are dropped, so their gradient is zero; the rest are joined into one vector.
  call: ([x], pick) => {
    const { t, axis, n } = drawAxis(x!, pick);
    let sizes: number | number[] = pick.int(1, n);
    if (pick.int(0, 1)) {
      sizes = [];
      for (let left = n; left > 0; ) left -= sizes[sizes.push(pick.int(1, left)) - 1]!;
      sizes.splice(pick.int(0, sizes.length), 0, 0); // an empty piece somewhere
    }
    const pieces = split(t, sizes, axis - (pick.int(0, 1) ? t.rank : 0));
    const keep = pieces.filter(() => pick.int(0, 2) > 0);
    return concat((keep.length > 0 ? keep : pieces).map((p) => reshape(p, [-1])));
  },
};
