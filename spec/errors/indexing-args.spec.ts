/**
 * The argument errors of the shape and indexing ops (stack … oneHot): their class and a message
 * naming the op, the argument, its value or shape and what was expected; and a fuzz of argmax,
 * argmin and oneHot, which are not in the gradient registry (they have no gradient), so the
 * registry fuzz of bad-input.spec.ts does not reach them.
 */
import fc from 'fast-check';
import {
  ArgumentError, AxisError, ShapeError, Tensor, argmax, argmin, flatten, flip, oneHot, param, split, squeeze, stack, take,
  takeAlongAxis, takeAlongAxisBackward, takeBackward, tensor, tile, unsqueeze, zeros,
} from '../../index';
import { expectError } from './expect-error';
import { expectSane, show } from './fuzz-harness';

describe('shape ops', () => {
  it('stack: an empty list, tensors of different shapes, an axis beyond rank + 1', () => {
    expectError(() => stack([]), ArgumentError, 'stack', 'non-empty array');
    expectError(() => stack([zeros([2]), zeros([3])]), ShapeError, 'stack', 'tensor 1', '[3]', '[2]');
    expectError(() => stack([zeros([2])], 2), AxisError, 'stack', 'axis 2', '-2 … 1');
  });

  it('split: sizes that do not sum to the extent, a zero or fractional piece size, a scalar', () => {
    expectError(() => split(zeros([2, 5]), [2, 2], 1), ShapeError, 'split', '[2, 2]', 'sum to 4', 'extent 5');
    expectError(() => split(zeros([5]), 0), ArgumentError, 'split', 'positive integer', '0');
    expectError(() => split(zeros([5]), [1.5, 3.5]), ArgumentError, 'split', '1.5', 'index 0');
    expectError(() => split(3, 1), AxisError, 'split', 'rank ≥ 1');
  });

  it('squeeze, unsqueeze, flatten: axes out of range, start after end', () => {
    expectError(() => squeeze(zeros([1, 2]), 2), AxisError, 'squeeze', 'axis 2', 'rank 2');
    expectError(() => unsqueeze(zeros([1, 2]), -4), AxisError, 'unsqueeze', 'axis -4', '-3 … 2');
    expectError(() => flatten(zeros([1, 2, 3]), 2, 1), AxisError, 'flatten', 'startAxis 2', 'endAxis 1');
  });

  it('tile: fewer reps than axes (as torch), negative reps; flip: repeated axes', () => {
    expectError(() => tile(zeros([2, 3]), [2]), ShapeError, 'tile', '[2]', '[2, 3]', 'at least its rank 2');
    expectError(() => tile(zeros([2]), [-1]), ArgumentError, 'tile', '-1', 'non-negative');
    expectError(() => flip(zeros([2, 3]), [1, -1]), AxisError, 'flip', 'repeat');
  });
});

describe('indexing ops', () => {
  it('take: an index out of range names it, its position and the bound; non-integers are refused', () => {
    expectError(() => take(zeros([2, 3]), [0, 3], 1), AxisError, 'take', 'holds 3', 'position 1', 'extent 3', '-3 … 2');
    expectError(() => take(zeros([3]), [-4]), AxisError, 'take', 'holds -4', 'extent 3');
    expectError(() => take(zeros([3]), [0.5]), ArgumentError, 'take', 'integers', '0.5');
    expectError(() => take(zeros([3]), 'a' as never), ArgumentError, 'take', 'indices', '"a"');
    expectError(() => take(zeros([3]), [[0], [1, 2]]), ArgumentError, 'take', 'indices');
    expectError(() => take(5, [0]), AxisError, 'take', 'rank ≥ 1');
  });

  it('takeBackward: g that does not hold the indices, a size the indices exceed', () => {
    expectError(() => takeBackward(zeros([2, 3]), [0, 1], 1, 4), ShapeError, 'takeBackward', '[2, 3]', '[2]', 'axis 1');
    expectError(() => takeBackward(zeros([2]), [0, 2], 0, 2), AxisError, 'takeBackward', 'holds 2', 'extent 2');
    expectError(() => takeBackward(zeros([2]), [0, 1], 0, -1), ArgumentError, 'takeBackward', 'size', '-1');
  });

  it('takeAlongAxis: indices of another rank or extent, out of range', () => {
    expectError(() => takeAlongAxis(zeros([2, 3]), [0, 1], 1), ShapeError, 'takeAlongAxis', '[2]', '[2, 3]', 'rank 2');
    expectError(() => takeAlongAxis(zeros([2, 3]), [[0], [1], [2]], 1), ShapeError, 'takeAlongAxis', '[3, 1]', '[2, 3]');
    expectError(() => takeAlongAxis(zeros([2, 3]), [[0], [5]], 1), AxisError, 'takeAlongAxis', 'holds 5', 'extent 3');
    expectError(() => takeAlongAxisBackward(zeros([2, 3]), [[0], [1]], 1, 3), ShapeError, 'takeAlongAxisBackward', '[2, 1]', '[2, 3]');
  });

  it('argmax, argmin: an empty axis, an axis out of range, a bad keepDims; oneHot: labels out of range', () => {
    expectError(() => argmax(zeros([2, 0]), 1), ShapeError, 'argmax', '[2, 0]', 'empty');
    expectError(() => argmin(zeros([0])), ShapeError, 'argmin', '[0]', 'empty');
    expectError(() => argmax(zeros([2, 3]), 2), AxisError, 'argmax', 'axis 2', 'rank 2');
    expectError(() => argmin(zeros([2]), 0, 'yes' as never), ArgumentError, 'argmin', 'keepDims', '"yes"');
    expectError(() => oneHot([0, 3], 3), AxisError, 'oneHot', 'hold 3', 'position 1', '0 … 2');
    expectError(() => oneHot([-1], 3), AxisError, 'oneHot', 'hold -1');
    expectError(() => oneHot([1.5], 3), ArgumentError, 'oneHot', 'integers', '1.5');
    expectError(() => oneHot([], undefined), ArgumentError, 'oneHot', 'infer');
    expectError(() => oneHot([1], 2.5), ArgumentError, 'oneHot', 'classes', '2.5');
  });
});

describe('argmax, argmin and oneHot, called with random and partly invalid arguments', () => {
  const wild = fc.constantFrom<unknown>(
    undefined, null, NaN, Infinity, -1, 0, 1, 2, 3, -3, 0.5, 2 ** 31, 2 ** 53, '1', true, {}, [], [[]], [1, [2]], [0.5], [-1, 0, 1],
    [[0, 1], [2, 0]], Int32Array.of(0, 2), new Float32Array(2), tensor([0, 1, 2]), tensor([[1.5]]), zeros([0]), zeros([2, 0]),
    param([3, 1, 2]), () => 1,
  );
  const tensors = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.array(fc.constantFrom(0, 1, 2, -1, 0.5, NaN, Infinity), { minLength: 27, maxLength: 27 }))
    .map(([s, v]) => new Tensor(Float64Array.from(v.slice(0, s.reduce((p, d) => p * d, 1))), s));
  const arg = fc.oneof({ weight: 3, arbitrary: tensors }, { weight: 2, arbitrary: fc.integer({ min: -4, max: 4 }) }, { weight: 3, arbitrary: wild });
  const cases: Array<[string, (...a: unknown[]) => unknown]> = [
    ['argmax', argmax as never],
    ['argmin', argmin as never],
    ['oneHot', oneHot as never],
  ];
  it.each(cases)('%s returns a constant tensor or throws a DeltaGraphError naming it', (name, fn) => {
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 3 }), (args) => {
        expectSane(name, [name], args, () => fn(...args), (r) => {
          const ok = r instanceof Tensor && !r.requiresGrad && r.data.length === r.shape.reduce((p, d) => p * d, 1) && r.data.every(Number.isInteger);
          if (!ok) throw new Error(`${name}(${show(args)}) returned ${show(r)}, expected a constant tensor of integers`);
        });
      }),
      { numRuns: 500 },
    );
  });
});
