/**
 * einsum (ops/matrix/einsum.ts) against a plain nested-loop oracle on random specs and inputs
 * (repeated indices, summed indices, implicit outputs, capitals and whitespace, one to three
 * operands, '...' with broadcasting), the implicit-output rule, the lowering to one matmul per
 * pair, the gradients of known cases and random ones to second order, and every argument error.
 * (The registry spec property-checks its domain's specs to first and second order as well.)
 */
import fc from 'fast-check';
import * as dg from '../../index';
import { ArgumentError, DeltaGraphError, ShapeError, Tensor, ancestors, einsum, gradcheck, gradgradcheck, tensor } from '../../index';

/** Row-major strides of a shape. */
const stridesOf = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
};

/**
 * The oracle: an explicit letters-only spec 'ab,bc->ac' evaluated by looping over every assignment
 * of all its letters. A letter's extent is the largest size it has; an axis of size 1 is read at 0
 * (so it broadcasts, which is how the '...' tests below spell their broadcasting).
 */
function oracle(spec: string, xs: readonly Tensor[]): { data: number[]; shape: number[] } {
  const [lhs, out] = spec.split('->') as [string, string];
  const terms = lhs.split(',');
  const letters = [...new Set([...lhs.replace(/,/g, ''), ...out])];
  const extent = new Map<string, number>();
  terms.forEach((term, k) => [...term].forEach((c, axis) => extent.set(c, Math.max(extent.get(c) ?? 1, xs[k]!.shape[axis]!))));
  const outShape = [...out].map((c) => extent.get(c)!);
  const outStrides = stridesOf(outShape);
  const result = new Array<number>(outShape.reduce((p, d) => p * d, 1)).fill(0);
  const value = new Map<string, number>(letters.map((c) => [c, 0]));
  const total = letters.reduce((p, c) => p * extent.get(c)!, 1);
  for (let n = 0; n < total; n++) {
    let rest = n;
    for (const c of letters) {
      value.set(c, rest % extent.get(c)!);
      rest = Math.floor(rest / extent.get(c)!);
    }
    let product = 1;
    terms.forEach((term, k) => {
      const x = xs[k]!;
      const st = stridesOf(x.shape);
      let at = 0;
      [...term].forEach((c, axis) => (at += (x.shape[axis] === 1 ? 0 : value.get(c)!) * st[axis]!));
      product *= x.data[at]!;
    });
    let o = 0;
    [...out].forEach((c, axis) => (o += value.get(c)! * outStrides[axis]!));
    result[o]! += product;
  }
  return { data: result, shape: outShape };
}

function expectClose(y: Tensor, expected: { data: number[]; shape: number[] }): void {
  expect(y.shape).toEqual(expected.shape);
  expect(y.data.length).toBe(expected.data.length);
  y.data.forEach((v, i) => expect(Math.abs(v - expected.data[i]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(expected.data[i]!))));
}

const valuesOf = (shape: readonly number[]) =>
  fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: shape.reduce((p, d) => p * d, 1), maxLength: shape.reduce((p, d) => p * d, 1) }).map((v) => tensor(Float64Array.from(v), shape));

/** The oracle's own implicit output: the letters that appear once, sorted by character code. */
const implicitOf = (terms: readonly string[]): string => {
  const all = terms.join('');
  return [...new Set(all)].filter((c) => all.split(c).length === 2).sort().join('');
};

interface RandomCase {
  /** The spec given to einsum (maybe implicit, with spaces). */
  spec: string;
  /** The same contraction for the oracle: explicit, letters only. */
  explicit: string;
  inputs: Tensor[];
}

const LETTERS = 'ijkAB';

/** Random specs over 1–3 operands of rank 0–3 drawn from five letters of sizes 1–3 (repeats within an operand allowed). */
const letterCase: fc.Arbitrary<RandomCase> = fc
  .record({
    sizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: LETTERS.length, maxLength: LETTERS.length }),
    terms: fc.array(fc.array(fc.integer({ min: 0, max: LETTERS.length - 1 }), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
    implicit: fc.boolean(),
    outputKeys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: LETTERS.length, maxLength: LETTERS.length }),
    spaces: fc.boolean(),
  })
  .chain(({ sizes, terms, implicit, outputKeys, spaces }) => {
    const termText = terms.map((t) => t.map((i) => LETTERS[i]).join(''));
    const used = [...new Set(terms.flat())];
    // An explicit output: the used letters whose key is below 0.5, ordered by key.
    const out = used.filter((i) => outputKeys[i]! < 0.5).sort((a, b) => outputKeys[a]! - outputKeys[b]!).map((i) => LETTERS[i]).join('');
    const output = implicit ? implicitOf(termText) : out;
    const lhs = termText.join(spaces ? ' , ' : ',');
    const spec = implicit ? lhs : `${lhs}${spaces ? ' -> ' : '->'}${out}`;
    const shapes = terms.map((t) => t.map((i) => sizes[i]!));
    return fc.tuple(...shapes.map(valuesOf)).map((inputs): RandomCase => ({ spec: spaces ? ` ${spec} ` : spec, explicit: `${termText.join(',')}->${output}`, inputs }));
  });

describe('einsum against a nested-loop oracle', () => {
  it('random specs: repeated, summed and free indices, implicit outputs, capitals, whitespace, 1–3 operands', () => {
    fc.assert(
      fc.property(letterCase, ({ spec, explicit, inputs }) => expectClose(einsum(spec, ...inputs), oracle(explicit, inputs))),
      { numRuns: 300 },
    );
  });

  it("random '...': broadcast on the right, kept in place, first when implicit, summed when an explicit output leaves it out", () => {
    const ELL = 'XYZ';
    const arb = fc
      .record({
        base: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
        operands: fc.array(
          fc.record({ hasEllipsis: fc.boolean(), drop: fc.nat({ max: 3 }), ones: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), before: fc.boolean(), letters: fc.subarray([0, 1]) }),
          { minLength: 1, maxLength: 3 },
        ),
        output: fc.constantFrom('implicit', 'front', 'back', 'none'),
      })
      .chain(({ base, operands, output }) => {
        const E = base.length;
        const sizes = [2, 3];
        const specTerms: string[] = [];
        const letterTerms: string[] = [];
        const shapes: number[][] = [];
        for (const o of operands) {
          const own = o.letters.map((i) => 'jk'[i]!).join('');
          const ownShape = o.letters.map((i) => sizes[i]!);
          const e = o.hasEllipsis ? Math.max(0, E - o.drop) : 0;
          const ellShape = base.slice(E - e).map((d, j) => (o.ones[j] ? 1 : d));
          const ellLetters = ELL.slice(0, E).slice(E - e);
          if (!o.hasEllipsis) {
            specTerms.push(own);
            letterTerms.push(own);
            shapes.push(ownShape);
          } else if (o.before) {
            specTerms.push(`...${own}`);
            letterTerms.push(ellLetters + own);
            shapes.push([...ellShape, ...ownShape]);
          } else {
            specTerms.push(`${own}...`);
            letterTerms.push(own + ellLetters);
            shapes.push([...ownShape, ...ellShape]);
          }
        }
        const anyEllipsis = operands.some((o) => o.hasEllipsis);
        // The '...' of the output stands for the broadcast ellipsis axes of all operands.
        const width = Math.max(0, ...operands.map((o) => (o.hasEllipsis ? Math.max(0, E - o.drop) : 0)));
        const ellOut = ELL.slice(0, E).slice(E - width);
        const once = implicitOf(specTerms.map((t) => t.replace('...', '')));
        const used = [...new Set(specTerms.join('').replace(/\./g, ''))].sort().join('');
        let spec: string;
        let out: string;
        if (output === 'implicit') [spec, out] = [specTerms.join(','), (anyEllipsis ? ellOut : '') + once];
        else if (output === 'front') [spec, out] = [`${specTerms.join(',')}->...${used}`, ellOut + used];
        else if (output === 'back') [spec, out] = [`${specTerms.join(',')}->${used}...`, used + ellOut];
        else [spec, out] = [`${specTerms.join(',')}->${used}`, used];
        return fc.tuple(...shapes.map(valuesOf)).map((inputs): RandomCase => ({ spec, explicit: `${letterTerms.join(',')}->${out}`, inputs }));
      });
    fc.assert(
      fc.property(arb, ({ spec, explicit, inputs }) => expectClose(einsum(spec, ...inputs), oracle(explicit, inputs))),
      { numRuns: 300 },
    );
  });

  it('the named cases: matmul, batched matmul, diagonal, trace, sum, transpose, outer product, three operands', () => {
    const r = dg.rng(7);
    const a = dg.randn([2, 3], r);
    const b = dg.randn([3, 4], r);
    const c = dg.randn([4, 2], r);
    const s = dg.randn([3, 3], r);
    const ba = dg.randn([2, 2, 3], r);
    const bb = dg.randn([2, 3, 4], r);
    expectClose(einsum('ij,jk->ik', a, b), oracle('ij,jk->ik', [a, b]));
    expectClose(einsum('bij,bjk->bik', ba, bb), oracle('bij,bjk->bik', [ba, bb]));
    expectClose(einsum('ii->i', s), { data: [0, 4, 8].map((i) => s.data[i]!), shape: [3] });
    expectClose(einsum('ii->', s), { data: [s.data[0]! + s.data[4]! + s.data[8]!], shape: [] });
    expectClose(einsum('ij->', a), { data: [a.data.reduce((p, v) => p + v, 0)], shape: [] });
    expectClose(einsum('ij->ji', a), { data: Array.from(dg.transpose(a).data), shape: [3, 2] });
    expectClose(einsum('i,j->ij', tensor([1, 2]), tensor([3, 4, 5])), { data: [3, 4, 5, 6, 8, 10], shape: [2, 3] });
    expectClose(einsum('ij,jk,kl->il', a, b, c), oracle('ij,jk,kl->il', [a, b, c]));
    expectClose(einsum('ij,jk,ki->', a, b, c), oracle('ij,jk,ki->', [a, b, c]));
    // Matches matmul to rounding.
    expectClose(einsum('bij,bjk->bik', ba, bb), { data: Array.from(dg.matmul(ba, bb).data), shape: [2, 2, 4] });
  });

  it('empty axes: a contraction over an extent of 0 gives zeros, a diagonal of a [0, 0] matrix is empty', () => {
    const y = einsum('ij,jk->ik', tensor(new Float64Array(0), [2, 0]), tensor(new Float64Array(0), [0, 3]));
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(einsum('ii->i', tensor(new Float64Array(0), [0, 0])).shape).toEqual([0]);
    expect(einsum('ii', tensor(new Float64Array(0), [0, 0])).item()).toBe(0);
  });
});

describe('the implicit output', () => {
  const x = dg.randn([2, 3], dg.rng(1));
  const y = dg.randn([3, 4], dg.rng(2));
  it.each([
    ['ij', [2, 3], 'ij->ij'],
    ['ji', [3, 2], 'ji->ij'],
    ['jA', [3, 2], 'jA->Aj'],
    ['ij,jk', [2, 4], 'ij,jk->ik'],
    ['jk,ij', [2, 4], 'jk,ij->ik'],
  ] as const)('%s is the letters that appear once, alphabetically, capitals first', (spec, shape, explicit) => {
    const operands = spec.includes(',') ? (spec === 'ij,jk' ? [x, y] : [y, x]) : [x];
    const z = einsum(spec, ...operands);
    expect(z.shape).toEqual(shape);
    expectClose(z, oracle(explicit, operands));
  });

  it("repeated letters are summed ('ii' is the trace, 'i,i' the dot product) and '...' comes first", () => {
    const s = dg.randn([3, 3], dg.rng(3));
    expect(einsum('ii', s).shape).toEqual([]);
    expect(einsum('ii', s).item()).toBeCloseTo(s.data[0]! + s.data[4]! + s.data[8]!, 14);
    expect(einsum('i,i', tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    const b = dg.randn([5, 2, 3], dg.rng(4));
    expect(einsum('...ij,jk', b, y).shape).toEqual([5, 2, 4]);
    expect(einsum('i...j,jk', b, y).shape).toEqual([2, 5, 4]);
  });
});

describe('lowering', () => {
  it('two operands are one matmul (no elementwise product); one operand needs none', () => {
    const a = dg.param(dg.randn([4, 2, 3], dg.rng(5)));
    const b = dg.param(dg.randn([4, 3, 5], dg.rng(6)));
    const names = (t: Tensor) => ancestors(t, 'spec', '').map((n) => n.op.name);
    const batched = names(einsum('bij,bjk->bki', a, b));
    expect(batched.filter((n) => n === 'matmul')).toHaveLength(1);
    expect(batched).not.toContain('mul');
    expect(names(einsum('bij,bkj,bjl->ikl', a, a, b)).filter((n) => n === 'matmul')).toHaveLength(2);
    expect(names(einsum('bii->b', dg.param(dg.randn([2, 3, 3], dg.rng(7)))))).not.toContain('matmul');
  });
});

describe('gradients', () => {
  it("of 'ij,jk->ik' are G Bᵀ and Aᵀ G; of the trace the identity; of the diagonal g on the diagonal", () => {
    const a = dg.randn([2, 3], dg.rng(8));
    const b = dg.randn([3, 4], dg.rng(9));
    const w = dg.randn([2, 4], dg.rng(10));
    const [ga, gb] = dg.grad((x: Tensor, y: Tensor) => dg.sum(dg.mul(einsum('ij,jk->ik', x, y), w)), [0, 1])(a, b) as Tensor[];
    expectClose(ga!, { data: Array.from(dg.matmul(w, dg.transpose(b)).data), shape: [2, 3] });
    expectClose(gb!, { data: Array.from(dg.matmul(dg.transpose(a), w).data), shape: [3, 4] });
    const s = dg.randn([3, 3], dg.rng(11));
    expect(Array.from((dg.grad((x: Tensor) => einsum('ii->', x))(s) as Tensor).data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const v = tensor([1, 2, 3]);
    expect(Array.from((dg.grad((x: Tensor) => dg.sum(dg.mul(einsum('ii->i', x), v)))(s) as Tensor).data)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 3]);
  });

  it('of random specs match central differences to first and second order', () => {
    const small = letterCase.filter(({ inputs }) => inputs.reduce((n, t) => n + t.size, 0) <= 24);
    fc.assert(
      fc.property(small, ({ spec, inputs }) => {
        const f = (...xs: Tensor[]) => einsum(spec, ...xs);
        gradcheck(f, inputs, { name: 'einsum' });
        gradgradcheck(f, inputs, { name: 'einsum' });
      }),
      { numRuns: 30 },
    );
  });
});

describe('errors', () => {
  const a = dg.randn([2, 3], dg.rng(12));
  const b = dg.randn([3, 4], dg.rng(13));
  const cases: Array<[string, () => unknown, typeof DeltaGraphError, RegExp]> = [
    ['a spec that is not a string', () => einsum(3 as unknown as string, a), ArgumentError, /einsum: spec must be a string .*got 3/],
    ['no operands', () => einsum('ij'), ArgumentError, /einsum: needs at least one operand/],
    ['more operands than subscripts', () => einsum('ij', a, b), ArgumentError, /einsum: spec "ij" has subscripts for 1 operand, but 2 operands were given/],
    ['fewer operands than subscripts', () => einsum('ij,jk->ik', a), ArgumentError, /subscripts for 2 operands, but 1 operand was given/],
    ['an operand that is not a tensor', () => einsum('i', 'x' as unknown as Tensor), ArgumentError, /einsum: operand 0 must be a tensor/],
    ['subscripts for another rank', () => einsum('ijk', a), ShapeError, /einsum: operand 0 of shape \[2, 3\] has rank 2, but its subscripts 'ijk' .* name 3 indices/],
    ['more letters than axes beside an ellipsis', () => einsum('...ijk', a), ShapeError, /einsum: operand 0 of shape \[2, 3\] has rank 2, fewer than the 3 indices/],
    ['conflicting sizes across operands', () => einsum('ij,jk->ik', a, a), ShapeError, /einsum: the index 'j' .* has size 3 in operand 0 of shape \[2, 3\] and size 2 in operand 1/],
    ['conflicting sizes within an operand', () => einsum('ii->i', a), ShapeError, /einsum: the index 'i' .* has sizes 2 and 3 within operand 0/],
    ['size-1 dimensions of a letter do not broadcast', () => einsum('i,i->i', tensor([1]), tensor([1, 2])), ShapeError, /index 'i' .* size 1 in operand 0 .* size 2 in operand 1/],
    ["'...' that do not broadcast", () => einsum('...i,...i', dg.zeros([2, 3]), dg.zeros([4, 3])), ShapeError, /einsum: the '...' dimensions \[2\] of operand 0 .* and \[4\] of operand 1 .* do not broadcast/],
    ['an output index in no input', () => einsum('ij->ik', a), ArgumentError, /einsum: the output index 'k' of spec "ij->ik" appears in no operand's subscripts/],
    ['a repeated output index', () => einsum('ii->ii', dg.zeros([2, 2])), ArgumentError, /einsum: the output of spec "ii->ii" repeats the index 'i'/],
    ['a bad character', () => einsum('i1,jk', a, b), ArgumentError, /einsum: spec "i1,jk" has the character "1" in the subscripts of operand 0; expected the letters/],
    ['a bad character in the output', () => einsum('ij->i_', a), ArgumentError, /has the character "_" in the output/],
    ['a stray dash', () => einsum('ij-i', a), ArgumentError, /has the character "-"/],
    ['a lone dot', () => einsum('i.j', a), ArgumentError, /einsum: spec "i.j" has a '.' in the subscripts of operand 0 that is not part of an ellipsis/],
    ['two ellipses in a term', () => einsum('......', a), ArgumentError, /more than one ellipsis/],
    ['two arrows', () => einsum('ij->j->', a), ArgumentError, /einsum: spec "ij->j->" has 2 '->'; expected at most one/],
  ];
  it.each(cases)('%s', (_, f, kind, message) => {
    expect(f).toThrow(kind);
    expect(f).toThrow(message);
  });
});
