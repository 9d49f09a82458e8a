/** The recorded part of a graph behind a tensor, found iteratively (deep chains are fine). */
import { ArgumentError, GraphError, Tensor, callerIn, describe } from '../lib';
import { Node, nodeOf } from './node';

/**
 * Every recorded node that `output` depends on, by increasing id (a topological order). A node
 * whose graph an earlier backward pass released is an error: `caller` names the operation in
 * the message and `advice` says what to do instead.
 */
export function ancestors(output: Tensor, caller: string, advice: string): Node[] {
  callerIn('ancestors', caller);
  if (!(output instanceof Tensor)) throw new ArgumentError(`${caller}: expected a tensor, got ${describe(output)}`);
  if (typeof advice !== 'string') throw new ArgumentError(`ancestors: advice (for messages) must be a string, got ${describe(advice)}`);
  const root = nodeOf(output);
  if (root === null) return [];
  const seen = new Set<Node>([root]);
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.inputs === null) {
      throw new GraphError(`${caller}: the graph through '${node.op.name}' (node ${node.id}) was already released by a backward pass; ${advice}`);
    }
    for (const x of node.inputs) {
      const p = nodeOf(x);
      if (p !== null && !seen.has(p)) {
        seen.add(p);
        stack.push(p);
      }
    }
  }
  return [...seen].sort((a, b) => a.id - b.id);
}
