/**
 * Embedding: a lookup table weight [numEmbeddings, embeddingDim]; forward(indices) of any shape
 * gives [...indices.shape, embeddingDim], row idx of the table at each index (torch.nn.Embedding).
 * Built on the take op, so ∂L/∂weight is the output's gradient scattered back to the rows it came
 * from, added up where an index repeats. Initialised as PyTorch's: weight ~ N(0, 1).
 * With { paddingIdx }, as PyTorch's padding_idx, that row starts at 0 and gets no gradient (the
 * looked-up values pass through detached where the index is paddingIdx), so it stays as it is.
 */
import { ArgumentError, Rng, Tensor, TensorLike, describe, detach, fmtShape, randn } from '../lib';
import { take, where } from '../ops';
import { asTensor, checkLayerSize, numberIn, optionsIn, rngIn, sizeIn } from './args';
import { Module } from './module';

export interface EmbeddingOptions {
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
  /**
   * A row that starts at 0 and is never trained (for padding tokens): an integer in
   * [−numEmbeddings, numEmbeddings), negative ones counting from the end, as PyTorch's padding_idx.
   */
  paddingIdx?: number;
}

export class Embedding extends Module {
  readonly weight: Tensor;
  /** The untrained row, in [0, numEmbeddings), or null for none. */
  readonly paddingIdx: number | null;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    sizeIn('Embedding', 'numEmbeddings', numEmbeddings);
    sizeIn('Embedding', 'embeddingDim', embeddingDim);
    checkLayerSize('Embedding', numEmbeddings, embeddingDim);
    const o = optionsIn('Embedding', options);
    const weight = randn([numEmbeddings, embeddingDim], rngIn('Embedding', 'rng', o.rng));
    if (o.paddingIdx === undefined) this.paddingIdx = null;
    else {
      const pad = numberIn('Embedding', `paddingIdx (numEmbeddings is ${numEmbeddings})`, o.paddingIdx, { min: -numEmbeddings, max: numEmbeddings, maxOpen: true, integer: true });
      this.paddingIdx = pad < 0 ? pad + numEmbeddings : pad;
      weight.data.fill(0, this.paddingIdx * embeddingDim, (this.paddingIdx + 1) * embeddingDim);
    }
    this.weight = this.addParameter('weight', weight);
  }

  /** indices: a tensor of integer values, a nested array of integers, an Int32Array or one integer. */
  forward(input: TensorLike | Int32Array): Tensor {
    const who = 'Embedding.forward';
    const indices = input instanceof Int32Array ? input : asTensor(who, input, 'indices');
    const values = indices instanceof Int32Array ? indices : indices.data;
    const shape = indices instanceof Int32Array ? [indices.length] : indices.shape;
    const n = this.numEmbeddings;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        const what = Number.isInteger(v) ? `out of range for ${n} embeddings` : 'not an integer';
        throw new ArgumentError(
          `${who}: indices must be integers in [0, ${n - 1}], got ${describe(v)} (${what}) at flat position ${i} of shape ${fmtShape(shape)}`,
        );
      }
    }
    const y = take(this.weight, indices, 0);
    const pad = this.paddingIdx;
    if (pad === null || y.producer === null || !values.includes(pad)) return y;
    const isPad = new Tensor(Float64Array.from(values, (v) => (v === pad ? 1 : 0)), [...shape, 1]);
    return where(isPad, detach(y), y);
  }

  describe(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, paddingIdx ${this.paddingIdx}`})`;
  }
}
