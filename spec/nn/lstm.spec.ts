/** LSTM: shapes, the gate equations by hand in plain loops, state passing, PyTorch's parameters and initialisation, gradchecks as a whole, argument errors. */
import { ArgumentError, LSTM, concat, loadModelJson, modelToJson, reshape, Linear, Sequential, Tensor, manualSeed, randn, rng, slice, zeros } from '../../index';
import { expectError } from '../errors/expect-error';
import { Slot, expectWholeGradcheck, itemSlot } from './whole-check';

function slotsOf(lstm: LSTM): Slot[] {
  const slots: Slot[] = [];
  for (let l = 0; l < lstm.numLayers; l++) {
    slots.push(itemSlot(`weight_ih_l${l}`, lstm.weightIh, l), itemSlot(`weight_hh_l${l}`, lstm.weightHh, l));
    if (lstm.biasIh.length > 0) slots.push(itemSlot(`bias_ih_l${l}`, lstm.biasIh, l), itemSlot(`bias_hh_l${l}`, lstm.biasHh, l));
  }
  return slots;
}

const σ = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * One step of layer l by hand, PyTorch's equations with W_ih [4H, I], W_hh [4H, H] and the gates
 * i, f, g, o in that order: x [N][I], h, c [N][H] → the next h, c.
 */
function stepByHand(lstm: LSTM, l: number, x: number[][], h: number[][], c: number[][]) {
  const H = lstm.hiddenSize;
  const I = x[0]!.length;
  const Wih = lstm.weightIh[l]!.data;
  const Whh = lstm.weightHh[l]!.data;
  const bih = lstm.biasIh[l]?.data;
  const bhh = lstm.biasHh[l]?.data;
  const h2: number[][] = [];
  const c2: number[][] = [];
  x.forEach((xn, n) => {
    const gate = (r: number) => {
      let s = (bih ? bih[r]! : 0) + (bhh ? bhh[r]! : 0);
      for (let k = 0; k < I; k++) s += Wih[r * I + k]! * xn[k]!;
      for (let k = 0; k < H; k++) s += Whh[r * H + k]! * h[n]![k]!;
      return s;
    };
    const hn: number[] = [];
    const cn: number[] = [];
    for (let j = 0; j < H; j++) {
      const i = σ(gate(j));
      const f = σ(gate(H + j));
      const g = Math.tanh(gate(2 * H + j));
      const o = σ(gate(3 * H + j));
      cn.push(f * c[n]![j]! + i * g);
      hn.push(o * Math.tanh(cn[j]!));
    }
    h2.push(hn);
    c2.push(cn);
  });
  return { h: h2, c: c2 };
}

function expectClose(actual: Tensor, expected: unknown, digits = 13): void {
  const flat = (expected as number[]).flat(3) as number[];
  expect(actual.size).toBe(flat.length);
  flat.forEach((v, i) => expect(actual.data[i]).toBeCloseTo(v, digits));
}

/** t as nested arrays of rank 2. */
const rows = (t: Tensor) => t.toArray() as number[][];

describe('LSTM', () => {
  it('maps [N, T, I] to { output [N, T, H], h, c [numLayers, N, H] }; forward is the output, so it stands in a Sequential', () => {
    const lstm = new LSTM(3, 5, { numLayers: 2, rng: 1 });
    const x = randn([4, 6, 3], rng(2));
    const { output, h, c } = lstm.forwardWithState(x);
    expect(output.shape).toEqual([4, 6, 5]);
    expect(h.shape).toEqual([2, 4, 5]);
    expect(c.shape).toEqual([2, 4, 5]);
    expect(lstm.forward(x).toArray()).toEqual(output.toArray());
    // The last step of the output is the last layer's final h.
    expect(slice(output, [0, 5, 0], [4, 1, 5]).data).toEqual(slice(h, [1, 0, 0], [1, 4, 5]).data);
    expect(new Sequential(lstm, new Linear(5, 2, { rng: 3 })).forward(x).shape).toEqual([4, 6, 2]);
    expect(lstm.describe()).toBe('LSTM(3 → 5, 2 layers)');
    expect(new LSTM(2, 3, { bias: false }).describe()).toBe('LSTM(2 → 3, no bias)');
  });

  it('one step equals the gate equations computed by hand, from a given state', () => {
    const lstm = new LSTM(3, 2, { rng: 4 });
    const x = randn([2, 1, 3], rng(5));
    const h0 = randn([1, 2, 2], rng(6));
    const c0 = randn([1, 2, 2], rng(7));
    const r = lstm.forwardWithState(x, { h: h0, c: c0 });
    const expected = stepByHand(lstm, 0, rows(slice(x, [0, 0, 0], [2, 1, 3]).reshape([2, 3])), rows(h0.reshape([2, 2])), rows(c0.reshape([2, 2])));
    expectClose(r.h, expected.h);
    expectClose(r.c, expected.c);
    expectClose(r.output, expected.h);
  });

  it('several steps and layers equal the hand equations step by step (zero initial state by default), without bias too', () => {
    for (const bias of [true, false]) {
      const lstm = new LSTM(2, 3, { numLayers: 2, bias, rng: 8 });
      const [N, T] = [2, 4];
      const x = randn([N, T, 2], rng(9));
      const r = lstm.forwardWithState(x);
      let h = [rows(zeros([N, 3])), rows(zeros([N, 3]))];
      let c = [rows(zeros([N, 3])), rows(zeros([N, 3]))];
      const out: number[][][] = [];
      for (let t = 0; t < T; t++) {
        let input = rows(slice(x, [0, t, 0], [N, 1, 2]).reshape([N, 2]));
        const nh: number[][][] = [];
        const nc: number[][][] = [];
        for (let l = 0; l < 2; l++) {
          const s = stepByHand(lstm, l, input, h[l]!, c[l]!);
          nh.push(s.h);
          nc.push(s.c);
          input = s.h;
        }
        h = nh;
        c = nc;
        out.push(input);
      }
      // out is [T][N][H]; the output is [N][T][H].
      expectClose(r.output, Array.from({ length: N }, (_, n) => out.map((step) => step[n]!)));
      expectClose(r.h, h);
      expectClose(r.c, c);
    }
  });

  it('passing the state on continues the sequence: two halves give the whole', () => {
    const lstm = new LSTM(3, 4, { numLayers: 2, rng: 10 });
    const x = randn([2, 6, 3], rng(11));
    const whole = lstm.forwardWithState(x);
    const first = lstm.forwardWithState(slice(x, [0, 0, 0], [2, 3, 3]));
    const second = lstm.forwardWithState(slice(x, [0, 3, 0], [2, 3, 3]), { h: first.h, c: first.c });
    expectClose(second.output, Array.from(slice(whole.output, [0, 3, 0], [2, 3, 4]).data), 14);
    expectClose(second.h, Array.from(whole.h.data), 14);
    expectClose(second.c, Array.from(whole.c.data), 14);
  });

  it("has PyTorch's parameters, names and shapes, drawn from U(−1/√H, 1/√H), from the global generator unless given rng", () => {
    const lstm = new LSTM(3, 4, { numLayers: 2, rng: 12 });
    expect(lstm.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ['weight_ih_l0', [16, 3]], ['weight_hh_l0', [16, 4]], ['bias_ih_l0', [16]], ['bias_hh_l0', [16]],
      ['weight_ih_l1', [16, 4]], ['weight_hh_l1', [16, 4]], ['bias_ih_l1', [16]], ['bias_hh_l1', [16]],
    ]);
    expect(lstm.parameterCount()).toBe(4 * 4 * (3 + 4 + 2) + 4 * 4 * (4 + 4 + 2));
    expect(new LSTM(3, 4, { bias: false }).namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    const big = new LSTM(8, 100, { rng: 13 });
    for (const p of big.parameters()) {
      const m = Math.max(...Array.from(p.data, Math.abs));
      expect(m).toBeLessThanOrEqual(0.1);
      expect(m).toBeGreaterThan(0.09);
    }
    manualSeed(5);
    const [a, b] = [new LSTM(2, 2), new LSTM(2, 2)];
    expect(Array.from(a.weightIh[0]!.data)).not.toEqual(Array.from(b.weightIh[0]!.data));
    manualSeed(5);
    expect(Array.from(new LSTM(2, 2).weightIh[0]!.data)).toEqual(Array.from(a.weightIh[0]!.data));
  });

  it('saves and loads exactly through modelToJson / loadModelJson', () => {
    const a = new LSTM(2, 3, { numLayers: 2, rng: 18 });
    const b = new LSTM(2, 3, { numLayers: 2, rng: 19 });
    const x = randn([2, 3, 2], rng(20));
    expect(b.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    loadModelJson(b, modelToJson(a));
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
  });

  for (const [layers, bias] of [[1, true], [2, true], [1, false]] as const) {
    it(`passes gradcheck as a whole: input, initial state and every parameter (${layers} layer${layers > 1 ? 's' : ''}${bias ? '' : ', no bias'})`, () => {
      const lstm = new LSTM(3, 2, { numLayers: layers, bias, rng: 14 });
      const x = randn([2, 3, 3], rng(15));
      const h0 = randn([layers, 2, 2], rng(16));
      const c0 = randn([layers, 2, 2], rng(17));
      // All three results, so that the final h and c are checked too.
      expectWholeGradcheck(`LSTM ${layers}`, [x, h0, c0], slotsOf(lstm), (t, h, c) => {
        const r = lstm.forwardWithState(t, { h: h!, c: c! });
        return concat([reshape(r.output, [-1]), reshape(r.h, [-1]), reshape(r.c, [-1])]);
      });
    });
  }

  it('refuses bad sizes, options, inputs and states, naming them', () => {
    expectError(() => new LSTM(0, 2), ArgumentError, 'LSTM', 'inputSize', '0');
    expectError(() => new LSTM(2, 1.5), ArgumentError, 'LSTM', 'hiddenSize', '1.5');
    expectError(() => new LSTM(2, 2, { numLayers: 0 }), ArgumentError, 'LSTM', 'numLayers', '0');
    expectError(() => new LSTM(2, 2, { bias: 'no' as any }), ArgumentError, 'LSTM', 'bias', '"no"');
    expectError(() => new LSTM(2, 2, { rng: 'x' as any }), ArgumentError, 'LSTM', 'rng', '"x"');
    expectError(() => new LSTM(2, 2, [] as any), ArgumentError, 'LSTM', 'options');
    const lstm = new LSTM(3, 2, { numLayers: 2, rng: 0 });
    expectError(() => lstm.forward(randn([2, 3], rng(0))), ArgumentError, 'LSTM.forward', 'x', '[N, T, 3]', '[2, 3]');
    expectError(() => lstm.forward(randn([2, 4, 2], rng(0))), ArgumentError, 'LSTM.forward', '[N, T, 3]', '[2, 4, 2]');
    expectError(() => lstm.forward(zeros([2, 0, 3])), ArgumentError, 'LSTM.forward', 'at least one step', '[2, 0, 3]');
    expectError(() => lstm.forwardWithState(randn([2, 4], rng(0))), ArgumentError, 'LSTM.forwardWithState', '[2, 4]');
    const x = randn([5, 4, 3], rng(0));
    expectError(() => lstm.forwardWithState(x, 3 as any), ArgumentError, 'LSTM.forwardWithState', 'state', '{ h, c }', '3');
    expectError(() => lstm.forwardWithState(x, { h: zeros([1, 5, 2]), c: zeros([2, 5, 2]) }), ArgumentError, 'state.h', '[2, 5, 2]', '[1, 5, 2]');
    expectError(() => lstm.forwardWithState(x, { h: zeros([2, 5, 2]), c: zeros([2, 4, 2]) }), ArgumentError, 'state.c', '[2, 5, 2]', '[2, 4, 2]');
    expectError(() => lstm.forward(x, { h: zeros([2, 5, 2]) } as any), ArgumentError, 'LSTM.forward', 'state.c');
  });
});
