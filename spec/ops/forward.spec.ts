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

describe('shape and indexing ops against plain loops', () => {
  const sizeOf = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  const unravel = (flat: number, s: readonly number[]): number[] => {
    const m = new Array<number>(s.length);
    for (let k = s.length - 1; k >= 0; k--) {
      m[k] = flat % s[k]!;
      flat = Math.floor(flat / s[k]!);
    }
    return m;
  };
  const ravel = (m: readonly number[], s: readonly number[]) => m.reduce((p, v, k) => p * s[k]! + v, 0);
  /** Builds a tensor of shape s whose entry at multi-index m is f(m). */
  const build = (s: readonly number[], f: (m: number[]) => number) =>
    new dg.Tensor(Float64Array.from({ length: sizeOf(s) }, (_, i) => f(unravel(i, s))), s);
  const xAndAxis = fc.tuple(shapes({ minRank: 1 }), fc.nat()).chain(([s, a]) => fc.tuple(tensorOf(s), fc.constant(a % s.length)));

  it('take: x.shape[:axis] + indices.shape + x.shape[axis+1:], negative indices wrap (NumPy)', () => {
    fc.assert(
      fc.property(xAndAxis, shapes({ maxRank: 2 }), fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), ([x, axis], is, picks) => {
        const n = x.shape[axis]!;
        const idx = build(is, (m) => (picks[ravel(m, is) % 9]! % (2 * n)) - n);
        const y = dg.take(x, idx, axis);
        const r = is.length;
        const want = [...x.shape.slice(0, axis), ...is, ...x.shape.slice(axis + 1)];
        expect(y.shape).toEqual(want);
        y.data.forEach((v, flat) => {
          const m = unravel(flat, want);
          let k = idx.data[ravel(m.slice(axis, axis + r), is)]!;
          if (k < 0) k += n;
          expect(v).toBe(x.data[ravel([...m.slice(0, axis), k, ...m.slice(axis + r)], x.shape)]);
        });
      }),
    );
    expect(dg.take([[1, 2], [3, 4]], [1, -1, 0], 1).toArray()).toEqual([[2, 2, 1], [4, 4, 3]]);
    expect(dg.take([5, 6, 7], 2).toArray()).toBe(7);
    expect(dg.take([5, 6, 7], Int32Array.of(0, 0)).toArray()).toEqual([5, 5]);
    expect(dg.take([5, 6, 7], Float64Array.of(-3, 1)).toArray()).toEqual([5, 6]);
  });

  it('take: repeated indices add up in the gradient, and takeBackward is the scatter-add', () => {
    const g = dg.grad((x: dg.Tensor) => dg.sum(dg.mul(dg.take(x, [[0, 2], [2, -1]]), [[1, 10], [100, 1000]])))(dg.tensor([1, 2, 3]));
    expect(g.toArray()).toEqual([1, 0, 1110]);
    expect(dg.takeBackward([[1, 2], [3, 4]], [0, 0], 1, 3).toArray()).toEqual([[3, 0, 0], [7, 0, 0]]);
  });

  it('takeAlongAxis: y[o, j, i] = x[o, idx[o, j, i], i] (torch.gather)', () => {
    fc.assert(
      fc.property(xAndAxis, fc.integer({ min: 1, max: 3 }), fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), ([x, axis], m, picks) => {
        const n = x.shape[axis]!;
        const is = x.shape.map((d, k) => (k === axis ? m : d));
        const idx = build(is, (mi) => picks[ravel(mi, is) % 9]! % n);
        const y = dg.takeAlongAxis(x, idx, axis);
        expect(y.shape).toEqual(is);
        y.data.forEach((v, flat) => {
          const mi = unravel(flat, is);
          mi[axis] = idx.data[flat]!;
          expect(v).toBe(x.data[ravel(mi, x.shape)]);
        });
      }),
    );
    expect(dg.takeAlongAxis([[1, 2], [3, 4]], [[0, 0], [1, 0]], 1).toArray()).toEqual([[1, 1], [4, 3]]);
    expect(dg.takeAlongAxisBackward([[1, 2], [3, 4]], [[0, 0], [1, 0]], 1, 2).toArray()).toEqual([[3, 0], [4, 3]]);
  });

  it('flip reverses the given axes (all by default)', () => {
    fc.assert(
      fc.property(shapes().chain((s) => fc.tuple(tensorOf(s), fc.subarray(s.map((_, k) => k)))), ([x, axes]) => {
        const y = dg.flip(x, axes);
        expect(y.shape).toEqual(x.shape);
        y.data.forEach((v, flat) => {
          const m = unravel(flat, x.shape).map((i, k) => (axes.includes(k) ? x.shape[k]! - 1 - i : i));
          expect(v).toBe(x.data[ravel(m, x.shape)]);
        });
      }),
    );
    expect(dg.flip([[1, 2], [3, 4]]).toArray()).toEqual([[4, 3], [2, 1]]);
  });

  it('tile as torch Tensor.repeat: reps longer than the rank prepend 1s; the gradient sums the tiles', () => {
    fc.assert(
      fc.property(shapes().chain((s) => fc.tuple(tensorOf(s), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: s.length, maxLength: s.length + 2 }))), ([x, reps]) => {
        const padded = [...new Array<number>(reps.length - x.rank).fill(1), ...x.shape];
        const want = padded.map((d, k) => d * reps[k]!);
        const y = dg.tile(x, reps);
        expect(y.shape).toEqual(want);
        y.data.forEach((v, flat) => expect(v).toBe(x.data[ravel(unravel(flat, want).map((i, k) => i % padded[k]!), padded)]));
      }),
    );
    expect(dg.tile([1, 2], [2, 2]).toArray()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    expect(dg.grad((x: dg.Tensor) => dg.sum(dg.mul(dg.tile(x, [3]), [1, 2, 3, 4, 5, 6])))(dg.tensor([0, 0])).toArray()).toEqual([9, 12]);
  });

  it('tile of an empty result does not build an oversized intermediate (a shrunk fuzz counterexample)', () => {
    expect(dg.tile([], [0, 2 ** 40]).shape).toEqual([0, 0]);
    expect(() => dg.tile(dg.zeros([2, 0]), [2 ** 40, 1, 3])).toThrow(/^tile: shape \[1099511627776, 2, 0\] is too large/);
  });

  it('stack, split, squeeze, unsqueeze, flatten', () => {
    fc.assert(
      fc.property(shapes().chain((s) => fc.tuple(tensorOf(s), tensorOf(s), fc.integer({ min: 0, max: s.length }))), ([a, b, axis]) => {
        const y = dg.stack([a, b, a], axis);
        const want = [...a.shape.slice(0, axis), 3, ...a.shape.slice(axis)];
        expect(y.shape).toEqual(want);
        y.data.forEach((v, flat) => {
          const m = unravel(flat, want);
          const which = [a, b, a][m[axis]!]!;
          m.splice(axis, 1);
          expect(v).toBe(which.data[ravel(m, a.shape)]);
        });
      }),
    );
    const x = dg.tensor([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
    expect(dg.split(x, 2, 1).map((p) => p.toArray())).toEqual([[[1, 2], [6, 7]], [[3, 4], [8, 9]], [[5], [10]]]);
    expect(dg.split(x, [1, 0, 4], -1).map((p) => p.shape)).toEqual([[2, 1], [2, 0], [2, 4]]);
    expect(dg.split(dg.zeros([0]), 3).map((p) => p.shape)).toEqual([[0]]);
    const g = dg.grad((t: dg.Tensor) => dg.sum(dg.split(t, 2)[1]!))(dg.tensor([1, 2, 3, 4, 5]));
    expect(g.toArray()).toEqual([0, 0, 1, 1, 0]);
    const z = dg.zeros([1, 3, 1, 2]);
    expect(dg.squeeze(z).shape).toEqual([3, 2]);
    expect(dg.squeeze(z, [0, 1]).shape).toEqual([3, 1, 2]);
    expect(dg.squeeze(z, -2).shape).toEqual([1, 3, 2]);
    expect(dg.squeeze(5, 0).shape).toEqual([]);
    expect(dg.unsqueeze(z, -1).shape).toEqual([1, 3, 1, 2, 1]);
    expect(dg.unsqueeze(z, 0).shape).toEqual([1, 1, 3, 1, 2]);
    expect(dg.unsqueeze(5, -1).shape).toEqual([1]);
    expect(dg.flatten(z).shape).toEqual([6]);
    expect(dg.flatten(z, 1).shape).toEqual([1, 6]);
    expect(dg.flatten(z, 1, 2).shape).toEqual([1, 3, 2]);
    expect(dg.flatten(5).shape).toEqual([1]);
    expect(Array.from(dg.flatten(dg.transpose(x)).data)).toEqual([1, 6, 2, 7, 3, 8, 4, 9, 5, 10]);
  });

  it('argmax and argmin: the first extremum along an axis, or into the flattened tensor', () => {
    fc.assert(
      fc.property(xAndAxis.map(([x, a]) => [dg.tensor(Array.from(x.data, (v) => Math.round(v)), x.shape), a] as const), fc.boolean(), ([x, axis], keep) => {
        for (const [op, better] of [[dg.argmax, (u: number, v: number) => u > v], [dg.argmin, (u: number, v: number) => u < v]] as const) {
          const y = op(x, axis, keep);
          const reduced = x.shape.filter((_, k) => k !== axis);
          expect(y.shape).toEqual(keep ? x.shape.map((d, k) => (k === axis ? 1 : d)) : reduced);
          y.data.forEach((v, flat) => {
            const m = unravel(flat, reduced);
            let best = 0;
            const at = (k: number) => x.data[ravel([...m.slice(0, axis), k, ...m.slice(axis)], x.shape)]!;
            for (let k = 1; k < x.shape[axis]!; k++) if (better(at(k), at(best))) best = k;
            expect(v).toBe(best);
          });
          let first = 0;
          x.data.forEach((v, i) => (better(v, x.data[first]!) ? (first = i) : 0));
          expect(op(x).item()).toBe(first);
        }
      }),
    );
    expect(dg.argmax([[1, 5, 5], [7, 7, 0]], 1).toArray()).toEqual([1, 0]);
    expect(dg.argmin([[1, 5, 5], [7, 0, 0]]).toArray()).toBe(4);
    expect(dg.argmax([[1, 5], [7, 0]], undefined, true).toArray()).toEqual([[2]]);
    expect(dg.argmax([1, NaN, 3, NaN]).item()).toBe(1);
    expect(dg.argmin(4, 0).item()).toBe(0);
    const p = dg.param([1, 2]);
    expect(dg.argmax(p).requiresGrad).toBe(false);
  });

  it('oneHot: labels.shape + [classes], float 0/1, no gradient', () => {
    fc.assert(
      fc.property(shapes({ maxRank: 2 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.nat(), { minLength: 9, maxLength: 9 }), (s, classes, picks) => {
        const labels = build(s, (m) => picks[ravel(m, s) % 9]! % classes);
        const y = dg.oneHot(labels, classes);
        expect(y.shape).toEqual([...s, classes]);
        y.data.forEach((v, flat) => expect(v).toBe(labels.data[Math.floor(flat / classes)] === flat % classes ? 1 : 0));
      }),
    );
    expect(dg.oneHot([2, 0]).toArray()).toEqual([[0, 0, 1], [1, 0, 0]]);
    expect(dg.oneHot(Int32Array.of(1), 2).toArray()).toEqual([[0, 1]]);
    expect(dg.oneHot(3, 5).toArray()).toEqual([0, 0, 0, 1, 0]);
  });
});
