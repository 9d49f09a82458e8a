/** toDot: a digraph with every node, shapes on every edge, Σ at joins, clusters and collapsed boxes. */
import { backward, mlpTensorNames, moduleGroups } from '../../index';
import { describeGraph, toDot } from '../../viz';
import { parseDot } from './dot-parse';
import { diamond, tracedXor } from './nets';

function xorDescription(gradients = false) {
  const { loss, model, X, y } = tracedXor();
  const names = mlpTensorNames(model, { preActivation: 'A', activation: 'O' });
  names.set(X, 'X').set(y, 'y');
  const grads = gradients ? backward(loss, { retainGraph: true }) : undefined;
  return describeGraph(loss, { names, groups: moduleGroups(model), gradients: grads });
}

const SHAPE = /\[(\d+(, \d+)*)?\]/;

describe('toDot', () => {
  it('writes a digraph that declares every node and only connects declared nodes', () => {
    const d = xorDescription();
    const g = parseDot(toDot(d));
    expect(g.kind).toBe('digraph');
    for (const n of d.nodes) expect(g.nodes.has(n.key)).toBe(true);
    for (const e of g.edges) {
      expect(g.nodes.has(e.from)).toBe(true);
      expect(g.nodes.has(e.to)).toBe(true);
    }
    // The description's 21 edges: 19 single uses, and sub's result used twice by mul, which
    // becomes one edge into Σ and two out of it; then the legend's invisible hook.
    expect(d.edges).toHaveLength(21);
    expect(g.edges).toHaveLength(19 + 3 + 1);
  });

  it('labels every visible edge with its shape', () => {
    const g = parseDot(toDot(xorDescription()));
    const visible = g.edges.filter((e) => e.attrs.style !== 'invis');
    expect(visible.length).toBeGreaterThan(20);
    for (const e of visible) expect(e.attrs.label ?? e.attrs.headlabel).toMatch(SHAPE);
    const labels = visible.map((e) => e.attrs.label ?? '');
    expect(labels).toContain('[8, 2]');
    expect(labels.some((l) => l.includes('<b>A1</b> [8, 4]'))).toBe(true);
  });

  it('adds ‖∂L/∂t‖ to the edge labels after a backward pass', () => {
    const g = parseDot(toDot(xorDescription(true)));
    const labels = g.edges.map((e) => e.attrs.label ?? '');
    expect(labels.some((l) => l.includes('‖∂L/∂W1‖'))).toBe(true);
    expect(labels.some((l) => l.includes('‖∂L/∂A3‖'))).toBe(true);
    expect(parseDot(toDot(xorDescription(false))).edges.some((e) => (e.attrs.label ?? '').includes('∂L'))).toBe(false);
  });

  it('with gradientWidths, draws wider edges for larger gradient norms, on a log scale', () => {
    const d = xorDescription(true);
    const g = parseDot(toDot(d, { gradientWidths: true }));
    const widthOf = (from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.attrs.penwidth;
    const drawn = d.edges.filter((e) => e.gradNorm !== undefined && !e.join).map((e) => ({ norm: e.gradNorm!, width: Number(widthOf(e.from, e.to)) }));
    expect(drawn.length).toBeGreaterThan(10);
    const largest = Math.max(...drawn.map((e) => e.norm));
    for (const e of drawn) {
      // The width the doc comment states: 5 at the largest norm, 1.1 less per decade below it, 0.6 from four decades down.
      const decades = Math.max(-4, Math.log10(e.norm / largest));
      expect(e.width).toBeCloseTo(0.6 + 4.4 * (1 + decades / 4), 2);
    }
    for (const a of drawn) for (const b of drawn) if (a.norm > b.norm) expect(a.width).toBeGreaterThanOrEqual(b.width);
    // Tensors the pass did not reach (the targets y) keep the default width; without the option no edge has one.
    const y = d.nodes.find((n) => n.name === 'y')!.key;
    expect(g.edges.find((e) => e.from === y)!.attrs.penwidth).toBeUndefined();
    expect(parseDot(toDot(d)).edges.some((e) => e.attrs.penwidth !== undefined)).toBe(false);
    expect(() => toDot(d, { gradientWidths: 'yes' as unknown as boolean })).toThrow(/toDot: gradientWidths must be/);
  });

  it('routes a join through a Σ node that feeds both branches of a diamond', () => {
    const { x, t, loss } = diamond();
    const d = describeGraph(loss, { names: new Map([[x, 'x'], [t, 't']]) });
    const g = parseDot(toDot(d));
    const sigmas = [...g.nodes].filter(([, a]) => a.label === 'Σ').map(([k]) => k);
    expect(sigmas).toHaveLength(1);
    const producer = d.nodes.find((n) => n.name === 't')!.key;
    expect(g.edges.filter((e) => e.from === producer).map((e) => e.to)).toEqual(sigmas);
    const heads = g.edges.filter((e) => e.from === sigmas[0]).map((e) => d.nodes.find((n) => n.key === e.to)!.op);
    expect(heads.sort()).toEqual(['mul', 'sin']);
  });

  it('draws parameters, inputs, ops, the output and joins each in their own style', () => {
    const d = xorDescription();
    const g = parseDot(toDot(d));
    const style = (kind: string) => {
      const n = d.nodes.find((m) => m.kind === kind)!;
      const a = g.nodes.get(n.key)!;
      return `${a.shape} ${a.fillcolor}`;
    };
    const sigma = [...g.nodes.values()].find((a) => a.label === 'Σ')!;
    const styles = [style('parameter'), style('input'), style('op'), style('output'), `${sigma.shape} ${sigma.fillcolor}`];
    expect(new Set(styles).size).toBe(5);
    expect(style('output')).toMatch(/^doubleoctagon/);
  });

  it('frames each layer in a cluster with its own parameters', () => {
    const d = xorDescription();
    const g = parseDot(toDot(d, { layers: 'clusters' }));
    expect([...g.subgraphs.keys()]).toEqual(['cluster_0', 'cluster_1', 'cluster_2']);
    const labelOf = (key: string) => d.nodes.find((n) => n.key === key)!.label;
    expect(g.subgraphs.get('cluster_1')!.map(labelOf)).toEqual(['W2', 'matmul', 'b2', 'add', 'sigmoid']);
    expect(parseDot(toDot(d, { layers: 'flat' })).subgraphs.size).toBe(0);
  });

  it('collapses each layer into one box, so fewer nodes are drawn', () => {
    const d = xorDescription(true);
    const full = parseDot(toDot(d, { layers: 'clusters' }));
    const boxes = parseDot(toDot(d, { layers: 'boxes' }));
    expect(boxes.nodes.size).toBeLessThan(full.nodes.size);
    // X, y, three boxes, sub, mul, sum, the output, Σ and the legend.
    expect(boxes.nodes.size).toBe(11);
    const box = boxes.nodes.get('g0')!;
    expect(box.label).toContain('layer 1');
    expect(box.label).toContain('W1 [2, 4]');
    expect(box.label).toContain('‖∂L/∂W1‖');
    expect(boxes.edges.filter((e) => e.from === 'g0').map((e) => e.to)).toEqual(['g1']);
  });

  it('escapes names that look like markup', () => {
    const { x, t, loss } = diamond();
    const text = toDot(describeGraph(loss, { names: new Map([[x, 'x<&>"'], [t, 'a"b']]) }), { title: 'a <b> & "c"' });
    const g = parseDot(text);
    expect([...g.nodes.values()].some((a) => (a.label ?? '').includes('x&lt;&amp;&gt;&quot;'))).toBe(true);
  });
});
