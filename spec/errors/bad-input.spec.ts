/**
 * Every public function called with random, partly invalid arguments: it either returns the kind
 * of value it promises or throws a DeltaGraphError subclass whose message names it. A TypeError or
 * RangeError from inside a kernel, a bare DeltaGraphError, or a NaN produced from finite inputs by
 * an op that cannot make one, all fail with the function's name and its arguments.
 */
import fc from 'fast-check';
import {
  DeltaGraphError, Gradients, Rng, Tensor, arange, backward, detach, exp, eye, full, grad, jacobian, mT, mean, mul,
  ones, param, rand, randn, registry, rng, sum, tensor, valueAndGrad, vjp, zeros,
} from '../../index';
import { expectSane, show } from './fuzz-harness';

const RUNS = 600;

// ---------------------------------------------------------------------------------------------
// Argument arbitraries: plausible values of each kind, mixed with wild ones.

/** Values that are wrong almost everywhere: kinds, magnitudes and structures no op accepts. */
function wildValues(): unknown[] {
  const selfContaining: unknown[] = [];
  selfContaining.push(selfContaining);
  const sparse = [, 1];
  return [
    null, undefined, NaN, Infinity, -Infinity, -0, 0.5, -1.5, 1e5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e300,
    Number.MAX_SAFE_INTEGER, -1, -5, 7, true, false, '', 'abc', '2', 'sum', 'none', Symbol('s'), 10n,
    {}, [], [[]], [[], []], Object.create(null), { reduction: 'sum' }, { reduction: 'bad' }, { reduction: 7 },
    { shape: [2], data: Float64Array.of(1, 2) }, { length: 2, 0: 1, 1: 2 }, () => 1, (x: unknown) => x,
    new Float32Array(2), new Int32Array(3), new Float64Array(0), new Map(), new Date(0), selfContaining, sparse,
    [[1, 2], [3]], [1, [2]], [[1], [2, 3]], [1, 'a'], [NaN, 1], [undefined], [null], [[1, 2], [3, 'x']],
    [[[[[[1]]]]]], [1, 2, 3], [2, 3], [0, 1], [-1], [1.5], [NaN], [1e300], [2 ** 31, 2], [1e5, 1e5], [0, 2 ** 40],
    rng(1), tensor([1, 2]), tensor(3),
  ];
}

const wild: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...wildValues()) },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: 10 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

const dataValue: fc.Arbitrary<number> = fc.oneof(
  { weight: 30, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0) },
);

const sizeOfShape = (s: readonly number[]): number => s.reduce((n, d) => n * d, 1);

/** A tensor of shape s: a constant, a parameter, or a recorded result (so graphs get exercised). */
function tensorOfShape(s: readonly number[]): fc.Arbitrary<Tensor> {
  const n = sizeOfShape(s);
  return fc
    .tuple(fc.array(dataValue, { minLength: n, maxLength: n }), fc.constantFrom('const', 'param', 'recorded'))
    .map(([values, kind]) => {
      const t = new Tensor(Float64Array.from(values), s);
      if (kind === 'const') return t;
      return kind === 'param' ? param(t) : mul(param(t), 1);
    });
}

/** Nested arrays (or a number) holding the values of a tensor of shape s. */
function nestedOfShape(s: readonly number[]): fc.Arbitrary<unknown> {
  return tensorOfShape(s).map((t) => t.toArray());
}

const dims = fc.integer({ min: 0, max: 3 });
const smallShape = fc.array(dims, { maxLength: 3 });

/** Shapes related to a per-case base shape, so two tensors often broadcast, concat or multiply. */
function relatedShape(base: readonly number[]): fc.Arbitrary<number[]> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(base.slice()) },
    { weight: 2, arbitrary: fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }).map((ones) => base.map((d, i) => (ones[i] ? 1 : d))) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: base.length }).map((k) => base.slice(k)) },
    { weight: 1, arbitrary: fc.constant(base.slice().reverse()) },
    { weight: 2, arbitrary: smallShape },
  );
}

/** Sometimes punches a hole into a generated array: sparse arrays skip map and forEach callbacks. */
function holey<T>(arb: fc.Arbitrary<T[]>): fc.Arbitrary<T[]> {
  return arb.chain((a) =>
    a.length === 0
      ? fc.constant(a)
      : fc.oneof({ weight: 6, arbitrary: fc.constant(a) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: a.length - 1 }) }).map((i) => {
          if (typeof i !== 'number') return a;
          const copy = a.slice();
          delete copy[i];
          return copy;
        }),
  );
}

type Kind =
  | 'tensor' | 'tensors' | 'target' | 'axis' | 'axes' | 'shape' | 'indices' | 'perm' | 'bool' | 'number' | 'options'
  | 'data' | 'size' | 'rng' | 'seed' | 'any';

function plausible(kind: Kind, base: readonly number[]): fc.Arbitrary<unknown> {
  const rank = base.length;
  const axis = fc.integer({ min: -rank - 1, max: rank });
  const tensorArb = relatedShape(base).chain(tensorOfShape);
  switch (kind) {
    case 'tensor':
      return fc.oneof(
        { weight: 8, arbitrary: tensorArb },
        { weight: 1, arbitrary: relatedShape(base).chain(nestedOfShape) },
        { weight: 1, arbitrary: fc.array(dataValue, { maxLength: 4 }).map((v) => Float64Array.from(v)) },
      );
    case 'tensors':
      return holey(fc.array(plausible('tensor', base), { maxLength: 3 }));
    case 'target':
      return fc.oneof(
        tensorArb,
        fc
          .array(fc.oneof({ weight: 10, arbitrary: fc.integer({ min: -1, max: 3 }) }, fc.constantFrom(NaN, 0.5, 1e300)), {
            minLength: base[0] ?? 0,
            maxLength: base[0] ?? 0,
          })
          .map((v) => tensor(v)),
      );
    case 'axis':
      return axis;
    case 'axes':
      return fc.oneof(fc.constant(undefined), axis, holey(fc.array(axis, { maxLength: 3 })));
    case 'shape':
      return holey(fc.oneof(
        { weight: 3, arbitrary: relatedShape(base) },
        { weight: 2, arbitrary: fc.shuffledSubarray(base.slice()) },
        { weight: 2, arbitrary: fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 4 }) },
        {
          weight: 1,
          arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: dims }, fc.constantFrom(-2, 1.5, NaN, Infinity, 1e5, 2 ** 31, 2 ** 53, 1e300, null, undefined, '2')), {
            maxLength: 4,
          }),
        },
      ));
    case 'indices':
      return holey(fc.oneof(
        { weight: 4, arbitrary: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: rank + 1 }) },
        { weight: 1, arbitrary: fc.array(fc.oneof(dims, fc.constantFrom<unknown>(null, undefined, NaN, 0.5, 1e300, '1')), { maxLength: rank + 1 }) },
      ));
    case 'perm':
      return fc.oneof(
        fc.constant(undefined),
        holey(fc.shuffledSubarray(base.map((_, i) => i), { minLength: rank, maxLength: rank })),
        fc.array(axis, { maxLength: rank + 1 }),
      );
    case 'bool':
      return fc.boolean();
    case 'number':
      return fc.oneof({ weight: 4, arbitrary: fc.double({ min: -2, max: 2, noNaN: true }) }, fc.constantFrom(undefined, NaN, Infinity, 1e300));
    case 'options':
      return fc.oneof(fc.constant(undefined), fc.constantFrom('mean', 'sum', 'none', 'bad', undefined, null, 3).map((reduction) => ({ reduction })));
    case 'data':
      return fc.oneof(
        { weight: 4, arbitrary: smallShape.chain(nestedOfShape) },
        { weight: 1, arbitrary: fc.array(dataValue, { maxLength: 6 }).map((v) => Float64Array.from(v)) },
        { weight: 1, arbitrary: tensorArb },
      );
    case 'size':
      return fc.oneof({ weight: 4, arbitrary: dims }, fc.constantFrom(-1, 0.5, NaN, Infinity, 1e5, 2 ** 31, 2 ** 53, 1e300));
    case 'rng':
      return fc.integer({ min: 0, max: 1000 }).map(rng);
    case 'seed':
      return fc.oneof(fc.integer(), fc.double());
    case 'any':
      return fc.oneof(tensorArb, axis, smallShape);
  }
}

/**
 * An argument list for a function whose parameters have the given kinds: each argument plausible
 * (mostly) or wild; sometimes the last arguments are dropped, sometimes extra ones are appended.
 */
function argumentsFor(kinds: readonly Kind[]): fc.Arbitrary<unknown[]> {
  return smallShape.chain((base) =>
    fc
      .tuple(
        fc.tuple(...kinds.map((k) => fc.oneof({ weight: 4, arbitrary: plausible(k, base) }, { weight: 1, arbitrary: wild }))),
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 0, max: kinds.length }),
        fc.array(wild, { minLength: 1, maxLength: 2 }),
      )
      .map(([args, mode, keep, extra]) => {
        if (mode === 0) return args.slice(0, keep);
        if (mode === 1) return [...args, ...extra];
        return args;
      }),
  );
}

// ---------------------------------------------------------------------------------------------
// The check applied to every call.

/** True when every tensor-like argument holds only moderate finite numbers (no NaN, no ±∞). */
function tame(args: readonly unknown[]): boolean {
  const ok = (v: unknown, depth: number): boolean => {
    if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) <= 1e3;
    if (v instanceof Tensor || v instanceof Float64Array) return Array.from(v instanceof Tensor ? v.data : v).every((x) => Math.abs(x) <= 1e3);
    if (Array.isArray(v)) return depth < 8 && v.every((x) => ok(x, depth + 1));
    return true;
  };
  return args.every((a) => ok(a, 0));
}

/** Ops whose outputs cannot contain NaN when every input is finite and moderate. */
const NAN_FREE = new Set([
  'add', 'sub', 'mul', 'maximum', 'minimum', 'neg', 'exp', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'leakyRelu',
  'softplus', 'sum', 'max', 'min', 'logSumExp', 'reshape', 'transpose', 'broadcastTo', 'sumTo', 'concat', 'slice', 'pad',
  'where', 'matmul', 'softmax', 'logSoftmax', 'mT', 'zeros', 'ones', 'eye', 'arange', 'rand', 'randn', 'param', 'detach',
]);

function checkTensor(name: string, t: unknown, args: readonly unknown[]): void {
  if (!(t instanceof Tensor)) throw new Error(`${name}(${show(args)}) returned ${show(t)}, expected a Tensor`);
  const wellFormed =
    t.data instanceof Float64Array &&
    t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) &&
    t.data.length === sizeOfShape(t.shape);
  if (!wellFormed) throw new Error(`${name}(${show(args)}) returned a malformed tensor ${show(t)}`);
  if (NAN_FREE.has(name) && tame(args) && t.data.some((x) => Number.isNaN(x))) {
    throw new Error(`${name}(${show(args)}) returned NaN from finite arguments: ${show(t)}`);
  }
}

/**
 * A forward pass that succeeded must have a backward pass: every tensor argument that requires a
 * gradient gets one of its own shape, whatever the shapes (empty ones included).
 */
function checkBackward(name: string, out: Tensor, args: readonly unknown[]): void {
  const leaves = args.flatMap((a) => (Array.isArray(a) ? a : [a])).filter((a): a is Tensor => a instanceof Tensor && a.requiresGrad);
  if (!out.requiresGrad || leaves.length === 0) return;
  let grads: Gradients;
  try {
    grads = backward(sum(out), { wrt: leaves });
  } catch (e) {
    throw new Error(`backward through ${name}(${show(args)}) threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : show(e)}`);
  }
  for (const x of leaves) {
    const g = grads.get(x);
    if (g.shape.length !== x.shape.length || g.shape.some((d, k) => d !== x.shape[k])) {
      throw new Error(`backward through ${name}(${show(args)}) gave a gradient of shape [${g.shape.join(', ')}] for an input of shape [${x.shape.join(', ')}]`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The ops of the registry.

const OP_KINDS: Record<string, readonly Kind[]> = {
  leakyRelu: ['tensor', 'number'],
  sum: ['tensor', 'axes', 'bool'],
  mean: ['tensor', 'axes', 'bool'],
  max: ['tensor', 'axes', 'bool'],
  min: ['tensor', 'axes', 'bool'],
  logSumExp: ['tensor', 'axes', 'bool'],
  reshape: ['tensor', 'shape'],
  transpose: ['tensor', 'perm'],
  broadcastTo: ['tensor', 'shape'],
  sumTo: ['tensor', 'shape'],
  concat: ['tensors', 'axis'],
  slice: ['tensor', 'indices', 'indices'],
  pad: ['tensor', 'shape', 'indices'],
  where: ['tensor', 'tensor', 'tensor'],
  softmax: ['tensor', 'axis'],
  logSoftmax: ['tensor', 'axis'],
  mseLoss: ['tensor', 'tensor', 'options'],
  crossEntropy: ['tensor', 'target', 'options'],
  binaryCrossEntropy: ['tensor', 'tensor', 'options'],
  bceWithLogits: ['tensor', 'tensor', 'options'],
};

/** Kinds for an op not listed above, from its domain: its tensor inputs, then one more argument of any kind. */
function kindsOf(name: string, arity: number): readonly Kind[] {
  return OP_KINDS[name] ?? [...Array.from({ length: arity }, (): Kind => 'tensor'), 'any'];
}

describe('every registry op, called with random and partly invalid arguments', () => {
  it.each(registry.map((e) => [e.name, e] as const))('%s returns a tensor or throws a DeltaGraphError naming it', (name, entry) => {
    fc.assert(
      fc.property(argumentsFor(kindsOf(name, entry.domain.arity)), (args) => {
        expectSane(name, [name], args, () => entry.fn(...args), (r) => {
          // split returns its pieces: each is checked like a result, and the backward pass runs
          // through the last one (the others send no gradient).
          const pieces: unknown[] = name === 'split' && Array.isArray(r) ? r : [r];
          for (const t of pieces) checkTensor(name, t, args);
          if (pieces.length > 0) checkBackward(name, pieces[pieces.length - 1] as Tensor, args);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Constructors, parameters and random tensors.

const CREATORS: ReadonlyArray<readonly [string, readonly Kind[], (...args: any[]) => unknown]> = [
  ['Tensor', ['data', 'shape'], (data: unknown, shape: unknown) => new Tensor(data as Float64Array, shape as number[])],
  ['tensor', ['data', 'shape'], tensor],
  ['zeros', ['shape'], zeros],
  ['ones', ['shape'], ones],
  ['full', ['shape', 'number'], full],
  ['eye', ['size'], eye],
  ['arange', ['size'], arange],
  ['param', ['data'], param],
  ['detach', ['tensor'], detach],
  ['mT', ['tensor'], mT],
  ['rand', ['shape', 'rng', 'number', 'number'], rand],
  ['randn', ['shape', 'rng'], randn],
];

describe('tensor constructors, called with random and partly invalid arguments', () => {
  it.each(CREATORS.map(([name, kinds, fn]) => [name, kinds, fn] as const))('%s returns a tensor or throws a DeltaGraphError naming it', (name, kinds, fn) => {
    fc.assert(
      fc.property(argumentsFor(kinds), (args) => {
        expectSane(name, [name], args, () => fn(...args), (r) => checkTensor(name, r, args));
      }),
      { numRuns: RUNS },
    );
  });

  it('rng returns an Rng or throws a DeltaGraphError naming it', () => {
    fc.assert(
      fc.property(argumentsFor(['seed']), (args) => {
        expectSane('rng', ['rng'], args, () => (rng as (...a: unknown[]) => Rng)(...args), (r) => {
          if (!(r instanceof Rng) || !Number.isFinite(r.uniform())) throw new Error(`rng(${show(args)}) returned ${show(r)}, expected an Rng`);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// backward and the transforms.

/** Functions to trace: scalar and non-scalar outputs, a non-tensor result, two arguments, a constant. */
const FUNCTIONS: ReadonlyArray<(...args: any[]) => unknown> = [
  (x: Tensor) => sum(mul(x, x)),
  (x: Tensor, y: Tensor) => sum(mul(x, y)),
  (x: Tensor) => mul(x, 2),
  (x: Tensor) => sum(exp(x)),
  (x: Tensor) => mean(x),
  (x: Tensor) => x,
  () => tensor(1),
  () => 3,
];
/** The ops the functions above call: their errors may surface through a transform. */
const INNER = ['mul', 'sum', 'exp', 'mean'];

const fnArb: fc.Arbitrary<unknown> = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FUNCTIONS) }, { weight: 1, arbitrary: wild });
const argnumsArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1, [0], [1], [0, 1], [1, 0], undefined) },
  { weight: 2, arbitrary: fc.constantFrom(-1, 2, 0.5, NaN, [0, 0], [], [NaN], ['0'], '0', null, {}) },
  { weight: 1, arbitrary: wild },
);
/** Call arguments for a traced function: tensors related to one base shape, sometimes wild. */
const callArgsArb: fc.Arbitrary<unknown[]> = smallShape.chain((base) =>
  fc.array(fc.oneof({ weight: 5, arbitrary: plausible('tensor', base) }, { weight: 1, arbitrary: wild }), { maxLength: 3 }),
);

function isTensorList(v: unknown): v is Tensor[] {
  return Array.isArray(v) && v.every((t) => t instanceof Tensor);
}

describe('backward and the transforms, called with random and partly invalid arguments', () => {
  it('grad returns gradients or throws a DeltaGraphError', () => {
    fc.assert(
      fc.property(fnArb, argnumsArb, callArgsArb, (f, argnums, args) => {
        expectSane('grad', ['grad', ...INNER], [f, argnums, ...args], () => (grad as any)(f, argnums)(...args), (r) => {
          if (!(r instanceof Tensor) && !isTensorList(r)) throw new Error(`grad(${show([f, argnums])})(${show(args)}) returned ${show(r)}`);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('valueAndGrad returns [value, gradients] or throws a DeltaGraphError', () => {
    fc.assert(
      fc.property(fnArb, argnumsArb, callArgsArb, (f, argnums, args) => {
        expectSane('valueAndGrad', ['valueAndGrad', ...INNER], [f, argnums, ...args], () => (valueAndGrad as any)(f, argnums)(...args), (r) => {
          const ok = Array.isArray(r) && r.length === 2 && r[0] instanceof Tensor && (r[1] instanceof Tensor || isTensorList(r[1]));
          if (!ok) throw new Error(`valueAndGrad(${show([f, argnums])})(${show(args)}) returned ${show(r)}`);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('jacobian returns a tensor or throws a DeltaGraphError', () => {
    fc.assert(
      fc.property(fnArb, argnumsArb, callArgsArb, (f, argnum, args) => {
        expectSane('jacobian', ['jacobian', ...INNER], [f, argnum, ...args], () => (jacobian as any)(f, argnum)(...args), (r) => {
          if (!(r instanceof Tensor)) throw new Error(`jacobian(${show([f, argnum])})(${show(args)}) returned ${show(r)}`);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('vjp returns [out, pullback] whose pullback returns gradients, or throws a DeltaGraphError', () => {
    fc.assert(
      fc.property(fnArb, callArgsArb, smallShape.chain((s) => fc.oneof(tensorOfShape(s), wild)), fc.boolean(), (f, primals, cotangent, matchOut) => {
        expectSane('vjp', ['vjp', ...INNER], [f, ...primals, cotangent], () => {
          const result: unknown = (vjp as any)(f, ...primals);
          if (!Array.isArray(result) || !(result[0] instanceof Tensor) || typeof result[1] !== 'function') {
            throw new Error(`vjp(${show([f, ...primals])}) returned ${show(result)}`);
          }
          const out = result[0] as Tensor;
          return result[1](matchOut ? zeros(out.shape) : cotangent);
        }, (r) => {
          if (!isTensorList(r) || r.length !== primals.length) throw new Error(`vjp(${show([f, ...primals])}) pulled back ${show(r)}`);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('backward returns Gradients or throws a DeltaGraphError', () => {
    const optionsArb = (p: Tensor, out: Tensor): fc.Arbitrary<unknown> =>
      fc.oneof(
        fc.constantFrom(undefined, {}, { wrt: [p] }, { wrt: [p, out] }, { retainGraph: true }, { createGraph: true }, { wrt: [] }),
        fc.constantFrom({ gradient: ones(out.shape) }, { gradient: ones([7]) }, { gradient: 1 }, { wrt: p }, { wrt: [p, 3] }, { wrt: 5 }),
        fc.constantFrom({ createGraph: 'yes' }, { retainGraph: 1 }, null, 5, 'wrt', [p]),
        wild,
      );
    const caseArb = fc
      .tuple(smallShape.chain(tensorOfShape), fc.constantFrom(...FUNCTIONS.slice(0, 6)), fc.integer({ min: 0, max: 2 }))
      .chain(([x, f, passes]) => {
        const p = param(x);
        let out: Tensor;
        try {
          out = f(p, p) as Tensor;
        } catch {
          out = sum(p);
        }
        return fc.tuple(fc.constant(p), fc.oneof({ weight: 6, arbitrary: fc.constant(out) }, { weight: 1, arbitrary: wild }), optionsArb(p, out), fc.constant(passes));
      });
    fc.assert(
      fc.property(caseArb, ([p, out, options, passes]) => {
        // passes > 1 runs backward again over the same output: fine if the first pass retained the graph, a GraphError if not.
        for (let i = 0; i < Math.max(1, passes); i++) {
          expectSane('backward', ['backward'], [out, options], () => (backward as any)(out, options), (r) => {
            if (!(r instanceof Gradients)) throw new Error(`backward(${show([out, options])}) returned ${show(r)}`);
            // With a wrt list that leaves p out, asking for p's gradient is a GraphError of Gradients.get.
            expectSane('Gradients.get', ['Gradients.get'], [p], () => r.get(p), (g) => {
              if (!(g instanceof Tensor) || g.shape.length !== p.shape.length || g.shape.some((d, k) => d !== p.shape[k])) {
                throw new Error(`backward(${show([out, options])}).get(p) returned ${show(g)} for p of shape [${p.shape.join(', ')}]`);
              }
            });
          });
        }
      }),
      { numRuns: RUNS },
    );
  });
});
