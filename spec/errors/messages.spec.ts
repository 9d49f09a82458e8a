/**
 * Each kind of error a user can cause: its class, and a message that names the op, the shapes or
 * values involved, and what was expected.
 */
import {
  ArgumentError, AxisError, DeltaGraphError, GraphError, MAX_ELEMENTS, ShapeError, Tensor, add, backward, broadcastTo,
  concat, crossEntropy, defineOp, eye, full, grad, jacobian, kernels, leakyRelu, logSoftmax, mT, matmul, max, mean,
  mseLoss, mul, ones, pad, param, rand, randn, reshape, rng, slice, softmax, sum, tanh, tensor, transpose, valueAndGrad,
  vjp, zeros,
} from '../../index';
import { expectError, thrown } from './expect-error';

describe('shapes that do not fit together', () => {
  it('add [2, 3] + [4] names both shapes and the broadcasting rule', () => {
    expectError(() => add(zeros([2, 3]), zeros([4])), ShapeError, 'add', '[2, 3]', '[4]', 'equal or contain a 1');
  });

  it('matmul [2, 3] × [4, 5] names both shapes and the inner dimensions', () => {
    expectError(() => matmul(zeros([2, 3]), zeros([4, 5])), ShapeError, 'matmul', '[2, 3]', '[4, 5]', '3 and 4');
  });

  it('reshape to a different number of elements names both shapes', () => {
    expectError(() => reshape(zeros([2, 3]), [4, 2]), ShapeError, 'reshape', '[2, 3]', '[4, 2]');
  });

  it('concat of tensors whose other dimensions differ names them', () => {
    expectError(() => concat([zeros([2, 3]), zeros([2, 4])], 0), ShapeError, 'concat', '[2, 4]', '[2, 3]');
  });

  it('mseLoss of different shapes names both', () => {
    expectError(() => mseLoss(zeros([3]), zeros([3, 1])), ShapeError, 'mseLoss', '[3]', '[3, 1]');
  });

  it('the max of an empty axis is a ShapeError, not a bare DeltaGraphError', () => {
    expectError(() => max(zeros([2, 0]), 1), ShapeError, 'max', '[2, 0]', 'empty');
  });
});

describe('axes out of range', () => {
  it('sum(x, 5) on a rank-2 tensor names the axis, the rank and the valid range', () => {
    expectError(() => sum(zeros([2, 3]), 5), AxisError, 'sum', 'axis 5', 'rank 2', '-2 … 1');
  });

  it('a fractional or NaN axis is an AxisError', () => {
    expectError(() => sum(zeros([2, 3]), 0.5), AxisError, 'sum', '0.5');
    expectError(() => logSoftmax(zeros([2, 3]), NaN), AxisError, 'logSoftmax', 'NaN');
  });

  it('a composite names itself, not the op it is built from', () => {
    expectError(() => softmax(zeros([2, 3]), 2), AxisError, 'softmax: ', 'axis 2');
    expectError(() => softmax(tensor(1)), AxisError, 'softmax: ', 'scalar');
    expectError(() => mean(zeros([2]), 0, 'yes' as unknown as boolean), ArgumentError, 'mean: ', 'keepDims', '"yes"');
  });

  it('a hole in a sparse list of axes is reported, not skipped', () => {
    expectError(() => sum(zeros([2, 3]), [, 1] as number[]), AxisError, 'sum', 'undefined');
  });

  it('transpose with a permutation that repeats an axis names it', () => {
    expectError(() => transpose(zeros([2, 3]), [0, 0]), AxisError, 'transpose', '[0, 0]', 'rank 2');
  });

  it('mT of a vector asks for rank ≥ 2', () => {
    expectError(() => mT(zeros([3])), AxisError, 'mT', '[3]', 'rank ≥ 2');
  });

  it('slice outside the tensor names begin, size and the shape; a null index is an ArgumentError', () => {
    expectError(() => slice(zeros([2, 3]), [1, 2], [1, 2]), AxisError, 'slice', '[1, 2]', '[2, 3]', 'axis 1');
    expectError(() => slice(zeros([2, 3]), [null as unknown as number]), ArgumentError, 'slice', 'begin', 'null');
  });
});

describe('bad tensors, shapes and sizes', () => {
  it('a ragged nested array names the index and the expected length', () => {
    expectError(() => tensor([[1, 2], [3]]), ArgumentError, 'tensor', 'ragged', '[1]', 'length 2');
  });

  it('an op given a ragged nested array names the op and the argument', () => {
    expectError(() => add([[1, 2], [3]], 1), ArgumentError, 'add: a:', 'ragged');
  });

  it('a nested array holding a string, undefined or NaN: only NaN is data', () => {
    expectError(() => tensor([1, 'a' as unknown as number]), ArgumentError, 'tensor', 'index [1]', '"a"');
    expectError(() => tensor([[1], [undefined as unknown as number]]), ArgumentError, 'tensor', 'index [1, 0]', 'undefined');
    expect(Number.isNaN(tensor([1, NaN]).data[1])).toBe(true);
  });

  it('an array that contains itself is an error, not an endless loop', () => {
    const a: unknown[] = [];
    a.push(a);
    expectError(() => tensor(a as number[]), ArgumentError, 'tensor', 'nested');
  });

  it('NaN in a shape is an ArgumentError naming the op', () => {
    expectError(() => zeros([NaN]), ArgumentError, 'zeros', 'NaN', 'non-negative integers');
    expectError(() => ones([2, NaN]), ArgumentError, 'ones', 'NaN');
    expectError(() => full([NaN], 1), ArgumentError, 'full', 'NaN');
    expectError(() => randn([NaN], rng(1)), ArgumentError, 'randn', 'NaN');
    expectError(() => reshape(zeros([2]), [NaN]), ArgumentError, 'reshape', 'NaN');
    expectError(() => broadcastTo(zeros([2]), [NaN, 2]), ArgumentError, 'broadcastTo', 'NaN');
  });

  it('negative, fractional and infinite dimensions are rejected', () => {
    expectError(() => zeros([-1]), ArgumentError, 'zeros', '-1');
    expectError(() => zeros([1.5]), ArgumentError, 'zeros', '1.5');
    expectError(() => zeros([Infinity]), ArgumentError, 'zeros', 'Infinity');
    expectError(() => eye(-2), ArgumentError, 'eye', '-2');
  });

  it('a shape too large to allocate is an error naming the limit, not a RangeError', () => {
    expectError(() => zeros([1e300]), ArgumentError, 'zeros', '1e+300');
    expectError(() => zeros([2 ** 31, 2]), ArgumentError, 'zeros', 'too large', String(MAX_ELEMENTS));
    expectError(() => eye(1e5), ArgumentError, 'eye', '[100000, 100000]', 'too large');
    // An empty tensor may not hide a huge dimension: a reduction would make it real.
    expectError(() => zeros([0, 2 ** 40]), ArgumentError, 'zeros', 'too large');
    expectError(() => reshape(zeros([0]), [0, 2 ** 40]), ArgumentError, 'reshape', 'too large');
    expectError(() => pad(zeros([1]), [1e300], [0]), ArgumentError, 'pad', '1e+300');
  });

  it('a product of two legal tensors that would be too large is a ShapeError', () => {
    expectError(() => matmul(zeros([1e5, 0]), zeros([0, 1e5])), ShapeError, 'matmul', 'too large');
    expectError(() => add(zeros([1e5, 1]), zeros([1, 1e5])), ShapeError, 'add', 'too large');
  });

  it('a rank above 64 is refused', () => {
    expectError(() => zeros(new Array(65).fill(1)), ArgumentError, 'zeros', 'at most 64');
    let deep: unknown = 1;
    for (let i = 0; i < 65; i++) deep = [deep];
    expectError(() => tensor(deep as number[]), ArgumentError, 'tensor', '64');
  });

  it('values that cannot be turned into text still give a DeltaGraphError', () => {
    expectError(() => reshape(zeros([2]), [Symbol('s') as unknown as number]), ArgumentError, 'reshape', 'symbol');
    expectError(() => zeros([Object.create(null)]), ArgumentError, 'zeros', 'an object');
    expectError(() => transpose(zeros([2, 2]), [Object.create(null), 0]), AxisError, 'transpose', 'an object');
  });

  it('the Tensor constructor checks its data and shape', () => {
    expectError(() => new Tensor([1, 2] as unknown as Float64Array, [2]), ArgumentError, 'Tensor', 'Float64Array');
    expectError(() => new Tensor(new Float64Array(0), [0, -1]), ArgumentError, 'Tensor', '-1');
    expectError(() => new Tensor(new Float64Array(3), [2]), ArgumentError, 'Tensor', '3 values', '[2]');
  });

  it('a string or an object where a tensor is expected names the op and the argument', () => {
    expectError(() => mul('abc' as unknown as number, 1), ArgumentError, 'mul: a', '"abc"');
    expectError(() => tanh({} as unknown as number), ArgumentError, 'tanh', 'an object');
  });
});

describe('bad numbers and options', () => {
  it('NaN as an alpha or a range bound is an error, never a tensor of NaN', () => {
    expectError(() => leakyRelu(zeros([2]), NaN), ArgumentError, 'leakyRelu', 'alpha', 'NaN');
    expectError(() => rand([2], rng(1), NaN, 1), ArgumentError, 'rand', 'NaN');
    expectError(() => rand([2], rng(1), 1, 0), ArgumentError, 'rand', 'low ≤ high');
    expectError(() => rand([2], rng(1), 0, 'a' as unknown as number), ArgumentError, 'rand', '"a"');
  });

  it('an rng is checked: its seed, int and permutation arguments', () => {
    expectError(() => rng(NaN), ArgumentError, 'rng', 'NaN');
    expectError(() => rng(1).int(0), ArgumentError, 'Rng.int', '0');
    expectError(() => rng(1).permutation(-1), ArgumentError, 'Rng.permutation', '-1');
    expectError(() => randn([2], {} as unknown as ReturnType<typeof rng>), ArgumentError, 'randn', 'rng(seed)');
  });

  it('loss options must be an object with a known reduction', () => {
    expectError(() => mseLoss(zeros([2]), zeros([2]), 'sum' as unknown as { reduction: 'sum' }), ArgumentError, 'mseLoss', 'options', '"sum"');
    expectError(() => mseLoss(zeros([2]), zeros([2]), { reduction: 'avg' as 'sum' }), ArgumentError, 'mseLoss', "'mean', 'sum' or 'none'", '"avg"');
  });
});

describe('crossEntropy labels', () => {
  const logits = zeros([2, 3]);

  it('a label out of range names the label, the example and the valid classes', () => {
    expectError(() => crossEntropy(logits, tensor([0, 3])), ArgumentError, 'crossEntropy', 'label 3', 'example 1', '0 … 2');
    expectError(() => crossEntropy(logits, tensor([-1, 0])), ArgumentError, 'crossEntropy', 'label -1', 'example 0');
  });

  it('fractional and NaN labels are not class indices', () => {
    expectError(() => crossEntropy(logits, tensor([0.5, 1])), ArgumentError, 'crossEntropy', 'label 0.5');
    expectError(() => crossEntropy(logits, tensor([0, NaN])), ArgumentError, 'crossEntropy', 'label NaN');
  });

  it('targets of neither form name both expected shapes', () => {
    expectError(() => crossEntropy(logits, zeros([3])), ShapeError, 'crossEntropy', '[3]', '[2, 3]', '[2]');
  });
});

describe('misuse of the graph', () => {
  it('grad of a non-scalar output names the shape', () => {
    expectError(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2])), GraphError, 'grad', '[2]', 'scalar');
    expectError(() => valueAndGrad((x: Tensor) => mul(x, 2))(tensor([1, 2])), GraphError, 'valueAndGrad', '[2]');
  });

  it('backward of a non-scalar output without a gradient names the shape', () => {
    expectError(() => backward(mul(param([1, 2, 3]), 2)), GraphError, 'backward', '[3]');
  });

  it('a second backward over a released graph names retainGraph', () => {
    const x = param([1, 2]);
    const y = sum(mul(x, x));
    backward(y);
    expectError(() => backward(y), GraphError, 'backward', 'released', 'retainGraph');
  });

  it('backward options are checked', () => {
    const y = sum(param([1, 2]));
    expectError(() => backward(y, null as unknown as object), ArgumentError, 'backward', 'options', 'null');
    expectError(() => backward(y, { wrt: 5 as unknown as Tensor[] }), ArgumentError, 'backward', 'wrt', '5');
    expectError(() => backward(y, { wrt: [3 as unknown as Tensor] }), ArgumentError, 'backward', 'wrt[0]', '3');
    expectError(() => backward(y, { retainGraph: 'yes' as unknown as boolean }), ArgumentError, 'backward', 'retainGraph', '"yes"');
    expectError(() => backward(y, { gradient: zeros([2]) }), ShapeError, 'backward', '[]');
  });

  it('transforms check f and argnums', () => {
    expectError(() => grad(5 as unknown as () => Tensor), ArgumentError, 'grad', 'function', '5');
    expectError(() => grad((x: Tensor) => sum(x), null as unknown as number), ArgumentError, 'grad', 'argnums', 'null');
    expectError(() => grad((x: Tensor) => sum(x), 1)(tensor(1)), ArgumentError, 'grad', 'argnums 1', '0 … 0');
    expectError(() => grad((x: Tensor) => sum(x), [0, 0])(tensor(1)), ArgumentError, 'grad', '[0, 0]', 'repeat');
    expectError(() => jacobian((x: Tensor) => x, [0, 1] as unknown as number), ArgumentError, 'jacobian', 'argnum');
    expectError(() => vjp(null as unknown as () => Tensor, tensor(1)), ArgumentError, 'vjp', 'function', 'null');
    const [, pullback] = vjp((x: Tensor) => mul(x, 2), tensor([1, 2]));
    expectError(() => pullback(tensor([1, 2, 3])), ShapeError, 'vjp', '[2]', '[3]');
  });
});

describe('a VJP that breaks the contract', () => {
  /** y = x², with a VJP that forgets the input's shape: it returns Σ g (a scalar). */
  const badSquare = defineOp({
    name: 'badSquare',
    forward: ([x]) => kernels.mul(x!, x!),
    vjp: (g) => [sum(g)],
  });

  it('the engine throws a ShapeError naming the op and both shapes', () => {
    const x = param([1, 2, 3]);
    const y = sum(badSquare.apply([x], undefined));
    expectError(() => backward(y), ShapeError, "'badSquare'", 'shape []', 'shape [3]', 'sumTo');
  });

  it('the same with a recorded backward pass (createGraph)', () => {
    const x = param([[1, 2]]);
    const y = sum(badSquare.apply([x], undefined));
    expectError(() => backward(y, { createGraph: true }), ShapeError, "'badSquare'", '[]', '[1, 2]');
  });

  it('a VJP returning the wrong number of gradients or a non-tensor is a GraphError naming the op', () => {
    const tooFew = defineOp({ name: 'tooFew', forward: ([a, b]) => kernels.add(a!, b!), vjp: (g) => [g] });
    const notTensor = defineOp({ name: 'notTensor', forward: ([x]) => kernels.neg(x!), vjp: () => [3 as unknown as Tensor] });
    const a = param([1, 2]);
    expectError(() => backward(sum(tooFew.apply([a, param([3, 4])], undefined))), GraphError, "'tooFew'", '2 gradients');
    expectError(() => backward(sum(notTensor.apply([a], undefined))), GraphError, "'notTensor'", '3', '[2]');
  });
});
