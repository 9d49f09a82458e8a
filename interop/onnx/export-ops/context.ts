/**
 * What an op mapping of the ONNX export sees and uses: the recorded node (and the same node in the
 * second trace: at batch + 1 for a dynamic batch, else on rotated rows), the ONNX names of its inputs, the shapes
 * of its tensors with the batch-dependent dimensions marked, and an emitter of ONNX nodes and
 * constants. Every mapping returns the ONNX name of the value that stands for the node's output.
 */
import { GraphError, Tensor } from '../../../lib';
import type { Node } from '../../../graph';
import type { Window2d } from '../../../lib/kernels';

/**
 * A dimension as a function of the batch size B: a·B + b. A static dimension has a = 0. With
 * dynamicBatch, every dimension is found by recording the function at two batch sizes.
 */
export interface Dim {
  readonly a: number;
  readonly b: number;
}

export const fixed = (b: number): Dim => ({ a: 0, b });
export const isStatic = (d: Dim): boolean => d.a === 0;
export const sameDim = (x: Dim, y: Dim): boolean => x.a === y.a && x.b === y.b;
export const addDims = (x: Dim, y: Dim): Dim => ({ a: x.a + y.a, b: x.b + y.b });
export const subDims = (x: Dim, y: Dim): Dim => ({ a: x.a - y.a, b: x.b - y.b });
export const allStatic = (dims: readonly Dim[]): boolean => dims.every(isStatic);

/** An ONNX attribute value: an int, a float, a list of ints or of floats, an ASCII string. */
export type Attr = { readonly i: number } | { readonly f: number } | { readonly ints: readonly number[] } | { readonly floats: readonly number[] } | { readonly s: string };
export const int = (i: number): Attr => ({ i });
export const ints = (list: readonly number[]): Attr => ({ ints: list });

/** A 2-d window (a convolution's or a pooling's) as the attributes of ONNX's Conv, ConvTranspose and pooling operators. */
export function windowAttrs(w: Window2d): Record<string, Attr> {
  return {
    kernel_shape: ints([w.kH, w.kW]),
    strides: ints([w.sH, w.sW]),
    pads: ints([w.pH, w.pW, w.pH, w.pW]),
    dilations: ints([w.dH, w.dW]),
  };
}
export const float = (f: number): Attr => ({ f });
export const text = (s: string): Attr => ({ s });

/** Where the ONNX graph is written: nodes, initializers and the batch size as a tensor. */
export interface Emitter {
  /** The opset of the default domain the model declares. */
  readonly opset: number;
  /** The element type of every float tensor of the model. */
  readonly dtype: 'float32' | 'float64';
  /** Appends a node and returns its output names (`outputs` of them, default 1). */
  nodes(opType: string, inputs: readonly string[], attrs?: Record<string, Attr>, outputs?: number): string[];
  /** Appends a node with one output and returns its name. */
  node(opType: string, inputs: readonly string[], attrs?: Record<string, Attr>): string;
  /** A float initializer of the model's dtype. */
  floats(values: ArrayLike<number>, shape: readonly number[]): string;
  /** A float scalar initializer of the model's dtype. */
  scalar(value: number): string;
  /** An INT64 initializer (a 1-D list unless a shape is given). */
  int64s(values: readonly number[], shape?: readonly number[]): string;
  /** A BOOL initializer (nonzero is true). */
  bools(values: ArrayLike<number>, shape: readonly number[]): string;
  /**
   * A 1-D INT64 tensor holding `dims`: a constant when every one is static, else computed from
   * the batch size (the first dimension of the first graph input) with Shape, Gather, Mul, Add and
   * Concat.
   */
  shapeOf(dims: readonly Dim[]): string;
  /** Reshape of x to `dims`: a constant target with −1 for the one batch-dependent dimension, or shapeOf. */
  reshapeTo(x: string, dims: readonly Dim[]): string;
}

/** One recorded node as its mapping sees it. */
export interface OpContext extends Emitter {
  readonly recorded: Node;
  /**
   * The same node in the second trace (at batch + 1 with dynamicBatch, else on the inputs with
   * their rows rotated), or null when there is none (inputs of fewer than two rows).
   */
  readonly partner: Node | null;
  /** The node's attributes. */
  readonly attrs: unknown;
  /** The partner's attributes (the node's own when there is no partner): constants must agree. */
  readonly partnerAttrs: unknown;
  /** The ONNX names of the node's inputs. */
  readonly inputs: readonly string[];
  /** The node's input tensors (at the example's batch size). */
  readonly tensors: readonly Tensor[];
  /** The dimensions of input i. */
  dims(i: number): readonly Dim[];
  /** The dimensions of the node's output. */
  readonly outDims: readonly Dim[];
  /** Whether the batch size is symbolic. */
  readonly dynamic: boolean;
  /** Refuses the node: a GraphError naming toOnnx, the op and the reason. */
  fail(reason: string): never;
  /**
   * The graph input whose example values are exactly `indices` (wrapped into [0, extent)), and
   * whose values in the second trace are `partnerIndices`, cast to INT64 and reshaped to `dims`;
   * or null: how integer ids or labels given as an input reach a Gather instead of being baked in.
   */
  indicesInput(indices: Int32Array, dims: readonly Dim[], extent: number, partnerIndices: Int32Array): string | null;
}

/** Maps a recorded node to ONNX nodes and returns the name of the value standing for its output. */
export type OpMapping = (c: OpContext) => string;

/** The mappings, keyed by the deltagraph op's name (each documented where it is defined). */
export type MappingTable = Record<string, OpMapping>;

/** A GraphError for a node that a mapping cannot express. */
export function refuse(node: Node, reason: string): never {
  throw new GraphError(`toOnnx: op '${node.op.name}' (node ${node.id}) cannot be exported: ${reason}`);
}

/** Axes given as non-negative numbers, as the ops store them, normalised against a rank. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
