/**
 * Argument errors of the activations (square, erf, silu, logSigmoid, elu, gelu, clamp), the
 * comparisons, cumsum, variance, std, layerNorm, triu and tril: each names the op, the argument,
 * its value or shape and what was expected; and a fuzz over their real argument kinds (the
 * registry-wide fuzz of bad-input.spec.ts only knows their tensor inputs, and the comparisons are
 * not in the registry) checks every call returns a well-formed tensor or throws a DeltaGraphError
 * subclass naming the op.
 */
import fc from 'fast-check';
import {
  ArgumentError, AxisError, ShapeError, Tensor, backward, clamp, cumsum, elu, equal, erf, gelu, greater, greaterEqual,
  layerNorm, less, lessEqual, logSigmoid, mul, notEqual, param, silu, square, std, sum, tensor, tril, triu, variance, zeros,
} from '../../index';
import { expectError } from './expect-error';
import { expectSane, show } from './fuzz-harness';

describe('argument errors name the op, the argument and what was expected', () => {
  it('elementwise ops refuse non-tensors', () => {
    for (const [name, f] of [['square', square], ['erf', erf], ['silu', silu], ['logSigmoid', logSigmoid]] as const) {
      expectError(() => (f as (x: unknown) => Tensor)('abc'), ArgumentError, `${name}: `);
    }
  });

  it('elu: alpha must be a finite number', () => {
    expectError(() => elu([1], 'big' as unknown as number), ArgumentError, 'elu: ', 'alpha', '"big"', 'finite number');
    expectError(() => elu([1], NaN), ArgumentError, 'elu: ', 'alpha', 'NaN');
  });

  it('gelu: options must be an object and approximate "none" or "tanh"', () => {
    expectError(() => gelu([1], 'tanh' as never), ArgumentError, 'gelu: ', 'options', '"tanh"');
    expectError(() => gelu([1], { approximate: 'fast' as never }), ArgumentError, 'gelu: ', 'approximate', "'none' or 'tanh'", '"fast"');
  });

  it('clamp: bounds must be numbers, and at least one given', () => {
    expectError(() => clamp([1]), ArgumentError, 'clamp: ', 'at least one of min and max');
    expectError(() => clamp([1], null, null), ArgumentError, 'clamp: ', 'at least one of min and max');
    expectError(() => clamp([1], '0' as unknown as number), ArgumentError, 'clamp: ', 'min', '"0"');
    expectError(() => clamp([1], 0, NaN), ArgumentError, 'clamp: ', 'max', 'NaN');
    expect(clamp([-5, 5], -Infinity, 1).toArray()).toEqual([-5, 1]);
  });

  it('comparisons: shapes that do not broadcast, non-tensors', () => {
    for (const [name, f] of [['greater', greater], ['less', less], ['greaterEqual', greaterEqual], ['lessEqual', lessEqual], ['equal', equal], ['notEqual', notEqual]] as const) {
      expectError(() => f(zeros([2, 3]), zeros([4])), ShapeError, `${name}: `, '[2, 3]', '[4]', 'equal or contain a 1');
      expectError(() => f([1], 'x' as never), ArgumentError, `${name}: `);
    }
  });

  it('cumsum: the axis is required and must be in range', () => {
    expectError(() => (cumsum as (x: unknown) => Tensor)([1, 2]), AxisError, 'cumsum: ', 'undefined');
    expectError(() => cumsum(zeros([2, 3]), 2), AxisError, 'cumsum: ', 'axis 2', 'rank 2', '-2 … 1');
    expectError(() => cumsum(tensor(3), 1), AxisError, 'cumsum: ', 'axis 1');
    expectError(() => cumsum(zeros([2]), 0.5), AxisError, 'cumsum: ', '0.5');
  });

  it('variance and std: axes, keepDims, options, correction, and no degrees of freedom left', () => {
    for (const [name, f] of [['variance', variance], ['std', std]] as const) {
      expectError(() => f(zeros([2, 3]), 3), AxisError, `${name}: `, 'axis 3');
      expectError(() => f(zeros([2, 3]), 0, 'no' as never), ArgumentError, `${name}: `, 'keepDims', '"no"');
      expectError(() => f(zeros([2, 3]), 0, false, 1 as never), ArgumentError, `${name}: `, 'options', '1');
      expectError(() => f(zeros([2, 3]), 0, false, { correction: '1' as never }), ArgumentError, `${name}: `, 'correction', '"1"');
      expectError(() => f(zeros([1, 3]), 0, false, { correction: 1 }), ArgumentError, `${name}: `, 'axes [0]', '[1, 3]', 'N = 1', 'N − correction = 0');
      expectError(() => f(zeros([0])), ArgumentError, `${name}: `, 'N = 0');
    }
  });

  it('layerNorm: normalizedShape must be the trailing dimensions; weight and bias shaped like it; eps ≥ 0', () => {
    const x = zeros([2, 3, 4]);
    expectError(() => layerNorm(x, [3]), ShapeError, 'layerNorm: ', 'normalizedShape [3]', 'trailing', '[2, 3, 4]');
    expectError(() => layerNorm(x, [1, 2, 3, 4]), ShapeError, 'layerNorm: ', '[1, 2, 3, 4]', '[2, 3, 4]');
    expectError(() => layerNorm(x, []), ShapeError, 'layerNorm: ', 'at least one dimension');
    expectError(() => layerNorm(x, [4], zeros([3])), ShapeError, 'layerNorm: ', 'weight', '[3]', 'normalizedShape [4]');
    expectError(() => layerNorm(x, 4, undefined, zeros([1, 4])), ShapeError, 'layerNorm: ', 'bias', '[1, 4]', '[4]');
    expectError(() => layerNorm(x, [4], undefined, undefined, -1), ArgumentError, 'layerNorm: ', 'eps', '-1', '≥ 0');
    expectError(() => layerNorm(x, [4], undefined, undefined, NaN), ArgumentError, 'layerNorm: ', 'eps', 'NaN');
    expectError(() => layerNorm(x, [1.5] as never), ArgumentError, 'layerNorm');
    expectError(() => layerNorm(x, [4], 'w' as never), ArgumentError, 'layerNorm: ', 'weight');
  });

  it('triu and tril: rank ≥ 2 and an integer k', () => {
    for (const [name, f] of [['triu', triu], ['tril', tril]] as const) {
      expectError(() => f(zeros([3])), ShapeError, `${name}: `, 'rank ≥ 2', '[3]');
      expectError(() => f(zeros([2, 2]), 0.5), ArgumentError, `${name}: `, 'k', '0.5', 'integer');
      expectError(() => f(zeros([2, 2]), '1' as never), ArgumentError, `${name}: `, 'k', '"1"');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz: plausible and wild arguments of the right kinds.

const wild = fc.constantFrom<unknown>(
  null, undefined, NaN, Infinity, -Infinity, -0, 0.5, -1, 2, 1e300, 2 ** 53, true, 'abc', '1', Symbol('s'), {}, [], [[]],
  [1, [2]], [NaN], [1.5], [-1], Object.create(null), () => 1, new Float32Array(2), { correction: 1 }, { correction: 'x' },
  { approximate: 'tanh' }, { approximate: 'x' }, tensor([1, 2]), tensor(3),
);
const value = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) }, fc.constantFrom(NaN, Infinity, -Infinity, 0, -0));
const dims = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
function tensorArb(shape: fc.Arbitrary<number[]>): fc.Arbitrary<Tensor> {
  return shape.chain((s) =>
    fc.tuple(fc.array(value, { minLength: s.reduce((n, d) => n * d, 1), maxLength: s.reduce((n, d) => n * d, 1) }), fc.constantFrom('const', 'param', 'recorded')).map(([v, kind]) => {
      const t = new Tensor(Float64Array.from(v), s);
      return kind === 'const' ? t : kind === 'param' ? param(t) : mul(param(t), 1);
    }),
  );
}
const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary: a }, { weight: 1, arbitrary: wild });

type Case = readonly [string, (...args: any[]) => unknown, (base: number[]) => fc.Arbitrary<unknown[]>];
const related = (base: number[]) => fc.oneof(fc.constant(base), fc.constant(base.map(() => 1)), fc.constant(base.slice(1)), dims);
const axis = (base: number[]) => fc.integer({ min: -base.length - 1, max: base.length });
const CASES: readonly Case[] = [
  ['elu', elu, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.double({ min: -2, max: 2 })))],
  ['gelu', gelu, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.constantFrom(undefined, { approximate: 'none' }, { approximate: 'tanh' })))],
  ['clamp', clamp, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.option(fc.double({ min: -2, max: 2 }))), maybe(fc.option(fc.double({ min: -2, max: 2 }))))],
  ['greater', greater, (b) => fc.tuple(maybe(tensorArb(related(b))), maybe(tensorArb(related(b))))],
  ['less', less, (b) => fc.tuple(maybe(tensorArb(related(b))), maybe(tensorArb(related(b))))],
  ['greaterEqual', greaterEqual, (b) => fc.tuple(maybe(tensorArb(related(b))), maybe(tensorArb(related(b))))],
  ['lessEqual', lessEqual, (b) => fc.tuple(maybe(tensorArb(related(b))), maybe(tensorArb(related(b))))],
  ['equal', equal, (b) => fc.tuple(maybe(tensorArb(related(b))), maybe(tensorArb(related(b))))],
  ['notEqual', notEqual, (b) => fc.tuple(maybe(tensorArb(related(b))), maybe(tensorArb(related(b))))],
  ['cumsum', cumsum, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(axis(b)))],
  ...(['variance', 'std'] as const).map((name): Case => [
    name,
    name === 'variance' ? variance : std,
    (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.option(fc.oneof(axis(b), fc.array(axis(b), { maxLength: 3 })))), maybe(fc.boolean()), maybe(fc.option(fc.record({ correction: fc.integer({ min: -1, max: 3 }) })))),
  ]),
  ['layerNorm', layerNorm, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.oneof(related(b), fc.integer({ min: 0, max: 3 }))), maybe(fc.option(tensorArb(related(b)))), maybe(fc.option(tensorArb(related(b)))), maybe(fc.constantFrom(1e-5, 0, 0.1)))],
  ['triu', triu, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.integer({ min: -3, max: 3 })))],
  ['tril', tril, (b) => fc.tuple(maybe(tensorArb(fc.constant(b))), maybe(fc.integer({ min: -3, max: 3 })))],
];

describe('random and partly invalid arguments of the right kinds', () => {
  it.each(CASES.map((c) => [c[0], c] as const))('%s returns a well-formed tensor (with a backward pass) or throws a DeltaGraphError naming it', (name, [, fn, args]) => {
    fc.assert(
      fc.property(dims.chain(args), (a) => {
        expectSane(name, [name], a, () => fn(...a), (r) => {
          if (!(r instanceof Tensor) || r.data.length !== r.shape.reduce((n, d) => n * d, 1)) throw new Error(`${name}(${show(a)}) returned ${show(r)}`);
          const leaves = a.filter((x): x is Tensor => x instanceof Tensor && x.requiresGrad);
          if (!r.requiresGrad || leaves.length === 0) return;
          const grads = backward(sum(r), { wrt: leaves });
          for (const x of leaves) expect(grads.get(x).shape).toEqual(x.shape);
        });
      }),
      { numRuns: 300 },
    );
  });
});
