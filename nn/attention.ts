/**
 * MultiHeadAttention: self-attention over a batch of sequences, as torch.nn.MultiheadAttention
 * with batch_first=True, query = key = value = x and need_weights=False (no dropout):
 *
 *   [Q K V] = x W_in + b_in                  one Linear(E → 3E); Q, K, V are its column thirds
 *   Qₕ, Kₕ, Vₕ = head h's d = E / numHeads columns of each, as [N, heads, T, d]
 *   Aₕ = softmax(Qₕ Kₕᵀ / √d + mask)        over the keys (last axis)
 *   y = concat_h(Aₕ Vₕ) W_out + b_out        Linear(E → E)
 *
 * The mask sets a score to −∞ (so its weight is exactly 0 and so is its gradient) where the key
 * is in the future of the query (causal: key j > query i) or is padding (forward's
 * keyPaddingMask). Built from ops only: the gradients come from the graph.
 *
 * Initialised as PyTorch's: the in-projection weight xavier_uniform over its [E, 3E] matrix
 * (U(−a, a), a = √(6 / 4E)), its bias 0; the out-projection weight as Linear's default
 * (U(−1/√E, 1/√E)) and its bias 0 (PyTorch's _reset_parameters zeroes it).
 * Weights are [in, out] as this library's Linear (PyTorch's in_proj_weight is inProj.W's transpose).
 */
import { ArgumentError, Rng, Tensor, TensorLike, describe, detach, fmtShape } from '../lib';
import { div, matmul, mT, reshape, softmax, split, transpose, where } from '../ops';
import { asTensor, boolIn, checkLayerSize, optionsIn, rngIn, sizeIn } from './args';
import { Linear } from './linear';
import { Module } from './module';
import type { TorchLayout } from './state-dict';

export interface MultiHeadAttentionOptions {
  /** Biases in the in- and out-projections (default true). */
  bias?: boolean;
  /** Mask the future: the output at step t depends on steps ≤ t only (default false). */
  causal?: boolean;
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
}

export interface AttentionForwardOptions {
  /**
   * Shape [N, T]; 1 (or true) marks a key position to ignore (padding), 0 (or false) one to attend to,
   * as PyTorch's boolean key_padding_mask. A query whose every key is masked gets NaN, as PyTorch.
   */
  keyPaddingMask?: TensorLike | boolean[][];
}

const NEG_INF = new Tensor(Float64Array.of(-Infinity), []);

export class MultiHeadAttention extends Module {
  /** Q, K and V in one projection: W [E, 3E] (columns 0…E−1 give Q, then K, then V), b [3E]. */
  readonly inProj: Linear;
  /** The output projection: W [E, E], b [E]. */
  readonly outProj: Linear;
  readonly headDim: number;
  readonly causal: boolean;
  /**
   * The attention weights of the last forward pass, [N, numHeads, T, T] (query × key, each row
   * sums to 1), detached; null before the first pass. PyTorch's weights with
   * average_attn_weights=False.
   */
  lastAttention: Tensor | null = null;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiHeadAttentionOptions = {}) {
    super();
    const who = 'MultiHeadAttention';
    sizeIn(who, 'embedDim', embedDim);
    sizeIn(who, 'numHeads', numHeads);
    if (embedDim % numHeads !== 0) {
      throw new ArgumentError(`${who}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads}), to split it into heads of equal size`);
    }
    checkLayerSize(who, embedDim, 3 * embedDim);
    const o = optionsIn(who, options);
    const bias = boolIn(who, 'bias', o.bias, true);
    this.causal = boolIn(who, 'causal', o.causal, false);
    const random = rngIn(who, 'rng', o.rng);
    this.headDim = embedDim / numHeads;
    this.inProj = this.addModule('inProj', new Linear(embedDim, 3 * embedDim, { bias, init: 'xavier', biasInit: 'zeros', rng: random }));
    this.outProj = this.addModule('outProj', new Linear(embedDim, embedDim, { bias, init: 'fanInUniform', biasInit: 'zeros', rng: random }));
  }

  /** x [N, T, E] → [N, T, E]. */
  forward(input: TensorLike, options: AttentionForwardOptions = {}): Tensor {
    const who = 'MultiHeadAttention.forward';
    const x = asTensor(who, input, 'x');
    const E = this.embedDim;
    if (x.rank !== 3 || x.shape[2] !== E) {
      throw new ArgumentError(`${who}: expected x of shape [N, T, ${E}] (batch, sequence, embedDim ${E}), got ${fmtShape(x.shape)}`);
    }
    const [N, T] = x.shape as [number, number, number];
    const o = optionsIn(who, options);
    const padding = o.keyPaddingMask === undefined ? null : paddingMaskOf(who, o.keyPaddingMask, N, T);
    const H = this.numHeads;
    const d = this.headDim;
    // [N, T, 3E] → three [N, T, E] → [N, H, T, d] each.
    const heads = split(this.inProj.forward(x), E, -1).map((p) => transpose(reshape(p, [N, T, H, d]), [0, 2, 1, 3]));
    const [q, k, v] = heads as [Tensor, Tensor, Tensor];
    let scores = div(matmul(q, mT(k)), Math.sqrt(d)); // [N, H, T, T]
    const keep = this.keepMask(N, T, padding);
    if (keep !== null) scores = where(keep, scores, NEG_INF);
    const weights = softmax(scores, -1);
    this.lastAttention = detach(weights);
    const mixed = reshape(transpose(matmul(weights, v), [0, 2, 1, 3]), [N, T, E]);
    return this.outProj.forward(mixed);
  }

  /** 1 where query i may attend to key j, broadcastable to [N, H, T, T]; null when nothing is masked. */
  private keepMask(N: number, T: number, padding: Float64Array | null): Tensor | null {
    if (!this.causal && padding === null) return null;
    const batch = padding === null ? 1 : N;
    const keep = new Float64Array(batch * T * T);
    for (let n = 0; n < batch; n++) {
      for (let i = 0; i < T; i++) {
        for (let j = 0; j < T; j++) {
          const future = this.causal && j > i;
          const padded = padding !== null && padding[n * T + j] !== 0;
          keep[(n * T + i) * T + j] = future || padded ? 0 : 1;
        }
      }
    }
    return new Tensor(keep, [batch, 1, T, T]);
  }

  /**
   * As torch.nn.MultiheadAttention: the in-projection as its own in_proj_weight [3E, E] (inProj.W's
   * transpose, rows q, k, v) and in_proj_bias [3E], then the child out_proj (weight [E, E], bias).
   */
  protected override torchLayout(): TorchLayout {
    const weight = { key: 'in_proj_weight', tensor: this.inProj.W, transposed: true };
    const bias = this.inProj.b;
    return { tensors: bias ? [weight, { key: 'in_proj_bias', tensor: bias }] : [weight], children: [['out_proj', this.outProj]] };
  }

  describe(): string {
    return `MultiHeadAttention(${this.embedDim}, ${this.numHeads} heads${this.causal ? ', causal' : ''}${this.inProj.b ? '' : ', no bias'})`;
  }
}

/** A key padding mask [N, T] of 0/1 (or false/true), as a flat array. */
function paddingMaskOf(who: string, value: unknown, N: number, T: number): Float64Array {
  const asNumbers = (v: unknown): unknown => (Array.isArray(v) ? v.map(asNumbers) : typeof v === 'boolean' ? Number(v) : v);
  const mask = asTensor(who, asNumbers(value), 'keyPaddingMask');
  if (mask.rank !== 2 || mask.shape[0] !== N || mask.shape[1] !== T) {
    throw new ArgumentError(`${who}: keyPaddingMask must have shape [N, T] = [${N}, ${T}] (one flag per key of each sequence), got ${fmtShape(mask.shape)}`);
  }
  for (let i = 0; i < mask.size; i++) {
    const m = mask.data[i]!;
    if (m !== 0 && m !== 1) {
      throw new ArgumentError(`${who}: keyPaddingMask must hold 0/1 or false/true (1 = padding, ignored), got ${describe(m)} at flat position ${i}`);
    }
  }
  return mask.data;
}
