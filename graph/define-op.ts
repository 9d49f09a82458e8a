/**
 * defineOp turns an OpSpec into a callable that computes the forward values and, when recording
 * is on and an input requires a gradient, records a Node for the backward pass.
 */
import { ArgumentError, GraphError, Tensor, describe, isCallable, kernelTensor } from '../lib';
import { anomalyMode, checkForward, checkingForward, creationStack } from './anomaly';
import { isRecording } from './mode';
import { Node, OpSpec } from './node';

export interface Op<A> extends OpSpec<A> {
  /** Runs the op on already-validated inputs. */
  apply(inputs: readonly Tensor[], attrs: A): Tensor;
}

/** Checks an op's spec: a name, a forward and a VJP. */
export function checkSpec(who: string, spec: unknown): asserts spec is OpSpec<unknown> {
  if (spec === null || typeof spec !== 'object') throw new ArgumentError(`${who}: expected an op spec { name, forward, vjp }, got ${describe(spec)}`);
  const { name, forward, vjp } = spec as Partial<OpSpec<unknown>>;
  if (typeof name !== 'string' || name === '') throw new ArgumentError(`${who}: the spec's name must be a non-empty string, got ${describe(name)}`);
  if (!isCallable(forward)) throw new ArgumentError(`${who}: the forward of op '${name}' must be a function, got ${describe(forward)}`);
  if (!isCallable(vjp)) throw new ArgumentError(`${who}: the vjp of op '${name}' must be a function, got ${describe(vjp)}`);
}

/**
 * The hook through which vmap (graph/vmap.ts) sees every application: it returns the batched
 * result when an input carries a batch, else null. Set by vmap while it runs its f, null otherwise.
 */
type BatchHook = (op: Op<any>, inputs: readonly Tensor[], attrs: unknown) => Tensor | null;
let batchHook: BatchHook | null = null;

export function setBatchHook(hook: BatchHook | null): void {
  batchHook = hook;
}

/** The first op defined under each name (a batching rule registered for a name belongs to it). */
const firstByName = new Map<string, Op<any>>();

export function firstOpNamed(name: string): Op<any> | undefined {
  return firstByName.get(name);
}

export function defineOp<A = undefined>(spec: OpSpec<A>): Op<A> {
  checkSpec('defineOp', spec);
  const name = spec.name;
  const op: Op<A> = {
    name,
    forward: spec.forward,
    vjp: spec.vjp,
    apply(inputs: readonly Tensor[], attrs: A): Tensor {
      if (!Array.isArray(inputs)) throw new ArgumentError(`${name}.apply: inputs must be an array of tensors, got ${describe(inputs)}`);
      for (let i = 0; i < inputs.length; i++) {
        const x: unknown = inputs[i];
        if (!(x instanceof Tensor)) throw new ArgumentError(`${name}.apply: inputs[${i}] must be a tensor, got ${describe(x)}`);
        if (x.disposed) throw new GraphError(`${name}.apply: inputs[${i}] (a tensor of shape [${x.shape.join(', ')}]) was released when the tidy scope that made it ended`);
      }
      if (batchHook !== null) {
        const batched = batchHook(op, inputs, attrs);
        if (batched !== null) return batched;
      }
      const value: unknown = spec.forward(inputs, attrs);
      if (!(value instanceof Tensor)) throw new GraphError(`${name}.apply: the op's forward returned ${describe(value)}, expected a tensor`);
      if (checkingForward()) checkForward(name, inputs, value);
      if (!isRecording()) return value;
      if (!isRecording()) return value;
      let tracked = false;
      for (const x of inputs) if (x.requiresGrad) tracked = true;
      if (!tracked) return value;
      const node = new Node<A>(spec, inputs, attrs);
      if (anomalyMode()) node.createdAt = creationStack();
      const out = kernelTensor(value.data, value.shape, node);
      node.output = out;
      return out;
    },
  };
  if (!firstByName.has(name)) firstByName.set(name, op);
  return op;
}
