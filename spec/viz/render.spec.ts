/** renderSvg: Graphviz as WebAssembly lays out the XOR graph into well-formed SVG with every op. */
import { mlpTensorNames, moduleGroups } from '../../index';
import { RenderError, describeGraph, renderSvg, renderSvgSync, toDot } from '../../node/viz';
import { tracedXor } from './nets';
import { parseXml } from './xml';

describe('renderSvg', () => {
  const { loss, model, X, y } = tracedXor();
  const names = mlpTensorNames(model).set(X, 'X').set(y, 'y');
  const d = describeGraph(loss, { names, groups: moduleGroups(model) });
  const dot = toDot(d, { title: 'XOR' });
  let svg = '';

  beforeAll(async () => {
    svg = await renderSvg(dot);
  });

  it('gives a well-formed SVG document', () => {
    const doc = parseXml(svg);
    expect(doc.root).toBe('svg');
    expect(doc.elements.filter((e) => e.name === 'g' && e.attrs.class === 'node').length).toBeGreaterThan(0);
  });

  it('draws every node of the description and shows every op name', () => {
    const doc = parseXml(svg);
    // Graphviz titles each drawn node with its id: every node of the description is there.
    const drawn = new Set(doc.elements.filter((e) => e.name === 'title').map((e) => e.text));
    for (const n of d.nodes) expect(drawn.has(n.key)).toBe(true);
    const texts = doc.elements.filter((e) => e.name === 'text').map((e) => e.text.trim());
    for (const op of new Set(d.nodes.filter((n) => n.kind === 'op').map((n) => n.op!))) expect(texts).toContain(op);
    for (const name of ['X', 'y', 'W1', 'b3', 'Σ']) expect(texts).toContain(name);
    expect(texts).toContain('[8, 4]');
  });

  it('lays out the same picture synchronously', () => {
    expect(renderSvgSync(dot)).toBe(svg);
  });

  it('reports DOT that Graphviz cannot read as a RenderError naming the fault', async () => {
    await expect(renderSvg('digraph { a -> ; }')).rejects.toThrow(RenderError);
    expect(() => renderSvgSync('not a graph')).toThrow(/syntax error in line 1/);
  });
});
