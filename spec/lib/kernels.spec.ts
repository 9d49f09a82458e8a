/** Kernels against naive index-arithmetic oracles, on random shapes (property-based). */
import fc from 'fast-check';
import { Tensor, broadcastShapes, kernels, reducedShape, sizeOf, tensor } from '../../index';
import { broadcastablePair, matmulPair, shapes, tensorOf } from '../../check';
import { at, naiveBinary, naiveMatmul, unravel } from './naive';

const pairOfTensors = broadcastablePair({ maxDim: 4 }).chain(([sa, sb]) => fc.tuple(tensorOf(sa), tensorOf(sb)));

describe('binary kernels broadcast by strides like NumPy', () => {
  const cases: Array<[string, (a: Tensor, b: Tensor) => Tensor, (x: number, y: number) => number]> = [
    ['add', kernels.add, (x, y) => x + y],
    ['sub', kernels.sub, (x, y) => x - y],
    ['mul', kernels.mul, (x, y) => x * y],
    ['div', kernels.div, (x, y) => x / y],
    ['maximum', kernels.maximum, Math.max],
    ['minimum', kernels.minimum, Math.min],
    ['greater', kernels.greater, (x, y) => (x > y ? 1 : 0)],
  ];
  it.each(cases)('%s', (_, kernel, f) => {
    fc.assert(
      fc.property(pairOfTensors, ([a, b]) => {
        const shape = broadcastShapes('test', a.shape, b.shape);
        const out = kernel(a, b);
        expect(out.shape).toEqual(shape);
        expect(Array.from(out.data)).toEqual(naiveBinary(a, b, shape, f));
      }),
    );
  });

  it('where selects with a broadcast condition', () => {
    const cond = tensor([[1], [0]]);
    expect(kernels.where(cond, tensor([1, 2, 3]), tensor(-1)).toArray()).toEqual([[1, 2, 3], [-1, -1, -1]]);
  });
});

describe('reductions', () => {
  const withAxes = shapes({ maxDim: 4 }).chain((s) =>
    fc.tuple(tensorOf(s), fc.subarray(s.map((_, i) => i))),
  );
  it.each(['sum', 'max', 'min'] as const)('%s over any set of axes', (kind) => {
    fc.assert(
      fc.property(withAxes, ([x, axes]) => {
        const out = kernels.reduce(x, axes, kind);
        const shape = reducedShape(x.shape, axes, true);
        expect(out.shape).toEqual(shape);
        const expected = new Array<number>(sizeOf(shape)).fill(kind === 'sum' ? 0 : kind === 'max' ? -Infinity : Infinity);
        for (let i = 0; i < x.size; i++) {
          const idx = unravel(i, x.shape).map((v, d) => (axes.includes(d) ? 0 : v));
          let o = 0;
          for (let d = 0; d < shape.length; d++) o = o * shape[d]! + idx[d]!;
          const v = x.data[i]!;
          expected[o] = kind === 'sum' ? expected[o]! + v : kind === 'max' ? Math.max(expected[o]!, v) : Math.min(expected[o]!, v);
        }
        out.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
      }),
    );
  });

  it('logSumExp is stable at ±1000 and −∞', () => {
    const r = kernels.logSumExp(tensor([[1000, 1000], [-1000, -1000], [-Infinity, -Infinity]]), [1]);
    expect(r.data[0]).toBeCloseTo(1000 + Math.log(2), 12);
    expect(r.data[1]).toBeCloseTo(-1000 + Math.log(2), 12);
    expect(r.data[2]).toBe(-Infinity);
  });
});

describe('layout kernels', () => {
  it('transpose moves element idx to idx permuted', () => {
    const arb = shapes({ minRank: 1, maxRank: 4 }).chain((s) =>
      fc.tuple(tensorOf(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length })),
    );
    fc.assert(
      fc.property(arb, ([x, perm]) => {
        const y = kernels.transpose(x, perm);
        expect(y.shape).toEqual(perm.map((p) => x.shape[p]));
        for (let i = 0; i < y.size; i++) {
          const idx = unravel(i, y.shape);
          const src = new Array<number>(perm.length);
          perm.forEach((p, k) => (src[p] = idx[k]!));
          expect(y.data[i]).toBe(at(x, src));
        }
      }),
    );
  });

  it('slice then pad puts the block back in place with zeros around it', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const s = kernels.slice(x, [0, 1], [2, 2]);
    expect(s.toArray()).toEqual([[2, 3], [5, 6]]);
    expect(kernels.pad(s, [2, 3], [0, 1]).toArray()).toEqual([[0, 2, 3], [0, 5, 6]]);
  });

  it('concat joins along an inner axis', () => {
    expect(kernels.concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])], 1).toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
  });
});

describe('matmul', () => {
  it('matches the naive triple loop, with broadcast batch axes', () => {
    const arb = matmulPair({ maxDim: 5 }).chain(([sa, sb]) => fc.tuple(tensorOf(sa), tensorOf(sb)));
    fc.assert(
      fc.property(arb, ([a, b]) => {
        const c = kernels.matmul(a, b);
        const batch = c.shape.slice(0, -2);
        const [m, k] = a.shape.slice(-2) as [number, number];
        const n = b.shape[b.rank - 1]!;
        for (let t = 0; t < sizeOf(batch); t++) {
          const bi = unravel(t, batch);
          const A = Array.from({ length: m }, (_, i) => Array.from({ length: k }, (_, p) => at(a, [...bi, i, p])));
          const B = Array.from({ length: k }, (_, p) => Array.from({ length: n }, (_, j) => at(b, [...bi, p, j])));
          const C = naiveMatmul(A, B);
          for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
            expect(c.data[t * m * n + i * n + j]).toBeCloseTo(C[i]![j]!, 12);
          }
        }
      }),
    );
  });

  it('propagates NaN and Infinity (no skipped zeros)', () => {
    const c = kernels.matmul(tensor([[0, 1]]), tensor([[Infinity], [1]]));
    expect(Number.isNaN(c.data[0])).toBe(true);
  });
});

describe('matmul with transposed operands', () => {
  it('op(A)·op(B) by strides equals the product of explicitly transposed copies, for all four cases', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), fc.boolean())
      .chain(([m, k, n, ta, tb]) => fc.tuple(tensorOf(ta ? [k, m] : [m, k]), tensorOf(tb ? [n, k] : [k, n]), fc.constant(ta), fc.constant(tb)));
    fc.assert(
      fc.property(arb, ([a, b, ta, tb]) => {
        const got = kernels.matmul(a, b, ta, tb);
        const want = kernels.matmul(ta ? kernels.transpose(a, [1, 0]) : a, tb ? kernels.transpose(b, [1, 0]) : b);
        expect(got.shape).toEqual(want.shape);
        got.data.forEach((v, i) => expect(v).toBeCloseTo(want.data[i]!, 12));
      }),
    );
  });

  it('the blocked kernel handles depths beyond one cache block and ragged edges', () => {
    const [m, k, n] = [7, 300, 5];
    const a = tensorOfSeq([m, k]);
    const b = tensorOfSeq([k, n]);
    const c = kernels.matmul(a, b);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a.data[i * k + p]! * b.data[p * n + j]!;
      expect(c.data[i * n + j]).toBeCloseTo(s, 9);
    }
  });
});

function tensorOfSeq(shape: number[]): Tensor {
  const size = shape.reduce((x, y) => x * y, 1);
  return new Tensor(Float64Array.from({ length: size }, (_, i) => Math.sin(i * 0.37)), shape);
}

describe('matmul on both cores', () => {
  afterAll(() => kernels.setParallel(true));
  it('the threaded product equals the single-thread product bit for bit, in all four transpose cases', () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const [m, k, n] = [150, 130, 170]; // m·n·k above the threading threshold
      const a = tensorOfSeq(ta ? [k, m] : [m, k]);
      const b = tensorOfSeq(tb ? [n, k] : [k, n]);
      kernels.setParallel(false);
      const single = kernels.matmul(a, b, ta, tb);
      kernels.setParallel(true);
      const threaded = kernels.matmul(a, b, ta, tb);
      expect(Array.from(threaded.data)).toEqual(Array.from(single.data));
    }
  });
});

describe('matmul kernels: WebAssembly SIMD and TypeScript', () => {
  afterAll(() => kernels.useSimd(true));
  it('the SIMD kernel is built by npm ci and loads', () => {
    expect(kernels.simdAvailable()).toBe(true);
  });
  it('both paths agree to 1e-12 relative error (in fact bit for bit), with transposes, batches and ragged edges', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 2 }))
      .chain(([m, k, n, ta, tb, batch]) => fc.tuple(
        tensorOf([batch, ...(ta ? [k, m] : [m, k])]), tensorOf(tb ? [n, k] : [k, n]), fc.constant(ta), fc.constant(tb)));
    fc.assert(
      fc.property(arb, ([a, b, ta, tb]) => {
        kernels.useSimd(false);
        const ts = kernels.matmul(a, b, ta, tb);
        expect(kernels.useSimd(true)).toBe(true);
        const simd = kernels.matmul(a, b, ta, tb);
        ts.data.forEach((v, i) => expect(Math.abs(simd.data[i]! - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
        expect(Array.from(simd.data)).toEqual(Array.from(ts.data));
      }),
      { numRuns: 40 },
    );
  });
});

describe('regressions', () => {
  it('maximum and minimum order −0 below +0 whichever operand comes first (shrunk from the broadcast property)', () => {
    expect(Object.is(kernels.maximum(tensor([0]), tensor([-0])).data[0], 0)).toBe(true);
    expect(Object.is(kernels.maximum(tensor([-0]), tensor([0])).data[0], 0)).toBe(true);
    expect(Object.is(kernels.minimum(tensor([0]), tensor([-0])).data[0], -0)).toBe(true);
    expect(Number.isNaN(kernels.maximum(tensor([NaN]), tensor([1])).data[0])).toBe(true);
    expect(Number.isNaN(kernels.minimum(tensor([1]), tensor([NaN])).data[0])).toBe(true);
  });
});
