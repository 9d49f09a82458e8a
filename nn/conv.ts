/**
 * Convolution layers over the ops: Conv2d (y = conv2d(x, W) + b per output channel, x [N, C, H, W]),
 * Conv1d (x [N, C, L]) and ConvTranspose2d (y = convTranspose2d(x, W) + b). No hand-written
 * backward: conv2d is a matmul over unfold(x) and convTranspose2d a fold of a matmul, so the graph
 * gives ∂L/∂W, ∂L/∂b and ∂L/∂x. Initialised as PyTorch's: W and b ~ U(−1/√fanIn, 1/√fanIn) with
 * fanIn = W.shape[1] · kH · kW, i.e. C/groups · kH · kW for Conv2d (W [O, C/groups, kH, kW]) and
 * O/groups · kH · kW for ConvTranspose2d (W [C, O/groups, kH, kW]).
 */
import { ArgumentError, Rng, Tensor, TensorLike, asTensor, describe, fmtShape } from '../lib';
import { add, conv1d, conv2d, convTranspose2d, reshape } from '../ops';
import type { Pair } from '../ops';
import { boolIn, optionsIn, rngIn, sizeIn, within } from './args';
import { Module } from './module';
import { initialize } from './init';
import type { TorchLayout } from './state-dict';


export interface Conv2dLayerOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  /** Channels split into this many independent groups (default 1). */
  groups?: number;
  /** Add a bias per output channel (default true). */
  bias?: boolean;
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
}

/** A number or [h, w] pair of integers ≥ min (default 1), as [h, w]. */
export function pairIn(who: string, name: string, value: unknown, min = 1): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) {
    throw new ArgumentError(`${who}: ${name} must be an integer ≥ ${min} or a pair [h, w] of them, got ${describe(value)}`);
  }
  return [pair[0], pair[1]];
}

/** The input of a convolution layer: rank `rank` with `channels` channels on axis 1. */
function imageOf(layer: string, x: unknown, rank: number, channels: number, axes: string): Tensor {
  const t = asTensor(`${layer}.forward`, x, 'x');
  if (t.rank !== rank || t.shape[1] !== channels) {
    throw new ArgumentError(`${layer}.forward: expected input of shape ${axes.replace('C', String(channels))}, got ${fmtShape(t.shape)}`);
  }
  return t;
}

/**
 * A convolution layer's checked sizes and parameters: weights [O, C/groups, ...kernel] (transposed:
 * [C, O/groups, ...kernel]) and a bias [O] drawn as PyTorch's defaults, with fanIn = the weights'
 * axis 1 times the kernel's size, from the option's generator (or the global one).
 */
function convParameters(who: string, inChannels: number, outChannels: number, kernel: number[], options: unknown, transposed = false): { W: Tensor; b: Tensor | null; groups: number; o: Record<string, unknown> } {
  sizeIn(who, 'inChannels', inChannels);
  sizeIn(who, 'outChannels', outChannels);
  const o = optionsIn(who, options);
  const groups = o.groups === undefined ? 1 : sizeIn(who, 'groups', o.groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new ArgumentError(`${who}: groups ${groups} must divide both inChannels ${inChannels} and outChannels ${outChannels}`);
  }
  const random = rngIn(who, 'rng', o.rng);
  const shape = transposed ? [inChannels, outChannels / groups, ...kernel] : [outChannels, inChannels / groups, ...kernel];
  const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
  const W = within(who, 'the weights', () => initialize({ kind: 'fanInUniform' }, shape, random, fanIn));
  const b = within(who, 'the bias', () => initialize({ kind: 'fanInUniform' }, [outChannels], random, fanIn));
  return { W, b: boolIn(who, 'bias', o.bias, true) ? b : null, groups, o };
}

/** A convolution's state dict: weight and bias under PyTorch's names, the weight as it is. */
function convLayout(W: Tensor, b: Tensor | null): TorchLayout {
  const weight = { key: 'weight', tensor: W };
  return { tensors: b ? [weight, { key: 'bias', tensor: b }] : [weight], children: [] };
}

export class Conv2d extends Module {
  readonly W: Tensor;
  readonly b: Tensor | null;
  readonly kernelSize: [number, number];
  private readonly options: { stride?: Pair; padding?: Pair; dilation?: Pair; groups: number };

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super();
    this.kernelSize = pairIn('Conv2d', 'kernelSize', kernelSize);
    const { W, b, groups, o } = convParameters('Conv2d', inChannels, outChannels, this.kernelSize, options);
    this.W = this.addParameter('W', W);
    this.b = b && this.addParameter('b', b);
    this.options = { stride: o.stride as Pair | undefined, padding: o.padding as Pair | undefined, dilation: o.dilation as Pair | undefined, groups };
  }

  forward(input: TensorLike): Tensor {
    const x = imageOf('Conv2d', input, 4, this.inChannels, '[N, C, H, W]');
    const y = conv2d(x, this.W, this.options);
    return this.b ? add(y, reshape(this.b, [this.outChannels, 1, 1])) : y;
  }

  /** As torch.nn.Conv2d: weight [out, in/groups, kH, kW] (deltagraph's layout is PyTorch's), bias [out]. */
  protected override torchLayout(): TorchLayout {
    return convLayout(this.W, this.b);
  }

  describe(): string {
    return `Conv2d(${this.inChannels} → ${this.outChannels}, ${this.kernelSize.join('×')}${this.b ? '' : ', no bias'})`;
  }
}

export interface Conv1dLayerOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
  bias?: boolean;
  rng?: Rng | number;
}

export class Conv1d extends Module {
  readonly W: Tensor;
  readonly b: Tensor | null;
  private readonly options: { stride?: number; padding?: number; dilation?: number; groups: number };

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number, options: Conv1dLayerOptions = {}) {
    super();
    sizeIn('Conv1d', 'kernelSize', kernelSize);
    const { W, b, groups, o } = convParameters('Conv1d', inChannels, outChannels, [kernelSize], options);
    this.W = this.addParameter('W', W);
    this.b = b && this.addParameter('b', b);
    this.options = { stride: o.stride as number | undefined, padding: o.padding as number | undefined, dilation: o.dilation as number | undefined, groups };
  }

  forward(input: TensorLike): Tensor {
    const x = imageOf('Conv1d', input, 3, this.inChannels, '[N, C, L]');
    const y = conv1d(x, this.W, this.options);
    return this.b ? add(y, reshape(this.b, [this.outChannels, 1])) : y;
  }

  /** As torch.nn.Conv1d: weight [out, in/groups, k] (deltagraph's layout is PyTorch's), bias [out]. */
  protected override torchLayout(): TorchLayout {
    return convLayout(this.W, this.b);
  }

  describe(): string {
    return `Conv1d(${this.inChannels} → ${this.outChannels}, ${this.kernelSize}${this.b ? '' : ', no bias'})`;
  }
}

export interface ConvTranspose2dLayerOptions {
  stride?: Pair;
  padding?: Pair;
  /** Extra rows and columns on the bottom and right of the output, each < the stride (default 0). */
  outputPadding?: Pair;
  dilation?: Pair;
  /** Channels split into this many independent groups (default 1). */
  groups?: number;
  /** Add a bias per output channel (default true). */
  bias?: boolean;
  /** A generator, or a seed for one of its own; default: the global generator (manualSeed). */
  rng?: Rng | number;
}

/**
 * The transposed convolution (PyTorch's ConvTranspose2d): x [N, C, H, W] → y [N, O, Ho, Wo] with
 * Ho = (H − 1)·sH − 2pH + dH(kH − 1) + opH + 1 (likewise Wo), W [C, O/groups, kH, kW], b [O].
 */
export class ConvTranspose2d extends Module {
  readonly W: Tensor;
  readonly b: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, options: ConvTranspose2dLayerOptions = {}) {
    super();
    const who = 'ConvTranspose2d';
    this.kernelSize = pairIn(who, 'kernelSize', kernelSize);
    const o = optionsIn(who, options);
    this.stride = o.stride === undefined ? [1, 1] : pairIn(who, 'stride', o.stride);
    this.padding = o.padding === undefined ? [0, 0] : pairIn(who, 'padding', o.padding, 0);
    this.outputPadding = o.outputPadding === undefined ? [0, 0] : pairIn(who, 'outputPadding', o.outputPadding, 0);
    this.dilation = o.dilation === undefined ? [1, 1] : pairIn(who, 'dilation', o.dilation);
    // PyTorch allows outputPadding < max(stride, dilation); convTranspose2d only < stride.
    if (this.outputPadding[0] >= this.stride[0] || this.outputPadding[1] >= this.stride[1]) {
      throw new ArgumentError(`${who}: outputPadding must be smaller than the stride on each axis, got outputPadding ${this.outputPadding.join('×')} with stride ${this.stride.join('×')}`);
    }
    const { W, b, groups } = convParameters(who, inChannels, outChannels, this.kernelSize, options, true);
    this.groups = groups;
    this.W = this.addParameter('W', W);
    this.b = b && this.addParameter('b', b);
  }

  forward(input: TensorLike): Tensor {
    const x = imageOf('ConvTranspose2d', input, 4, this.inChannels, '[N, C, H, W]');
    const y = convTranspose2d(x, this.W, { stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups });
    return this.b ? add(y, reshape(this.b, [this.outChannels, 1, 1])) : y;
  }

  /** As torch.nn.ConvTranspose2d: weight [in, out/groups, kH, kW] (deltagraph's layout is PyTorch's), bias [out]. */
  protected override torchLayout(): TorchLayout {
    return convLayout(this.W, this.b);
  }

  describe(): string {
    return `ConvTranspose2d(${this.inChannels} → ${this.outChannels}, ${this.kernelSize.join('×')}${this.b ? '' : ', no bias'})`;
  }
}
