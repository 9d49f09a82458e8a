/**
 * fromOnnx on the PyTorch 1.13 exports of spec/interop/fixtures: the MLP (Gemm, Relu, Gemm) and
 * the CNN (Conv, Relu, MaxPool ×2, Flatten, Gemm) give PyTorch's logits, its cross-entropy loss on
 * a batch and its gradient of that loss for every parameter; the imported MLP trains; the graph
 * of an imported model draws with viz.
 *
 * Agreement is measured by the relative error
 *   rel(a, b) = maxᵢ |aᵢ − bᵢ| / max(|bᵢ|, 0.05 · maxⱼ |bⱼ|)
 * against PyTorch's values b: relative per element for the entries within a factor 20 of the
 * largest, and an absolute error of 0.05 · max |b| for the smaller ones (zeros: the weights of
 * pixels that are always 0). The floor is PyTorch's own: it computes in float32, and its small
 * entries carry float32 cancellation (a well-trained net's softmax p − 1 near p = 1 keeps only a few
 * digits), so that with a floor of 1e-3 · max |b| ONNX Runtime's float32 logits differ from
 * PyTorch's by 2.2e-5, more than these float64 ones (1.1e-5). Outputs must agree to 1e-5 and
 * gradients (sums over the batch and the image) to 1e-4; DELTAGRAPH_ONNX_REPORT=1 prints both
 * measures. The MLP rewritten for DOUBLE gives ONNX Runtime's double logits to 5e-15, so what
 * remains against PyTorch is PyTorch's float32.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  CrossEntropyLoss, OnnxModel, SGD, Tensor, backward, crossEntropy, describeGraph, fit, fromOnnx, moduleGroups,
  softmax, oneHot, sub, div, tensor, toDot,
} from '../../node';
import { ModelProto } from '../../interop/onnx/schema';
import { encodeModel } from './onnx-builder';
import { runOrt } from './ort';

const FIXTURES = join(__dirname, 'fixtures');

interface Expected {
  inputs: { shape: number[]; data: number[] };
  outputs: { shape: number[]; data: number[] };
  batch: { x_shape: number[]; x: number[]; labels: number[] };
  loss: number;
  grads: Record<string, { shape: number[]; data: number[] }>;
}

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<'mlp' | 'cnn', Expected>;

function load(name: 'mlp' | 'cnn'): OnnxModel {
  return fromOnnx(new Uint8Array(readFileSync(join(FIXTURES, `${name}.onnx`))));
}

/** rel(a, b) = maxᵢ |aᵢ − bᵢ| / max(|bᵢ|, floor · maxⱼ |bⱼ|), b the reference. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 0.05): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const err = Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor * scale, Number.MIN_VALUE);
    if (!(err <= worst)) worst = err; // NaN counts as the worst
  }
  return worst;
}

/** The measured errors, printed once at the end (the report quotes them). */
const measured: string[] = [];
afterAll(() => {
  if (process.env.DELTAGRAPH_ONNX_REPORT) process.stdout.write(`${measured.join('\n')}\n`);
});

describe.each(['mlp', 'cnn'] as const)('the PyTorch %s', (name) => {
  const e = expected[name];
  const model = load(name);

  test('has the state-dict names, shapes and float64 values as parameters', () => {
    const params = model.namedParameters();
    expect(params.map(([k]) => k)).toEqual(Object.keys(e.grads));
    for (const [k, p] of params) {
      expect(p.shape).toEqual(e.grads[k]!.shape);
      expect(p.requiresGrad).toBe(true);
      expect(p.data).toBeInstanceOf(Float64Array);
    }
    expect(model.inputs.map((x) => [x.name, x.shape])).toEqual([['input', name === 'mlp' ? ['batch', 784] : ['batch', 1, 28, 28]]]);
    expect(model.outputs.map((x) => x.name)).toEqual(['logits']);
  });

  test('gives PyTorch\'s logits (relative error < 1e-5)', () => {
    const y = model.forward(tensor(Float64Array.from(e.inputs.data), e.inputs.shape));
    expect(y.shape).toEqual(e.outputs.shape);
    const err = relativeError(y.data, e.outputs.data);
    measured.push(`${name} outputs: ${err.toExponential(2)} (floor 1e-3: ${relativeError(y.data, e.outputs.data, 1e-3).toExponential(2)})`);
    expect(err).toBeLessThan(1e-5);
  });

  test('gives PyTorch\'s loss and the gradient of every parameter (relative error < 1e-4)', () => {
    const x = tensor(Float64Array.from(e.batch.x), e.batch.x_shape);
    const loss = crossEntropy(model.forward(x), e.batch.labels);
    const lossErr = Math.abs(loss.item() - e.loss) / e.loss;
    measured.push(`${name} loss: ${lossErr.toExponential(2)}`);
    expect(lossErr).toBeLessThan(1e-5);
    const grads = backward(loss);
    for (const [k, p] of model.namedParameters()) {
      const err = relativeError(grads.get(p).data, e.grads[k]!.data);
      measured.push(`${name} ∂loss/∂${k}: ${err.toExponential(2)} (floor 1e-3: ${relativeError(grads.get(p).data, e.grads[k]!.data, 1e-3).toExponential(2)})`);
      expect([k, err < 1e-4]).toEqual([k, true]);
    }
  });
});

test('the comparison fails when a value is off: a gradient entry changed by 1e-3, a weight by 1e-4', () => {
  const e = expected.mlp.grads['2.weight']!;
  const off = e.data.slice();
  const largest = Math.max(...e.data.map(Math.abs));
  const i = off.findIndex((v) => Math.abs(v) === largest);
  off[i] = off[i]! * (1 + 1e-3);
  expect(relativeError(off, e.data)).toBeCloseTo(1e-3, 12);
  // The loaded model's own logits, after one weight moves by 1e-4 of the largest weight, fail the 1e-5 test.
  const model = load('mlp');
  const w = model.namedParameters()[2]![1].data;
  let k = 0;
  for (let j = 1; j < w.length; j++) if (Math.abs(w[j]!) > Math.abs(w[k]!)) k = j;
  w[k] = w[k]! * (1 + 1e-4);
  const y = model.forward(tensor(Float64Array.from(expected.mlp.inputs.data), expected.mlp.inputs.shape));
  expect(relativeError(y.data, expected.mlp.outputs.data)).toBeGreaterThan(1e-5);
  // and a small value (below the floor) is held to the floor: an absolute error of 0.05 · max|b|.
  const tiny = e.data.slice();
  const j = tiny.findIndex((v) => v === 0);
  tiny[j] = 0.05 * Math.max(...e.data.map(Math.abs));
  expect(relativeError(tiny, e.data)).toBeCloseTo(1, 10);
  expect(relativeError(e.data, e.data)).toBe(0);
});

test('every intermediate edge has its gradient: ∂loss/∂logits = (softmax − one-hot)/n, and the hidden layer\'s', () => {
  const model = load('mlp');
  const e = expected.mlp;
  const x = tensor(Float64Array.from(e.batch.x), e.batch.x_shape);
  const { outputs, values } = model.trace(x);
  const logits = outputs[0]!;
  expect(values.get('logits')).toBe(logits);
  const hidden = values.get('/1/Relu_output_0')!;
  const pre = values.get('/0/Gemm_output_0')!;
  expect(hidden.shape).toEqual([16, 128]);
  const loss = crossEntropy(logits, e.batch.labels);
  const grads = backward(loss, { wrt: [pre, hidden, logits] });
  const want = div(sub(softmax(logits), oneHot(e.batch.labels, 10)), 16);
  expect(relativeError(grads.get(logits).data, want.data)).toBeLessThan(1e-12);
  // Through the ReLU: the pre-activation's gradient is the hidden layer's where it is positive, 0 elsewhere.
  const gh = grads.get(hidden).data;
  const gp = grads.get(pre).data;
  let mismatches = 0;
  for (let i = 0; i < gp.length; i++) if (gp[i] !== (pre.data[i]! > 0 ? gh[i] : 0)) mismatches++;
  expect(mismatches).toBe(0);
});

test('one fit epoch of SGD on the imported MLP lowers the loss on its batch', () => {
  const model = load('mlp');
  const e = expected.mlp;
  const data = { x: tensor(Float64Array.from(e.batch.x), e.batch.x_shape), y: tensor(e.batch.labels) };
  const lossOf = () => crossEntropy(model.forward(data.x), e.batch.labels).item();
  const before = lossOf();
  expect(Math.abs(before - e.loss) / e.loss).toBeLessThan(1e-5);
  fit(model, data, { loss: new CrossEntropyLoss(), optimizer: new SGD(model.parameters(), { lr: 0.05 }), epochs: 3, batchSize: 8, seed: 0, progress: false });
  const after = lossOf();
  expect(after).toBeLessThan(before * 0.9);
});

test('an imported model draws as any other: describeGraph, toDot and its layers from the node names', () => {
  const model = load('cnn');
  const e = expected.cnn;
  const x = tensor(Float64Array.from(e.inputs.data.slice(0, 2 * 784)), [2, 1, 28, 28]);
  const loss = crossEntropy(model.forward(x), [7, 2]);
  const groups = moduleGroups(model);
  expect(groups.map((g) => g.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  expect(model.layerSpans().map((s) => s.detail)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm']);
  const names = new Map(model.namedParameters().map(([k, t]) => [t, k] as [Tensor, string]));
  const d = describeGraph(loss, { names, groups });
  expect(d.nodes.some((n) => n.op === 'unfold')).toBe(true);
  const dot = toDot(d);
  expect(dot).toContain('0.weight');
  expect(dot).toContain('cluster');
});

test('the MLP rewritten for DOUBLE agrees with ONNX Runtime\'s double kernels to 1e-12: the differences from PyTorch are its float32', () => {
  const proto = ModelProto.toObject(ModelProto.decode(readFileSync(join(FIXTURES, 'mlp.onnx'))), { longs: Number }) as {
    graph: { initializer: Array<{ dataType: number; rawData?: Uint8Array; doubleData?: number[] }>; input: Array<{ type: { tensorType: { elemType: number } } }>; output: Array<{ type: { tensorType: { elemType: number } } }> };
  };
  for (const t of proto.graph.initializer) {
    const raw = t.rawData!;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
    t.doubleData = Array.from({ length: raw.length / 4 }, (_, k) => view.getFloat32(4 * k, true));
    delete t.rawData;
    t.dataType = 11;
  }
  for (const v of [...proto.graph.input, ...proto.graph.output]) v.type.tensorType.elemType = 11;
  const bytes = encodeModel(proto as unknown as Record<string, unknown>);
  const e = expected.mlp;
  const [result] = runOrt([{ model: bytes, feeds: { input: { type: 'float64', dims: e.inputs.shape, data: e.inputs.data } } }]);
  expect(result!.error).toBeUndefined();
  const ours = fromOnnx(bytes).forward(tensor(Float64Array.from(e.inputs.data), e.inputs.shape));
  const err = relativeError(ours.data, result!.outputs!.logits!.data, 1e-3);
  measured.push(`mlp in double against ONNX Runtime: ${err.toExponential(2)}`);
  expect(err).toBeLessThan(1e-12);
  // PyTorch's float32 logits are 1e-5 away from both.
  expect(relativeError(result!.outputs!.logits!.data, e.outputs.data, 1e-3)).toBeGreaterThan(1e-6);
});
