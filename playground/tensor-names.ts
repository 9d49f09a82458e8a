/**
 * The names the panels give the tensors of one recorded loss graph, as the Siena slides write
 * them: X and y for the data, Wˡ, bˡ for layer l's parameters, Zˡ for its pre-activation and Aˡ
 * for its output, and L for the loss. Any other tensor is named by the op that made it.
 */
import { Tensor, mlpTensorNames, nodeOf } from 'deltagraph';
import type { LossGraph, Session } from './host';

export function tensorNames(session: Session, graph: LossGraph): Map<Tensor, string> {
  const names = mlpTensorNames(session.model);
  names.set(graph.X, 'X').set(graph.y, 'y').set(graph.loss, 'L');
  // The output is the last pre-activation (the net's output is the identity), named already.
  if (!names.has(graph.output)) names.set(graph.output, 'ŷ');
  return names;
}

/** A tensor's name, or "<op> #<id>" for an unnamed intermediate, or "a constant" for an unnamed leaf. */
export function nameOf(t: Tensor, names: ReadonlyMap<Tensor, string>): string {
  const known = names.get(t);
  if (known !== undefined) return known;
  const node = nodeOf(t);
  return node === null ? 'a constant' : `${node.op.name} #${node.id}`;
}
