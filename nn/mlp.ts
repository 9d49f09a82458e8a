/**
 * MLP: the tutorial's NN(layers_dims, activation_hidden, activation_output, loss, seed) as a
 * Sequential of Linear (+ optional BatchNorm) + activation blocks. After a backward pass,
 * deltas(grads)[l] is ∂L/∂Zˡ for each layer's pre-activation Zˡ (the Linear's or BatchNorm's
 * output), the Δ of the backpropagation derivations.
 */
import { ArgumentError, Tensor, TensorLike, describe, fmtShape } from '../lib';
import { checkParameterBytes } from '../lib/memory';
import { Gradients } from '../graph';
import { ACTIVATIONS, ActivationName } from './activations';
import { boolIn, checkLayerSize, numberIn, optionsIn, rngIn, sizeIn, within } from './args';
import { BatchNorm } from './batch-norm';
import { Dropout } from './dropout';
import { Initializer, parseInitializer } from './init';
import { Linear } from './linear';
import { Module, batchOf } from './module';
import { NodeSpan, Sequential } from './sequential';
import type { TorchLayout } from './state-dict';

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
  /**
   * Seed of the initial weights and dropout masks: the net draws from rng(seed), the same numbers
   * whatever else ran. Without one it draws from the global generator (manualSeed), as PyTorch.
   */
  seed?: number;
}

/**
 * Throws a MemoryError naming `who` when an MLP of these widths (positive integers, with batch
 * normalisation in its hidden layers if asked) cannot hold its parameters in the memory budget:
 * what MLP checks before drawing any weight, and the command line before loading any data.
 */
export function checkMlpMemory(who: string, widths: readonly number[], batchNorm = false): void {
  const declared: Array<[string, number[]]> = [];
  for (let l = 1; l < widths.length; l++) {
    declared.push([`layer ${l} W`, [widths[l - 1]!, widths[l]!]], [`layer ${l} b`, [widths[l]!]]);
    // γ, β and the running mean and variance.
    if (batchNorm && l < widths.length - 1) declared.push([`layer ${l} batch norm`, [4, widths[l]!]]);
  }
  checkParameterBytes(who, `an MLP of layers ${fmtShape(widths)}`, declared);
}

export class MLP extends Module {
  readonly net: Sequential;
  /** Index in net.layers of each layer's pre-activation (the input to its activation). */
  private readonly preActivationIndex: number[] = [];
  /** Layer l's modules (Linear, BatchNorm, activation, Dropout) are net.layers[start … end − 1]. */
  private readonly blocks: Array<readonly [start: number, end: number]> = [];
  /** Width of the input rows. */
  private readonly inFeatures: number;

  constructor(readonly options: MLPOptions) {
    super();
    const o = optionsIn('MLP', options, 'layers, e.g. { layers: [2, 3, 1] }');
    const layers: unknown = o.layers;
    if (!Array.isArray(layers) || layers.length < 2) {
      throw new ArgumentError(`MLP: layers must list at least two positive widths (input to output, e.g. [2, 3, 1]), got ${describe(layers)}`);
    }
    for (let l = 0; l < layers.length; l++) sizeIn('MLP', `layers[${l}] (of ${fmtShape(layers)})`, layers[l]);
    for (let l = 1; l < layers.length; l++) checkLayerSize('MLP', layers[l - 1], layers[l]);
    const widths = layers as number[];
    this.inFeatures = widths[0]!;
    const hidden: unknown = o.hidden ?? 'relu';
    const hiddenCount = widths.length - 2;
    if (Array.isArray(hidden) && hidden.length !== hiddenCount) {
      throw new ArgumentError(`MLP: hidden lists ${hidden.length} activations for ${hiddenCount} hidden layers (layers ${fmtShape(widths)})`);
    }
    const init = o.init === undefined ? undefined : parseInitializer('MLP: init', o.init);
    const batchNorm = boolIn('MLP', 'batchNorm', o.batchNorm, false);
    const dropout = numberIn('MLP', 'dropout', o.dropout, { min: 0, max: 1, maxOpen: true }, 0);
    const random = rngIn('MLP', 'seed', o.seed);
    // All layers' parameters are checked against the memory budget together, before any is drawn.
    checkMlpMemory('MLP', widths, batchNorm);
    const modules: Module[] = [];
    for (let l = 1; l < widths.length; l++) {
      const last = l === widths.length - 1;
      const act: unknown = last ? o.output ?? 'identity' : Array.isArray(hidden) ? hidden[l - 1] : hidden;
      if (typeof act !== 'string' || !Object.prototype.hasOwnProperty.call(ACTIVATIONS, act)) {
        throw new ArgumentError(`MLP: unknown activation ${describe(act)} for layer ${l}; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
      }
      const start = modules.length;
      modules.push(new Linear(widths[l - 1]!, widths[l]!, { init, rng: random }));
      if (batchNorm && !last) modules.push(new BatchNorm(widths[l]!));
      this.preActivationIndex.push(modules.length - 1);
      modules.push(ACTIVATIONS[act as ActivationName]());
      if (dropout > 0 && !last) modules.push(new Dropout(dropout, random));
      this.blocks.push([start, modules.length]);
    }
    this.net = this.addModule('net', new Sequential(...modules));
  }

  forward(input: TensorLike): Tensor {
    const x = batchOf('MLP', input, this.inFeatures);
    if (x.shape[0] === 0 && this.training && this.net.layers.some((m) => m instanceof BatchNorm)) {
      throw new ArgumentError('MLP: a batch of 0 rows has no batch-norm statistics; train mode needs at least one row');
    }
    return within('MLP.forward', null, () => this.net.forward(x));
  }

  /** Zˡ of each layer on the last forward pass. */
  preActivations(): Tensor[] {
    return within('MLP.preActivations', null, () => this.preActivationIndex.map((i) => this.net.outputOf(i)));
  }

  /** Δˡ = ∂L/∂Zˡ of each layer, from a backward pass over the last forward pass. */
  deltas(grads: Gradients): Tensor[] {
    if (!(grads instanceof Gradients)) throw new ArgumentError(`MLP.deltas: grads must be the result of backward(…), got ${describe(grads)}`);
    return within('MLP.deltas', null, () => this.preActivations().map((z) => grads.get(z)));
  }

  /** For each layer, its modules in net.layers (Linear first, then BatchNorm, activation, Dropout). */
  layerModules(): Module[][] {
    return this.blocks.map(([start, end]) => this.net.layers.slice(start, end));
  }

  /** For each layer, the ids [first, end) of the graph nodes its modules created on the last forward pass. */
  layerNodeSpans(): NodeSpan[] {
    return within('MLP.layerNodeSpans', null, () => this.blocks.map(([start, end]): NodeSpan => [this.net.nodeSpanOf(start)[0], this.net.nodeSpanOf(end - 1)[1]]));
  }

  /** The Linear layers, in order. */
  linears(): Linear[] {
    return this.net.layers.filter((m): m is Linear => m instanceof Linear);
  }

  /**
   * In a PyTorch state dict an MLP is the torch.nn.Sequential of its layers: `0.weight`, `0.bias`,
   * `2.weight`, … (Linear, activation, Linear, …; BatchNorm and Dropout take their places), with
   * no `net.` before the index, so that a PyTorch Sequential's weights load as they are.
   */
  protected override torchLayout(): TorchLayout {
    return { tensors: [], children: this.net.modules() };
  }

  describe(): string {
    return `MLP ${this.options.layers.join('-')}\n${this.net.describe()}`;
  }
}
