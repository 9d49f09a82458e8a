/** MultiHeadAttention: shapes, a hand computation in plain loops, the causal and padding masks, PyTorch's initialisation, gradchecks as a whole, argument errors. */
import { ArgumentError, Linear, MultiHeadAttention, loadModelJson, modelToJson, Sequential, Tensor, backward, manualSeed, param, randn, rng, slice, sum, mul } from '../../index';
import { expectError } from '../errors/expect-error';
import { Slot, expectWholeGradcheck, fieldSlot } from './whole-check';

/** The slots of every parameter of a MultiHeadAttention. */
function slotsOf(mha: MultiHeadAttention): Slot[] {
  const slots = [fieldSlot('inProj.W', mha.inProj, 'W'), fieldSlot('outProj.W', mha.outProj, 'W')];
  if (mha.inProj.b) slots.push(fieldSlot('inProj.b', mha.inProj, 'b'), fieldSlot('outProj.b', mha.outProj, 'b'));
  return slots;
}

/** Random values for every parameter (the biases start at 0), so that the checks see them all at work. */
function randomize(mha: MultiHeadAttention, seed: number): void {
  const r = rng(seed);
  for (const p of mha.parameters()) p.data.set(randn(p.shape, r).data);
}

/**
 * The attention in plain loops from the weights' values: x [N][T][E] → { y [N][T][E], weights [N][H][T][T] }.
 * W_in is [E, 3E] (Q, K, V column thirds), as the layer's inProj.W.
 */
function byHand(mha: MultiHeadAttention, x: Tensor, causal: boolean, padding?: number[][]) {
  const [N, T, E] = x.shape as [number, number, number];
  const H = mha.numHeads;
  const d = E / H;
  const Win = mha.inProj.W.data;
  const bin = mha.inProj.b?.data;
  const Wout = mha.outProj.W.data;
  const bout = mha.outProj.b?.data;
  const X = (n: number, t: number, e: number) => x.data[(n * T + t) * E + e]!;
  const y: number[][][] = [];
  const weights: number[][][][] = [];
  for (let n = 0; n < N; n++) {
    // proj[t][c] for c in 0 … 3E − 1.
    const proj: number[][] = [];
    for (let t = 0; t < T; t++) {
      const row: number[] = [];
      for (let c = 0; c < 3 * E; c++) {
        let s = bin ? bin[c]! : 0;
        for (let e = 0; e < E; e++) s += X(n, t, e) * Win[e * 3 * E + c]!;
        row.push(s);
      }
      proj.push(row);
    }
    const mixed: number[][] = Array.from({ length: T }, () => new Array<number>(E).fill(0));
    weights.push([]);
    for (let h = 0; h < H; h++) {
      const A: number[][] = [];
      for (let i = 0; i < T; i++) {
        const scores: number[] = [];
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += proj[i]![h * d + k]! * proj[j]![E + h * d + k]!;
          const masked = (causal && j > i) || (padding !== undefined && padding[n]![j] === 1);
          scores.push(masked ? -Infinity : s / Math.sqrt(d));
        }
        const m = Math.max(...scores);
        const ex = scores.map((s) => Math.exp(s - m));
        const z = ex.reduce((a, b) => a + b, 0);
        A.push(ex.map((e) => e / z));
        for (let k = 0; k < d; k++) {
          let s = 0;
          for (let j = 0; j < T; j++) s += A[i]![j]! * proj[j]![2 * E + h * d + k]!;
          mixed[i]![h * d + k] = s;
        }
      }
      weights[n]!.push(A);
    }
    y.push(
      mixed.map((row) =>
        Array.from({ length: E }, (_, o) => {
          let s = bout ? bout[o]! : 0;
          for (let e = 0; e < E; e++) s += row[e]! * Wout[e * E + o]!;
          return s;
        }),
      ),
    );
  }
  return { y, weights };
}

function expectClose(actual: Tensor, expected: unknown, digits = 12): void {
  const flat = (expected as number[]).flat(3) as number[];
  expect(actual.size).toBe(flat.length);
  flat.forEach((v, i) => expect(actual.data[i]).toBeCloseTo(v, digits));
}

describe('MultiHeadAttention', () => {
  it('maps [N, T, E] to [N, T, E], exposes the last pass\'s weights [N, H, T, T], and stands in a Sequential', () => {
    const mha = new MultiHeadAttention(6, 3, { rng: 1 });
    const x = randn([2, 5, 6], rng(2));
    expect(mha.forward(x).shape).toEqual([2, 5, 6]);
    expect(mha.headDim).toBe(2);
    const w = mha.lastAttention!;
    expect(w.shape).toEqual([2, 3, 5, 5]);
    expect(w.requiresGrad).toBe(false);
    for (let r = 0; r < 2 * 3 * 5; r++) expect(w.data.subarray(r * 5, r * 5 + 5).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(new Sequential(mha, new Linear(6, 2, { rng: 3 })).forward(x).shape).toEqual([2, 5, 2]);
    expect(mha.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['inProj.W', [6, 18]], ['inProj.b', [18]], ['outProj.W', [6, 6]], ['outProj.b', [6]],
    ]);
    expect(mha.describe()).toBe('MultiHeadAttention(6, 3 heads)');
    expect(new MultiHeadAttention(4, 1, { causal: true, bias: false }).describe()).toBe('MultiHeadAttention(4, 1 heads, causal, no bias)');
    expect(new MultiHeadAttention(4, 2, { bias: false }).parameters()).toHaveLength(2);
  });

  for (const [heads, causal] of [[1, false], [1, true], [2, false], [2, true]] as const) {
    it(`equals the attention computed by hand in plain loops (${heads} head${heads > 1 ? 's' : ''}${causal ? ', causal' : ''})`, () => {
      const mha = new MultiHeadAttention(4, heads, { rng: 4, causal });
      randomize(mha, 5);
      const x = randn([2, 3, 4], rng(6));
      const { y, weights } = byHand(mha, x, causal);
      expectClose(mha.forward(x), y);
      expectClose(mha.lastAttention!, weights);
    });
  }

  it('without bias equals the hand computation with no biases', () => {
    const mha = new MultiHeadAttention(2, 1, { rng: 7, bias: false });
    randomize(mha, 8);
    const x = randn([1, 3, 2], rng(9));
    expectClose(mha.forward(x), byHand(mha, x, false).y);
  });

  it('causal: the output at step t does not change when later inputs change, and its gradient w.r.t. them is exactly 0', () => {
    const mha = new MultiHeadAttention(4, 2, { rng: 10, causal: true });
    randomize(mha, 11);
    const [N, T, E] = [2, 5, 4];
    const x = randn([N, T, E], rng(12));
    const y = mha.forward(x);
    for (let t = 0; t < T; t++) {
      // Change every input after t.
      const changed = new Tensor(x.data.map((v, i) => (Math.floor(i / E) % T > t ? v + 3 * Math.cos(i) : v)), x.shape);
      const y2 = mha.forward(changed);
      expect(Array.from(slice(y2, [0, 0, 0], [N, t + 1, E]).data)).toEqual(Array.from(slice(y, [0, 0, 0], [N, t + 1, E]).data));
      if (t < T - 1) expect(Array.from(slice(y2, [0, t + 1, 0], [N, T - t - 1, E]).data)).not.toEqual(Array.from(slice(y, [0, t + 1, 0], [N, T - t - 1, E]).data));
      const xp = param(x);
      const g = backward(sum(mul(slice(mha.forward(xp), [0, t, 0], [N, 1, E]), randn([N, 1, E], rng(t))))).get(xp);
      for (let i = 0; i < g.size; i++) {
        const step = Math.floor(i / E) % T;
        if (step > t) expect(g.data[i]).toBe(0);
        else if (step === t) expect(g.data[i]).not.toBe(0);
      }
    }
    // Without the mask, the first step does depend on the last.
    const open = new MultiHeadAttention(4, 2, { rng: 10 });
    const xp = param(x);
    const g = backward(sum(slice(open.forward(xp), [0, 0, 0], [N, 1, E]))).get(xp);
    expect(Array.from(slice(g, [0, T - 1, 0], [N, 1, E]).data).some((v) => v !== 0)).toBe(true);
  });

  it('keyPaddingMask: padded keys get weight 0, so a padded sequence gives its unpadded outputs', () => {
    const mha = new MultiHeadAttention(4, 2, { rng: 13 });
    randomize(mha, 14);
    const x = randn([2, 4, 4], rng(15));
    const padding = [[0, 0, 0, 1], [0, 1, 0, 0]];
    const y = mha.forward(x, { keyPaddingMask: padding });
    const { y: expected, weights } = byHand(mha, x, false, padding);
    expectClose(y, expected);
    expectClose(mha.lastAttention!, weights);
    // Sequence 0 with its padded last step dropped: the same outputs at the first three steps.
    const short = mha.forward(slice(x, [0, 0, 0], [1, 3, 4]));
    expectClose(short, [Array.from(slice(y, [0, 0, 0], [1, 3, 4]).data)], 13);
    // Booleans and a tensor mask say the same, and combine with causal.
    expect(mha.forward(x, { keyPaddingMask: padding.map((r) => r.map((v) => v === 1)) }).toArray()).toEqual(y.toArray());
    const causal = new MultiHeadAttention(4, 2, { rng: 13, causal: true });
    randomize(causal, 14);
    expectClose(causal.forward(x, { keyPaddingMask: padding }), byHand(causal, x, true, padding).y);
  });

  it('is initialised as PyTorch: xavier_uniform in-projection, zero biases, Linear-default out-projection, from the global generator unless given rng', () => {
    const E = 64;
    const mha = new MultiHeadAttention(E, 4, { rng: 16 });
    const a = Math.sqrt(6 / (E + 3 * E));
    const inW = Array.from(mha.inProj.W.data);
    expect(Math.max(...inW.map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.max(...inW.map(Math.abs))).toBeGreaterThan(0.98 * a);
    const outW = Array.from(mha.outProj.W.data);
    expect(Math.max(...outW.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(E));
    expect(Math.max(...outW.map(Math.abs))).toBeGreaterThan(0.95 / Math.sqrt(E));
    expect(mha.inProj.b!.data.every((v) => v === 0)).toBe(true);
    expect(mha.outProj.b!.data.every((v) => v === 0)).toBe(true);
    manualSeed(3);
    const [p, q] = [new MultiHeadAttention(4, 2), new MultiHeadAttention(4, 2)];
    expect(Array.from(p.inProj.W.data)).not.toEqual(Array.from(q.inProj.W.data));
    manualSeed(3);
    expect(Array.from(new MultiHeadAttention(4, 2).inProj.W.data)).toEqual(Array.from(p.inProj.W.data));
    expect(Array.from(new MultiHeadAttention(4, 2, { rng: 9 }).outProj.W.data)).toEqual(Array.from(new MultiHeadAttention(4, 2, { rng: 9 }).outProj.W.data));
  });

  it('saves and loads exactly through modelToJson / loadModelJson', () => {
    const a = new MultiHeadAttention(4, 2, { rng: 23 });
    randomize(a, 24);
    const b = new MultiHeadAttention(4, 2, { rng: 25 });
    const x = randn([2, 3, 4], rng(26));
    loadModelJson(b, modelToJson(a));
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
  });

  for (const causal of [false, true]) {
    it(`passes gradcheck as a whole: input and every parameter${causal ? ' (causal)' : ''}`, () => {
      const mha = new MultiHeadAttention(4, 2, { rng: 17, causal });
      randomize(mha, 18);
      const x = randn([2, 3, 4], rng(19));
      expectWholeGradcheck(`MultiHeadAttention${causal ? ' causal' : ''}`, [x], slotsOf(mha), (t) => mha.forward(t));
    });
  }

  it('passes gradcheck with a key padding mask', () => {
    const mha = new MultiHeadAttention(2, 1, { rng: 20 });
    randomize(mha, 21);
    expectWholeGradcheck('MultiHeadAttention keyPaddingMask', [randn([2, 3, 2], rng(22))], slotsOf(mha), (t) => mha.forward(t, { keyPaddingMask: [[0, 0, 1], [1, 0, 0]] }));
  });

  it('refuses bad sizes, options and inputs, naming them', () => {
    const who = 'MultiHeadAttention';
    expectError(() => new MultiHeadAttention(0, 1), ArgumentError, who, 'embedDim', '0');
    expectError(() => new MultiHeadAttention(4, 1.5), ArgumentError, who, 'numHeads', '1.5');
    expectError(() => new MultiHeadAttention(6, 4), ArgumentError, who, 'embedDim (6)', 'divisible by numHeads (4)');
    expectError(() => new MultiHeadAttention(4, 2, { causal: 'yes' as any }), ArgumentError, who, 'causal', '"yes"');
    expectError(() => new MultiHeadAttention(4, 2, { bias: 0 as any }), ArgumentError, who, 'bias', '0');
    expectError(() => new MultiHeadAttention(4, 2, { rng: 'x' as any }), ArgumentError, who, 'rng', '"x"');
    expectError(() => new MultiHeadAttention(4, 2, 3 as any), ArgumentError, who, 'options', '3');
    const mha = new MultiHeadAttention(4, 2, { rng: 0 });
    const f = 'MultiHeadAttention.forward';
    expectError(() => mha.forward(randn([3, 4], rng(0))), ArgumentError, f, 'x', '[N, T, 4]', '[3, 4]');
    expectError(() => mha.forward(randn([1, 3, 5], rng(0))), ArgumentError, f, '[N, T, 4]', '[1, 3, 5]');
    expectError(() => mha.forward('x' as any), ArgumentError, f, 'x');
    expectError(() => mha.forward(randn([2, 3, 4], rng(0)), { keyPaddingMask: [[0, 0, 1]] }), ArgumentError, f, 'keyPaddingMask', '[2, 3]', '[1, 3]');
    expectError(() => mha.forward(randn([1, 2, 4], rng(0)), { keyPaddingMask: [[0, 2]] }), ArgumentError, f, 'keyPaddingMask', '0/1', 'got 2', 'flat position 1');
    expectError(() => mha.forward(randn([1, 2, 4], rng(0)), 5 as any), ArgumentError, f, 'options', '5');
  });
});
