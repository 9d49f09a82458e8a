/**
 * The graph behind a tensor as plain JSON: every node the tensor depends on and every tensor that
 * flows between them, ready to be drawn (viz/dot.ts) or inspected. Nodes are ops, parameters,
 * inputs, constants and the output itself; edges are tensors, with their shapes. A tensor that
 * feeds several inputs is marked as a join: in the backward pass the gradients arriving over
 * those paths are summed there (the total derivative, the slides' "sum over paths").
 */
import { ArgumentError, GraphError, Tensor, asTensor, describe } from '../lib';
import { boolIn, optionsIn } from '../lib/args';
import { Gradients, Node, ancestors, nodeOf } from '../graph';
import { ValueSummary, l2Norm, summarizeAttrs, summarizeValues } from './summaries';

/**
 * What a node of the picture stands for. 'op' is one application of an operation; 'parameter' a
 * leaf that requires a gradient; 'input' a leaf that does not (data, targets); 'constant' an
 * unnamed one-element leaf such as the 2 in x²; 'output' the traced tensor itself (the loss).
 */
export type VizNodeKind = 'op' | 'parameter' | 'input' | 'constant' | 'output';

export interface VizNode {
  /** Unique within the description: `n<id>` for an op (its engine id), `t<k>` for a leaf, `out`. */
  key: string;
  kind: VizNodeKind;
  /** The op's name for an op; the tensor's name (or its value, for a constant) otherwise. */
  label: string;
  /** The op's name (ops only). */
  op?: string;
  /** The engine's node id (ops only): increasing ids are a topological order. */
  graphId?: number;
  /** The op's attributes in one line (ops only, when it has any). */
  attrs?: string;
  /** The shape of the tensor this node produces (an op) or is (a leaf, the output). */
  shape: number[];
  /** The name given to the tensor this node produces or is, if any. */
  name?: string;
  /** How many node inputs consume this node's tensor; more than one makes it a join. */
  fanOut: number;
  /** Index in GraphDescription.groups of the module that created this op. */
  group?: number;
  /** The module path of a named parameter, when names came from a module (e.g. net.0.W). */
  path?: string;
  /** Summary of the node's tensor (with { values: true }, and always for a one-element output). */
  value?: ValueSummary;
}

export interface VizEdge {
  /** Key of the node that produced the tensor. */
  from: string;
  /** Key of the node that consumes it. */
  to: string;
  /** Which input of `to` the tensor is (0-based). */
  slot: number;
  shape: number[];
  /** The tensor feeds several inputs, so its gradient is summed over paths. */
  join: boolean;
  /** The tensor's values ({ values: true }). */
  value?: ValueSummary;
  /** ‖∂L/∂t‖₂ of the tensor, when gradients were given and the pass reached it. */
  gradNorm?: number;
}

/** A tensor consumed by several inputs: where the backward pass sums gradients. */
export interface VizJoin {
  /** Key of the node that produced the tensor. */
  from: string;
  /** Keys of the consuming nodes, one per input slot (a node may appear twice, as in x ⊙ x). */
  to: string[];
  shape: number[];
  /** ‖∂L/∂t‖₂, the norm of the summed gradient, when gradients were given. */
  gradNorm?: number;
}

/** A range of node ids created by one module (see nn/sequential.ts): drawn as one box or cluster. */
export interface NodeGroup {
  /** A short title such as "layer 1". */
  label: string;
  /** What the module is, e.g. "Linear(2 → 4) · Sigmoid". */
  detail?: string;
  /** The engine ids [first, end) of the nodes the module created. */
  span: readonly [first: number, end: number];
}

export interface GraphDescription {
  /** Ops in increasing id (a topological order), leaves where first used, the output last. */
  nodes: VizNode[];
  edges: VizEdge[];
  joins: VizJoin[];
  groups: NodeGroup[];
  /** Key of the output node. */
  output: string;
  /** True when a Gradients object was given: edges then carry gradient norms. */
  withGradients: boolean;
}

/** Names for tensors: a Map, or [name, tensor] pairs such as a Module's namedParameters(). */
export type TensorNames = ReadonlyMap<Tensor, string> | Iterable<readonly [string, Tensor]>;

export interface DescribeOptions {
  /** Names to show for tensors: parameters (W1, b1), inputs (X, y) or intermediates (Z1). */
  names?: TensorNames;
  /** Module paths of parameters, shown as a tooltip (e.g. a Module's namedParameters()). */
  paths?: TensorNames;
  /** Gradients of a backward pass over the same graph (run it with { retainGraph: true }). */
  gradients?: Gradients;
  /** Summarise every tensor's values (min, max, mean, norm). Default false. */
  values?: boolean;
  /** Node-id ranges of modules, for boxes per layer (e.g. moduleGroups(model)). */
  groups?: readonly NodeGroup[];
  /** The output's label (default: its name, or "output"). */
  outputLabel?: string;
}

/** Names as a Map, checked: `option` is which option of describeGraph they came in. */
function toNameMap(names: TensorNames | undefined, option: string): Map<Tensor, string> {
  if (names === undefined) return new Map();
  const map = new Map<Tensor, string>();
  const entry = (t: unknown, name: unknown, where: string) => {
    if (!(t instanceof Tensor) || typeof name !== 'string') {
      throw new ArgumentError(`describeGraph: ${option}${where} must pair a tensor with a string name, got ${describe(t)} and ${describe(name)}`);
    }
    map.set(t, name);
  };
  if (names instanceof Map) {
    for (const [t, name] of names) entry(t, name, '');
    return map;
  }
  if (names === null || typeof names !== 'object' || typeof (names as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
    throw new ArgumentError(`describeGraph: ${option} must be a Map from tensors to names or [name, tensor] pairs (such as namedParameters()), got ${describe(names)}`);
  }
  let i = 0;
  for (const pair of names as Iterable<unknown>) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new ArgumentError(`describeGraph: ${option}[${i}] must be a [name, tensor] pair, got ${describe(pair)}`);
    entry(pair[1], pair[0], `[${i}]`);
    i++;
  }
  return map;
}

/** Checks describeGraph's options, naming the one that is wrong. */
function checkDescribeOptions(options: unknown): DescribeOptions {
  const o = optionsIn('describeGraph', options);
  if (o.gradients !== undefined && !(o.gradients instanceof Gradients)) throw new ArgumentError(`describeGraph: gradients must be the result of backward(…), got ${describe(o.gradients)}`);
  boolIn('describeGraph', 'values', o.values, false);
  if (o.outputLabel !== undefined && typeof o.outputLabel !== 'string') throw new ArgumentError(`describeGraph: outputLabel must be a string, got ${describe(o.outputLabel)}`);
  if (o.groups !== undefined) {
    if (!Array.isArray(o.groups)) throw new ArgumentError(`describeGraph: groups must be an array of { label, span: [first, end] } (such as moduleGroups(model)), got ${describe(o.groups)}`);
    o.groups.forEach((g: unknown, i) => {
      const v = (g !== null && typeof g === 'object' ? g : {}) as Partial<NodeGroup>;
      const span: unknown = v.span;
      const ok = typeof v.label === 'string' && (v.detail === undefined || typeof v.detail === 'string') &&
        Array.isArray(span) && span.length === 2 && span.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0) && span[0] <= span[1];
      if (!ok) throw new ArgumentError(`describeGraph: groups[${i}] must be { label, detail?, span: [first, end] } with node ids first ≤ end, got ${describe(g)}`);
    });
  }
  return o as DescribeOptions;
}

function groupOf(id: number, groups: readonly NodeGroup[]): number | undefined {
  const i = groups.findIndex((g) => id >= g.span[0] && id < g.span[1]);
  return i < 0 ? undefined : i;
}

/**
 * Describes the graph that computed `output`: its ops, leaves and edges with shapes, the joins
 * where gradients are summed and, with { gradients }, the gradient norm of every edge's tensor.
 * Throws a GraphError when the graph was released by a backward pass without { retainGraph }.
 */
export function describeGraph(output: Tensor, options: DescribeOptions = {}): GraphDescription {
  if (!(output instanceof Tensor)) throw new GraphError(`describeGraph: expected the output tensor (a loss) to describe, got ${describe(output)}`);
  asTensor('describeGraph', output, 'the output');
  options = checkDescribeOptions(options);
  const names = toNameMap(options.names, 'names');
  const paths = toNameMap(options.paths, 'paths');
  const groups = [...(options.groups ?? [])];
  const grads = options.gradients;

  const graphNodes = ancestors(output, 'describeGraph', 'run that backward pass with { retainGraph: true } to draw the graph afterwards');
  const nodes: VizNode[] = [];
  const edges: VizEdge[] = [];
  const keyOf = new Map<Tensor, string>();
  const consumers = new Map<Tensor, string[]>();

  const summaries = new Map<Tensor, ValueSummary>();
  const summaryOf = (t: Tensor): ValueSummary => summaries.get(t) ?? summaries.set(t, summarizeValues(t)).get(t)!;
  let leaves = 0;
  const leafNode = (x: Tensor): string => {
    const known = keyOf.get(x);
    if (known !== undefined) return known;
    const key = `t${leaves++}`;
    keyOf.set(x, key);
    const name = names.get(x);
    const kind: VizNodeKind = x.requiresGrad ? 'parameter' : name !== undefined || x.size !== 1 ? 'input' : 'constant';
    const label = name ?? (kind === 'constant' ? summarizeAttrs(x)! : kind);
    nodes.push({ key, kind, label, shape: [...x.shape], name, path: paths.get(x), fanOut: 0, value: options.values ? summaryOf(x) : undefined });
    return key;
  };

  for (const node of graphNodes) {
    const key = `n${node.id}`;
    const out = node.output;
    keyOf.set(out, key);
    node.inputs!.forEach((x, slot) => {
      const from = nodeOf(x) === null ? leafNode(x) : keyOf.get(x)!;
      const list = consumers.get(x) ?? [];
      list.push(key);
      consumers.set(x, list);
      edges.push({ from, to: key, slot, shape: [...x.shape], join: false });
    });
    nodes.push({
      key,
      kind: 'op',
      label: node.op.name,
      op: node.op.name,
      graphId: node.id,
      attrs: summarizeAttrs(node.attrs),
      shape: [...out.shape],
      name: names.get(out),
      fanOut: 0,
      group: groupOf(node.id, groups),
      value: options.values ? summaryOf(out) : undefined,
    });
  }

  // The output gets a node of its own after its producer; an output that is a leaf stands alone.
  const outputLabel = options.outputLabel ?? names.get(output) ?? 'output';
  const scalarValue = output.size === 1 || options.values ? summaryOf(output) : undefined;
  const outputNode: VizNode = { key: 'out', kind: 'output', label: outputLabel, shape: [...output.shape], name: names.get(output), fanOut: 0, value: scalarValue };
  const producer = nodeOf(output);
  if (producer !== null) edges.push({ from: `n${producer.id}`, to: 'out', slot: 0, shape: [...output.shape], join: false });
  nodes.push(outputNode);

  const gradNormOf = (t: Tensor): number | undefined => (grads !== undefined && grads.has(t) ? l2Norm(grads.get(t)) : undefined);
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const tensorOfKey = new Map<string, Tensor>([...keyOf].map(([t, k]) => [k, t]));
  const joins: VizJoin[] = [];
  for (const [t, list] of consumers) {
    const key = keyOf.get(t)!;
    byKey.get(key)!.fanOut = list.length;
    if (list.length > 1) joins.push({ from: key, to: list, shape: [...t.shape], gradNorm: gradNormOf(t) });
  }
  for (const e of edges) {
    const t = tensorOfKey.get(e.from)!;
    e.join = (consumers.get(t)?.length ?? 0) > 1;
    if (options.values) e.value = summaryOf(t);
    if (grads !== undefined) e.gradNorm = gradNormOf(t);
  }
  return { nodes, edges, joins, groups, output: 'out', withGradients: grads !== undefined };
}
