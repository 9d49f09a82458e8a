/**
 * defineOp turns an OpSpec into a callable that computes the forward values and, when recording
 * is on and an input requires a gradient, records a Node for the backward pass.
 */
import { Tensor, kernelTensor } from '../lib';
import { isRecording } from './mode';
import { Node, OpSpec } from './node';

export interface Op<A> extends OpSpec<A> {
  /** Runs the op on already-validated inputs. */
  apply(inputs: readonly Tensor[], attrs: A): Tensor;
}

export function defineOp<A = undefined>(spec: OpSpec<A>): Op<A> {
  return {
    name: spec.name,
    forward: spec.forward,
    vjp: spec.vjp,
    apply(inputs: readonly Tensor[], attrs: A): Tensor {
      const value = spec.forward(inputs, attrs);
      if (!isRecording()) return value;
      let tracked = false;
      for (const x of inputs) if (x.requiresGrad) tracked = true;
      if (!tracked) return value;
      const node = new Node<A>(spec, inputs, attrs);
      const out = kernelTensor(value.data, value.shape, node);
      node.output = out;
      return out;
    },
  };
}
