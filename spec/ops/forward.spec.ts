/**
 * Forward values of the ops against plain JavaScript. (The registry spec proves each VJP agrees
 * with its forward; this proves the forward computes the right function.)
 */
import fc from 'fast-check';
import * as dg from '../../index';
import { tensorOf, shapes } from '../../check';

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

describe('elementwise ops match Math', () => {
  const unary: Array<[string, (x: dg.Tensor) => dg.Tensor, (x: number) => number]> = [
    ['neg', dg.neg, (x) => -x],
    ['exp', dg.exp, Math.exp],
    ['abs', dg.abs, Math.abs],
    ['sin', dg.sin, Math.sin],
    ['cos', dg.cos, Math.cos],
    ['tanh', dg.tanh, Math.tanh],
    ['sigmoid', dg.sigmoid, sigma],
    ['relu', dg.relu, (x) => Math.max(x, 0)],
    ['leakyRelu', (x) => dg.leakyRelu(x), (x) => (x > 0 ? x : 0.01 * x)],
    ['softplus', dg.softplus, (x) => Math.log(1 + Math.exp(x))],
  ];
  it.each(unary)('%s', (_, op, f) => {
    fc.assert(
      fc.property(tensorOf(shapes(), { min: -20, max: 20 }), (x) => {
        const y = op(x);
        expect(y.shape).toEqual(x.shape);
        y.data.forEach((v, i) => expect(v).toBeCloseTo(f(x.data[i]!), 12));
      }),
    );
  });

  it.each([
    ['log', dg.log, Math.log],
    ['sqrt', dg.sqrt, Math.sqrt],
  ] as const)('%s on positive values', (_, op, f) => {
    fc.assert(fc.property(tensorOf(shapes(), { min: 1e-3, max: 50 }), (x) => op(x).data.forEach((v, i) => expect(v).toBe(f(x.data[i]!)))));
  });

  it('sigmoid and softplus do not overflow at ±1000', () => {
    expect(dg.sigmoid([-1000, 1000]).toArray()).toEqual([0, 1]);
    expect(dg.softplus([-1000, 1000]).toArray()).toEqual([0, 1000]);
  });

  it('binary ops broadcast and compute', () => {
    expect(dg.add([[1], [2]], [10, 20]).toArray()).toEqual([[11, 21], [12, 22]]);
    expect(dg.sub(5, [1, 2]).toArray()).toEqual([4, 3]);
    expect(dg.div([1, 4], 2).toArray()).toEqual([0.5, 2]);
    expect(dg.pow([2, 3], [[2], [0.5]]).toArray()).toEqual([[4, 9], [Math.SQRT2, Math.sqrt(3)]]);
    expect(dg.maximum([1, 5], 3).toArray()).toEqual([3, 5]);
    expect(dg.minimum([1, 5], 3).toArray()).toEqual([1, 3]);
  });
});

describe('reductions', () => {
  const x = dg.tensor([[1, 5, 2], [4, 0, 6]]);
  it('sum, mean, max, min over axes with keepDims', () => {
    expect(dg.sum(x).item()).toBe(18);
    expect(dg.sum(x, 0).toArray()).toEqual([5, 5, 8]);
    expect(dg.sum(x, -1, true).toArray()).toEqual([[8], [10]]);
    expect(dg.mean(x, [0, 1]).item()).toBe(3);
    expect(dg.mean(x, 1).toArray()).toEqual([8 / 3, 10 / 3]);
    expect(dg.max(x, 1).toArray()).toEqual([5, 6]);
    expect(dg.min(x, 0, true).toArray()).toEqual([[1, 0, 2]]);
  });

  it('logSumExp equals log Σ exp where that is representable, and stays finite at ±1000', () => {
    expect(dg.logSumExp([1, 2, 3]).item()).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 14);
    expect(dg.logSumExp([1000, 1000]).item()).toBeCloseTo(1000 + Math.LN2, 12);
    expect(dg.logSumExp([-1000, -1000]).item()).toBeCloseTo(-1000 + Math.LN2, 12);
  });

  it('max splits the gradient evenly between ties', () => {
    const g = dg.grad((t: dg.Tensor) => dg.max(t))(dg.tensor([3, 1, 3]));
    expect(g.toArray()).toEqual([0.5, 0, 0.5]);
  });
});

describe('layout ops', () => {
  const x = dg.tensor([[1, 2, 3], [4, 5, 6]]);
  it('reshape infers −1', () => expect(dg.reshape(x, [3, -1]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]));
  it('transpose reverses the axes by default', () => expect(dg.transpose(x).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]));
  it('broadcastTo and sumTo are adjoint', () => {
    expect(dg.broadcastTo([1, 2], [2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(dg.sumTo(x, [1, 3]).toArray()).toEqual([[5, 7, 9]]);
    expect(dg.sumTo(x, [3]).toArray()).toEqual([5, 7, 9]);
    expect(dg.sumTo(x, [2, 1]).toArray()).toEqual([[6], [15]]);
    expect(dg.sumTo(x, []).item()).toBe(21);
  });
  it('slice with −1 runs to the end', () => expect(dg.slice(x, [1, 1], [-1, -1]).toArray()).toEqual([[5, 6]]));
  it('concat', () => expect(dg.concat([x, [[7, 8, 9]]], 0).toArray()).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]));
  it('where', () => expect(dg.where([1, 0, 1], [1, 2, 3], 0).toArray()).toEqual([1, 0, 3]));
});

describe('matmul', () => {
  const A = dg.tensor([[1, 2], [3, 4]]);
  it('2-D', () => expect(dg.matmul(A, [[1], [1]]).toArray()).toEqual([[3], [7]]));
  it('1-D operands follow NumPy: vector on the right is a column, on the left a row', () => {
    expect(dg.matmul(A, [1, 1]).toArray()).toEqual([3, 7]);
    expect(dg.matmul([1, 1], A).toArray()).toEqual([4, 6]);
    expect(dg.matmul([1, 2], [3, 4]).toArray()).toBe(11);
  });
  it('batched with a broadcast operand', () => {
    const batch = dg.tensor([[[1, 0], [0, 1]], [[2, 0], [0, 2]]]);
    expect(dg.matmul(batch, A).toArray()).toEqual([[[1, 2], [3, 4]], [[2, 4], [6, 8]]]);
  });
});

describe('softmax family and losses', () => {
  const z = [[1, 2, 3], [1000, -1000, 0]];
  it('softmax rows sum to 1 and match the naive formula where it is representable', () => {
    const s = dg.softmax(z);
    expect(s.data[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), 14);
    expect(s.data[3]).toBe(1);
    dg.sum(s, 1).data.forEach((v) => expect(v).toBeCloseTo(1, 15));
  });
  it('logSoftmax is finite at ±1000', () => {
    expect(Array.from(dg.logSoftmax(z).data).every(Number.isFinite)).toBe(true);
  });
  it('mseLoss: mean over all elements, sum, none', () => {
    expect(dg.mseLoss([[1, 2], [3, 4]], [[0, 0], [0, 0]]).item()).toBe(7.5);
    expect(dg.mseLoss([1, 2], [0, 0], { reduction: 'sum' }).item()).toBe(5);
    expect(dg.mseLoss([1, 2], [0, 0], { reduction: 'none' }).toArray()).toEqual([1, 4]);
  });
  it('crossEntropy with labels equals one-hot targets and the naive formula', () => {
    const logits = [[1, 2, 3], [0.5, 0.1, -1]];
    const naive = -((3 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))) + (0.5 - Math.log(Math.exp(0.5) + Math.exp(0.1) + Math.exp(-1)))) / 2;
    expect(dg.crossEntropy(logits, [2, 0]).item()).toBeCloseTo(naive, 14);
    expect(dg.crossEntropy(logits, [[0, 0, 1], [1, 0, 0]]).item()).toBeCloseTo(naive, 14);
  });
  it('binaryCrossEntropy and bceWithLogits agree, and bceWithLogits is finite at ±1000', () => {
    const logits = [-2, 0.5, 3];
    const y = [0, 1, 1];
    const naive = -logits.reduce((a, l, i) => a + y[i]! * Math.log(sigma(l)) + (1 - y[i]!) * Math.log(1 - sigma(l)), 0) / 3;
    expect(dg.binaryCrossEntropy(dg.sigmoid(logits), y).item()).toBeCloseTo(naive, 13);
    expect(dg.bceWithLogits(logits, y).item()).toBeCloseTo(naive, 13);
    expect(dg.bceWithLogits([1000, -1000], [0, 1]).item()).toBe(1000);
    expect(dg.binaryCrossEntropy([0, 1], [1, 0]).item()).toBe(100);
  });
});

describe('regressions', () => {
  it('pow: the gradient of a⁰ and the second derivative of a¹ are 0 at a = 0, not NaN', () => {
    expect(dg.grad((x: dg.Tensor) => dg.pow(x, 0))(dg.tensor(0)).item()).toBe(0);
    expect(dg.grad(dg.grad((x: dg.Tensor) => dg.pow(x, 1)))(dg.tensor(0)).item()).toBe(0);
    expect(dg.grad((x: dg.Tensor) => dg.pow(x, 2))(dg.tensor(0)).item()).toBe(0);
  });

  it('maximum of equal inputs splits the gradient ½–½ (the tie a random graph once hit)', () => {
    const [ga, gb] = dg.grad((a: dg.Tensor, b: dg.Tensor) => dg.sum(dg.maximum(a, b)), [0, 1])(dg.tensor([0, 0, 0]), dg.tensor([0, 0, 0]));
    expect(ga.toArray()).toEqual([0.5, 0.5, 0.5]);
    expect(gb.toArray()).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('fused activation backward ops', () => {
  it('sigmoidBackward(g, y) = g·y·(1 − y) and tanhBackward(g, y) = g·(1 − y²)', () => {
    fc.assert(
      fc.property(shapes().chain((s) => fc.tuple(tensorOf(s), tensorOf(s, { min: -1, max: 1 }))), ([g, y]) => {
        const s = dg.sigmoidBackward(g, y);
        const t = dg.tanhBackward(g, y);
        g.data.forEach((gv, i) => {
          const yv = y.data[i]!;
          expect(s.data[i]).toBeCloseTo(gv * yv * (1 - yv), 14);
          expect(t.data[i]).toBeCloseTo(gv * (1 - yv * yv), 14);
        });
      }),
    );
  });
});

describe('stable gradients at ±1000', () => {
  const close = (got: dg.Tensor, want: number[]) => got.data.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));

  it('logSumExp: the gradient is the softmax, e^(x − lse)', () => {
    const g = dg.grad((x: dg.Tensor) => dg.logSumExp(x))(dg.tensor([1000, -1000, 999]));
    const z = 1 + Math.exp(-1);
    close(g, [1 / z, 0, Math.exp(-1) / z]);
  });

  it('logSoftmax: x̄ = g − softmax(x) Σ g', () => {
    const [, pullback] = dg.vjp((x: dg.Tensor) => dg.logSoftmax(x), dg.tensor([1000, -1000]));
    close(pullback(dg.tensor([0, 1]))[0]!, [-1, 1]);
  });

  it('crossEntropy: (S − Y)/m', () => {
    const g = dg.grad((z: dg.Tensor) => dg.crossEntropy(z, [1, 0]))(dg.tensor([[1000, -1000], [-1000, 1000]]));
    close(g, [0.5, -0.5, -0.5, 0.5]);
  });

  it('bceWithLogits: (σ(z) − y)/N', () => {
    const g = dg.grad((z: dg.Tensor) => dg.bceWithLogits(z, [0, 1]))(dg.tensor([1000, -1000]));
    close(g, [0.5, -0.5]);
  });
});
