/**
 * module.stateDict() and module.loadStateDict(dict, { strict }): PyTorch's keys, shapes, order and
 * layouts for every layer (the expected keys written from PyTorch's documented names:
 * torch.nn.Linear's weight [out, in], MultiheadAttention's in_proj_weight, LSTM's weight_ih_l0, …),
 * the layouts checked by computing each layer's forward pass the way PyTorch defines it from the
 * dict's tensors, round trips into modules with other weights, the strict and non-strict results
 * and errors, and BatchNorm's num_batches_tracked.
 */
import {
  ArgumentError, BatchNorm, BatchNorm2d, Conv1d, Conv2d, ConvTranspose2d, Dropout, Embedding, Flatten, GELU, GPT, GPTBlock, LSTM, LayerNorm, Linear,
  MLP, MaxPool2d, Module, MultiHeadAttention, ReLU, Sequential, Tensor, loadModelJson, loadStateDict, modelToJson, noGrad, parseModel, rand, rng,
  stateDict, tensor,
} from '../../index';
import { expectError, thrown } from '../errors/expect-error';

/** [key, shape] of every entry, in order. */
const keysOf = (m: Module) => Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]);

/** Overwrites every parameter and buffer with values drawn from `seed` (positive, so that variances stay valid). */
function scramble<M extends Module>(m: M, seed: number): M {
  const r = rng(seed);
  for (const [, t] of [...m.namedParameters(), ...m.namedBuffers()]) for (let i = 0; i < t.size; i++) t.data[i] = 0.5 + r.uniform();
  return m;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe("keys and shapes are PyTorch's", () => {
  it.each<[string, () => Module, Array<[string, number[]]>]>([
    ['Linear(3, 2)', () => new Linear(3, 2), [['weight', [2, 3]], ['bias', [2]]]],
    ['Linear(3, 2, bias=False)', () => new Linear(3, 2, { bias: false }), [['weight', [2, 3]]]],
    ['Conv1d(4, 6, 3, groups=2)', () => new Conv1d(4, 6, 3, { groups: 2 }), [['weight', [6, 2, 3]], ['bias', [6]]]],
    ['Conv2d(4, 6, (3, 2), groups=2)', () => new Conv2d(4, 6, [3, 2], { groups: 2 }), [['weight', [6, 2, 3, 2]], ['bias', [6]]]],
    ['Conv2d(1, 2, 3, bias=False)', () => new Conv2d(1, 2, 3, { bias: false }), [['weight', [2, 1, 3, 3]]]],
    ['ConvTranspose2d(4, 6, (3, 2), groups=2)', () => new ConvTranspose2d(4, 6, [3, 2], { groups: 2 }), [['weight', [4, 3, 3, 2]], ['bias', [6]]]],
    ['BatchNorm1d(3)', () => new BatchNorm(3), [['weight', [3]], ['bias', [3]], ['running_mean', [3]], ['running_var', [3]], ['num_batches_tracked', []]]],
    ['BatchNorm1d(3, affine=False)', () => new BatchNorm(3, { affine: false }), [['running_mean', [3]], ['running_var', [3]], ['num_batches_tracked', []]]],
    ['BatchNorm2d(2)', () => new BatchNorm2d(2), [['weight', [2]], ['bias', [2]], ['running_mean', [2]], ['running_var', [2]], ['num_batches_tracked', []]]],
    ['LayerNorm((2, 3))', () => new LayerNorm([2, 3]), [['weight', [2, 3]], ['bias', [2, 3]]]],
    ['LayerNorm(4, bias=False)', () => new LayerNorm(4, { bias: false }), [['weight', [4]]]],
    ['LayerNorm(4, elementwise_affine=False)', () => new LayerNorm(4, { elementwiseAffine: false }), []],
    ['Embedding(5, 3)', () => new Embedding(5, 3), [['weight', [5, 3]]]],
    ['MultiheadAttention(4, 2)', () => new MultiHeadAttention(4, 2), [['in_proj_weight', [12, 4]], ['in_proj_bias', [12]], ['out_proj.weight', [4, 4]], ['out_proj.bias', [4]]]],
    ['MultiheadAttention(4, 2, bias=False)', () => new MultiHeadAttention(4, 2, { bias: false }), [['in_proj_weight', [12, 4]], ['out_proj.weight', [4, 4]]]],
    ['LSTM(3, 4, num_layers=2)', () => new LSTM(3, 4, { numLayers: 2 }), [
      ['weight_ih_l0', [16, 3]], ['weight_hh_l0', [16, 4]], ['bias_ih_l0', [16]], ['bias_hh_l0', [16]],
      ['weight_ih_l1', [16, 4]], ['weight_hh_l1', [16, 4]], ['bias_ih_l1', [16]], ['bias_hh_l1', [16]],
    ]],
    ['LSTM(3, 4, bias=False)', () => new LSTM(3, 4, { bias: false }), [['weight_ih_l0', [16, 3]], ['weight_hh_l0', [16, 4]]]],
    ['Sequential(Linear, ReLU, BatchNorm1d, Linear)', () => new Sequential(new Linear(3, 4), new ReLU(), new BatchNorm(4), new Linear(4, 2)), [
      ['0.weight', [4, 3]], ['0.bias', [4]],
      ['2.weight', [4]], ['2.bias', [4]], ['2.running_mean', [4]], ['2.running_var', [4]], ['2.num_batches_tracked', []],
      ['3.weight', [2, 4]], ['3.bias', [2]],
    ]],
    ['Sequential(Sequential(Linear), Dropout, MultiheadAttention)', () => new Sequential(new Sequential(new Linear(4, 4)), new Dropout(0.1), new MultiHeadAttention(4, 1)), [
      ['0.0.weight', [4, 4]], ['0.0.bias', [4]], ['2.in_proj_weight', [12, 4]], ['2.in_proj_bias', [12]], ['2.out_proj.weight', [4, 4]], ['2.out_proj.bias', [4]],
    ]],
    ['ReLU, GELU, MaxPool2d, Flatten, Dropout', () => new Sequential(new ReLU(), new GELU(), new MaxPool2d(2), new Flatten(), new Dropout(0.5)), []],
  ])('%s', (_, make, expected) => {
    expect(keysOf(make())).toEqual(expected);
  });

  it('GPTBlock and GPT by their child names', () => {
    const block: Array<[string, number[]]> = [
      ['ln1.weight', [4]], ['attn.in_proj_weight', [12, 4]], ['attn.out_proj.weight', [4, 4]], ['ln2.weight', [4]], ['fc.weight', [16, 4]], ['proj.weight', [4, 16]],
    ];
    expect(keysOf(new GPTBlock(4, 2))).toEqual(block);
    expect(keysOf(new GPT({ vocabSize: 5, layers: 2, heads: 2, embedding: 4, context: 3 }))).toEqual([
      ['tokens.weight', [5, 4]], ['positions.weight', [3, 4]],
      ...block.map(([k, s]) => [`blocks.0.${k}`, s]), ...block.map(([k, s]) => [`blocks.1.${k}`, s]),
      ['lnF.weight', [4]],
    ]);
  });
});

/** Layers with an input to run them on. */
const LAYERS: Array<[string, () => Module, () => Tensor]> = [
  ['Linear', () => new Linear(3, 2), () => rand([4, 3], rng(1), -1, 1)],
  ['Linear without bias', () => new Linear(3, 2, { bias: false }), () => rand([4, 3], rng(1), -1, 1)],
  ['Conv1d', () => new Conv1d(4, 6, 3, { groups: 2, padding: 1, stride: 2 }), () => rand([2, 4, 7], rng(2), -1, 1)],
  ['Conv2d', () => new Conv2d(4, 6, [3, 2], { groups: 2, padding: [1, 0], dilation: [1, 2] }), () => rand([2, 4, 5, 6], rng(3), -1, 1)],
  ['ConvTranspose2d', () => new ConvTranspose2d(4, 6, [3, 2], { groups: 2, stride: 2, padding: 1, outputPadding: [1, 0] }), () => rand([2, 4, 3, 4], rng(4), -1, 1)],
  ['BatchNorm', () => new BatchNorm(3), () => rand([5, 3], rng(5), -1, 1)],
  ['BatchNorm2d', () => new BatchNorm2d(2), () => rand([2, 2, 3, 3], rng(6), -1, 1)],
  ['LayerNorm', () => new LayerNorm([2, 3]), () => rand([4, 2, 3], rng(7), -1, 1)],
  ['Embedding', () => new Embedding(5, 3), () => tensor([[0, 4, 2], [1, 1, 3]])],
  ['MultiHeadAttention', () => new MultiHeadAttention(4, 2), () => rand([2, 3, 4], rng(8), -1, 1)],
  ['MultiHeadAttention without bias', () => new MultiHeadAttention(4, 2, { bias: false, causal: true }), () => rand([2, 3, 4], rng(8), -1, 1)],
  ['LSTM', () => new LSTM(3, 4, { numLayers: 2 }), () => rand([2, 3, 3], rng(9), -1, 1)],
  ['Sequential', () => new Sequential(new Linear(3, 4), new ReLU(), new BatchNorm(4), new Linear(4, 2)), () => rand([5, 3], rng(10), -1, 1)],
  ['MLP', () => new MLP({ layers: [3, 4, 2], batchNorm: true }), () => rand([5, 3], rng(11), -1, 1)],
  ['GPTBlock', () => new GPTBlock(4, 2), () => rand([2, 3, 4], rng(12), -1, 1)],
  ['GPT', () => new GPT({ vocabSize: 5, layers: 1, heads: 2, embedding: 4, context: 3 }), () => tensor([[0, 4, 2], [1, 1, 3]])],
];

describe('round trips', () => {
  it.each(LAYERS)('%s: stateDict → a module with other weights → loadStateDict gives the same tensors and forward pass', (_, make, input) => {
    const a = scramble(make(), 1);
    const b = scramble(make(), 2);
    const x = input();
    a.eval();
    b.eval();
    expect(Array.from(b.forward(x).data)).not.toEqual(Array.from(a.forward(x).data));
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    // Every parameter and buffer came across: nothing of the module is left out of its state dict.
    const all = (m: Module) => [...m.namedParameters(), ...m.namedBuffers()].map(([k, t]) => [k, Array.from(t.data)]);
    expect(all(b)).toEqual(all(a));
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data));
    a.train();
    b.train();
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data));
  });

  it('gives detached copies: changing them changes nothing, and they want no gradient', () => {
    const layer = new Linear(3, 2, { rng: 1 });
    const before = Array.from(layer.W.data);
    const dict = layer.stateDict();
    expect(dict.weight!.requiresGrad).toBe(false);
    expect(dict.weight!.producer).toBeNull();
    expect(dict.weight!.data).not.toBe(layer.W.data);
    dict.weight!.data.fill(7);
    dict.bias!.data.fill(7);
    expect(Array.from(layer.W.data)).toEqual(before);
    expect(layer.b!.data.every((v) => v !== 7)).toBe(true);
  });

  it('loads a dict that shares arrays with the module itself (a square weight and its own transpose)', () => {
    const layer = scramble(new Linear(3, 3), 3);
    const W = Array.from(layer.W.data);
    // 'weight' given as W itself (deltagraph's layout) sets W to its transpose.
    layer.loadStateDict({ weight: layer.W, bias: layer.b! });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(layer.W.data[i * 3 + j]).toBe(W[j * 3 + i]);
  });

  it('takes nested arrays of numbers as values', () => {
    const layer = new Linear(2, 1);
    layer.loadStateDict({ weight: [[3, 4]], bias: [5] });
    expect(Array.from(layer.W.data)).toEqual([3, 4]);
    expect(layer.forward([[1, 1]]).item()).toBe(12);
  });
});

describe("the layouts compute PyTorch's forward passes from the dict", () => {
  const close = (actual: Tensor, expected: number[]) => {
    expect(actual.size).toBe(expected.length);
    actual.data.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-12));
  };
  const at = (d: Record<string, Tensor>, key: string) => d[key]!.data;

  it('Linear: y = x weightᵀ + bias', () => {
    const layer = new Linear(3, 2, { rng: 1 });
    const d = layer.stateDict();
    const x = rand([4, 3], rng(2), -1, 1);
    const want: number[] = [];
    for (let n = 0; n < 4; n++) for (let o = 0; o < 2; o++) {
      let s = at(d, 'bias')[o]!;
      for (let i = 0; i < 3; i++) s += x.data[n * 3 + i]! * at(d, 'weight')[o * 3 + i]!;
      want.push(s);
    }
    close(layer.forward(x), want);
  });

  it('Conv2d: cross-correlation with weight [out, in/groups, kH, kW] (groups, stride, padding, dilation)', () => {
    const [C, O, G, kH, kW, sH, sW, pH, pW, dH, dW] = [4, 6, 2, 3, 2, 2, 1, 1, 0, 1, 2];
    const layer = new Conv2d(C, O, [kH, kW], { groups: G, stride: [sH, sW], padding: [pH, pW], dilation: [dH, dW], rng: 1 });
    const w = at(layer.stateDict(), 'weight');
    const b = at(layer.stateDict(), 'bias');
    const [N, H, W] = [2, 5, 6];
    const x = rand([N, C, H, W], rng(2), -1, 1);
    const Ho = Math.floor((H + 2 * pH - dH * (kH - 1) - 1) / sH) + 1;
    const Wo = Math.floor((W + 2 * pW - dW * (kW - 1) - 1) / sW) + 1;
    const [Cg, Og] = [C / G, O / G];
    const want: number[] = [];
    for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) {
      let s = b[o]!;
      const g = Math.floor(o / Og);
      for (let c = 0; c < Cg; c++) for (let ki = 0; ki < kH; ki++) for (let kj = 0; kj < kW; kj++) {
        const [r, q] = [i * sH - pH + ki * dH, j * sW - pW + kj * dW];
        if (r < 0 || r >= H || q < 0 || q >= W) continue;
        s += x.data[((n * C + g * Cg + c) * H + r) * W + q]! * w[((o * Cg + c) * kH + ki) * kW + kj]!;
      }
      want.push(s);
    }
    close(layer.forward(x), want);
  });

  it('Conv1d: cross-correlation with weight [out, in/groups, k]', () => {
    const [C, O, G, k, s, p] = [4, 6, 2, 3, 2, 1];
    const layer = new Conv1d(C, O, k, { groups: G, stride: s, padding: p, rng: 1 });
    const w = at(layer.stateDict(), 'weight');
    const b = at(layer.stateDict(), 'bias');
    const [N, L] = [2, 7];
    const x = rand([N, C, L], rng(2), -1, 1);
    const Lo = Math.floor((L + 2 * p - (k - 1) - 1) / s) + 1;
    const want: number[] = [];
    for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < Lo; i++) {
      let v = b[o]!;
      const g = Math.floor(o / (O / G));
      for (let c = 0; c < C / G; c++) for (let t = 0; t < k; t++) {
        const r = i * s - p + t;
        if (r >= 0 && r < L) v += x.data[(n * C + g * (C / G) + c) * L + r]! * w[(o * (C / G) + c) * k + t]!;
      }
      want.push(v);
    }
    close(layer.forward(x), want);
  });

  it('ConvTranspose2d: each input value scattered through weight [in, out/groups, kH, kW]', () => {
    const [C, O, G, kH, kW, s, p, opH, opW] = [4, 6, 2, 3, 2, 2, 1, 1, 0];
    const layer = new ConvTranspose2d(C, O, [kH, kW], { groups: G, stride: s, padding: p, outputPadding: [opH, opW], rng: 1 });
    const w = at(layer.stateDict(), 'weight');
    const b = at(layer.stateDict(), 'bias');
    const [N, H, W] = [2, 3, 4];
    const x = rand([N, C, H, W], rng(2), -1, 1);
    const Ho = (H - 1) * s - 2 * p + (kH - 1) + opH + 1;
    const Wo = (W - 1) * s - 2 * p + (kW - 1) + opW + 1;
    const [Cg, Og] = [C / G, O / G];
    const want = new Array<number>(N * O * Ho * Wo).fill(0);
    for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let i = 0; i < Ho * Wo; i++) want[(n * O + o) * Ho * Wo + i] = b[o]!;
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) {
      const g = Math.floor(c / Cg);
      for (let o = 0; o < Og; o++) for (let ki = 0; ki < kH; ki++) for (let kj = 0; kj < kW; kj++) {
        const [r, q] = [i * s - p + ki, j * s - p + kj];
        if (r < 0 || r >= Ho || q < 0 || q >= Wo) continue;
        want[((n * O + g * Og + o) * Ho + r) * Wo + q]! += x.data[((n * C + c) * H + i) * W + j]! * w[((c * Og + o) * kH + ki) * kW + kj]!;
      }
    }
    close(layer.forward(x), want);
  });

  it('BatchNorm in eval mode: (x − running_mean) / √(running_var + ε) · weight + bias', () => {
    const bn = scramble(new BatchNorm(3), 4).eval();
    const d = bn.stateDict();
    const x = rand([2, 3], rng(5), -1, 1);
    const want = Array.from(x.data, (v, i) => ((v - at(d, 'running_mean')[i % 3]!) / Math.sqrt(at(d, 'running_var')[i % 3]! + 1e-5)) * at(d, 'weight')[i % 3]! + at(d, 'bias')[i % 3]!);
    close(bn.forward(x), want);
  });

  it('MultiheadAttention: q, k, v the row thirds of in_proj_weight, heads the column blocks, then out_proj', () => {
    const [E, H, N, T] = [4, 2, 2, 3];
    const d_ = E / H;
    const mha = new MultiHeadAttention(E, H, { rng: 1 });
    scramble(mha, 2);
    const sd = mha.stateDict();
    const x = rand([N, T, E], rng(3), -1, 1);
    const Win = at(sd, 'in_proj_weight');
    const bin = at(sd, 'in_proj_bias');
    const proj = (n: number, t: number, part: number) => Array.from({ length: E }, (_, r) => {
      let s = bin[part * E + r]!;
      for (let i = 0; i < E; i++) s += Win[(part * E + r) * E + i]! * x.data[(n * T + t) * E + i]!;
      return s;
    });
    const want: number[] = [];
    for (let n = 0; n < N; n++) {
      const [q, k, v] = [0, 1, 2].map((part) => Array.from({ length: T }, (_, t) => proj(n, t, part))) as [number[][], number[][], number[][]];
      for (let t = 0; t < T; t++) {
        const mixed = new Array<number>(E).fill(0);
        for (let h = 0; h < H; h++) {
          const scores = Array.from({ length: T }, (_, j) => {
            let s = 0;
            for (let i = 0; i < d_; i++) s += q[t]![h * d_ + i]! * k[j]![h * d_ + i]!;
            return s / Math.sqrt(d_);
          });
          const m = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - m));
          const z = e.reduce((a, b) => a + b, 0);
          for (let j = 0; j < T; j++) for (let i = 0; i < d_; i++) mixed[h * d_ + i]! += (e[j]! / z) * v[j]![h * d_ + i]!;
        }
        for (let o = 0; o < E; o++) {
          let s = at(sd, 'out_proj.bias')[o]!;
          for (let i = 0; i < E; i++) s += at(sd, 'out_proj.weight')[o * E + i]! * mixed[i]!;
          want.push(s);
        }
      }
    }
    close(mha.forward(x), want);
  });

  it('LSTM: gates i, f, g, o the row quarters of weight_ih_l0 and weight_hh_l0, as torch.nn.LSTM', () => {
    const [I, H, N, T] = [3, 2, 2, 3];
    const lstm = new LSTM(I, H, { rng: 1 });
    const sd = lstm.stateDict();
    const x = rand([N, T, I], rng(2), -1, 1);
    const want: number[] = [];
    for (let n = 0; n < N; n++) {
      let h = new Array<number>(H).fill(0);
      let c = new Array<number>(H).fill(0);
      for (let t = 0; t < T; t++) {
        const gate = (r: number) => {
          let s = at(sd, 'bias_ih_l0')[r]! + at(sd, 'bias_hh_l0')[r]!;
          for (let i = 0; i < I; i++) s += at(sd, 'weight_ih_l0')[r * I + i]! * x.data[(n * T + t) * I + i]!;
          for (let i = 0; i < H; i++) s += at(sd, 'weight_hh_l0')[r * H + i]! * h[i]!;
          return s;
        };
        const ig = h.map((_, u) => sigmoid(gate(u)));
        const fg = h.map((_, u) => sigmoid(gate(H + u)));
        const gg = h.map((_, u) => Math.tanh(gate(2 * H + u)));
        const og = h.map((_, u) => sigmoid(gate(3 * H + u)));
        c = c.map((cu, u) => fg[u]! * cu + ig[u]! * gg[u]!);
        h = c.map((cu, u) => og[u]! * Math.tanh(cu));
        want.push(...h);
      }
    }
    close(lstm.forward(x), want);
  });
});

describe('strict and non-strict loading', () => {
  const make = () => new Sequential(new Linear(3, 4, { rng: 1 }), new ReLU(), new BatchNorm(4), new Linear(4, 2, { rng: 2 }));

  it('strict: one ArgumentError names every missing, unexpected and mis-shaped key, and nothing is copied', () => {
    const model = make();
    const before = model.namedParameters().map(([k, t]) => [k, Array.from(t.data)]);
    const dict: Record<string, Tensor> = { ...scramble(make(), 5).stateDict(), foo: tensor([1]), 'bar.weight': tensor([[1]]) };
    delete dict['0.bias'];
    delete dict['2.running_var'];
    dict['3.weight'] = (model.layers[3] as Linear).W; // deltagraph's layout [4, 2], not PyTorch's [2, 4]
    dict['2.weight'] = tensor([1, 2, 3]);
    const e = thrown(() => model.loadStateDict(dict)) as Error;
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/^Sequential\.loadStateDict: /);
    for (const part of ["missing keys '0.bias' [4], '2.running_var' [4]", "unexpected keys 'foo', 'bar.weight'", "'3.weight' has shape [4, 2] in the dict but [2, 4] in the module", "'2.weight' has shape [3] in the dict but [4]"]) {
      expect(e.message).toContain(part);
    }
    expect(model.namedParameters().map(([k, t]) => [k, Array.from(t.data)])).toEqual(before);
  });

  it('non-strict: loads what matches and returns the missing and unexpected keys, as PyTorch', () => {
    const model = make();
    const source = scramble(make(), 6);
    const dict: Record<string, Tensor> = { ...source.stateDict(), extra: tensor(1) };
    delete dict['3.bias'];
    const bias = Array.from((model.layers[3] as Linear).b!.data);
    expect(model.loadStateDict(dict, { strict: false })).toEqual({ missingKeys: ['3.bias'], unexpectedKeys: ['extra'] });
    expect(Array.from((model.layers[0] as Linear).W.data)).toEqual(Array.from((source.layers[0] as Linear).W.data));
    expect(Array.from((model.layers[3] as Linear).b!.data)).toEqual(bias);
    // Every key but num_batches_tracked, which a dict may lack (PyTorch fills it in).
    expect(make().loadStateDict({}, { strict: false }).missingKeys).toEqual(Object.keys(model.stateDict()).filter((k) => k !== '2.num_batches_tracked'));
  });

  it('non-strict: a mis-shaped or non-tensor value is still an error, and nothing is copied', () => {
    const model = make();
    const before = Array.from((model.layers[0] as Linear).W.data);
    const dict: Record<string, unknown> = { ...scramble(make(), 7).stateDict(), '3.bias': tensor([1, 2, 3]), '0.bias': 'four values' };
    const e = thrown(() => model.loadStateDict(dict as Record<string, Tensor>, { strict: false })) as Error;
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toContain("'3.bias' has shape [3] in the dict but [2] in the module");
    expect(e.message).toContain("'0.bias' is \"four values\", not a tensor");
    expect(Array.from((model.layers[0] as Linear).W.data)).toEqual(before);
  });

  it('a key such as "__proto__" is an unexpected key like any other', () => {
    const dict = JSON.parse('{"__proto__": 1}') as Record<string, Tensor>;
    expect(new Linear(1, 1).loadStateDict(dict, { strict: false })).toEqual({ missingKeys: ['weight', 'bias'], unexpectedKeys: ['__proto__'] });
  });

  it.each<[string, () => unknown, string[]]>([
    ['a dict that is not a plain object', () => new Linear(2, 1).loadStateDict(new Map() as never), ['Linear.loadStateDict', 'dict must be a plain object', 'an object']],
    ['a tensor for the dict', () => new Linear(2, 1).loadStateDict(tensor([1]) as never), ['Linear.loadStateDict', 'dict', 'a tensor']],
    ['options that are not an object', () => new Linear(2, 1).loadStateDict({}, 3 as never), ['Linear.loadStateDict', 'options object', '3']],
    ['strict that is not a boolean', () => new Linear(2, 1).loadStateDict({}, { strict: 'yes' } as never), ['Linear.loadStateDict', 'strict must be true or false', '"yes"']],
  ])('%s is an ArgumentError naming the method and the argument', (_, call, parts) => {
    expectError(call, ArgumentError, ...parts);
  });
});

describe("BatchNorm's num_batches_tracked", () => {
  it('counts the training-mode forward passes (not eval-mode ones), as PyTorch', () => {
    const bn = new BatchNorm(2);
    const x = rand([4, 2], rng(1), -1, 1);
    expect(bn.stateDict().num_batches_tracked!.item()).toBe(0);
    bn.forward(x);
    bn.forward(x);
    noGrad(() => bn.forward(x));
    expect(bn.numBatchesTracked.item()).toBe(3);
    bn.eval().forward(x);
    expect(bn.stateDict().num_batches_tracked!.item()).toBe(3);
    const bn2 = new BatchNorm2d(2);
    bn2.forward(rand([2, 2, 3, 3], rng(2)));
    expect(bn2.stateDict().num_batches_tracked!.item()).toBe(1);
    const mlp = new MLP({ layers: [2, 3, 1], batchNorm: true });
    mlp.forward(x);
    const counts = Object.entries(mlp.stateDict()).filter(([k]) => k.endsWith('num_batches_tracked'));
    expect(counts.map(([, t]) => t.item())).toEqual([1]);
  });

  it('loads from a dict, and a dict without it loads too (the count stays), as PyTorch fills it in', () => {
    const bn = new BatchNorm(2);
    bn.loadStateDict({ ...bn.stateDict(), num_batches_tracked: tensor(41) });
    expect(bn.numBatchesTracked.item()).toBe(41);
    const dict = bn.stateDict();
    delete dict.num_batches_tracked;
    expect(bn.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(bn.numBatchesTracked.item()).toBe(41);
    expectError(() => bn.loadStateDict({ ...bn.stateDict(), num_batches_tracked: tensor([1]) }), ArgumentError, "'num_batches_tracked' has shape [1] in the dict but [] in the module");
  });

  it("is saved in deltagraph's JSON format, and JSON saved before it existed still loads", () => {
    const model = new Sequential(new Linear(2, 2), new BatchNorm(2));
    model.forward(rand([3, 2], rng(1)));
    const saved = stateDict(model);
    expect(Object.keys(saved.buffers)).toEqual(['1.runningMean', '1.runningVar', '1.numBatchesTracked']);
    const copy = new Sequential(new Linear(2, 2), new BatchNorm(2));
    loadModelJson(copy, modelToJson(model));
    expect((copy.layers[1] as BatchNorm).numBatchesTracked.item()).toBe(1);
    // A model saved before the count existed: no numBatchesTracked among its buffers.
    const old = parseModel(modelToJson(model));
    delete old.buffers['1.numBatchesTracked'];
    const fresh = new Sequential(new Linear(2, 2), new BatchNorm(2));
    loadStateDict(fresh, old);
    expect(Array.from((fresh.layers[1] as BatchNorm).runningMean.data)).toEqual(Array.from((model.layers[1] as BatchNorm).runningMean.data));
    expect((fresh.layers[1] as BatchNorm).numBatchesTracked.item()).toBe(0);
    // The other buffers are still required.
    delete old.buffers['1.runningVar'];
    expectError(() => loadStateDict(fresh, old), ArgumentError, 'loadStateDict', "no buffer '1.runningVar'");
  });
});

describe("modules of one's own", () => {
  /** y = x ⊙ scale: by default its tensor is saved under its own name. */
  class Scale extends Module {
    readonly scale: Tensor;
    constructor(n: number) {
      super();
      this.scale = this.addParameter('scale', rand([n], rng(n)));
    }
    forward(x: Tensor | number[][]): Tensor {
      return tensor(x as number[][]).mul(this.scale);
    }
    describe(): string {
      return 'Scale';
    }
  }

  /** A projection kept as [in, out] that PyTorch would hold as weight [out, in], told by the hook. */
  class Projection extends Module {
    readonly M: Tensor;
    readonly inner: Scale;
    constructor() {
      super();
      this.M = this.addParameter('M', rand([2, 3], rng(1)));
      this.inner = this.addModule('inner', new Scale(3));
    }
    forward(x: Tensor): Tensor {
      return this.inner.forward(x.matmul(this.M) as never);
    }
    describe(): string {
      return 'Projection';
    }
    protected override torchLayout() {
      return { tensors: [{ key: 'weight', tensor: this.M, transposed: true }], children: [['scaled', this.inner] as const] };
    }
  }

  it('are laid out by their own names, or by their own hook', () => {
    expect(keysOf(new Scale(3))).toEqual([['scale', [3]]]);
    const p = new Projection();
    expect(keysOf(p)).toEqual([['weight', [3, 2]], ['scaled.scale', [3]]]);
    const q = scramble(new Projection(), 9);
    q.loadStateDict(p.stateDict());
    expect(Array.from(q.M.data)).toEqual(Array.from(p.M.data));
    expect(Array.from(q.inner.scale.data)).toEqual(Array.from(p.inner.scale.data));
  });

  it('nested 5,000 deep: the walk is not bounded by the call stack', () => {
    let m: Module = new Linear(1, 1);
    for (let i = 0; i < 5000; i++) m = new Sequential(m);
    const dict = m.stateDict();
    const keys = Object.keys(dict);
    expect(keys.length).toBe(2);
    expect(keys[0]).toBe(`${'0.'.repeat(5000)}weight`);
    expect(m.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  });
});
