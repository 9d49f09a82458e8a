/**
 * A graph description (viz/graph-export.ts) as Graphviz DOT. Every edge is labelled with its
 * tensor's name and shape (and ‖∂L/∂t‖ when gradients were described); a tensor used by several
 * inputs passes through a Σ node, the point where the backward pass sums its gradients.
 * Layers can be drawn flat, as clusters around their ops, or collapsed to one box each, which
 * keeps nets of hundreds of ops readable.
 */
import { ArgumentError, Tensor, describe } from '../lib';
import { boolIn, choiceIn, optionsIn } from '../lib/args';
import { GraphDescription, VizEdge, VizNode } from './graph-export';
import { EDGE, FONT, PALETTE, esc, gradText, legendLabel, nodeAttributes, nodeLabel, nodeTooltip, quote, small } from './dot-style';
import { shapeText } from './summaries';

/** How module groups are drawn: not at all, as a frame around their ops, or as one box each. */
export type LayerStyle = 'flat' | 'clusters' | 'boxes';

export interface DotOptions {
  /** Default 'clusters' (the same as 'flat' when the description has no groups). */
  layers?: LayerStyle;
  /** A title above the picture. */
  title?: string;
  /** Direction of the data flow: top to bottom (default) or left to right. */
  direction?: 'TB' | 'LR';
  /** Show the engine's node id under each op (default true). */
  showIds?: boolean;
  /** Draw a key to the colours (default true). */
  legend?: boolean;
  /**
   * Draw each edge with a width that grows with its tensor's gradient norm (default false): the
   * largest ‖∂L/∂t‖ in the graph gets the widest line, and each decade below it a thinner one,
   * down to the thinnest at four decades or more. Needs a description with gradients.
   */
  gradientWidths?: boolean;
}

/** Widths of gradientWidths: the largest gradient, and every norm ≤ 1e-4 of it. */
const WIDEST = 5;
const THINNEST = 0.6;
const DECADES = 4;

/** The penwidth attribute of an edge whose tensor's gradient norm is g, the largest being max. */
function gradientWidth(g: number | undefined, max: number): string {
  if (g === undefined || !(max > 0)) return '';
  const decades = g > 0 ? Math.max(-DECADES, Math.log10(g / max)) : -DECADES;
  return `, penwidth=${(THINNEST + (WIDEST - THINNEST) * (1 + decades / DECADES)).toFixed(2)}`;
}

/**
 * Where each node is drawn: the index of the group it belongs to, or undefined outside groups.
 * Ops belong to their module's group; a parameter or constant belongs to the group that uses it
 * when every use is in that one group (W1 sits in layer 1's box). Inputs stay outside.
 */
function homes(d: GraphDescription): Map<string, number | undefined> {
  const home = new Map<string, number | undefined>(d.nodes.map((n) => [n.key, n.kind === 'op' ? n.group : undefined]));
  const usedIn = new Map<string, Set<number | undefined>>();
  for (const e of d.edges) {
    const set = usedIn.get(e.from) ?? new Set();
    set.add(home.get(e.to));
    usedIn.set(e.from, set);
  }
  for (const n of d.nodes) {
    if (n.kind !== 'parameter' && n.kind !== 'constant') continue;
    const groups = [...(usedIn.get(n.key) ?? [])];
    if (groups.length === 1 && groups[0] !== undefined) home.set(n.key, groups[0]);
  }
  return home;
}

/**
 * The label of an edge: the tensor's name and shape, and its gradient norm when known. Value
 * summaries are shown on the producing node, not repeated here.
 */
function edgeLabel(e: VizEdge, name: string | undefined, gradName: string | undefined, full: boolean): string {
  const head = name !== undefined && full ? `<b>${esc(name)}</b> ${esc(shapeText(e.shape))}` : esc(shapeText(e.shape));
  const lines = [head];
  if (full && e.gradNorm !== undefined) lines.push(`<font color="${EDGE.grad}">${esc(gradText(e.gradNorm, gradName))}</font>`);
  return `<${lines.join('<br/>')}>`;
}

/** The one-box summary of a collapsed group: its module, its ops by count, its own parameters. */
function boxLabel(d: GraphDescription, group: number, members: VizNode[], paramGrads: Map<string, number>): string {
  const g = d.groups[group]!;
  const ops = new Map<string, number>();
  for (const n of members) if (n.kind === 'op') ops.set(n.label, (ops.get(n.label) ?? 0) + 1);
  const opText = [...ops].map(([name, k]) => (k > 1 ? `${k}× ${name}` : name)).join(' · ');
  const lines = [`<b>${esc(g.label)}</b>`];
  if (g.detail) lines.push(esc(g.detail));
  lines.push(small(`${opText} (${[...ops.values()].reduce((a, b) => a + b, 0)} ops)`));
  for (const p of members.filter((n) => n.kind === 'parameter')) {
    const grad = paramGrads.get(p.key);
    const gradPart = grad === undefined ? '' : `&#160;&#160;<font point-size="10" color="${EDGE.grad}">${esc(gradText(grad, p.label))}</font>`;
    lines.push(`<font point-size="10" color="${PALETTE.parameter.border}">${esc(p.label)} ${esc(shapeText(p.shape))}</font>${gradPart}`);
  }
  return `<${lines.join('<br/>')}>`;
}

const KINDS = ['op', 'parameter', 'input', 'constant', 'output'];

const isShape = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'number');

/** Checks that `d` is a graph description as describeGraph makes it, naming the first part that is not. */
function checkDescription(who: string, d: unknown): asserts d is GraphDescription {
  if (d instanceof Tensor) throw new ArgumentError(`${who}: expected a graph description, got a tensor; describe it first: ${who}(describeGraph(loss))`);
  const o = (d !== null && typeof d === 'object' ? d : null) as Partial<GraphDescription> | null;
  if (o === null || !Array.isArray(o.nodes) || !Array.isArray(o.edges) || !Array.isArray(o.groups) || typeof o.output !== 'string' || typeof o.withGradients !== 'boolean') {
    throw new ArgumentError(`${who}: expected a graph description { nodes, edges, joins, groups, output, withGradients } (from describeGraph), got ${describe(d)}`);
  }
  const bad = (what: string, value: unknown): never => {
    throw new ArgumentError(`${who}: ${what} is not part of a graph description as describeGraph makes it, got ${describe(value)}`);
  };
  o.nodes.forEach((n: unknown, i) => {
    const v = (n !== null && typeof n === 'object' ? n : {}) as Partial<VizNode>;
    const ok = typeof v.key === 'string' && KINDS.includes(v.kind as string) && typeof v.label === 'string' && isShape(v.shape) &&
      typeof v.fanOut === 'number' && (v.attrs === undefined || typeof v.attrs === 'string') && (v.path === undefined || typeof v.path === 'string') &&
      (v.name === undefined || typeof v.name === 'string') && (v.group === undefined || (Number.isInteger(v.group) && v.group! >= 0 && v.group! < o.groups!.length)) &&
      (v.value === undefined || (v.value !== null && typeof v.value === 'object' && typeof v.value.mean === 'number'));
    if (!ok) bad(`nodes[${i}]`, n);
  });
  o.edges.forEach((e: unknown, i) => {
    const v = (e !== null && typeof e === 'object' ? e : {}) as Partial<VizEdge>;
    const ok = typeof v.from === 'string' && typeof v.to === 'string' && typeof v.slot === 'number' && isShape(v.shape) &&
      typeof v.join === 'boolean' && (v.gradNorm === undefined || typeof v.gradNorm === 'number');
    if (!ok) bad(`edges[${i}]`, e);
  });
  o.groups.forEach((g: unknown, i) => {
    const v = (g !== null && typeof g === 'object' ? g : {}) as { label?: unknown; detail?: unknown; span?: unknown };
    const ok = typeof v.label === 'string' && (v.detail === undefined || typeof v.detail === 'string') &&
      Array.isArray(v.span) && v.span.length === 2 && v.span.every((x) => typeof x === 'number');
    if (!ok) bad(`groups[${i}]`, g);
  });
}

/** Checks toDot's options, naming the one that is wrong. */
function checkDotOptions(options: unknown): DotOptions {
  const o = optionsIn('toDot', options);
  choiceIn('toDot', 'layers', o.layers, ['flat', 'clusters', 'boxes'], 'clusters');
  if (o.title !== undefined && typeof o.title !== 'string') throw new ArgumentError(`toDot: title must be a string, got ${describe(o.title)}`);
  choiceIn('toDot', 'direction', o.direction, ['TB', 'LR'], 'TB');
  boolIn('toDot', 'showIds', o.showIds, true);
  boolIn('toDot', 'legend', o.legend, true);
  boolIn('toDot', 'gradientWidths', o.gradientWidths, false);
  return o as DotOptions;
}

/** Graphviz DOT text for a graph description. */
export function toDot(d: GraphDescription, options: DotOptions = {}): string {
  checkDescription('toDot', d);
  options = checkDotOptions(options);
  const style: LayerStyle = d.groups.length === 0 ? 'flat' : options.layers ?? 'clusters';
  const showIds = options.showIds ?? true;
  const home = style === 'flat' ? new Map<string, number | undefined>() : homes(d);
  const byKey = new Map(d.nodes.map((n) => [n.key, n]));
  const shown = (key: string): string => (style === 'boxes' && home.get(key) !== undefined ? `g${home.get(key)}` : key);
  const largestGradient = options.gradientWidths ? d.edges.reduce((m, e) => Math.max(m, e.gradNorm ?? 0), 0) : 0;
  const width = (e: VizEdge): string => (options.gradientWidths ? gradientWidth(e.gradNorm, largestGradient) : '');

  const out: string[] = [
    'digraph deltagraph {',
    `  graph [rankdir=${options.direction ?? 'TB'}, fontname=${quote(FONT)}, fontsize=13, nodesep=0.3, ranksep=0.38, pad=0.25, newrank=true${options.title ? `, label=<<b>${esc(options.title)}</b>>, labelloc=t` : ''}];`,
    `  node [fontname=${quote(FONT)}, fontsize=11, penwidth=1.1];`,
    `  edge [fontname=${quote(FONT)}, fontsize=9, color="${EDGE.line}", fontcolor="${EDGE.label}", arrowsize=0.65, penwidth=1.1];`,
  ];

  // Nodes, grouped into clusters or replaced by one box per group.
  const members = new Map<number, VizNode[]>();
  const outside: VizNode[] = [];
  for (const n of d.nodes) {
    const g = home.get(n.key);
    if (g === undefined) outside.push(n);
    else members.set(g, [...(members.get(g) ?? []), n]);
  }
  // Ops and the output share a Graphviz group, which keeps the data path straight and pushes
  // parameters to its sides instead of letting each layer drift sideways.
  const nodeLine = (n: VizNode, indent: string) => {
    const spine = n.kind === 'op' || n.kind === 'output' ? ', group=spine' : '';
    return `${indent}${quote(n.key)} [${nodeAttributes(n.kind, nodeLabel(n, showIds), nodeTooltip(n))}${spine}];`;
  };
  for (const n of outside) out.push(nodeLine(n, '  '));
  const paramGrads = new Map<string, number>();
  for (const e of d.edges) if (e.gradNorm !== undefined && byKey.get(e.from)?.kind === 'parameter') paramGrads.set(e.from, e.gradNorm);
  for (const [g, list] of [...members].sort((a, b) => a[0] - b[0])) {
    const group = d.groups[g]!;
    if (style === 'boxes') {
      const tip = `${group.label}: ${group.detail ?? ''} (nodes ${group.span[0]} … ${group.span[1] - 1})`;
      out.push(`  ${quote(`g${g}`)} [${nodeAttributes('module', boxLabel(d, g, list, paramGrads), tip)}];`);
    } else {
      const title = `<<b>${esc(group.label)}</b>${group.detail ? `  ${small(group.detail, '#4a5566', 10)}` : ''}>`;
      out.push(`  subgraph ${quote(`cluster_${g}`)} {`);
      out.push(`    graph [label=${title}, labeljust=l, style="rounded,filled", fillcolor="${PALETTE.cluster.fill}", color="${PALETTE.cluster.border}", margin=10];`);
      for (const n of list) out.push(nodeLine(n, '    '));
      out.push('  }');
    }
  }

  // Edges, grouped by tensor (its producer): one use is a plain edge, several go through Σ.
  const uses = new Map<string, VizEdge[]>();
  for (const e of d.edges) uses.set(e.from, [...(uses.get(e.from) ?? []), e]);
  for (const [from, list] of uses) {
    const tail = shown(from);
    const producer = byKey.get(from);
    // Leaves are named on their node; an op's named result (Z1, A1) is named on its edges.
    const name = producer?.kind === 'op' ? producer.name : undefined;
    const gradName = producer?.name;
    const targets: VizEdge[] = [];
    const seen = new Set<string>();
    for (const e of list) {
      const head = shown(e.to);
      if (head === tail) continue; // inside one collapsed box
      if (head !== e.to && seen.has(head)) continue; // one arrow per box, whichever of its inputs it feeds
      seen.add(head);
      targets.push(e);
    }
    if (targets.length === 0) continue;
    const first = targets[0]!;
    if (targets.length === 1) {
      // A parameter or constant may sit beside the op it feeds (same rank), so a layer's
      // weights do not take a rank of their own and push the next layer sideways.
      const beside = producer?.kind === 'parameter' || producer?.kind === 'constant' ? ', minlen=0' : '';
      out.push(`  ${quote(tail)} -> ${quote(shown(first.to))} [label=${edgeLabel(first, name, gradName, true)}${beside}${width(first)}];`);
      continue;
    }
    const sigma = `sum_${from}`;
    const tip = `${name ?? producer?.label ?? from} ${shapeText(first.shape)} feeds ${targets.length} inputs: the backward pass adds the ${targets.length} gradients that come back here`;
    out.push(`  ${quote(sigma)} [${nodeAttributes('join', '"Σ"', tip)}, fontcolor="${EDGE.join}"];`);
    out.push(`  ${quote(tail)} -> ${quote(sigma)} [label=${edgeLabel(first, name, gradName, true)}, arrowhead=none${width(first)}];`);
    const into = new Map<string, number>();
    for (const e of targets) {
      const head = shown(e.to);
      const k = into.get(head) ?? 0;
      into.set(head, k + 1);
      // Parallel arrows into one op (x ⊙ x) would stack their mid-edge labels on each other;
      // the second and later ones carry theirs next to the arrowhead instead.
      const label = k === 0 ? `label=${edgeLabel(e, name, gradName, false)}` : `headlabel=${edgeLabel(e, name, gradName, false)}, labeldistance=2.4, labelangle=${k % 2 === 1 ? -40 : 40}`;
      out.push(`  ${quote(sigma)} -> ${quote(head)} [${label}, color="${EDGE.join}", fontcolor="${EDGE.join}"${width(e)}];`);
    }
  }

  if (options.legend ?? true) {
    // Hung below the output by an invisible edge, so the key comes last when reading down.
    out.push(`  legend [shape=plain, label=${legendLabel(d.withGradients)}];`);
    out.push(`  ${quote(shown(d.output))} -> legend [style=invis];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}
