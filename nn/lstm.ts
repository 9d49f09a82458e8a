/**
 * LSTM: a multi-layer long short-term memory over batch-first sequences, as torch.nn.LSTM with
 * batch_first=True (no dropout, not bidirectional, no projection). For each layer and step t,
 * with x_t the layer's input (the sequence for layer 0, the layer below's h for the others):
 *
 *   [i f g o] = x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh      the gates in PyTorch's order
 *   i, f, o = σ(·),  g = tanh(·)
 *   c_t = f ⊙ c_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
 *
 * Weights are PyTorch's shapes and names (weight_ih_l0 [4H, I], weight_hh_l0 [4H, H], bias_ih_l0
 * and bias_hh_l0 [4H], then _l1 …), so a PyTorch state dict maps onto them as it is; all drawn
 * from U(−1/√H, 1/√H) as PyTorch. Built from ops only (the input projection of a whole sequence is
 * one product per layer, then one product per step): the gradients come from the graph.
 *
 * forward(x, state?) is the output sequence [N, T, H] (so that an LSTM stands in a Sequential as
 * every Module, whose forward returns a tensor); forwardWithState(x, state?) returns
 * { output, h, c } with the final states h, c [numLayers, N, H] (PyTorch's output, (h_n, c_n)).
 */
import { ArgumentError, Rng, Tensor, TensorLike, describe, fmtShape, zeros } from '../lib';
import { add, matmul, mul, reshape, sigmoid, split, stack, tanh, transpose } from '../ops';
import { asTensor, boolIn, checkLayerSize, isRecord, numberIn, optionsIn, rngIn, sizeIn } from './args';
import { initialize } from './init';
import { Module } from './module';

export interface LSTMOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** The biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
}

/** The states of every layer: h and c, each [numLayers, N, H]. */
export interface LSTMState {
  h: TensorLike;
  c: TensorLike;
}

export interface LSTMResult {
  /** The last layer's h at every step, [N, T, H]. */
  output: Tensor;
  /** Each layer's final h, [numLayers, N, H]. */
  h: Tensor;
  /** Each layer's final c, [numLayers, N, H]. */
  c: Tensor;
}

export class LSTM extends Module {
  readonly numLayers: number;
  /** Per layer: W_ih [4H, in] (in = inputSize for layer 0, hiddenSize above). */
  readonly weightIh: readonly Tensor[];
  /** Per layer: W_hh [4H, H]. */
  readonly weightHh: readonly Tensor[];
  /** Per layer: b_ih [4H], or empty without bias. */
  readonly biasIh: readonly Tensor[];
  /** Per layer: b_hh [4H], or empty without bias. */
  readonly biasHh: readonly Tensor[];

  constructor(readonly inputSize: number, readonly hiddenSize: number, options: LSTMOptions = {}) {
    super();
    const who = 'LSTM';
    sizeIn(who, 'inputSize', inputSize);
    sizeIn(who, 'hiddenSize', hiddenSize);
    const o = optionsIn(who, options);
    this.numLayers = numberIn(who, 'numLayers', o.numLayers, { min: 1, max: 1e4, integer: true }, 1);
    const bias = boolIn(who, 'bias', o.bias, true);
    const random = rngIn(who, 'rng', o.rng);
    checkLayerSize(who, 4 * hiddenSize, Math.max(inputSize, hiddenSize));
    const H = hiddenSize;
    const uniform = (shape: number[]) => initialize({ kind: 'fanInUniform' }, shape, random, H);
    const wIh: Tensor[] = [];
    const wHh: Tensor[] = [];
    const bIh: Tensor[] = [];
    const bHh: Tensor[] = [];
    // PyTorch's order of parameters (and of draws): per layer w_ih, w_hh, b_ih, b_hh.
    for (let l = 0; l < this.numLayers; l++) {
      wIh.push(this.addParameter(`weight_ih_l${l}`, uniform([4 * H, l === 0 ? inputSize : H])));
      wHh.push(this.addParameter(`weight_hh_l${l}`, uniform([4 * H, H])));
      if (bias) {
        bIh.push(this.addParameter(`bias_ih_l${l}`, uniform([4 * H])));
        bHh.push(this.addParameter(`bias_hh_l${l}`, uniform([4 * H])));
      }
    }
    this.weightIh = wIh;
    this.weightHh = wHh;
    this.biasIh = bIh;
    this.biasHh = bHh;
  }

  /** x [N, T, inputSize] → the output sequence [N, T, hiddenSize]; state as forwardWithState's. */
  forward(input: TensorLike, state?: LSTMState): Tensor {
    return this.run('LSTM.forward', input, state).output;
  }

  /**
   * x [N, T, inputSize], optionally the initial { h, c } (each [numLayers, N, hiddenSize];
   * default zeros) → { output [N, T, hiddenSize], h, c [numLayers, N, hiddenSize] }.
   */
  forwardWithState(input: TensorLike, state?: LSTMState): LSTMResult {
    return this.run('LSTM.forwardWithState', input, state);
  }

  private run(who: string, input: TensorLike, state: LSTMState | undefined): LSTMResult {
    const x = asTensor(who, input, 'x');
    const I = this.inputSize;
    const H = this.hiddenSize;
    const L = this.numLayers;
    if (x.rank !== 3 || x.shape[2] !== I || x.shape[1] === 0) {
      throw new ArgumentError(`${who}: expected x of shape [N, T, ${I}] (batch, sequence of at least one step, inputSize ${I}), got ${fmtShape(x.shape)}`);
    }
    const [N, T] = x.shape as [number, number, number];
    let h0: Tensor[];
    let c0: Tensor[];
    if (state === undefined) {
      h0 = c0 = Array.from({ length: L }, () => zeros([N, H]));
    } else {
      if (!isRecord(state)) throw new ArgumentError(`${who}: state must be { h, c } (each [${L}, ${N}, ${H}]), got ${describe(state)}`);
      const part = (name: 'h' | 'c'): Tensor[] => {
        const t = asTensor(who, state[name], `state.${name}`);
        if (t.rank !== 3 || t.shape[0] !== L || t.shape[1] !== N || t.shape[2] !== H) {
          throw new ArgumentError(`${who}: state.${name} must have shape [numLayers, N, hiddenSize] = [${L}, ${N}, ${H}], got ${fmtShape(t.shape)}`);
        }
        return split(t, 1, 0).map((p) => reshape(p, [N, H]));
      };
      h0 = part('h');
      c0 = part('c');
    }
    let seq = x;
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    for (let l = 0; l < L; l++) {
      const inF = seq.shape[2]!;
      // The input's share of every step's gates at once: [N·T, in] · W_ihᵀ (+ both biases).
      let gx = matmul(reshape(seq, [N * T, inF]), transpose(this.weightIh[l]!));
      if (this.biasIh.length > 0) gx = add(gx, add(this.biasIh[l]!, this.biasHh[l]!));
      const steps = split(reshape(gx, [N, T, 4 * H]), 1, 1).map((p) => reshape(p, [N, 4 * H]));
      const wHhT = transpose(this.weightHh[l]!);
      let h = h0[l]!;
      let c = c0[l]!;
      const outs: Tensor[] = [];
      for (let t = 0; t < T; t++) {
        const gates = add(steps[t]!, matmul(h, wHhT));
        const [gi, gf, gg, go] = split(gates, H, 1) as [Tensor, Tensor, Tensor, Tensor];
        c = add(mul(sigmoid(gf), c), mul(sigmoid(gi), tanh(gg)));
        h = mul(sigmoid(go), tanh(c));
        outs.push(h);
      }
      hs.push(h);
      cs.push(c);
      seq = stack(outs, 1);
    }
    return { output: seq, h: stack(hs, 0), c: stack(cs, 0) };
  }

  describe(): string {
    return `LSTM(${this.inputSize} → ${this.hiddenSize}${this.numLayers > 1 ? `, ${this.numLayers} layers` : ''}${this.biasIh.length > 0 ? '' : ', no bias'})`;
  }
}
