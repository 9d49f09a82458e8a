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

export function defineOp<A = undefined>(spec: OpSpec<A>): Op<A> {
  checkSpec('defineOp', spec);
  const name = spec.name;
  return {
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
}
