/**
 * Nets with a fixed architecture that more than one place trains: defined once here, used by the
 * runnable examples (examples/mnist-cnn.ts) and the command line (deltagraph train mnist-cnn).
 */
import { ArgumentError, Tensor, TensorLike, describe, fmtShape, globalRng, manualSeed } from '../lib';
import { add, crossEntropy, matmul, mT, reshape, take } from '../ops';
import { asTensor, sizeIn } from './args';
import { MultiHeadAttention } from './attention';
import { Embedding } from './embedding';
import { LayerNorm } from './layer-norm';
import { Module } from './module';
import { GELU } from './smooth-activations';
import { Conv2d } from './conv';
import { Linear } from './linear';
import { ReLU } from './activations';
import { Flatten, MaxPool2d, Unflatten } from './pool';
import { Sequential } from './sequential';

/**
 * The MNIST CNN: Unflatten(1, [1, 28, 28]) · Conv2d(1→16, 5×5, padding 2) · ReLU · MaxPool2d(2) ·
 * Conv2d(16→32, 5×5, padding 2) · ReLU · MaxPool2d(2) · Flatten · Linear(1568→10), on rows of 784
 * pixels. Its weights are drawn from the global generator after manualSeed(seed).
 */
export function mnistCnn(seed: number): Sequential {
  manualSeed(seed);
  return new Sequential(
    new Unflatten(1, [1, 28, 28]),
    new Conv2d(1, 16, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(16, 32, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(32 * 7 * 7, 10),
  );
}

/** The size of a GPT: vocabulary, blocks, heads, embedding width and context length. */
export interface GPTConfig {
  /** Characters (or tokens) in the vocabulary. */
  vocabSize: number;
  /** Transformer blocks. */
  layers: number;
  /** Attention heads per block (a divisor of embedding). */
  heads: number;
  /** Width of the residual stream. */
  embedding: number;
  /** The longest sequence the position embedding covers. */
  context: number;
}

/** Overwrites t's values with N(0, std²) draws from the global generator (nanoGPT's init). */
function normalInit(t: Tensor, std: number): void {
  const random = globalRng();
  for (let i = 0; i < t.data.length; i++) t.data[i] = std * random.normal();
}

/** One pre-LayerNorm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)); no biases, no dropout. */
export class GPTBlock extends Module {
  readonly ln1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  /** The MLP: fc (E → 4E) · GELU · proj (4E → E). */
  readonly fc: Linear;
  readonly gelu: GELU;
  readonly proj: Linear;

  constructor(embedding: number, heads: number) {
    super();
    this.ln1 = this.addModule('ln1', new LayerNorm(embedding, { bias: false }));
    this.attn = this.addModule('attn', new MultiHeadAttention(embedding, heads, { causal: true, bias: false }));
    this.ln2 = this.addModule('ln2', new LayerNorm(embedding, { bias: false }));
    this.fc = this.addModule('fc', new Linear(embedding, 4 * embedding, { bias: false }));
    this.gelu = this.addModule('gelu', new GELU());
    this.proj = this.addModule('proj', new Linear(4 * embedding, embedding, { bias: false }));
  }

  /** x [N, T, E] → [N, T, E]. */
  forward(input: TensorLike): Tensor {
    const x = add(input, this.attn.forward(this.ln1.forward(input)));
    return add(x, this.proj.forward(this.gelu.forward(this.fc.forward(this.ln2.forward(x)))));
  }

  describe(): string {
    return `GPTBlock(${this.attn.embedDim}, ${this.attn.numHeads} heads)`;
  }
}

/**
 * A GPT (nanoGPT's model without biases or dropout): token embedding E [V, C] plus a learned
 * position embedding [context, C], `layers` pre-LayerNorm blocks (causal self-attention and a
 * GELU MLP of width 4C), a final LayerNorm, and a head tied to the token embedding: logits = h Eᵀ
 * (the head has no weight of its own). forward(ids [N, T]) gives logits [N, T, V], T ≤ context.
 */
export class GPT extends Module {
  readonly tokens: Embedding;
  readonly positions: Embedding;
  readonly blocks: readonly GPTBlock[];
  readonly lnF: LayerNorm;

  constructor(readonly config: GPTConfig) {
    super();
    const { vocabSize, layers, heads, embedding, context } = config;
    sizeIn('GPT', 'layers', layers);
    this.tokens = this.addModule('tokens', new Embedding(vocabSize, embedding));
    this.positions = this.addModule('positions', new Embedding(context, embedding));
    this.blocks = Array.from({ length: layers }, (_, i) => this.addModule(`blocks.${i}`, new GPTBlock(embedding, heads)));
    this.lnF = this.addModule('lnF', new LayerNorm(embedding, { bias: false }));
  }

  forward(ids: TensorLike): Tensor {
    return this.logitsWith(ids, this.tokens.weight);
  }

  /**
   * The logits with `tokenWeight` [V, C] standing for the token embedding (in the lookup and the
   * tied head), so a check can differentiate with respect to it; forward passes the model's own.
   */
  logitsWith(input: TensorLike, tokenWeight: Tensor): Tensor {
    const ids = asTensor('GPT.forward', input, 'ids');
    const { vocabSize: V, embedding: C, context } = this.config;
    if (ids.rank !== 2 || ids.shape[1]! > context) {
      throw new ArgumentError(`GPT.forward: expected ids of shape [N, T] with T ≤ ${context} (the context), got ${fmtShape(ids.shape)}`);
    }
    if (tokenWeight.rank !== 2 || tokenWeight.shape[0] !== V || tokenWeight.shape[1] !== C) {
      throw new ArgumentError(`GPT.logitsWith: expected a token embedding of shape [${V}, ${C}], got ${fmtShape(tokenWeight.shape)}`);
    }
    for (const v of ids.data) {
      if (!Number.isInteger(v) || v < 0 || v >= V) throw new ArgumentError(`GPT.forward: ids must be integers in [0, ${V - 1}], got ${describe(v)}`);
    }
    const [N, T] = ids.shape as [number, number];
    const positions = this.positions.forward(Int32Array.from({ length: T }, (_, t) => t)); // [T, C]
    let x = add(take(tokenWeight, ids, 0), positions); // [N, T, C]
    for (const block of this.blocks) x = block.forward(x);
    const h = reshape(this.lnF.forward(x), [N * T, C]);
    return reshape(matmul(h, mT(tokenWeight)), [N, T, V]);
  }

  /** Mean cross-entropy over every position of ids [N, T] against targets [N, T] (the next ids). */
  loss(ids: TensorLike, targets: TensorLike): Tensor {
    return this.lossWith(ids, targets, this.tokens.weight);
  }

  /** loss with `tokenWeight` standing for the token embedding (see logitsWith). */
  lossWith(ids: TensorLike, targets: TensorLike, tokenWeight: Tensor): Tensor {
    const logits = this.logitsWith(ids, tokenWeight);
    const [N, T, V] = logits.shape as [number, number, number];
    const y = asTensor('GPT.loss', targets, 'targets');
    if (y.rank !== 2 || y.shape[0] !== N || y.shape[1] !== T) {
      throw new ArgumentError(`GPT.loss: expected targets of shape [${N}, ${T}] (as the ids), got ${fmtShape(y.shape)}`);
    }
    return crossEntropy(reshape(logits, [N * T, V]), reshape(y, [N * T]));
  }

  describe(): string {
    const { vocabSize, layers, heads, embedding, context } = this.config;
    return `GPT(vocab ${vocabSize}, ${layers} layers, ${heads} heads, embedding ${embedding}, context ${context}, tied head)`;
  }
}

/**
 * A GPT of the given size with nanoGPT's initialisation, drawn from the global generator after
 * manualSeed(seed): every embedding and linear weight N(0, 0.02²), except the two projections back
 * into the residual stream of each block (attention's output and the MLP's second linear),
 * N(0, (0.02 / √(2 · layers))²); LayerNorm weights 1. No biases anywhere.
 */
export function gpt(config: GPTConfig, seed: number): GPT {
  manualSeed(seed);
  const model = new GPT(config);
  const residualStd = 0.02 / Math.sqrt(2 * config.layers);
  normalInit(model.tokens.weight, 0.02);
  normalInit(model.positions.weight, 0.02);
  for (const block of model.blocks) {
    normalInit(block.attn.inProj.W, 0.02);
    normalInit(block.attn.outProj.W, residualStd);
    normalInit(block.fc.W, 0.02);
    normalInit(block.proj.W, residualStd);
  }
  return model;
}
