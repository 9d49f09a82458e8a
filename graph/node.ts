/**
 * A node is one application of an operation: its inputs, its attributes, and the tensor it
 * produced. Node ids increase with creation, so creation order is a topological order of the graph.
 */
import { ArgumentError, Producer, Tensor, describe } from '../lib';

/** What a VJP sees: the node's inputs, output and attributes, and which inputs need a gradient. */
export interface VjpContext<A> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
  /** needs[i] is false when input i wants no gradient: its VJP need not be computed (return null). */
  readonly needs: readonly boolean[];
}

/**
 * The contract of an operation. `forward` computes values with kernels; `vjp` maps g = ∂L/∂out
 * (shaped like the output) to ∂L/∂inputᵢ shaped exactly like each input (denominator layout),
 * written with differentiable ops so that the backward pass can itself be recorded.
 */
export interface OpSpec<A> {
  readonly name: string;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  vjp(g: Tensor, ctx: VjpContext<A>): ReadonlyArray<Tensor | null>;
}

let nextId = 0;

export class Node<A = unknown> implements Producer {
  readonly id = nextId++;
  /** Null once a backward pass released the graph (unless it was asked to retain it). */
  inputs: readonly Tensor[] | null;
  attrs: A | null;
  output!: Tensor;
  /** The user's frames of the call that created the node, recorded only inside detectAnomaly. */
  createdAt: string | null = null;

  constructor(readonly op: OpSpec<A>, inputs: readonly Tensor[], attrs: A) {
    if (op === null || typeof op !== 'object' || typeof op.name !== 'string' || typeof op.vjp !== 'function') {
      throw new ArgumentError(`Node: op must be an op spec { name, forward, vjp }, got ${describe(op)}`);
    }
    if (!Array.isArray(inputs) || !inputs.every((x) => x instanceof Tensor)) {
      throw new ArgumentError(`Node: inputs must be an array of tensors, got ${describe(inputs)}`);
    }
    this.inputs = inputs;
    this.attrs = attrs;
  }

  get released(): boolean {
    return this.inputs === null;
  }

  /** Drops the references that keep the forward values alive. */
  release(): void {
    this.inputs = null;
    this.attrs = null;
  }
}

/** The node that produced t, if t was recorded. */
export function nodeOf(t: Tensor): Node | null {
  if (!(t instanceof Tensor)) throw new ArgumentError(`nodeOf: expected a tensor, got ${describe(t)}`);
  return t.producer as Node | null;
}

/**
 * The id the next node will get. Every node created from now on has an id ≥ this value, so two
 * readings around a computation give the range [first, end) of the nodes it created.
 */
export function nextNodeId(): number {
  return nextId;
}
