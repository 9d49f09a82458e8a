import { ShapeError, Tensor, TensorLike, checkSize, fmtShape } from '../../lib';
import { asTensor } from '../args';
import { reshape } from '../reshape';
import { transpose } from '../transpose';
import { sum } from '../sum';
import { matmul } from '../matmul';
import { take } from '../indexing/take';
import { Domain } from '../domain';
import { LETTER_LABELS, Term, letterOf, parseEinsum } from './einsum-spec';

/** A tensor on its way through the contraction, with the label of each of its axes. */
interface Labelled {
  t: Tensor;
  labels: number[];
}

/** A term as the user wrote it, for messages. */
function termText(term: Term): string {
  const letters = term.labels.map(letterOf);
  if (term.ellipsis >= 0) letters.splice(term.ellipsis, 0, '...');
  return letters.join('');
}

/** Axes of x in the order of `labels` (a transpose, skipped when it is the identity). */
function permuted(x: Labelled, labels: readonly number[]): Tensor {
  const perm = labels.map((l) => x.labels.indexOf(l));
  return perm.every((p, i) => p === i) ? x.t : transpose(x.t, perm);
}

/**
 * The diagonal of every index that x's subscripts repeat: the axes of the index are moved last,
 * merged into one of extent nᵐ, and the entries k·(1 + n + … + nᵐ⁻¹) taken from it, so the
 * index ends up once, as the last axis. take's VJP (a scatter-add) puts the gradient back.
 */
function diagonals(x: Labelled): Labelled {
  let { t, labels } = x;
  for (;;) {
    const l = labels.find((label, i) => labels.indexOf(label) !== i);
    if (l === undefined) return { t, labels };
    const at = labels.flatMap((label, i) => (label === l ? [i] : []));
    const rest = labels.flatMap((label, i) => (label === l ? [] : [i]));
    const n = t.shape[at[0]!]!;
    let step = 0;
    for (let i = 0; i < at.length; i++) step = step * n + 1;
    const moved = permuted({ t, labels: labels.map((_, i) => i) }, [...rest, ...at]);
    const merged = reshape(moved, [...rest.map((i) => t.shape[i]!), n ** at.length]);
    t = take(merged, Int32Array.from({ length: n }, (_, k) => k * step), rest.length);
    labels = [...rest.map((i) => labels[i]!), l];
  }
}

/** x summed over the axes whose labels are not in `keep`. */
function sumOut(x: Labelled, keep: ReadonlySet<number>): Labelled {
  const axes = x.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return x;
  return { t: sum(x.t, axes), labels: x.labels.filter((l) => keep.has(l)) };
}

/**
 * a and b contracted over their shared labels that `later` does not need, as one matrix product:
 * a as [batch, free a, contracted] times b as [batch, contracted, free b], where the batch labels
 * are the shared ones that are still needed. The result's axes are batch, free a, free b.
 */
function contract(a: Labelled, b: Labelled, later: ReadonlySet<number>, size: (l: number) => number): Labelled {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => later.has(l));
  const summed = shared.filter((l) => !later.has(l));
  const freeA = a.labels.filter((l) => !b.labels.includes(l));
  const freeB = b.labels.filter((l) => !a.labels.includes(l));
  const count = (ls: readonly number[]) => ls.reduce((p, l) => p * size(l), 1);
  const lead = batch.length > 0 ? [count(batch)] : [];
  const left = reshape(permuted(a, [...batch, ...freeA, ...summed]), [...lead, count(freeA), count(summed)]);
  const right = reshape(permuted(b, [...batch, ...summed, ...freeB]), [...lead, count(summed), count(freeB)]);
  const labels = [...batch, ...freeA, ...freeB];
  return { t: reshape(matmul(left, right), labels.map(size)), labels };
}

/**
 * y[out…] = Σ over the indices absent from the output of ∏ₖ xₖ[subscriptsₖ], as torch.einsum:
 * 'ij,jk->ik' (matmul), 'bij,bjk->bik' (batched), 'ii->i' (diagonal), 'ii->' (trace), 'ij->' (sum),
 * 'ij->ji' (transpose), 'i,j->ij' (outer). Indices are letters a–z, A–Z; whitespace is ignored. An
 * index repeated within one operand reads its diagonal; one index has one size everywhere (size-1
 * dimensions do not broadcast). Without '->' the output is '...' (if any operand has it) and then
 * the indices that appear exactly once, in alphabetical order (capitals first). '...' stands for an
 * operand's remaining axes; those of all operands broadcast as in NumPy (aligned on the right) and,
 * when an explicit output leaves '...' out, are summed. Lowered to take (diagonals), sum (indices
 * needed by no later operand), transpose, reshape and one matmul per pair of operands, contracted
 * left to right.
 * x̄ₖ = the einsum of g with the other operands, through the VJPs of matmul, take, transpose, reshape and sum
 */
export function einsum(spec: string, ...xs: TensorLike[]): Tensor {
  const parsed = parseEinsum(spec, xs.length);
  const ts = xs.map((x, k) => asTensor('einsum', x, `operand ${k}`));

  // Ranks: each letter names one axis, '...' the rest; E is the most axes an ellipsis stands for.
  const ellipsisRank = ts.map((t, k) => {
    const term = parsed.inputs[k]!;
    const letters = term.labels.length;
    if (term.ellipsis < 0 && t.rank !== letters) {
      throw new ShapeError(
        `einsum: operand ${k} of shape ${fmtShape(t.shape)} has rank ${t.rank}, but its subscripts '${termText(term)}' in spec ${JSON.stringify(parsed.text)} name ${letters} ind${letters === 1 ? 'ex' : 'ices'}; expected one index per axis`,
      );
    }
    if (term.ellipsis >= 0 && t.rank < letters) {
      throw new ShapeError(
        `einsum: operand ${k} of shape ${fmtShape(t.shape)} has rank ${t.rank}, fewer than the ${letters} indices of its subscripts '${termText(term)}' in spec ${JSON.stringify(parsed.text)}`,
      );
    }
    return term.ellipsis < 0 ? 0 : t.rank - letters;
  });
  const E = Math.max(0, ...ellipsisRank);
  // The axes of '...' get the labels LETTER_LABELS + 0…E−1, aligned on the right.
  const ellipsisLabels = Array.from({ length: E }, (_, j) => LETTER_LABELS + j);
  const operandLabels = ts.map((_, k) => {
    const term = parsed.inputs[k]!;
    if (term.ellipsis < 0) return term.labels.slice();
    const e = ellipsisRank[k]!;
    return [...term.labels.slice(0, term.ellipsis), ...ellipsisLabels.slice(E - e), ...term.labels.slice(term.ellipsis)];
  });

  // Sizes: a letter has one size; the axes of '...' broadcast.
  const sizes = new Map<number, { size: number; operand: number }>();
  ts.forEach((t, k) => {
    operandLabels[k]!.forEach((l, axis) => {
      const d = t.shape[axis]!;
      const known = sizes.get(l);
      if (known === undefined || (l >= LETTER_LABELS && known.size === 1)) {
        sizes.set(l, { size: d, operand: k });
      } else if (known.size !== d && !(l >= LETTER_LABELS && d === 1)) {
        const other = ts[known.operand]!;
        if (l < LETTER_LABELS) {
          const where =
            known.operand === k
              ? `sizes ${known.size} and ${d} within operand ${k} of shape ${fmtShape(t.shape)}`
              : `size ${known.size} in operand ${known.operand} of shape ${fmtShape(other.shape)} and size ${d} in operand ${k} of shape ${fmtShape(t.shape)}`;
          throw new ShapeError(`einsum: the index '${letterOf(l)}' of spec ${JSON.stringify(parsed.text)} has ${where}; expected one size for each index`);
        }
        const dims = (j: number) => fmtShape(ts[j]!.shape.slice(parsed.inputs[j]!.ellipsis, parsed.inputs[j]!.ellipsis + ellipsisRank[j]!));
        throw new ShapeError(
          `einsum: the '...' dimensions ${dims(known.operand)} of operand ${known.operand} (shape ${fmtShape(other.shape)}) and ${dims(k)} of operand ${k} (shape ${fmtShape(t.shape)}) in spec ${JSON.stringify(parsed.text)} do not broadcast`,
        );
      }
    });
  });
  const size = (l: number): number => sizes.get(l)!.size;

  // The output's labels: '...' stands for all the ellipsis axes; left out of it, they are summed.
  const { labels: outLetters, ellipsis: outEllipsis } = parsed.output;
  const out = outEllipsis < 0 ? outLetters.slice() : [...outLetters.slice(0, outEllipsis), ...ellipsisLabels, ...outLetters.slice(outEllipsis)];
  checkSize('einsum', out.map(size));

  // Each operand with its broadcast size-1 axes of '...' dropped and its diagonals taken.
  const operands = ts.map((t, k): Labelled => {
    const labels = operandLabels[k]!;
    const kept = labels.flatMap((l, i) => (l >= LETTER_LABELS && t.shape[i] === 1 && size(l) !== 1 ? [] : [i]));
    const x = kept.length === labels.length ? t : reshape(t, kept.map((i) => t.shape[i]!));
    return diagonals({ t: x, labels: kept.map((i) => labels[i]!) });
  });

  // Contraction from left to right; `needed(k)` holds the labels that the output or operands k… have.
  const needed = (k: number): Set<number> => new Set([...out, ...operands.slice(k).flatMap((x) => x.labels)]);
  let acc = operands[0]!;
  for (let k = 1; k < operands.length; k++) {
    const later = needed(k + 1);
    const b = operands[k]!;
    acc = sumOut(acc, new Set([...later, ...b.labels]));
    const right = sumOut(b, new Set([...later, ...acc.labels]));
    acc = contract(acc, right, later, size);
  }
  acc = sumOut(acc, new Set(out));
  return permuted(acc, out);
}

/** One set of input shapes, and the calls of einsum it allows: a spec and which inputs it reads. */
interface DomainCase {
  shapes: number[][];
  calls: ReadonlyArray<readonly [string, readonly number[]]>;
}

const CASES: readonly DomainCase[] = [
  {
    shapes: [[2, 3], [3, 2], [2, 2]],
    calls: [
      ['ij,jk->ik', [0, 1]],
      ['ij,jk', [0, 1]],
      ['ij,jk,kl->il', [0, 1, 2]],
      ['ij,jk,ki->', [0, 1, 2]],
      ['ij,ji->', [0, 1]],
      ['ij,kj->ik', [0, 0]],
      ['ij->ji', [0]],
      ['ij->', [0]],
      ['ii->i', [2]],
      ['ii', [2]],
      ['ij,kl->ijkl', [0, 2]],
    ],
  },
  {
    shapes: [[2, 2, 3], [2, 3, 2], [2, 2, 2]],
    calls: [
      ['bij,bjk->bik', [0, 1]],
      [' b i j , b j k -> b k i ', [0, 1]],
      ['Bij,Bjk,Bkl->Bil', [0, 1, 2]],
      ['bij,bkj->bik', [0, 0]],
      ['...ij,...jk->...ik', [0, 1]],
      ['bii->bi', [2]],
      ['bii->b', [2]],
      ['iii->i', [2]],
      ['iij->j', [2]],
    ],
  },
  {
    shapes: [[2, 1, 3], [3, 3], [2, 3]],
    calls: [
      ['...j,jk->...k', [0, 1]],
      ['...j,...j->...', [0, 2]],
      ['...ij,jk', [0, 1]],
      ['...ij,jk->k', [0, 1]],
      ['a...->...a', [0]],
      ['...j->j', [0]],
    ],
  },
  {
    shapes: [[3], [2], [3, 3]],
    calls: [
      ['i,j->ij', [0, 1]],
      ['i,j', [0, 1]],
      ['i,ij,j->', [0, 2, 0]],
      ['ij,j->i', [2, 0]],
      ['i,i->', [0, 0]],
      ['i,ii->i', [0, 2]],
      ['i,j,ii->ij', [0, 1, 2]],
    ],
  },
  {
    shapes: [[], [2], [2, 2]],
    calls: [
      [',i->i', [0, 1]],
      [',ij->', [0, 2]],
      ['->', [0]],
      [',,->', [0, 0, 0]],
      ['i,,ij->j', [1, 0, 2]],
    ],
  },
];

const sameShapes = (a: readonly Tensor[], b: readonly number[][]) =>
  a.length === b.length && a.every((t, i) => t.shape.length === b[i]!.length && t.shape.every((d, j) => d === b[i]![j]));

export const domain: Domain = {
  arity: 3,
  shapes: { oneOf: CASES.map((c) => c.shapes) },
  values: { min: -2, max: 2 },
  // The drawn shapes say which case it is; the call picks one of its specs (inputs it does not read get zero gradients).
  call: (inputs, pick) => {
    const c = CASES.find((x) => sameShapes(inputs, x.shapes))!;
    const [spec, use] = c.calls[pick.int(0, c.calls.length - 1)]!;
    return einsum(spec, ...use.map((i) => inputs[i]!));
  },
};
