/**
 * The recurrent ONNX operators (opsets 13–17): RNN, GRU and LSTM, with their default activations
 * (Tanh; Sigmoid and Tanh), directions forward, reverse and bidirectional, layout 0 ([seq, batch,
 * …]) or 1 ([batch, seq, …]), and the optional initial states. Each is unrolled over the sequence
 * with deltagraph's ops (matmul, add, mul, sigmoid, tanh, split, stack), so its gradients with
 * respect to the input, the weights and the initial states are exact. Custom activations, clip,
 * peepholes, input_forget and sequence_lens shorter than the sequence are not supported.
 */
import { Tensor, fmtShape, zeros } from '../../../lib';
import { add, matmul, mT, mul, reshape, sigmoid, slice, split, stack, sub, tanh, transpose } from '../../../ops';
import { Inputs, OnnxNode, OpCompiler, floatInput, intAttr, intChoice, nodeError, refuseAttrs, stringChoice, stringsOf } from './node';
import { Value, valueOf } from './tensor-data';

type Cell = 'RNN' | 'GRU' | 'LSTM';

/** The gates per cell and their number: RNN one, GRU three (z, r, h), LSTM four (i, o, f, c). */
const GATES: Record<Cell, number> = { RNN: 1, GRU: 3, LSTM: 4 };

/** The default activations of each cell, per direction. */
const DEFAULT_ACTIVATIONS: Record<Cell, string[]> = { RNN: ['Tanh'], GRU: ['Sigmoid', 'Tanh'], LSTM: ['Sigmoid', 'Tanh', 'Tanh'] };

/** Slice d of a [D, …] tensor, without its first axis. */
function directionOf(t: Tensor, d: number): Tensor {
  return reshape(slice(t, [d, ...t.shape.slice(1).map(() => 0)], [1, ...t.shape.slice(1)]), t.shape.slice(1));
}

/** Step t of a [seq, batch, k] tensor: [batch, k]. */
function stepOf(t: Tensor, s: number): Tensor {
  return reshape(slice(t, [s, 0, 0], [1, t.shape[1]!, t.shape[2]!]), [t.shape[1]!, t.shape[2]!]);
}

function recurrent(cell: Cell): OpCompiler {
  return (n: OnnxNode) => {
    const hidden = intAttr(n, 'hidden_size', 0);
    if (hidden < 1) throw nodeError(n, `attribute hidden_size must be an integer ≥ 1, got ${hidden}`);
    const direction = stringChoice(n, 'direction', ['forward', 'reverse', 'bidirectional'], 'forward');
    const layout = intChoice(n, 'layout', [0, 1], 0);
    refuseAttrs(n, ['clip', 'activation_alpha', 'activation_beta']);
    if (cell === 'LSTM') intChoice(n, 'input_forget', [0], 0);
    const linearBeforeReset = cell === 'GRU' ? intChoice(n, 'linear_before_reset', [0, 1], 0) === 1 : false;
    const D = direction === 'bidirectional' ? 2 : 1;
    const activations = stringsOf(n, 'activations');
    if (activations !== undefined) {
      const defaults = Array.from({ length: D }, () => DEFAULT_ACTIVATIONS[cell]).flat();
      if (activations.length !== defaults.length || activations.some((a, k) => a.toLowerCase() !== defaults[k]!.toLowerCase())) {
        throw nodeError(n, `activations ${activations.join(', ')} are not supported (supported: the defaults, ${defaults.join(', ')})`);
      }
    }
    return (inputs: Inputs): Value[] => {
      let x = floatInput(n, inputs, 0, 'X');
      if (x.rank !== 3) throw nodeError(n, `X must have rank 3, got shape ${fmtShape(x.shape)}`);
      if (layout === 1) x = transpose(x, [1, 0, 2]);
      const [seq, batch, size] = x.shape as [number, number, number];
      const G = GATES[cell];
      const w = floatInput(n, inputs, 1, 'W');
      const r = floatInput(n, inputs, 2, 'R');
      const expect = (t: Tensor, shape: number[], what: string) => {
        if (t.rank !== shape.length || t.shape.some((d, k) => d !== shape[k])) throw nodeError(n, `${what} must have shape ${fmtShape(shape)}, got ${fmtShape(t.shape)}`);
      };
      expect(w, [D, G * hidden, size], 'W');
      expect(r, [D, G * hidden, hidden], 'R');
      const b = inputs[3]?.t;
      if (b !== undefined) expect(b, [D, 2 * G * hidden], 'B');
      const lens = inputs[4];
      if (lens !== undefined && lens.t.data.some((v) => v !== seq)) throw nodeError(n, 'sequence_lens shorter than the sequence are not supported');
      const h0 = inputs[5]?.t;
      if (h0 !== undefined) expect(layout === 1 ? transpose(h0, [1, 0, 2]) : h0, [D, batch, hidden], 'initial_h');
      const c0 = cell === 'LSTM' ? inputs[6]?.t : undefined;
      if (c0 !== undefined) expect(layout === 1 ? transpose(c0, [1, 0, 2]) : c0, [D, batch, hidden], 'initial_c');
      if (cell === 'LSTM' && inputs[7] !== undefined) throw nodeError(n, 'peepholes (input P) are not supported');
      const initial = (t: Tensor | undefined) => (t === undefined ? undefined : layout === 1 ? transpose(t, [1, 0, 2]) : t);
      const h0s = initial(h0);
      const c0s = initial(c0);

      const ys: Tensor[] = [];
      const hs: Tensor[] = [];
      const cs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const wd = directionOf(w, d);
        const rd = directionOf(r, d);
        const bd = b === undefined ? undefined : directionOf(b, d);
        const [wb, rb] = bd === undefined ? [undefined, undefined] : split(bd, [G * hidden, G * hidden]);
        // X Wᵀ (+ Wb) for every step at once: [seq, batch, G·H].
        let xw = matmul(x, mT(wd));
        if (wb !== undefined) xw = add(xw, wb);
        let h = h0s === undefined ? zeros([batch, hidden]) : directionOf(h0s, d);
        let c = c0s === undefined ? zeros([batch, hidden]) : directionOf(c0s, d);
        const outputs = new Array<Tensor>(seq);
        const reverse = direction === 'reverse' || d === 1;
        for (let k = 0; k < seq; k++) {
          const s = reverse ? seq - 1 - k : k;
          const xt = stepOf(xw, s);
          let hr = matmul(h, mT(rd));
          if (cell === 'RNN') {
            if (rb !== undefined) hr = add(hr, rb);
            h = tanh(add(xt, hr));
          } else if (cell === 'LSTM') {
            if (rb !== undefined) hr = add(hr, rb);
            const [gi, go, gf, gc] = split(add(xt, hr), hidden, 1) as [Tensor, Tensor, Tensor, Tensor];
            c = add(mul(sigmoid(gf), c), mul(sigmoid(gi), tanh(gc)));
            h = mul(sigmoid(go), tanh(c));
          } else {
            const [xz, xr, xh] = split(xt, hidden, 1) as [Tensor, Tensor, Tensor];
            const [rz, rr, rh] = split(rd, hidden, 0) as [Tensor, Tensor, Tensor];
            const [bz, br, bh] = rb === undefined ? [undefined, undefined, undefined] : (split(rb, hidden) as [Tensor, Tensor, Tensor]);
            const plus = (t: Tensor, bias: Tensor | undefined) => (bias === undefined ? t : add(t, bias));
            const z = sigmoid(add(xz, plus(matmul(h, mT(rz)), bz)));
            const rg = sigmoid(add(xr, plus(matmul(h, mT(rr)), br)));
            const candidate = linearBeforeReset
              ? tanh(add(xh, mul(rg, plus(matmul(h, mT(rh)), bh))))
              : tanh(add(xh, plus(matmul(mul(rg, h), mT(rh)), bh)));
            h = add(mul(sub(1, z), candidate), mul(z, h));
          }
          outputs[s] = h;
        }
        ys.push(stack(outputs, 0)); // [seq, batch, H]
        hs.push(h);
        cs.push(c);
      }
      let y = stack(ys, 1); // [seq, D, batch, H]
      let yh = stack(hs, 0); // [D, batch, H]
      let yc = stack(cs, 0);
      if (layout === 1) {
        y = transpose(y, [2, 0, 1, 3]);
        yh = transpose(yh, [1, 0, 2]);
        yc = transpose(yc, [1, 0, 2]);
      }
      const type = inputs[0]!.type;
      return cell === 'LSTM' ? [valueOf(y, type), valueOf(yh, type), valueOf(yc, type)] : [valueOf(y, type), valueOf(yh, type)];
    };
  };
}

/**
 * RNN: Hₜ = tanh(Xₜ Wᵀ + Hₜ₋₁ Rᵀ + Wb + Rb); outputs Y [seq, D, batch, H] (every step) and Y_h
 * [D, batch, H] (the last).
 */
const rnnOp: OpCompiler = recurrent('RNN');

/**
 * GRU (gates z, r, h): zₜ = σ(Xₜ W_zᵀ + Hₜ₋₁ R_zᵀ + Wb_z + Rb_z), rₜ likewise, h̃ₜ = tanh(Xₜ W_hᵀ +
 * (rₜ ⊙ Hₜ₋₁) R_hᵀ + Rb_h + Wb_h), or with linear_before_reset 1 (PyTorch's) tanh(Xₜ W_hᵀ + rₜ ⊙
 * (Hₜ₋₁ R_hᵀ + Rb_h) + Wb_h); Hₜ = (1 − zₜ) ⊙ h̃ₜ + zₜ ⊙ Hₜ₋₁. Outputs Y and Y_h.
 */
const gruOp: OpCompiler = recurrent('GRU');

/**
 * LSTM (gates i, o, f, c): gates = Xₜ Wᵀ + Hₜ₋₁ Rᵀ + Wb + Rb, Cₜ = σ(f) ⊙ Cₜ₋₁ + σ(i) ⊙ tanh(c),
 * Hₜ = σ(o) ⊙ tanh(Cₜ). Outputs Y, Y_h and Y_c.
 */
const lstmOp: OpCompiler = recurrent('LSTM');

/** The recurrent operators by name. */
export const RECURRENT_OPS: Record<string, OpCompiler> = { RNN: rnnOp, GRU: gruOp, LSTM: lstmOp };
