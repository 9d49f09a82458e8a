/**
 * Nets with a fixed architecture that more than one place trains: defined once here, used by the
 * runnable examples (examples/mnist-cnn.ts) and the command line (deltagraph train mnist-cnn).
 */
import { ArgumentError, MAX_ELEMENTS, Rng, Tensor, TensorLike, describe, fmtShape, globalRng, manualSeed, tidy, within } from '../lib';
import { checkpoint, nextNodeId, noGrad } from '../graph';
import { add, crossEntropy, matmul, mT, reshape, take } from '../ops';
import { indexArrayOf } from '../ops/indexing/indices';
import { asTensor, numberIn, optionsIn, rngIn, sizeIn } from './args';
import { MultiHeadAttention } from './attention';
import { Embedding } from './embedding';
import { LayerNorm } from './layer-norm';
import { Module } from './module';
import { GELU } from './smooth-activations';
import { Conv2d } from './conv';
import { Linear } from './linear';
import { ReLU } from './activations';
import { Flatten, MaxPool2d, Unflatten } from './pool';
import { NodeSpan, Sequential } from './sequential';

/**
 * The MNIST CNN: Unflatten(1, [1, 28, 28]) · Conv2d(1→16, 5×5, padding 2) · ReLU · MaxPool2d(2) ·
 * Conv2d(16→32, 5×5, padding 2) · ReLU · MaxPool2d(2) · Flatten · Linear(1568→10), on rows of 784
 * pixels. Its weights are drawn from the global generator after manualSeed(seed).
 */
export function mnistCnn(seed: number): Sequential {
  within('mnistCnn', null, () => manualSeed(seed));
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

export interface GenerateOptions {
  /** Divides the logits before the softmax: below 1 sharper, above 1 flatter (default 1). */
  temperature?: number;
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
}

/** A layer of a net and the engine ids [first, end) of the nodes it created on a forward pass. */
export interface LayerSpan {
  /** Its path in the net, e.g. "blocks.0.attn". */
  label: string;
  /** What it is, e.g. "MultiHeadAttention(128, 4 heads, causal)". */
  detail: string;
  span: NodeSpan;
}

/** Runs fn and records the span of the nodes it created under `label` (detail: a module's description or a text). */
function spanned<T>(spans: LayerSpan[], label: string, detail: Module | string, fn: () => T): T {
  const first = nextNodeId();
  const out = fn();
  spans.push({ label, detail: typeof detail === 'string' ? detail : detail.describe(), span: [first, nextNodeId()] });
  return out;
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
/** Checks a GPT's configuration: every size an integer ≥ 1 (heads is checked by the attention layer). */
function configIn(who: string, config: unknown): GPTConfig {
  const o = optionsIn(who, config, 'vocabSize, layers, heads, embedding and context');
  for (const k of ['vocabSize', 'layers', 'heads', 'embedding', 'context'] as const) sizeIn(who, `config.${k}`, o[k]);
  return o as unknown as GPTConfig;
}

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
  private lastSpans: LayerSpan[] = [];

  constructor(embedding: number, heads: number) {
    super();
    sizeIn('GPTBlock', 'embedding', embedding);
    sizeIn('GPTBlock', 'heads', heads);
    const [ln1, attn, ln2, fc, gelu, proj] = within('GPTBlock', null, () => [
      new LayerNorm(embedding, { bias: false }),
      new MultiHeadAttention(embedding, heads, { causal: true, bias: false }),
      new LayerNorm(embedding, { bias: false }),
      new Linear(embedding, 4 * embedding, { bias: false }),
      new GELU(),
      new Linear(4 * embedding, embedding, { bias: false }),
    ] as const);
    this.ln1 = this.addModule('ln1', ln1);
    this.attn = this.addModule('attn', attn);
    this.ln2 = this.addModule('ln2', ln2);
    this.fc = this.addModule('fc', fc);
    this.gelu = this.addModule('gelu', gelu);
    this.proj = this.addModule('proj', proj);
  }

  /** x [N, T, E] → [N, T, E]. */
  forward(input: TensorLike): Tensor {
    const x0 = asTensor('GPTBlock.forward', input, 'x');
    const spans: LayerSpan[] = [];
    const run = (name: 'ln1' | 'attn' | 'ln2' | 'fc' | 'gelu' | 'proj', t: Tensor | TensorLike) => spanned(spans, name, this[name], () => this[name].forward(t));
    const y = within('GPTBlock.forward', null, () => {
      const x = add(x0, run('attn', run('ln1', x0)));
      return add(x, run('proj', run('gelu', run('fc', run('ln2', x)))));
    });
    this.lastSpans = spans;
    return y;
  }

  /** The nodes each of the block's layers created on the last forward pass (the residual adds are outside them). */
  layerSpans(): readonly LayerSpan[] {
    return this.lastSpans;
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
  /**
   * Recompute each block's activations in the backward pass instead of keeping them (graph's
   * checkpoint): the same gradients, bit for bit, for the memory of the blocks' inputs alone; the
   * picture of such a pass shows one node per block. Default false.
   */
  checkpointBlocks = false;
  private lastSpans: LayerSpan[] = [];

  constructor(readonly config: GPTConfig) {
    super();
    const { vocabSize, layers, heads, embedding, context } = configIn('GPT', config);
    this.config = { vocabSize, layers, heads, embedding, context };
    this.tokens = this.addModule('tokens', within('GPT', 'tokens', () => new Embedding(vocabSize, embedding)));
    this.positions = this.addModule('positions', within('GPT', 'positions', () => new Embedding(context, embedding)));
    this.blocks = Array.from({ length: layers }, (_, i) => this.addModule(`blocks.${i}`, within('GPT', `blocks.${i}`, () => new GPTBlock(embedding, heads))));
    this.lnF = this.addModule('lnF', new LayerNorm(embedding, { bias: false }));
  }

  forward(ids: TensorLike): Tensor {
    return this.logits('GPT.forward', ids, this.tokens.weight);
  }

  /**
   * The logits with `tokenWeight` [V, C] standing for the token embedding (in the lookup and the
   * tied head), so a check can differentiate with respect to it; forward passes the model's own.
   */
  logitsWith(input: TensorLike, tokenWeight: Tensor): Tensor {
    return this.logits('GPT.logitsWith', input, tokenWeight);
  }

  private logits(who: string, input: TensorLike, weight: Tensor): Tensor {
    const ids = asTensor(who, input, 'ids');
    const tokenWeight = asTensor(who, weight, 'tokenWeight');
    const { vocabSize: V, embedding: C, context } = this.config;
    if (ids.rank !== 2 || ids.shape[1]! > context) {
      throw new ArgumentError(`${who}: expected ids of shape [N, T] with T ≤ ${context} (the context), got ${fmtShape(ids.shape)}`);
    }
    if (tokenWeight.rank !== 2 || tokenWeight.shape[0] !== V || tokenWeight.shape[1] !== C) {
      throw new ArgumentError(`${who}: expected a token embedding of shape [${V}, ${C}], got ${fmtShape(tokenWeight.shape)}`);
    }
    for (const v of ids.data) {
      if (!Number.isInteger(v) || v < 0 || v >= V) throw new ArgumentError(`${who}: ids must be integers in [0, ${V - 1}], got ${describe(v)}`);
    }
    const [N, T] = ids.shape as [number, number];
    const spans: LayerSpan[] = [];
    let x = spanned(spans, 'embeddings', 'token + position embeddings', () => {
      const positions = this.positions.forward(Int32Array.from({ length: T }, (_, t) => t)); // [T, C]
      return add(take(tokenWeight, ids, 0), positions); // [N, T, C]
    });
    this.blocks.forEach((block, i) => {
      x = this.checkpointBlocks ? checkpoint((h: Tensor) => block.forward(h))(x) : block.forward(x);
      spans.push(...block.layerSpans().map((s) => ({ ...s, label: `blocks.${i}.${s.label}` })));
    });
    const h = spanned(spans, 'lnF', this.lnF, () => reshape(this.lnF.forward(x), [N * T, C]));
    const logits = spanned(spans, 'head', 'logits = h · tokens.weightᵀ (tied)', () => reshape(matmul(h, mT(tokenWeight)), [N, T, V]));
    this.lastSpans = spans;
    return logits;
  }

  /**
   * The nodes each layer created on the last forward pass, in order: the embeddings, each block's
   * ln1, attn, ln2, fc, gelu and proj (the residual adds between them belong to none), lnF and
   * the tied head. The graph pictures draw them as frames, or as one box each when collapsed.
   */
  layerSpans(): readonly LayerSpan[] {
    return this.lastSpans;
  }

  /** Mean cross-entropy over every position of ids [N, T] against targets [N, T] (the next ids). */
  loss(ids: TensorLike, targets: TensorLike): Tensor {
    return this.lossOf('GPT.loss', ids, targets, this.tokens.weight);
  }

  /** loss with `tokenWeight` standing for the token embedding (see logitsWith). */
  lossWith(ids: TensorLike, targets: TensorLike, tokenWeight: Tensor): Tensor {
    return this.lossOf('GPT.lossWith', ids, targets, tokenWeight);
  }

  private lossOf(who: string, ids: TensorLike, targets: TensorLike, tokenWeight: Tensor): Tensor {
    const logits = this.logits(who, ids, tokenWeight);
    const [N, T, V] = logits.shape as [number, number, number];
    const y = asTensor(who, targets, 'targets');
    if (y.rank !== 2 || y.shape[0] !== N || y.shape[1] !== T) {
      throw new ArgumentError(`${who}: expected targets of shape [${N}, ${T}] (as the ids), got ${fmtShape(y.shape)}`);
    }
    return within(who, null, () => crossEntropy(reshape(logits, [N * T, V]), reshape(y, [N * T])));
  }

  /**
   * n ids sampled one at a time after `start` (nanoGPT's generate): each from
   * softmax(logits / temperature) at the last position of the latest `context` ids, under noGrad.
   * Draws come from `rng` (default: the global generator).
   */
  generate(start: Int32Array | readonly number[], n: number, options: GenerateOptions = {}): Int32Array {
    const who = 'GPT.generate';
    const { vocabSize: V, context } = this.config;
    const o = optionsIn(who, options);
    const temperature = numberIn(who, 'temperature', o.temperature, { min: 0, minOpen: true }, 1);
    const random = o.rng === undefined ? globalRng() : rngIn(who, 'rng', o.rng);
    numberIn(who, 'n', n, { min: 0, max: MAX_ELEMENTS, integer: true });
    const startIds = Array.from(indexArrayOf(who, 'start', start).values);
    if (startIds.length === 0) throw new ArgumentError(`${who}: start must hold at least one id (the context to continue)`);
    const ids = startIds.concat(new Array<number>(n).fill(0));
    const p = new Float64Array(V);
    for (let i = startIds.length; i < ids.length; i++) {
      const window = ids.slice(Math.max(0, i - context), i);
      const logits = tidy(() => noGrad(() => this.logits(who, new Tensor(Float64Array.from(window), [1, window.length]), this.tokens.weight).data.slice()));
      const last = logits.subarray((window.length - 1) * V, window.length * V);
      let max = -Infinity;
      for (const v of last) max = Math.max(max, v);
      let total = 0;
      for (let j = 0; j < V; j++) total += p[j] = Math.exp((last[j]! - max) / temperature);
      let u = random.uniform() * total;
      let next = V - 1;
      for (let j = 0; j < V; j++) {
        u -= p[j]!;
        if (u < 0) {
          next = j;
          break;
        }
      }
      ids[i] = next;
    }
    return Int32Array.from(ids.slice(startIds.length));
  }

  describe(): string {
    const { vocabSize, layers, heads, embedding, context } = this.config;
    return `GPT(vocab ${vocabSize}, ${layers} layer${layers === 1 ? '' : 's'}, ${heads} head${heads === 1 ? '' : 's'}, embedding ${embedding}, context ${context}, tied head)`;
  }
}

/**
 * A GPT of the given size with nanoGPT's initialisation, drawn from the global generator after
 * manualSeed(seed): every embedding and linear weight N(0, 0.02²), except the two projections back
 * into the residual stream of each block (attention's output and the MLP's second linear),
 * N(0, (0.02 / √(2 · layers))²); LayerNorm weights 1. No biases anywhere.
 */
export function gpt(config: GPTConfig, seed: number): GPT {
  configIn('gpt', config);
  within('gpt', null, () => manualSeed(seed));
  const model = within('gpt', null, () => new GPT(config));
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
