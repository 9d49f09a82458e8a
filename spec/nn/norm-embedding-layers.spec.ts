/** Embedding, LayerNorm, BatchNorm2d, GELU and SiLU: shapes, PyTorch's semantics and initialisation, argument errors, and gradchecks as a whole. */
import {
  ArgumentError, BatchNorm2d, Embedding, GELU, LayerNorm, SiLU, Sequential, Tensor, backward, gelu, manualSeed, mul, param, rand, randn, rng, silu, sum, tensor,
} from '../../index';
import { gradcheck } from '../../check';
import { expectError } from '../errors/expect-error';
import { expectDependence, ofParameter } from './parameter-check';

/** A fixed weighting of a layer's output, so that the checked scalar depends on every element. */
const weighted = (y: Tensor) => sum(mul(y, new Tensor(Float64Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape)));

describe('Embedding', () => {
  const layer = new Embedding(5, 3, { rng: 2 });

  it('maps indices of any shape to [...indices.shape, dim], row by row of the table', () => {
    const idx = tensor([[0, 4, 2], [2, 2, 1]]);
    const y = layer.forward(idx);
    expect(y.shape).toEqual([2, 3, 3]);
    [0, 4, 2, 2, 2, 1].forEach((row, k) => {
      for (let j = 0; j < 3; j++) expect(y.data[k * 3 + j]).toBe(layer.weight.data[row * 3 + j]);
    });
    expect(layer.forward([1, 3]).shape).toEqual([2, 3]);
    expect(layer.forward(Int32Array.from([4, 0, 0, 1])).shape).toEqual([4, 3]);
    expect(layer.forward(tensor(3)).toArray()).toEqual(Array.from(layer.weight.data.subarray(9, 12)));
    expect(layer.forward([[[1]], [[2]]]).shape).toEqual([2, 1, 1, 3]);
  });

  it('passes gradcheck with respect to its weight, and repeated indices add up', () => {
    const idx = tensor([[0, 4, 2], [2, 2, 1]]);
    const f = ofParameter(layer, 'weight', () => weighted(layer.forward(idx)));
    expectDependence(f, layer.weight);
    expect(gradcheck(f, [layer.weight], { name: 'Embedding weight' }).ok).toBe(true);
    const g = backward(sum(layer.forward([2, 2, 2, 0]))).get(layer.weight);
    expect(g.toArray()).toEqual([[1, 1, 1], [0, 0, 0], [3, 3, 3], [0, 0, 0], [0, 0, 0]]);
  });

  it('draws weight from N(0, 1) as PyTorch, from the global generator unless given a seed', () => {
    const w = new Embedding(200, 100, { rng: 5 }).weight.data;
    const m = w.reduce((a, b) => a + b, 0) / w.length;
    const v = w.reduce((a, b) => a + (b - m) * (b - m), 0) / w.length;
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(v) - 1)).toBeLessThan(0.03);
    manualSeed(4);
    const [a, b] = [new Embedding(3, 2), new Embedding(3, 2)];
    expect(Array.from(a.weight.data)).not.toEqual(Array.from(b.weight.data));
    manualSeed(4);
    expect(Array.from(new Embedding(3, 2).weight.data)).toEqual(Array.from(a.weight.data));
  });

  it('paddingIdx: that row starts at 0, is looked up as it is, and gets no gradient (as PyTorch\'s padding_idx)', () => {
    const padded = new Embedding(4, 2, { rng: 3, paddingIdx: -1 });
    expect(padded.paddingIdx).toBe(3);
    expect(Array.from(padded.weight.data.subarray(6))).toEqual([0, 0]);
    expect(Array.from(padded.weight.data.subarray(0, 6)).every((v) => v !== 0)).toBe(true);
    padded.weight.data.set([5, 7], 6);
    const idx = tensor([[3, 1], [3, 3]]);
    const y = padded.forward(idx);
    expect(y.toArray()).toEqual([[[5, 7], Array.from(padded.weight.data.subarray(2, 4))], [[5, 7], [5, 7]]]);
    const g = backward(weighted(y)).get(padded.weight);
    expect(Array.from(g.data.subarray(6))).toEqual([0, 0]);
    // Row 1 gets its gradient: the weights sin(3), sin(4) of its place in the output.
    expect(g.data[2]).toBeCloseTo(Math.sin(3), 15);
    expect(g.data[3]).toBeCloseTo(Math.sin(4), 15);
    // Without the padding index among the indices, the gradient is take's own, and passes gradcheck.
    const f = ofParameter(padded, 'weight', () => weighted(padded.forward([[0, 1], [2, 1]])));
    expect(gradcheck(f, [padded.weight], { name: 'Embedding weight (paddingIdx unused)' }).ok).toBe(true);
    expect(padded.describe()).toBe('Embedding(4, 2, paddingIdx 3)');
    expect(new Embedding(4, 2, { paddingIdx: 0 }).paddingIdx).toBe(0);
    expectError(() => new Embedding(4, 2, { paddingIdx: 4 }), ArgumentError, 'Embedding', 'paddingIdx', '4', '[-4, 4)');
    expectError(() => new Embedding(4, 2, { paddingIdx: 0.5 }), ArgumentError, 'Embedding', 'paddingIdx', '0.5');
  });

  it('refuses out-of-range, negative and non-integer indices and bad sizes, naming them', () => {
    expectError(() => layer.forward([[0, 5]]), ArgumentError, 'Embedding.forward', 'indices', '[0, 4]', '5', 'out of range', 'flat position 1', '[1, 2]');
    expectError(() => layer.forward([-1]), ArgumentError, 'Embedding.forward', '-1', 'out of range');
    expectError(() => layer.forward(tensor([0.5])), ArgumentError, 'Embedding.forward', '0.5', 'not an integer');
    expectError(() => layer.forward('a' as any), ArgumentError, 'Embedding.forward', 'indices');
    expectError(() => new Embedding(0, 3), ArgumentError, 'Embedding', 'numEmbeddings', '0');
    expectError(() => new Embedding(3, 1.5), ArgumentError, 'Embedding', 'embeddingDim', '1.5');
    expectError(() => new Embedding(3, 2, { rng: 'x' as any }), ArgumentError, 'Embedding', 'rng', '"x"');
    expect(layer.describe()).toBe('Embedding(5, 3)');
  });
});

describe('LayerNorm', () => {
  it('normalises over the trailing axes, with weight 1 and bias 0 at the start', () => {
    const ln = new LayerNorm([2, 3]);
    expect(ln.weight!.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(ln.bias!.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    const x = randn([4, 2, 3], rng(1));
    const y = ln.forward(x);
    for (let r = 0; r < 4; r++) {
      const row = Array.from(x.data.subarray(r * 6, r * 6 + 6));
      const m = row.reduce((a, b) => a + b, 0) / 6;
      const v = row.reduce((a, b) => a + (b - m) * (b - m), 0) / 6;
      row.forEach((value, j) => expect(y.data[r * 6 + j]).toBeCloseTo((value - m) / Math.sqrt(v + 1e-5), 13));
    }
    expect(new LayerNorm(3).forward([1, 2, 3]).shape).toEqual([3]);
  });

  it('passes gradcheck with respect to its input, weight and bias', () => {
    const ln = new LayerNorm(4, { eps: 1e-3 });
    const x = randn([2, 3, 4], rng(2));
    expect(gradcheck((t: Tensor) => weighted(ln.forward(t)), [x], { name: 'LayerNorm x' }).ok).toBe(true);
    for (const key of ['weight', 'bias'] as const) {
      const f = ofParameter(ln, key, () => weighted(ln.forward(x)));
      const point = randn([4], rng(3));
      expectDependence(f, point);
      expect(gradcheck(f, [point], { name: `LayerNorm ${key}` }).ok).toBe(true);
    }
  });

  it('elementwiseAffine: false learns nothing; bias: false learns only the weight', () => {
    expect(new LayerNorm(3, { elementwiseAffine: false }).parameters()).toHaveLength(0);
    const ln = new LayerNorm(3, { bias: false });
    expect(ln.namedParameters().map(([n]) => n)).toEqual(['weight']);
    expect(ln.describe()).toBe('LayerNorm([3], no bias)');
  });

  it('refuses inputs whose trailing axes differ and bad options, naming them', () => {
    expectError(() => new LayerNorm([2, 3]).forward(randn([3, 2], rng(0))), ArgumentError, 'LayerNorm', '[..., 2, 3]', '[3, 2]');
    expectError(() => new LayerNorm([]), ArgumentError, 'LayerNorm', 'normalizedShape', 'length 0');
    expectError(() => new LayerNorm([2, 0]), ArgumentError, 'LayerNorm', 'normalizedShape[1]', '0');
    expectError(() => new LayerNorm(2, { eps: -1 }), ArgumentError, 'LayerNorm', 'eps', '-1');
    expectError(() => new LayerNorm(2, { bias: 1 as any }), ArgumentError, 'LayerNorm', 'bias', '1');
  });
});

describe('BatchNorm2d', () => {
  /** Channel c of x [N, C, H, W] as a list. */
  const channel = (x: Tensor, c: number) => {
    const [n, C, h, w] = x.shape as number[];
    const out: number[] = [];
    for (let i = 0; i < n!; i++) for (let k = 0; k < h! * w!; k++) out.push(x.data[(i * C! + c) * h! * w! + k]!);
    return out;
  };

  it('in train mode normalises each channel over N, H, W and updates the running statistics as PyTorch', () => {
    const bn = new BatchNorm2d(3, { momentum: 0.2 });
    const x = rand([2, 3, 4, 5], rng(4), -2, 3);
    const y = bn.forward(x);
    expect(y.shape).toEqual([2, 3, 4, 5]);
    for (let c = 0; c < 3; c++) {
      const xs = channel(x, c);
      const m = xs.reduce((a, b) => a + b, 0) / 40;
      const v = xs.reduce((a, b) => a + (b - m) * (b - m), 0) / 40;
      channel(y, c).forEach((value, k) => expect(value).toBeCloseTo((xs[k]! - m) / Math.sqrt(v + 1e-5), 12));
      expect(bn.runningMean.data[c]).toBeCloseTo(0.8 * 0 + 0.2 * m, 14);
      expect(bn.runningVar.data[c]).toBeCloseTo(0.8 * 1 + 0.2 * (v * 40) / 39, 14);
    }
  });

  it('in eval mode uses the running statistics', () => {
    const bn = new BatchNorm2d(2);
    bn.runningMean.data.set([1, -1]);
    bn.runningVar.data.set([4, 9]);
    bn.gamma!.data.set([2, 3]);
    bn.beta!.data.set([0.5, 0]);
    bn.eval();
    const y = bn.forward(tensor([[[[3]], [[2]]]]));
    expect(y.data[0]).toBeCloseTo(2 * (2 / Math.sqrt(4 + 1e-5)) + 0.5, 14);
    expect(y.data[1]).toBeCloseTo(3 * (3 / Math.sqrt(9 + 1e-5)), 14);
  });

  it('passes gradcheck with respect to its input, γ and β in train mode, and its input in eval mode', () => {
    const bn = new BatchNorm2d(2);
    const x = rand([2, 2, 3, 2], rng(6), -1, 1);
    expect(gradcheck((t: Tensor) => weighted(bn.forward(t)), [x], { name: 'BatchNorm2d x' }).ok).toBe(true);
    for (const key of ['gamma', 'beta'] as const) {
      const f = ofParameter(bn, key, () => weighted(bn.forward(x)));
      const point = rand([2], rng(7), 0.5, 1.5);
      expectDependence(f, point);
      expect(gradcheck(f, [point], { name: `BatchNorm2d ${key}` }).ok).toBe(true);
    }
    bn.eval();
    expect(gradcheck((t: Tensor) => weighted(bn.forward(t)), [x], { name: 'BatchNorm2d x (eval)' }).ok).toBe(true);
  });

  it('shifting one channel of the input leaves the training-mode output unchanged, so its true gradient sums to 0 per channel', () => {
    const bn = new BatchNorm2d(2);
    const x = param(rand([3, 2, 2, 2], rng(8), -1, 1));
    const g = backward(weighted(bn.forward(x))).get(x);
    for (let c = 0; c < 2; c++) expect(Math.abs(channel(g, c).reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
  });

  it('affine: false has no parameters; bad inputs and options name BatchNorm2d', () => {
    expect(new BatchNorm2d(2, { affine: false }).parameters()).toHaveLength(0);
    expect(new BatchNorm2d(4).describe()).toBe('BatchNorm2d(4)');
    expect(new BatchNorm2d(4).numFeatures).toBe(4);
    expectError(() => new BatchNorm2d(2).forward(randn([2, 3, 2, 2], rng(0))), ArgumentError, 'BatchNorm2d', '[N, 2, H, W]', '[2, 3, 2, 2]');
    expectError(() => new BatchNorm2d(2).forward(randn([2, 2], rng(0))), ArgumentError, 'BatchNorm2d', '[N, 2, H, W]', '[2, 2]');
    expectError(() => new BatchNorm2d(2).forward(randn([0, 2, 2, 2], rng(0))), ArgumentError, 'BatchNorm2d', '[0, 2, 2, 2]');
    expectError(() => new BatchNorm2d(0), ArgumentError, 'BatchNorm2d', 'numFeatures', '0');
    expectError(() => new BatchNorm2d(2, { momentum: 2 }), ArgumentError, 'BatchNorm2d', 'momentum', '2');
    expectError(() => new BatchNorm2d(2, { eps: 0 }), ArgumentError, 'BatchNorm2d', 'eps', '0');
  });
});

describe('GELU and SiLU', () => {
  const x = tensor([[0.5, -1.2, 2], [-0.3, 0.8, -2.5]]);

  it('are the gelu and silu ops, and pass gradcheck', () => {
    expect(new GELU().forward(x).toArray()).toEqual(gelu(x).toArray());
    expect(new GELU({ approximate: 'tanh' }).forward(x).toArray()).toEqual(gelu(x, { approximate: 'tanh' }).toArray());
    expect(new SiLU().forward(x).toArray()).toEqual(silu(x).toArray());
    // GELU(1) = Φ(1) = 0.8413447460685429…, SiLU(1) = σ(1) = 0.7310585786300049…
    expect(new GELU().forward(1).item()).toBeCloseTo(0.8413447460685429, 14);
    expect(new SiLU().forward(1).item()).toBeCloseTo(0.7310585786300049, 14);
    for (const layer of [new GELU(), new GELU({ approximate: 'tanh' }), new SiLU()]) {
      expect(gradcheck((t: Tensor) => weighted(layer.forward(t)), [x], { name: layer.describe() }).ok).toBe(true);
    }
  });

  it('stand in a Sequential and name themselves in errors', () => {
    expect(new Sequential(new GELU(), new SiLU()).forward(x).shape).toEqual([2, 3]);
    expect(new GELU({ approximate: 'tanh' }).describe()).toBe("GELU(approximate: 'tanh')");
    expectError(() => new GELU({ approximate: 'erf' as any }), ArgumentError, 'GELU', 'approximate', "'none', 'tanh'", '"erf"');
    expectError(() => new GELU(3 as any), ArgumentError, 'GELU', 'options', '3');
    expectError(() => new SiLU().forward('x' as any), ArgumentError, 'SiLU.forward', 'x');
  });
});
