/**
 * The Tensor methods (ops/methods.ts): each one is its free function with the tensor first, on
 * random inputs and arguments — the same values bit for bit, the same op recorded, the same
 * gradients bit for bit, or the same error — and chains of them differentiate; x.T and x.mT; the
 * methods are on tensors from every constructor and op.
 */
import fc from 'fast-check';
import * as dg from '../../index';
import { AxisError, Tensor, backward, nodeOf, tensorMethodNames } from '../../index';
import { broadcastablePair, matmulPair, shapes, tensorOf } from '../../check';

const RUNS = 60;

/** The float64 bit patterns of a tensor's values (so −0, NaN payloads and ±∞ count). */
const bits = (t: Tensor): bigint[] => Array.from(new BigUint64Array(Float64Array.from(t.data).buffer));

function expectSameTensor(a: Tensor, b: Tensor): void {
  expect(a).toBeInstanceOf(Tensor);
  expect(a.shape).toEqual(b.shape);
  expect(bits(a)).toEqual(bits(b));
  expect(a.requiresGrad).toBe(b.requiresGrad);
  expect(nodeOf(a)?.op.name).toBe(nodeOf(b)?.op.name);
}

type Outcome = { value: Tensor | Tensor[] } | { error: unknown };

function outcome(f: () => Tensor | Tensor[]): Outcome {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
}

const asList = (v: Tensor | Tensor[]): Tensor[] => (Array.isArray(v) ? v : [v]);

/** Σ w ⊙ out over the outputs that carry a gradient, w fixed non-uniform weights. */
function weighted(outs: readonly Tensor[]): Tensor | null {
  const terms = outs.filter((o) => o.requiresGrad).map((o) => dg.sum(dg.mul(o, dg.tensor(Float64Array.from(o.data, (_, i) => ((i * 7) % 5) - 1.5), o.shape))));
  return terms.length === 0 ? null : terms.reduce((s, t) => dg.add(s, t));
}

interface Call {
  x: Tensor;
  args: unknown[];
}

interface Case {
  method: string;
  free: (...args: any[]) => Tensor | Tensor[];
  /** How the free function is called, given the method's receiver and arguments (default f(x, ...args)). */
  order?: (x: Tensor, args: unknown[]) => unknown[];
  calls: fc.Arbitrary<Call>;
}

const axesOf = (rank: number) => fc.option(fc.subarray(Array.from({ length: rank }, (_, i) => i)), { nil: undefined });
const axisIn = (rank: number) => fc.integer({ min: -rank, max: Math.max(rank - 1, 0) });
const anyTensor = (range?: { min: number; max: number }) => tensorOf(shapes(), range);
const ranked = (minRank: number, range?: { min: number; max: number }) => tensorOf(shapes({ minRank, maxRank: Math.max(minRank, 3) }), range);

const unary = (range?: { min: number; max: number }) => anyTensor(range).map((x): Call => ({ x, args: [] }));
const pair = (range?: { min: number; max: number }, round = false) =>
  broadcastablePair()
    .chain(([a, b]) => fc.tuple(tensorOf(a, range), tensorOf(b, range)))
    .map(([x, y]): Call => (round ? { x: dg.tensor(x.data.map(Math.round), x.shape), args: [dg.tensor(y.data.map(Math.round), y.shape)] } : { x, args: [y] }));
const reduction = (options: fc.Arbitrary<unknown> = fc.constant(undefined)) =>
  anyTensor().chain((x) =>
    fc.tuple(axesOf(x.rank), fc.option(fc.boolean(), { nil: undefined }), options).map(([axes, keep, opt]): Call => ({ x, args: opt === undefined ? [axes, keep] : [axes, keep, opt] })),
  );
const alongAxis = (minRank = 1) => ranked(minRank).chain((x) => fc.option(axisIn(x.rank), { nil: undefined }).map((axis): Call => ({ x, args: [axis] })));
const withShape = (f: (x: Tensor) => fc.Arbitrary<unknown[]>, minRank = 0) => ranked(minRank).chain((x) => f(x).map((args): Call => ({ x, args })));
const ints = (lo: number, hi: number, length: number) => fc.array(fc.integer({ min: lo, max: hi }), { minLength: length, maxLength: length });

const binaryNames: Array<[string, (a: any, b: any) => Tensor, { min: number; max: number }?]> = [
  ['add', dg.add],
  ['sub', dg.sub],
  ['mul', dg.mul],
  ['div', dg.div, { min: 0.5, max: 3 }],
  ['maximum', dg.maximum],
  ['minimum', dg.minimum],
];
const unaryNames: Array<[string, (x: any) => Tensor, { min: number; max: number }?]> = [
  ['neg', dg.neg],
  ['exp', dg.exp],
  ['log', dg.log, { min: 0.1, max: 3 }],
  ['sqrt', dg.sqrt, { min: 0.1, max: 3 }],
  ['abs', dg.abs],
  ['sin', dg.sin],
  ['cos', dg.cos],
  ['tanh', dg.tanh],
  ['sigmoid', dg.sigmoid],
  ['relu', dg.relu],
  ['square', dg.square],
  ['erf', dg.erf],
  ['softplus', dg.softplus],
  ['silu', dg.silu],
  ['logSigmoid', dg.logSigmoid],
];
const comparisons: Array<[string, (a: any, b: any) => Tensor]> = [
  ['gt', dg.greater],
  ['lt', dg.less],
  ['ge', dg.greaterEqual],
  ['le', dg.lessEqual],
  ['eq', dg.equal],
  ['ne', dg.notEqual],
];

const cases: Case[] = [
  ...binaryNames.map(([method, free, range]): Case => ({ method, free, calls: pair(range) })),
  ...unaryNames.map(([method, free, range]): Case => ({ method, free, calls: unary(range) })),
  ...comparisons.map(([method, free]): Case => ({ method, free, calls: pair({ min: -2, max: 2 }, true) })),
  {
    method: 'pow',
    free: dg.pow,
    calls: broadcastablePair()
      .chain(([a, b]) => fc.tuple(tensorOf(a, { min: 0.5, max: 2 }), tensorOf(b, { min: -2, max: 2 })))
      .map(([x, y]) => ({ x, args: [y] })),
  },
  { method: 'matmul', free: dg.matmul, calls: matmulPair().chain(([a, b]) => fc.tuple(tensorOf(a), tensorOf(b))).map(([x, y]) => ({ x, args: [y] })) },
  {
    method: 'where',
    free: dg.where,
    order: (x, [cond, other]) => [cond, x, other],
    calls: broadcastablePair()
      .chain(([a, b]) => fc.tuple(tensorOf(a), tensorOf(b), tensorOf(a)))
      .map(([x, y, c]) => ({ x, args: [dg.greater(c, 0), y] })),
  },
  { method: 'leakyRelu', free: dg.leakyRelu, calls: anyTensor().chain((x) => fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }).map((a) => ({ x, args: [a] }))) },
  { method: 'elu', free: dg.elu, calls: anyTensor().chain((x) => fc.option(fc.double({ min: 0.1, max: 2, noNaN: true }), { nil: undefined }).map((a) => ({ x, args: [a] }))) },
  {
    method: 'gelu',
    free: dg.gelu,
    calls: anyTensor().chain((x) => fc.constantFrom<unknown[]>([], [undefined], [{}], [{ approximate: 'tanh' }], [{ approximate: 'none' }]).map((args) => ({ x, args }))),
  },
  {
    method: 'clamp',
    free: dg.clamp,
    calls: anyTensor().chain((x) =>
      fc.tuple(fc.option(fc.double({ min: -2, max: 0, noNaN: true })), fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined })).map((args) => ({ x, args })),
    ),
  },
  { method: 'sum', free: dg.sum, calls: reduction() },
  { method: 'mean', free: dg.mean, calls: reduction() },
  { method: 'max', free: dg.max, calls: reduction() },
  { method: 'min', free: dg.min, calls: reduction() },
  { method: 'logSumExp', free: dg.logSumExp, calls: reduction() },
  { method: 'var', free: dg.variance, calls: reduction(fc.option(fc.record({ correction: fc.constantFrom(0, 1) }), { nil: undefined })) },
  { method: 'std', free: dg.std, calls: reduction(fc.option(fc.record({ correction: fc.constantFrom(0, 1) }), { nil: undefined })) },
  { method: 'cumsum', free: dg.cumsum, calls: withShape((x) => axisIn(Math.max(x.rank, 1)).map((a) => [a])) },
  { method: 'argmax', free: dg.argmax, calls: withShape((x) => fc.tuple(fc.option(axisIn(x.rank), { nil: undefined }), fc.boolean())) },
  { method: 'argmin', free: dg.argmin, calls: withShape((x) => fc.tuple(fc.option(axisIn(x.rank), { nil: undefined }), fc.boolean())) },
  { method: 'softmax', free: dg.softmax, calls: alongAxis() },
  { method: 'logSoftmax', free: dg.logSoftmax, calls: alongAxis() },
  { method: 'reshape', free: dg.reshape, calls: withShape((x) => fc.constantFrom<unknown[]>([[-1]], [[...x.shape].reverse()], [[1, ...x.shape]], [[x.size, 1]])) },
  {
    method: 'transpose',
    free: dg.transpose,
    calls: withShape((x) => fc.option(fc.shuffledSubarray(Array.from({ length: x.rank }, (_, i) => i), { minLength: x.rank, maxLength: x.rank }), { nil: undefined }).map((p) => [p])),
  },
  {
    method: 'permute',
    free: dg.transpose,
    calls: withShape((x) => fc.shuffledSubarray(Array.from({ length: x.rank }, (_, i) => i), { minLength: x.rank, maxLength: x.rank }).map((p) => [p])),
  },
  { method: 'flatten', free: dg.flatten, calls: withShape((x) => fc.tuple(fc.option(axisIn(Math.max(x.rank, 1)), { nil: undefined }), fc.option(axisIn(Math.max(x.rank, 1)), { nil: undefined }))) },
  { method: 'squeeze', free: dg.squeeze, calls: withShape((x) => fc.oneof(fc.constant<unknown[]>([]), axesOf(x.rank).map((a) => [a]))) },
  { method: 'unsqueeze', free: dg.unsqueeze, calls: withShape((x) => axisIn(x.rank + 1).map((a) => [a])) },
  { method: 'flip', free: dg.flip, calls: withShape((x) => axesOf(x.rank).map((a) => [a])) },
  { method: 'repeat', free: dg.tile, calls: withShape((x) => fc.oneof(ints(1, 3, x.rank), ints(1, 2, x.rank + 1), fc.integer({ min: 1, max: 3 })).map((r) => [r])) },
  { method: 'broadcastTo', free: dg.broadcastTo, calls: withShape((x) => fc.integer({ min: 1, max: 3 }).map((n) => [[n, ...x.shape]])) },
  {
    method: 'sumTo',
    free: dg.sumTo,
    calls: withShape((x) => fc.tuple(fc.nat({ max: x.rank }), fc.array(fc.boolean(), { minLength: x.rank, maxLength: x.rank })).map(([drop, ones]) => [x.shape.map((d, i) => (ones[i] ? 1 : d)).slice(drop)])),
  },
  {
    method: 'slice',
    free: dg.slice,
    calls: withShape((x) =>
      fc.tuple(...x.shape.map((d) => fc.integer({ min: 0, max: d - 1 }))).chain((begin) =>
        fc.option(fc.tuple(...x.shape.map((d, i) => fc.integer({ min: -1, max: d - begin[i]! }))), { nil: undefined }).map((size) => [begin, size]),
      ),
    ),
  },
  {
    method: 'pad',
    free: dg.pad,
    calls: withShape((x) => ints(0, 2, x.rank).chain((extra) => fc.tuple(...extra.map((e) => fc.integer({ min: 0, max: e }))).map((begin) => [x.shape.map((d, i) => d + extra[i]!), begin]))),
  },
  {
    method: 'split',
    free: dg.split,
    calls: withShape((x) => axisIn(x.rank).chain((axis) => fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant([x.shape.at(axis)! - 1, 1])).map((sizes) => [sizes, axis])), 1),
  },
  { method: 'triu', free: dg.triu, calls: withShape((x) => fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }).map((k) => [k]), 2) },
  { method: 'tril', free: dg.tril, calls: withShape((x) => fc.option(fc.integer({ min: -2, max: 2 }), { nil: undefined }).map((k) => [k]), 2) },
  {
    method: 'take',
    free: dg.take,
    calls: withShape((x) =>
      axisIn(x.rank).chain((axis) => {
        const n = x.shape.at(axis)!;
        return fc.tuple(fc.oneof(fc.integer({ min: -n, max: n - 1 }), fc.array(fc.integer({ min: -n, max: n - 1 }), { maxLength: 4 })), fc.constantFrom<number | undefined>(axis, undefined));
      }),
    1),
  },
  {
    method: 'gather',
    free: dg.takeAlongAxis,
    calls: withShape((x) =>
      axisIn(x.rank).chain((axis) => {
        const a = axis < 0 ? axis + x.rank : axis;
        const n = x.shape[a]!;
        return fc.integer({ min: 1, max: 3 }).chain((m) => {
          const shape = x.shape.map((d, i) => (i === a ? m : d));
          return fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: m * (x.size / n), maxLength: m * (x.size / n) }).map((v) => [dg.tensor(Float64Array.from(v), shape), axis]);
        });
      }),
    1),
  },
];

describe('every method is its free function', () => {
  it('each method has a case here, and the getters T and mT are the only other names', () => {
    const tested = new Set(cases.map((c) => c.method));
    expect(tensorMethodNames.filter((n) => !tested.has(n)).sort()).toEqual(['T', 'mT']);
    expect([...tested].filter((n) => !tensorMethodNames.includes(n))).toEqual([]);
  });

  it.each(cases.map((c) => [c.method, c] as const))('%s: the same values, op, gradients or error on random inputs', (method, c) => {
    let succeeded = 0;
    fc.assert(
      fc.property(c.calls, ({ x, args }) => {
        // Leaves that want a gradient: the receiver and every tensor argument.
        const p = dg.param(x);
        const targs = args.map((a) => (a instanceof Tensor && !(c.method === 'where' && a === args[0]) && !['gather', 'take'].includes(c.method) ? dg.param(a) : a));
        const viaMethod = outcome(() => (p as unknown as Record<string, (...a: unknown[]) => Tensor | Tensor[]>)[method]!(...targs));
        const viaFree = outcome(() => c.free(...(c.order ? c.order(p, targs) : [p, ...targs])));
        if ('error' in viaFree) {
          expect('error' in viaMethod).toBe(true);
          const [e, f] = [(viaMethod as { error: Error }).error, viaFree.error as Error];
          expect(e.constructor).toBe(f.constructor);
          expect(e.message).toBe(f.message);
          return;
        }
        expect('value' in viaMethod).toBe(true);
        const [ms, fs] = [asList((viaMethod as { value: Tensor | Tensor[] }).value), asList(viaFree.value)];
        expect(Array.isArray((viaMethod as { value: unknown }).value)).toBe(Array.isArray(viaFree.value));
        expect(ms.length).toBe(fs.length);
        ms.forEach((m, i) => expectSameTensor(m, fs[i]!));
        succeeded++;
        const leaves = [p, ...targs.filter((a): a is Tensor => a instanceof Tensor && a.requiresGrad)];
        const [lm, lf] = [weighted(ms), weighted(fs)];
        if (lm === null || lf === null) {
          expect(lm).toBe(lf);
          return;
        }
        const [gm, gf] = [backward(lm, { wrt: leaves }), backward(lf, { wrt: leaves })];
        for (const leaf of leaves) expectSameTensor(gm.get(leaf), gf.get(leaf));
      }),
      { numRuns: RUNS, seed: 20261202 },
    );
    // The generators make mostly valid calls: the comparison above is mostly of values.
    expect(succeeded).toBeGreaterThan(RUNS / 2);
  });
});

describe('errors', () => {
  it('are the free function’s, naming it (the PyTorch-named methods name the op they call)', () => {
    const x = dg.tensor([[1, 2, 3]]);
    expect(() => x.add('two' as never)).toThrow(new dg.ArgumentError('add: b must be a tensor, a number or a nested array of numbers, got "two"'));
    expect(() => x.gt([1, 2])).toThrow(dg.ShapeError);
    expect(() => x.gt([1, 2])).toThrow(/^greater: /);
    expect(() => x.repeat(-1)).toThrow(/^tile: /);
    expect(() => x.gather([[0]], 0)).toThrow(/^takeAlongAxis: /);
    expect(() => x.var(5)).toThrow(/^variance: /);
    expect(() => x.permute([0])).toThrow(/^transpose: /);
    expect(() => x.matmul([[1, 2]])).toThrow(/^matmul: /);
  });

  it('a method called on something that is not a tensor fails as its free function would', () => {
    const add = dg.tensor(1).add;
    expect(() => add.call(undefined as never, 1)).toThrow(/^add: a must be a tensor/);
  });
});

describe('chains', () => {
  it('x.matmul(w).add(b).relu().sum() is add, matmul, relu and sum, with the same gradients', () => {
    const r = dg.rng(7);
    const x = dg.randn([4, 3], r);
    const w = dg.param(dg.randn([3, 2], r));
    const b = dg.param(dg.randn([2], r));
    const chained = x.matmul(w).add(b).relu().sum();
    const nested = dg.sum(dg.relu(dg.add(dg.matmul(x, w), b)));
    expectSameTensor(chained, nested);
    const [gc, gn] = [backward(chained), backward(nested)];
    expectSameTensor(gc.get(w), gn.get(w));
    expectSameTensor(gc.get(b), gn.get(b));
  });

  it('a longer chain with reductions, shapes and the transposes differentiates', () => {
    const r = dg.rng(11);
    const x = dg.param(dg.randn([2, 3, 4], r));
    const w = dg.param(dg.randn([4, 4], r));
    const f = (t: Tensor) => t.matmul(w.T).tanh().mul(2).sub(t.mT.mT).square().mean(-1, true).sqrt().flatten().softmax().log().neg().sum();
    const g = (t: Tensor) =>
      dg.sum(dg.neg(dg.log(dg.softmax(dg.flatten(dg.sqrt(dg.mean(dg.square(dg.sub(dg.mul(dg.tanh(dg.matmul(t, dg.transpose(w))), 2), dg.mT(dg.mT(t)))), -1, true)))))));
    const [yf, yg] = [f(x), g(x)];
    expectSameTensor(yf, yg);
    const [a, b] = [backward(yf), backward(yg)];
    expectSameTensor(a.get(x), b.get(x));
    expectSameTensor(a.get(w), b.get(w));
    // grad works through methods too.
    const dx = dg.grad((t: Tensor) => t.square().sum())(dg.tensor([1, -2, 3]));
    expect(dx.toArray()).toEqual([2, -4, 6]);
  });
});

describe('x.T and x.mT', () => {
  it('x.T is transpose(x) (all axes reversed) for rank 0, 1 and 2', () => {
    for (const shape of [[], [3], [2, 3], [1, 4]]) {
      const x = dg.param(dg.randn(shape, dg.rng(shape.length)));
      expectSameTensor(x.T, dg.transpose(x));
    }
    const m = dg.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(m.T.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(m.T.T.toArray()).toEqual(m.toArray());
  });

  it('x.T of rank ≥ 3 is an AxisError pointing to x.mT and x.transpose() (PyTorch deprecates .T there)', () => {
    const x = dg.zeros([2, 3, 4]);
    expect(() => x.T).toThrow(AxisError);
    expect(() => x.T).toThrow('Tensor.T: defined for rank ≤ 2, got shape [2, 3, 4]: use x.mT to transpose each matrix of a batch or x.transpose() to reverse every axis');
    expect(x.transpose().shape).toEqual([4, 3, 2]);
  });

  it('x.mT is mT(x): the last two axes swapped, rank ≥ 2', () => {
    const x = dg.param(dg.randn([2, 3, 4], dg.rng(3)));
    expectSameTensor(x.mT, dg.mT(x));
    expect(x.mT.shape).toEqual([2, 4, 3]);
    expect(() => dg.tensor([1, 2]).mT).toThrow(/^mT: /);
  });

  it('x.T carries the gradient: ∂ Σ w ⊙ xᵀ / ∂x = wᵀ', () => {
    const x = dg.param([[1, 2, 3], [4, 5, 6]]);
    const w = dg.tensor([[1, 2], [3, 4], [5, 6]]);
    expect(backward(x.T.mul(w).sum()).get(x).toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
  });

  it('T and mT are getters: read-only, not enumerable', () => {
    const x = dg.eye(2);
    expect(() => {
      (x as { T: unknown }).T = 1;
    }).toThrow(TypeError);
  });
});

describe('the methods are on every tensor', () => {
  const r = dg.rng(1);
  const base = dg.tensor([[1, 2], [3, 4]]);
  const leaf = dg.param(base);
  const made: Array<[string, Tensor]> = [
    ['tensor(nested)', base],
    ['tensor(number)', dg.tensor(3)],
    ['tensor(Float64Array)', dg.tensor(new Float64Array([1, 2]))],
    ['zeros', dg.zeros([2])],
    ['ones', dg.ones([2, 2])],
    ['full', dg.full([1], 5)],
    ['eye', dg.eye(3)],
    ['arange', dg.arange(4)],
    ['randn', dg.randn([2], r)],
    ['rand', dg.rand([2], r)],
    ['param', dg.param(base)],
    ['detach', dg.detach(dg.param(base))],
    ['new Tensor', new Tensor(new Float64Array(2), [2])],
    ['a recorded op result', dg.add(dg.param(base), 1)],
    ['a constant op result', dg.mul(base, 2)],
    ['a result under noGrad', dg.noGrad(() => dg.exp(dg.param(base)))],
    ['a split piece', dg.split(base, 1)[0]!],
    ['a gradient', backward(dg.sum(leaf)).get(leaf)],
    ['a tidy result', dg.tidy(() => dg.neg(base))],
  ];

  it.each(made)('%s', (_, t) => {
    for (const name of tensorMethodNames) {
      if (name === 'T' || name === 'mT') expect(name in t).toBe(true);
      else expect(typeof (t as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    expectSameTensor(t.neg().abs(), dg.abs(dg.neg(t)));
  });

  it('they are not enumerable and not own properties: for…in, Object.keys and toEqual see only the fields', () => {
    const t = dg.tensor([1, 2]);
    const seen: string[] = [];
    for (const k in t) seen.push(k);
    expect(seen.filter((k) => tensorMethodNames.includes(k))).toEqual([]);
    expect(Object.keys(t).filter((k) => tensorMethodNames.includes(k))).toEqual([]);
    expect(dg.tensor([1, 2])).toEqual(t);
  });

  it('they do not replace the class’s own members', () => {
    for (const own of ['item', 'toArray', 'toString', 'dispose', 'data', 'shape', 'size', 'rank', 'producer', 'requiresGrad', 'disposed']) {
      expect(tensorMethodNames).not.toContain(own);
    }
  });
});
