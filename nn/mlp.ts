/**
 * MLP: the tutorial's NN(layers_dims, activation_hidden, activation_output, loss, seed) as a
 * Sequential of Linear (+ optional BatchNorm) + activation blocks. After a backward pass,
 * deltas(grads)[l] is ∂L/∂Zˡ for each layer's pre-activation Zˡ (the Linear's or BatchNorm's
 * output), the Δ of the backpropagation derivations.
 */
import { ArgumentError, Tensor, rng, describe } from '../lib';
import { Gradients } from '../graph';
import { ACTIVATIONS, ActivationName } from './activations';
import { BatchNorm } from './batch-norm';
import { Dropout } from './dropout';
import { Initializer } from './init';
import { Linear } from './linear';
import { Module } from './module';
import { NodeSpan, Sequential } from './sequential';

export interface MLPOptions {
  /** Widths from input to output, e.g. [784, 128, 10]. */
  layers: number[];
  /** Activation of the hidden layers: one name for all, or one per hidden layer (default 'relu'). */
  hidden?: ActivationName | ActivationName[];
  /** Activation of the output layer (default 'identity': losses take logits). */
  output?: ActivationName;
  /** Weight initialiser of every Linear (default fanInUniform). */
  init?: Initializer | string;
  /** Batch normalisation after each hidden Linear, before its activation. */
  batchNorm?: boolean;
  /** Dropout probability after each hidden activation (default 0). */
  dropout?: number;
  seed?: number;
}

export class MLP extends Module {
  readonly net: Sequential;
  /** Index in net.layers of each layer's pre-activation (the input to its activation). */
  private readonly preActivationIndex: number[] = [];
  /** Layer l's modules (Linear, BatchNorm, activation, Dropout) are net.layers[start … end − 1]. */
  private readonly blocks: Array<readonly [start: number, end: number]> = [];

  constructor(readonly options: MLPOptions) {
    super();
    const { layers } = options;
    if (!Array.isArray(layers) || layers.length < 2 || layers.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new ArgumentError(`MLP: layers must list at least two positive widths, got ${describe(layers)}`);
    }
    const hidden = options.hidden ?? 'relu';
    const random = rng(options.seed ?? 0);
    const modules: Module[] = [];
    for (let l = 1; l < layers.length; l++) {
      const last = l === layers.length - 1;
      const act = last ? options.output ?? 'identity' : Array.isArray(hidden) ? hidden[l - 1] : hidden;
      if (act === undefined || !(act in ACTIVATIONS)) {
        throw new ArgumentError(`MLP: unknown activation ${describe(act)} for layer ${l}; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
      }
      const start = modules.length;
      modules.push(new Linear(layers[l - 1]!, layers[l]!, { init: options.init, rng: random }));
      if (options.batchNorm && !last) modules.push(new BatchNorm(layers[l]!));
      this.preActivationIndex.push(modules.length - 1);
      modules.push(ACTIVATIONS[act]());
      if (options.dropout && !last) modules.push(new Dropout(options.dropout, random));
      this.blocks.push([start, modules.length]);
    }
    this.net = this.addModule('net', new Sequential(...modules));
  }

  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }

  /** Zˡ of each layer on the last forward pass. */
  preActivations(): Tensor[] {
    return this.preActivationIndex.map((i) => this.net.outputOf(i));
  }

  /** Δˡ = ∂L/∂Zˡ of each layer, from a backward pass over the last forward pass. */
  deltas(grads: Gradients): Tensor[] {
    return this.preActivations().map((z) => grads.get(z));
  }

  /** For each layer, its modules in net.layers (Linear first, then BatchNorm, activation, Dropout). */
  layerModules(): Module[][] {
    return this.blocks.map(([start, end]) => this.net.layers.slice(start, end));
  }

  /** For each layer, the ids [first, end) of the graph nodes its modules created on the last forward pass. */
  layerNodeSpans(): NodeSpan[] {
    return this.blocks.map(([start, end]): NodeSpan => [this.net.nodeSpanOf(start)[0], this.net.nodeSpanOf(end - 1)[1]]);
  }

  /** The Linear layers, in order. */
  linears(): Linear[] {
    return this.net.layers.filter((m): m is Linear => m instanceof Linear);
  }

  describe(): string {
    return `MLP ${this.options.layers.join('-')}\n${this.net.describe()}`;
  }
}
