/**
 * Embedding: a lookup table weight [numEmbeddings, embeddingDim]; forward(indices) of any shape
 * gives [...indices.shape, embeddingDim], row idx of the table at each index (torch.nn.Embedding).
 * Built on the take op, so ∂L/∂weight is the output's gradient scattered back to the rows it came
 * from, added up where an index repeats. Initialised as PyTorch's: weight ~ N(0, 1).
 */
import { ArgumentError, Rng, Tensor, TensorLike, describe, fmtShape, randn } from '../lib';
import { take } from '../ops';
import { asTensor, checkLayerSize, optionsIn, rngIn, sizeIn } from './args';
import { Module } from './module';

export interface EmbeddingOptions {
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
}

export class Embedding extends Module {
  readonly weight: Tensor;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    sizeIn('Embedding', 'numEmbeddings', numEmbeddings);
    sizeIn('Embedding', 'embeddingDim', embeddingDim);
    checkLayerSize('Embedding', numEmbeddings, embeddingDim);
    const o = optionsIn('Embedding', options);
    this.weight = this.addParameter('weight', randn([numEmbeddings, embeddingDim], rngIn('Embedding', 'rng', o.rng)));
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
    return take(this.weight, indices, 0);
  }

  describe(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }
}
