/** deltagraph graph: examples and saved models as JSON, DOT and SVG; usage errors exit 2 in one line. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MLP, MLPOptions, saveModel } from '../../node';
import type { GraphDescription } from '../../viz';
import { parseDot } from '../viz/dot-parse';
import { parseXml } from '../viz/xml';
import { run } from './run';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-graph-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opsOf = (d: GraphDescription) => d.nodes.filter((n) => n.kind === 'op').map((n) => n.op);

describe('deltagraph graph', () => {
  it('has help, and is listed by the program help', () => {
    const r = run(['graph', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: deltagraph graph xor\|housing\|mnist\|mnist-cnn\|shakespeare\|MODEL\.json/);
    expect(r.out).toContain('--collapse');
    expect(run(['--help']).out).toMatch(/graph\s+draw the computational graph/);
  });

  it.each([
    [['graph'], /expected one example \(xor, housing, mnist, mnist-cnn, shakespeare\) or a saved model file/],
    [['graph', 'cifar'], /'cifar' is neither an example .* nor an existing model file/],
    [['graph', 'xor', '--bogus'], /Unknown option '--bogus'/],
    [['graph', 'xor', '--format', 'png'], /--format must be one of svg, dot, json, got 'png'/],
    [['graph', 'xor', '--batch', '0'], /--batch must be an integer ≥ 1/],
    [['graph', 'xor', '--batch', '9'], /--batch 9 is more than the 8 examples of xor/],
    [['graph', 'xor', 'mnist'], /expected one example/],
  ])('%j is a one-line usage error with exit code 2', (argv, message) => {
    const r = run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('prints the XOR graph as JSON, with every op and a shape on every edge', () => {
    const r = run(['graph', 'xor', '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as GraphDescription;
    expect(opsOf(d)).toEqual(['matmul', 'add', 'sigmoid', 'matmul', 'add', 'sigmoid', 'matmul', 'add', 'sigmoid', 'sub', 'mul', 'sum']);
    expect(d.edges.every((e) => Array.isArray(e.shape))).toBe(true);
    expect(d.nodes.filter((n) => n.kind === 'parameter').map((n) => n.label)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(d.joins).toHaveLength(1);
  });

  it('takes the format from the file extension, and --collapse draws fewer nodes', () => {
    const full = join(dir, 'xor.dot');
    const boxes = join(dir, 'xor.gv');
    expect(run(['graph', 'xor', '--out', full]).code).toBe(0);
    const r = run(['graph', 'xor', '--collapse', '--out', boxes]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`to ${boxes} as dot`);
    const a = parseDot(readFileSync(full, 'utf8'));
    const b = parseDot(readFileSync(boxes, 'utf8'));
    expect(b.nodes.size).toBeLessThan(a.nodes.size);
  });

  it('writes the XOR picture as well-formed SVG with every op name and, with --grads, gradient norms', () => {
    const out = join(dir, 'xor.svg');
    const r = run(['graph', 'xor', '--grads', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/12 ops, 21 edges, 1 joins/);
    const doc = parseXml(readFileSync(out, 'utf8'));
    expect(doc.root).toBe('svg');
    const texts = doc.elements.filter((e) => e.name === 'text').map((e) => e.text.trim());
    for (const op of ['matmul', 'add', 'sigmoid', 'sub', 'mul', 'sum']) expect(texts).toContain(op);
    expect(texts.some((t) => t.startsWith('‖∂L/∂W1‖'))).toBe(true);
  });

  it('traces the housing and MNIST nets of train', () => {
    const housing = JSON.parse(run(['graph', 'housing', '--format', 'json']).out) as GraphDescription;
    expect(opsOf(housing).filter((op) => op === 'relu')).toHaveLength(2);
    expect(housing.nodes.find((n) => n.label === 'X')!.shape).toEqual([4, 8]);
    const mnist = JSON.parse(run(['graph', 'mnist', '--batch', '2', '--format', 'json']).out) as GraphDescription;
    expect(opsOf(mnist)).toContain('logSoftmax');
    expect(mnist.nodes.find((n) => n.label === 'W1')!.shape).toEqual([784, 128]);
    expect(mnist.nodes.find((n) => n.label === 'X')!.shape).toEqual([2, 784]);
  });

  it('rebuilds a saved model from its meta and draws it with its example\'s loss', () => {
    const options: MLPOptions = { layers: [2, 5, 1], hidden: 'tanh', output: 'sigmoid', seed: 3 };
    const path = join(dir, 'model.json');
    saveModel(new MLP(options), path, { example: 'xor', mlp: options });
    const r = run(['graph', path, '--format', 'json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as GraphDescription;
    expect(opsOf(d)).toEqual(['matmul', 'add', 'tanh', 'matmul', 'add', 'sigmoid', 'sub', 'mul', 'sum']);
    expect(d.nodes.find((n) => n.label === 'X')!.shape).toEqual([4, 2]);

    // Without a known example the picture ends at the net's output.
    const bare = join(dir, 'bare.json');
    saveModel(new MLP(options), bare, { mlp: options });
    const o = JSON.parse(run(['graph', bare, '--format', 'json']).out) as GraphDescription;
    expect(opsOf(o)).toEqual(['matmul', 'add', 'tanh', 'matmul', 'add', 'sigmoid']);
    expect(o.nodes.find((n) => n.kind === 'output')!.shape).toEqual([4, 1]);
  });

  it('draws a model exported by PyTorch to ONNX, each ONNX node a layer, tensors by their ONNX names', () => {
    const r = run(['graph', join(__dirname, '..', 'interop', 'fixtures', 'cnn.onnx'), '--format', 'json', '--batch', '2', '--grads']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as GraphDescription;
    // The PyTorch CNN's nodes /0/Conv … /7/Gemm, in order; each frames the deltagraph ops it became.
    expect(d.groups.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(d.groups.map((g) => g.detail)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm']);
    const params = d.nodes.filter((n) => n.kind === 'parameter');
    expect(params.map((n) => [n.label, n.shape])).toEqual([
      ['0.weight', [16, 1, 5, 5]], ['0.bias', [16]], ['3.weight', [32, 16, 5, 5]], ['3.bias', [32]], ['7.weight', [10, 1568]], ['7.bias', [10]],
    ]);
    expect(d.nodes.find((n) => n.kind === 'output')!.shape).toEqual([2, 10]);
    // --grads: the sum of the outputs is differentiated, so every parameter's edge has a norm.
    for (const n of params) expect(d.edges.find((e) => e.from === n.key)!.gradNorm).toBeGreaterThan(0);
  });

  it('refuses an ONNX file it cannot import, in one line naming the importer', () => {
    const broken = join(dir, 'broken.onnx');
    writeFileSync(broken, Uint8Array.from([8, 7, 0xff, 0xff, 0xff]));
    const r = run(['graph', broken]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^deltagraph: fromOnnx: /);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('refuses files that are not saved models, in one line', () => {
    const noMeta = join(dir, 'no-meta.json');
    writeFileSync(noMeta, JSON.stringify({ format: 'deltagraph-model', version: 1, parameters: {}, buffers: {} }));
    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ not json');
    for (const [file, message] of [[noMeta, /no meta\.mlp/], [notJson, /cannot read the model file/]] as const) {
      const r = run(['graph', file]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(1);
    }
  });

  it('reports a file it cannot write with exit code 1', () => {
    const r = run(['graph', 'xor', '--format', 'dot', '--out', join(dir, 'missing', 'x.dot')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot write/);
    expect(r.err.split('\n')).toHaveLength(1);
  });
});
