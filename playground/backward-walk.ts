/**
 * One backward pass taken apart, node by node, as the step-through panel shows it. Nodes are
 * visited in reverse topological order (decreasing id: every consumer of a tensor before its
 * producer). At each node the VJP maps g = ∂L/∂out to one gradient per input; where an input
 * already holds a gradient from another consumer (a join), the two are added — the sum over
 * paths. The walk does what backward does (graph/backward.ts), keeping every intermediate, so
 * its totals are the library's gradients (the spec checks it).
 */
import { Node, Tensor, add, ancestors, noGrad, ones } from 'deltagraph';

/** What happened to one input of a node during its VJP. */
export interface InputStep {
  tensor: Tensor;
  /** False for a tensor that takes no gradient (the data X and y). */
  needed: boolean;
  /** The VJP's result for this input: its share of ∂L/∂input through this node. */
  share: Tensor | null;
  /** The gradient the input held from consumers visited earlier; non-null makes this a join. */
  before: Tensor | null;
  /** before + share, or share alone: the input's gradient after this step. */
  after: Tensor | null;
}

export interface NodeStep {
  node: Node;
  /** g = ∂L/∂(the node's output), complete when the node is visited. */
  upstream: Tensor;
  inputs: InputStep[];
}

export interface BackwardWalk {
  steps: NodeStep[];
  /** ∂L/∂t of every tensor reached (the loss's own is 1). */
  totals: Map<Tensor, Tensor>;
}

/** Walks the backward pass of the scalar `loss`; its graph stays as it was (nothing is released). */
export function walkBackward(loss: Tensor): BackwardWalk {
  const nodes = ancestors(loss, 'walkBackward', 'record the loss again before walking its backward pass').reverse();
  const totals = new Map<Tensor, Tensor>([[loss, ones(loss.shape)]]);
  const steps: NodeStep[] = [];
  noGrad(() => {
    for (const node of nodes) {
      const upstream = totals.get(node.output);
      if (upstream === undefined) continue; // not on a path to the loss (cannot happen for ancestors)
      const inputs = node.inputs!;
      const needs = inputs.map((x) => x.requiresGrad);
      const shares = node.op.vjp(upstream, { inputs, output: node.output, attrs: node.attrs, needs });
      const record: InputStep[] = inputs.map((tensor, i) => {
        const share = needs[i] ? shares[i] ?? null : null;
        const before = share === null ? null : totals.get(tensor) ?? null;
        const after = share === null ? null : before === null ? share : add(before, share);
        if (after !== null) totals.set(tensor, after);
        return { tensor, needed: needs[i]!, share, before, after };
      });
      steps.push({ node, upstream, inputs: record });
    }
  });
  return { steps, totals };
}

