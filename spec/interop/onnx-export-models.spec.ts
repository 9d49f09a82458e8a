/**
 * toOnnx on whole models, run in ONNX Runtime (onnxruntime-node, in a child process: see ort.ts)
 * and compared with deltagraph's own outputs: the XOR net (2-4-3-1, sigmoid), an MLP 784-128-10,
 * the MNIST CNN (mnistCnn) and a transformer block (GPTBlock: layerNorm, causal multi-head
 * attention, GELU, residual adds), in float32 and, where ONNX Runtime has double kernels for every
 * operator (the MLPs: MatMul, Add, Relu, Sigmoid), in float64; with dynamicBatch, run at a batch
 * size other than the example's. Also: the model's declared inputs and outputs, the errors, and the
 * round trip through fromOnnx (same outputs, same gradient for every parameter).
 *
 * Agreement is the relative error against deltagraph's values b,
 *   rel(a, b) = maxᵢ |aᵢ − bᵢ| / max(|bᵢ|, floor · maxⱼ |bⱼ|)
 * (ort.ts's relativeError): float32 exports (fed float32 values) to 1e-5 with floor 1e-2, float64
 * exports to 1e-12 with floor 1e-3 (see onnx-export.spec.ts for why the floors differ).
 * DELTAGRAPH_ONNX_REPORT=1 prints every measure.
 */
import {
  ArgumentError, AvgPool2d, BatchNorm, BatchNorm2d, Conv2d, ConvTranspose2d, SiLU, LSTM, Tanh, GPTBlock, GraphError, Linear, MLP, Module, ReLU, Sequential, Tensor, add, backward, defineOp, fromOnnx,
  exp, gelu, gpt, greater, mnistCnn, mul, neg, noGrad, rng, sum, takeBackward, tidy, toOnnx, where,
} from '../../node';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ModelProto } from '../../interop/onnx/schema';
import { OrtResult, relativeError, runOrt } from './ort';

const measured: string[] = [];
afterAll(() => {
  if (process.env.DELTAGRAPH_ONNX_REPORT) process.stdout.write(`${measured.join('\n')}\n`);
});

const r = rng(11);
function input(shape: number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return new Tensor(Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r.uniform())), shape);
}

const xor = new MLP({ layers: [2, 4, 3, 1], hidden: 'sigmoid', output: 'sigmoid', seed: 0 });
const mlp = new MLP({ layers: [784, 128, 10], seed: 1 });
const cnn = mnistCnn(2);
const block = new GPTBlock(16, 2);

interface Case {
  title: string;
  bytes: Uint8Array;
  feed: Tensor;
  want: Tensor;
  dtype: 'float32' | 'float64';
  tol?: number;
}
const cases: Case[] = [];
function addCase(title: string, model: Module, example: Tensor, dtype: 'float32' | 'float64', options: { dynamicBatch?: boolean; opset?: number } = {}, feed = example, tol?: number): void {
  const bytes = toOnnx(model, [example], { dtype, ...options });
  cases.push({ title, bytes, feed, want: model.forward(feed), dtype, tol });
}

const xorX = input([8, 2]);
const mlpX = input([4, 784], 0, 1);
const cnnX = input([2, 784], 0, 1);
const blockX = input([2, 5, 16]);
addCase('XOR net float32', xor, xorX, 'float32');
addCase('XOR net float64', xor, xorX, 'float64');
addCase('MLP 784-128-10 float32', mlp, mlpX, 'float32');
addCase('MLP 784-128-10 float64', mlp, mlpX, 'float64');
addCase('MLP 784-128-10 float64, dynamic batch (4 → 7)', mlp, mlpX, 'float64', { dynamicBatch: true }, input([7, 784], 0, 1));
addCase('MLP 784-128-10 float32, opset 13', mlp, mlpX, 'float32', { opset: 13 });
addCase('CNN float32', cnn, cnnX, 'float32');
addCase('CNN float32, dynamic batch (2 → 3)', cnn, cnnX, 'float32', { dynamicBatch: true }, input([3, 784], 0, 1));
addCase('GPTBlock float32', block, blockX, 'float32');
// More layers: convolutions with biases, batch norm in eval mode (trained a step first, so its
// statistics are not the defaults), pooling, an LSTM.
const norm = new BatchNorm2d(4);
norm.forward(input([3, 4, 4, 4]));
const convs = new Sequential(new Conv2d(2, 4, 3, { padding: 1 }), norm, new SiLU(), new AvgPool2d(2), new ConvTranspose2d(4, 3, 2, { stride: 2 }), new Tanh()).eval();
addCase('Conv2d, BatchNorm2d (eval), SiLU, AvgPool2d, ConvTranspose2d float32', convs, input([3, 2, 4, 4]), 'float32', { dynamicBatch: true }, input([2, 2, 4, 4]));
const lstm = new LSTM(3, 4, { numLayers: 2 });
addCase('LSTM (2 layers) float64, dynamic batch (2 → 3)', lstm, input([2, 5, 3]), 'float64', { dynamicBatch: true }, input([3, 5, 3]));
addCase('GPTBlock float32, dynamic batch (2 → 1)', block, blockX, 'float32', { dynamicBatch: true }, input([1, 5, 16]));
addCase('GPTBlock float32, dynamic batch, opset 13', block, blockX, 'float32', { dynamicBatch: true, opset: 13 }, input([3, 5, 16]));
addCase('GPTBlock float32, opset 20 (Gelu)', block, blockX, 'float32', { opset: 20 });

// PyTorch's exports (spec/interop/fixtures), read by fromOnnx and written again by toOnnx.
const fixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'expected.json'), 'utf8')) as Record<'mlp' | 'cnn', { inputs: { shape: number[]; data: number[] } }>;
for (const name of ['mlp', 'cnn'] as const) {
  const imported = fromOnnx(new Uint8Array(readFileSync(join(__dirname, 'fixtures', `${name}.onnx`))));
  const x = new Tensor(Float64Array.from(fixtures[name].inputs.data, Math.fround), fixtures[name].inputs.shape);
  addCase(`the PyTorch ${name.toUpperCase()}, imported by fromOnnx, float32`, imported, x, 'float32', { dynamicBatch: true });
  if (name === 'mlp') addCase('the PyTorch MLP, imported by fromOnnx, float64', imported, x, 'float64');
}

let results: OrtResult[] = [];
beforeAll(() => {
  results = runOrt(cases.map((c) => ({ model: c.bytes, feeds: { input_0: { type: c.dtype, dims: [...c.feed.shape], data: Array.from(c.feed.data) } } })));
});

test.each(cases.map((c, i) => [c.title, i] as const))('%s agrees with deltagraph in ONNX Runtime', (title, i) => {
  const c = cases[i]!;
  const res = results[i]!;
  if (res.error !== undefined) throw new Error(`${title}: ${res.error}`);
  const got = res.outputs.output_0!;
  expect(got.dims).toEqual([...c.want.shape]);
  const err = relativeError(got.data, Array.from(c.want.data), c.dtype === 'float32' ? 1e-2 : 1e-3);
  measured.push(`${c.dtype} ${err.toExponential(2)}  ${title}`);
  expect(err).toBeLessThanOrEqual(c.tol ?? (c.dtype === 'float32' ? 1e-5 : 1e-12));
});

describe('the model', () => {
  test('declares its inputs and outputs, the first input first, and its parameters by path', () => {
    const two = (x: Tensor, y: Tensor) => [add(x, y), sum(x)];
    const bytes = toOnnx(two, [input([3, 2]), input([3, 2])], { inputNames: ['a', 'b'], dynamicBatch: true });
    const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as {
      irVersion: number; opsetImport: Array<{ version: number }>; producerName: string;
      graph: { input: Array<{ name: string; type: { tensorType: { elemType: number; shape: { dim: Array<{ dimValue?: number; dimParam?: string }> } } } }>; output: Array<{ name: string }>; initializer: Array<{ name: string }> };
    };
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport[0]!.version).toBe(17);
    expect(m.producerName).toBe('deltagraph');
    const labelled = ModelProto.toObject(ModelProto.decode(toOnnx(two, [input([3, 2]), input([3, 2])], { producerName: 'me', producerVersion: '2.1', opset: 13 })), { longs: Number }) as { producerName: string; producerVersion: string; irVersion: number };
    expect([labelled.producerName, labelled.producerVersion, labelled.irVersion]).toEqual(['me', '2.1', 7]);
    expect(m.graph.input.map((v) => v.name)).toEqual(['a', 'b']);
    expect(m.graph.input[0]!.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 2 }]);
    expect(m.graph.input[0]!.type.tensorType.elemType).toBe(1);
    expect(m.graph.output.map((v) => v.name)).toEqual(['output_0', 'output_1']);
    const named = ModelProto.toObject(ModelProto.decode(toOnnx(xor, [xorX], { dtype: 'float64' })), { longs: Number }) as typeof m;
    expect(named.graph.initializer.map((t) => t.name)).toEqual(expect.arrayContaining(xor.namedParameters().map(([p]) => p)));
  });

  test('every model is well formed: nodes in topological order, each value defined once, before it is read', () => {
    for (const c of cases) {
      const m = ModelProto.toObject(ModelProto.decode(c.bytes)) as {
        graph: { node: Array<{ input?: string[]; output: string[] }>; initializer: Array<{ name: string }>; input: Array<{ name: string }>; output: Array<{ name: string }> };
      };
      const defined = new Set<string>();
      const define = (name: string) => {
        expect(defined.has(name)).toBe(false);
        defined.add(name);
      };
      m.graph.input.forEach((v) => define(v.name));
      m.graph.initializer.forEach((t) => define(t.name));
      for (const n of m.graph.node) {
        for (const x of n.input ?? []) if (x !== '') expect(defined.has(x) ? x : `${c.title}: '${x}' read before it is defined`).toBe(x);
        n.output.forEach(define);
      }
      for (const v of m.graph.output) expect(defined.has(v.name)).toBe(true);
    }
  });

  test("writes deltagraph's composites as ONNX's operators where ONNX has them", () => {
    const ops = (bytes: Uint8Array) => (ModelProto.toObject(ModelProto.decode(bytes)) as { graph: { node: Array<{ opType: string }> } }).graph.node.map((n) => n.opType);
    const cnnOps = ops(cases.find((c) => c.title === 'CNN float32')!.bytes);
    expect(cnnOps.filter((t) => t === 'Conv')).toHaveLength(2);
    expect(cnnOps.filter((t) => t === 'MaxPool')).toHaveLength(2);
    expect(cnnOps).not.toContain('Gather');
    expect(cnnOps.filter((t) => t === 'Gemm')).toHaveLength(1);
    expect(ops(cases.find((c) => c.title === 'XOR net float64')!.bytes).filter((t) => t === 'Gemm')).toHaveLength(3);
    expect(ops(cases.find((c) => c.title === 'GPTBlock float32')!.bytes).filter((t) => t === 'LayerNormalization')).toHaveLength(2);
    // Before opset 17, and in float64, layerNorm is its formula.
    expect(ops(cases.find((c) => c.title === 'GPTBlock float32, dynamic batch, opset 13')!.bytes)).not.toContain('LayerNormalization');
    expect(ops(toOnnx(block, [blockX], { dtype: 'float64' }))).not.toContain('LayerNormalization');
    // gelu is Gelu from opset 20 (its exact and its tanh form), a formula before.
    expect(ops(cases.find((c) => c.title === 'GPTBlock float32, opset 20 (Gelu)')!.bytes)).toContain('Gelu');
    expect(ops(cases.find((c) => c.title === 'GPTBlock float32')!.bytes)).not.toContain('Gelu');
    expect(ops(toOnnx((x: Tensor) => gelu(x, { approximate: 'tanh' }), [blockX], { opset: 20 }))).toEqual(['Gelu', 'Identity']);
  });

  test('an op without a mapping is a GraphError naming it and the supported ops', () => {
    const square = defineOp({ name: 'mySquare', forward: ([x]) => new Tensor(x!.data.map((v) => v * v), x!.shape), vjp: () => [null] });
    expect(() => toOnnx((x: Tensor) => square.apply([x], undefined), [input([2])])).toThrow(GraphError);
    expect(() => toOnnx((x: Tensor) => square.apply([x], undefined), [input([2])])).toThrow(/op 'mySquare'.*no ONNX mapping.*matmul/);
    expect(() => toOnnx((x: Tensor) => takeBackward(x, [0, 1, 1], 0, 4), [input([3])])).toThrow(/'takeBackward'/);
  });

  test('a constant computed from an input without recording, or control flow on the values, is refused', () => {
    const masked = (x: Tensor) => where(greater(x, 0), x, mul(x, 0.1));
    expect(() => toOnnx(masked, [input([4, 3])])).toThrow(/op 'where'.*condition change with the input values/);
    expect(() => toOnnx(masked, [input([4, 3])], { dynamicBatch: true })).toThrow(/op 'where'.*changes shape with the batch size/);
    const scaled = (x: Tensor) => mul(x, greater(x, 0));
    expect(() => toOnnx(scaled, [input([4, 3])])).toThrow(/reads a constant of shape \[4, 3\] that changes on the example inputs with their rows rotated/);
    const branchy = (x: Tensor) => (x.data[0]! > 0 ? exp(x) : neg(x));
    const x = input([2, 3]);
    x.data[3] = -Math.sign(x.data[0]!);
    expect(() => toOnnx(branchy, [x])).toThrow(/depends on its input values/);
  });

  test('a GPT takes its ids as an input (cast to INT64 for its Gather), at any batch size', () => {
    const model = gpt({ vocabSize: 11, layers: 1, heads: 2, embedding: 8, context: 6 }, 3);
    const ids = new Tensor(Float64Array.from({ length: 10 }, (_, i) => (i * 7) % 11), [2, 5]);
    const bytes = toOnnx(model, [ids], { dynamicBatch: true });
    const other = new Tensor(Float64Array.from({ length: 15 }, (_, i) => (i * 5 + 3) % 11), [3, 5]);
    const [res] = runOrt([{ model: bytes, feeds: { input_0: { type: 'float32', dims: [3, 5], data: Array.from(other.data) } } }]);
    if (res!.error !== undefined) throw new Error(res!.error);
    const want = model.forward(other);
    expect(res!.outputs.output_0!.dims).toEqual([3, 5, 11]);
    const err = relativeError(res!.outputs.output_0!.data, Array.from(want.data), 1e-2);
    measured.push(`float32 ${err.toExponential(2)}  GPT (1 layer), dynamic batch (2 → 3)`);
    expect(err).toBeLessThanOrEqual(1e-5);
  });

  test('arguments are checked', () => {
    const f = (x: Tensor) => add(x, 1);
    expect(() => toOnnx(f, [input([2])], { opset: 21 })).toThrow(/toOnnx: opset must be an integer in \[13, 20\], got 21/);
    expect(() => toOnnx(f, [input([2])], { opset: 12 })).toThrow(ArgumentError);
    expect(() => toOnnx(f, [input([2])], { dtype: 'float16' as 'float32' })).toThrow(/toOnnx: dtype must be one of 'float32', 'float64'/);
    expect(() => toOnnx(f, [])).toThrow(/toOnnx: exampleInputs must be a non-empty array/);
    expect(() => toOnnx(f, [[1, 2] as unknown as Tensor])).toThrow(/toOnnx: exampleInputs\[0\] must be a tensor/);
    expect(() => toOnnx(42 as unknown as Module, [input([2])])).toThrow(/toOnnx: model must be a function of tensors or a Module/);
    expect(() => toOnnx(f, [input([2])], { inputNames: ['a', 'b'] })).toThrow(/toOnnx: inputNames must be an array of 1 distinct/);
    expect(() => toOnnx(f, [input([2])], { outputNames: ['y', 'z'] })).toThrow(/outputNames names 2 outputs, but the model returns 1/);
    expect(() => toOnnx(f, [input([2])], { outputNames: ['input_0'] })).toThrow(/'input_0' names both an input and an output/);
    const first = xor.namedParameters()[0]![0];
    expect(() => toOnnx(xor, [xorX], { inputNames: [first] })).toThrow(`'${first}' names both a parameter of the model and an input or output`);
    expect(() => toOnnx((x: Tensor) => 3 as unknown as Tensor, [input([2])])).toThrow(/must return a tensor or a non-empty array of tensors/);
    expect(() => toOnnx(f, [input([2, 3]), input([3, 3])], { dynamicBatch: true })).toThrow(/the same first dimension/);
  });

  test('traces inside noGrad and tidy as outside', () => {
    const bytes = toOnnx(xor, [xorX]);
    expect(Buffer.from(noGrad(() => toOnnx(xor, [xorX])))).toEqual(Buffer.from(bytes));
    expect(Buffer.from(tidy(() => toOnnx(xor, [xorX])))).toEqual(Buffer.from(bytes));
  });

  test("leaves the caller's tensors and the module's mode as they were", () => {
    const x = new Tensor(Float64Array.of(1, 2), [1, 2]);
    xor.train();
    toOnnx(xor, [x]);
    expect(x.requiresGrad).toBe(false);
    expect(x.producer).toBeNull();
    expect(xor.training).toBe(true);
    expect(xor.modules().every(([, m]) => m.training)).toBe(true);
  });

  test('exports batch norm in eval mode without touching its statistics', () => {
    const net = new Sequential(new Linear(3, 4), new BatchNorm(4), new ReLU());
    const before = Array.from((net.namedBuffers()[0]![1]).data);
    const bytes = toOnnx(net, [input([5, 3])]);
    expect(Array.from(net.namedBuffers()[0]![1].data)).toEqual(before);
    const names = (ModelProto.toObject(ModelProto.decode(bytes)) as { graph: { initializer: Array<{ name: string }> } }).graph.initializer.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['0.W', '0.b', '1.gamma', '1.beta', '1.runningMean']));
  });
});

describe('round trip through fromOnnx', () => {
  // float64 exports give back the same numbers; a float32 export (LayerNormalization, its values
  // rounded to float32) agrees to float32's precision.
  test.each([
    ['the XOR net', xor, xorX, 'float64'],
    ['the MLP', mlp, mlpX, 'float64'],
    ['the CNN (Conv, MaxPool)', cnn, new Tensor(cnnX.data.slice(0, 784), [1, 784]), 'float64'],
    ['the GPTBlock', block, blockX, 'float64'],
    ['the GPTBlock in float32 (LayerNormalization)', block, blockX, 'float32'],
  ] as const)('%s: same outputs and the same gradient for every parameter', (_, model, x, dtype) => {
    const imported = fromOnnx(toOnnx(model, [x], { dtype }));
    const [outTol, gradTol] = dtype === 'float64' ? [1e-12, 1e-10] : [1e-5, 1e-4];
    const mine = model.forward(x);
    const theirs = imported.forward(x);
    const e = relativeError(theirs.data, mine.data, 1e-3);
    expect(e).toBeLessThanOrEqual(outTol);
    const g1 = backward(sum(mine));
    const g2 = backward(sum(theirs));
    const params = new Map(imported.namedParameters());
    let worst = 0;
    for (const [name, p] of model.namedParameters()) {
      const q = params.get(name);
      expect(q).toBeDefined();
      worst = Math.max(worst, relativeError(g2.get(q!).data, g1.get(p).data, 1e-3));
    }
    measured.push(`round trip ${dtype}: outputs ${e.toExponential(2)}, gradients ${worst.toExponential(2)}  ${_}`);
    expect(worst).toBeLessThanOrEqual(gradTol);
  });
});
