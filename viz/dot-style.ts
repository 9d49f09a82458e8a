/**
 * The look of a graph picture: one colour and shape per kind of node, and the HTML-like labels
 * Graphviz draws (bold titles, small grey details). Kept apart from viz/dot.ts, which decides
 * what is drawn, so that the look can change without touching the structure.
 */
import { VizNode, VizNodeKind } from './graph-export';
import { shapeText, shortNumber } from './summaries';

export const FONT = 'Helvetica';

/** Fill, border and Graphviz shape for each kind of node, plus the join (Σ) and module boxes. */
export const PALETTE = {
  op: { fill: '#e7eefb', border: '#4c6ea8', shape: 'box', style: 'rounded,filled' },
  parameter: { fill: '#fde3c4', border: '#c7711c', shape: 'box', style: 'filled' },
  input: { fill: '#d9f0dd', border: '#3b8a4c', shape: 'box', style: 'filled' },
  constant: { fill: '#f3f3f3', border: '#9a9a9a', shape: 'box', style: 'rounded,filled,dashed' },
  output: { fill: '#f9d4d7', border: '#b3303c', shape: 'doubleoctagon', style: 'filled' },
  join: { fill: '#fff0b3', border: '#c99a00', shape: 'circle', style: 'filled' },
  module: { fill: '#f4f6fa', border: '#8a9ab5', shape: 'box', style: 'rounded,filled' },
  cluster: { fill: '#f7f9fc', border: '#a9b6cc' },
} as const;

/** Colours of the edges and their labels. */
export const EDGE = { line: '#56657a', label: '#2b3440', grad: '#8e2a8c', join: '#b08600' } as const;

/** Escapes text for a Graphviz HTML-like label. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escapes text for a double-quoted DOT string. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Small grey text inside an HTML-like label. */
export function small(text: string, color = '#5f6b7a', size = 9): string {
  return `<font point-size="${size}" color="${color}">${esc(text)}</font>`;
}

/** ‖∂L/∂name‖ = value, the gradient norm written as on the slides. */
export function gradText(norm: number, name?: string): string {
  return `‖∂L/∂${name ?? '·'}‖ ${shortNumber(norm)}`;
}

/** The node's own lines: title, then shape, attributes and id in small print. */
export function nodeLabel(node: VizNode, showIds: boolean): string {
  const lines: string[] = [];
  switch (node.kind) {
    case 'op': {
      lines.push(`<b>${esc(node.label)}</b>`);
      const detail = [node.attrs, showIds ? `#${node.graphId}` : undefined].filter((s): s is string => s !== undefined);
      if (detail.length > 0) lines.push(small(detail.join(' · ')));
      break;
    }
    case 'constant':
      lines.push(small(node.label, '#444444', 10));
      break;
    case 'output': {
      // The value gets a line of its own: Graphviz underestimates bold text, so "loss = 2.2" on
      // one line would overlap.
      lines.push(`<b>${esc(node.label)}</b>`);
      if (node.value !== undefined && node.shape.length === 0) lines.push(esc(`= ${shortNumber(node.value.mean)}`));
      lines.push(small(shapeText(node.shape)));
      break;
    }
    default:
      lines.push(`<b>${esc(node.label)}</b>`);
      lines.push(small(shapeText(node.shape)));
  }
  if (node.value !== undefined && node.kind !== 'output' && node.kind !== 'constant') {
    const v = node.value;
    lines.push(small(`${shortNumber(v.min)} … ${shortNumber(v.max)}, mean ${shortNumber(v.mean)}`, '#7a8694', 8));
  }
  return `<${lines.join('<br/>')}>`;
}

/** The DOT attributes of a node of the given kind (shape, colours, label, tooltip). */
export function nodeAttributes(kind: VizNodeKind | 'join' | 'module', label: string, tooltip: string): string {
  const p = PALETTE[kind];
  const sizing =
    kind === 'join'
      ? ', width=0.32, height=0.32, fixedsize=true, fontsize=14'
      : kind === 'constant'
        ? ', fontsize=9, margin="0.06,0.02", height=0.2'
        : kind === 'output'
          ? ', margin="0.05,0.03"'
          : ', margin="0.14,0.05"';
  const pen = kind === 'output' || kind === 'parameter' || kind === 'input' ? ', penwidth=1.4' : '';
  return `shape=${p.shape}, style="${p.style}", fillcolor="${p.fill}", color="${p.border}"${pen}${sizing}, label=${label}, tooltip=${quote(tooltip)}`;
}

/** A one-line description of a node for its tooltip. */
export function nodeTooltip(node: VizNode): string {
  const what =
    node.kind === 'op'
      ? `op ${node.label} (node ${node.graphId})${node.attrs ? `, ${node.attrs}` : ''}, output ${shapeText(node.shape)}`
      : `${node.kind} ${node.label} ${shapeText(node.shape)}${node.path ? ` (${node.path})` : ''}`;
  return node.fanOut > 1 ? `${what}; used by ${node.fanOut} inputs, so its gradient is a sum over ${node.fanOut} paths` : what;
}

/** A small key to the colours, drawn as one table. */
export function legendLabel(withGradients: boolean): string {
  const row = (kind: keyof typeof PALETTE, title: string, text: string) =>
    `<tr><td bgcolor="${PALETTE[kind].fill}" border="1" color="${PALETTE[kind].border}" width="36">${esc(title)}</td><td align="left">${small(text, '#333333', 9)}</td></tr>`;
  const rows = [
    row('input', 'X', 'input (no gradient)'),
    row('parameter', 'W', 'parameter (leaf, requires a gradient)'),
    row('op', 'op', 'operation · #node id'),
    row('join', 'Σ', 'tensor used by several inputs: ∂L/∂t sums the paths'),
    row('output', 'loss', 'the output'),
  ];
  const edgeText = withGradients ? 'edge: tensor name, [shape], ‖∂L/∂t‖ after backward' : 'edge: tensor name and [shape]';
  return `<<table border="0" cellborder="0" cellspacing="3" cellpadding="3">${rows.join('')}<tr><td colspan="2" align="left">${small(edgeText, '#333333', 9)}</td></tr></table>>`;
}
