/**
 * toOnnx against ONNX Runtime (onnxruntime-node, in a child process: see ort.ts): each model is
 * exported, run in ONNX Runtime on the same inputs, and its outputs compared with deltagraph's.
 *
 * Agreement is the relative error against deltagraph's values b (float64):
 *   rel(a, b) = maxᵢ |aᵢ − bᵢ| / max(|bᵢ|, floor · maxⱼ |bⱼ|)
 * (ort.ts's relativeError; non-finite entries must be equal). float64 exports must agree to 1e-12
 * with floor = 1e-3: entries a thousand times smaller than the largest are held to an absolute
 * 1e-15 · max |b|. float32 exports, fed inputs that are already float32 values so that deltagraph
 * computes on the same numbers, must agree to 1e-5 with floor = 1e-2, as in the import's specs:
 * ONNX Runtime then sums in float32, and a sum of 27 products of a 3×3×3 convolution that cancels
 * to a thousandth of the largest output keeps only that many digits (2.8e-5 with a floor of 1e-3).
 * DELTAGRAPH_ONNX_REPORT=1 prints every measure.
 */
import {
  Tensor, rng, toOnnx,
  add, mul, sub, div, pow, maximum, minimum, neg, exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, leakyRelu, softplus, erf, square,
  silu, elu, gelu, clamp, logSigmoid, matmul, sum, mean, max, min, logSumExp, softmax, logSoftmax, layerNorm, variance, std, reshape,
  transpose, broadcastTo, sumTo, concat, slice, split, squeeze, unsqueeze, flatten, stack, tile, flip, pad, where, triu, tril, cumsum,
  take, takeAlongAxis, einsum, conv1d, conv2d, convTranspose2d, maxPool2d, avgPool2d, unfold, crossEntropy, mseLoss,
  binaryCrossEntropy, bceWithLogits, grad, gatherAt, fold,
} from '../../node';
import { ModelProto } from '../../interop/onnx/schema';
import { OrtCase, OrtResult, relativeError, runOrt } from './ort';

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

const measured: string[] = [];
afterAll(() => {
  if (process.env.DELTAGRAPH_ONNX_REPORT) process.stdout.write(`${measured.join('\n')}\n`);
});

const r = rng(7);
/** A tensor of float32 values (so that both engines read the same inputs), uniform in [lo, hi). */
function input(shape: number[], lo = -2, hi = 2): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return new Tensor(Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r.uniform())), shape);
}

/** The outputs of fn as arrays (deltagraph's reference). */
function reference(fn: Fn | { forward(x: Tensor): Tensor }, xs: Tensor[]): Tensor[] {
  const out = typeof fn === 'function' ? fn(...xs) : fn.forward(xs[0]!);
  return Array.isArray(out) ? out : [out];
}

interface Case {
  title: string;
  bytes: Uint8Array;
  feeds: Tensor[];
  names: string[];
  outputs: string[];
  want: Tensor[];
  tol: number;
  dtype: 'float32' | 'float64';
}

function feedsOf(c: Pick<Case, 'feeds' | 'names' | 'dtype'>): OrtCase['feeds'] {
  return Object.fromEntries(c.feeds.map((x, i) => [c.names[i]!, { type: c.dtype, dims: [...x.shape], data: Array.from(x.data) }]));
}

// ---- The op table: each op on small random inputs, float64 where ONNX Runtime can, float32 always.

interface OpCase {
  title: string;
  fn: Fn;
  inputs: () => Tensor[];
}

/** Integer labels in [0, classes) as a float tensor [n]. */
const labels = (n: number, classes: number) => new Tensor(Float64Array.from({ length: n }, () => Math.floor(r.uniform() * classes)), [n]);
const pos = (shape: number[]) => () => [input(shape, 0.2, 3)];
const one = (shape: number[]) => () => [input(shape)];
const two = (a: number[], b: number[]) => () => [input(a), input(b)];
const mask = new Tensor(Float64Array.from({ length: 12 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), [3, 4]);

const OPS: OpCase[] = [
  { title: 'add (broadcast)', fn: add, inputs: two([2, 3, 4], [3, 1]) },
  { title: 'sub', fn: sub, inputs: two([3, 4], [4]) },
  { title: 'mul', fn: mul, inputs: two([2, 1, 4], [3, 4]) },
  { title: 'div', fn: div, inputs: () => [input([3, 4]), input([3, 4], 0.5, 2)] },
  { title: 'pow', fn: pow, inputs: () => [input([3, 4], 0.5, 2), input([4], -1.5, 1.5)] },
  { title: 'maximum', fn: maximum, inputs: two([3, 4], [3, 4]) },
  { title: 'minimum', fn: minimum, inputs: two([3, 4], [1, 4]) },
  { title: 'neg', fn: neg, inputs: one([5]) },
  { title: 'exp', fn: exp, inputs: one([2, 3]) },
  { title: 'log', fn: log, inputs: pos([2, 3]) },
  { title: 'sqrt', fn: sqrt, inputs: pos([2, 3]) },
  { title: 'abs', fn: abs, inputs: one([2, 3]) },
  { title: 'sin', fn: sin, inputs: one([2, 3]) },
  { title: 'cos', fn: cos, inputs: one([2, 3]) },
  { title: 'tanh', fn: tanh, inputs: one([2, 3]) },
  { title: 'sigmoid', fn: sigmoid, inputs: one([2, 3]) },
  { title: 'relu', fn: relu, inputs: one([3, 4]) },
  { title: 'leakyRelu', fn: (x) => leakyRelu(x, 0.2), inputs: one([3, 4]) },
  { title: 'softplus', fn: softplus, inputs: () => [input([4, 5], -30, 30)] },
  { title: 'erf', fn: erf, inputs: one([3, 4]) },
  { title: 'square', fn: square, inputs: one([3, 4]) },
  { title: 'silu', fn: silu, inputs: one([3, 4]) },
  { title: 'elu', fn: (x) => elu(x, 0.7), inputs: one([3, 4]) },
  { title: 'gelu', fn: (x) => gelu(x), inputs: one([3, 4]) },
  { title: "gelu 'tanh'", fn: (x) => gelu(x, { approximate: 'tanh' }), inputs: one([3, 4]) },
  { title: 'clamp', fn: (x) => clamp(x, -0.5, 1), inputs: one([3, 4]) },
  { title: 'clamp (max only)', fn: (x) => clamp(x, null, 0.3), inputs: one([3, 4]) },
  { title: 'logSigmoid', fn: logSigmoid, inputs: one([3, 4]) },
  { title: 'matmul', fn: matmul, inputs: two([3, 4], [4, 5]) },
  { title: 'matmul (batched, broadcast)', fn: matmul, inputs: two([2, 3, 3, 4], [3, 4, 2]) },
  { title: 'matmul (vector)', fn: matmul, inputs: two([4], [2, 4, 3]) },
  { title: 'a linear layer, x·w + b (Gemm)', fn: (x, w, b) => add(matmul(x, w), b), inputs: () => [input([3, 4]), input([4, 5]), input([5])] },
  { title: 'b + x·w, the bias first and a row of biases (Gemm)', fn: (x, w, b) => add(b, matmul(x, w)), inputs: () => [input([3, 4]), input([4, 5]), input([3, 1])] },
  { title: 'sum (axes, keepDims)', fn: (x) => sum(x, [0, 2], true), inputs: one([2, 3, 4]) },
  { title: 'sum (all)', fn: (x) => sum(x), inputs: one([2, 3, 4]) },
  { title: 'mean', fn: (x) => mean(x, 1), inputs: one([2, 3, 4]) },
  { title: 'max', fn: (x) => max(x, [1, 2]), inputs: one([2, 3, 4]) },
  { title: 'min (keepDims)', fn: (x) => min(x, 0, true), inputs: one([2, 3, 4]) },
  { title: 'logSumExp', fn: (x) => logSumExp(x, 1), inputs: one([2, 3, 4]) },
  { title: 'softmax', fn: (x) => softmax(x, 1), inputs: one([2, 3, 4]) },
  { title: 'logSoftmax', fn: (x) => logSoftmax(x), inputs: one([2, 3, 4]) },
  { title: 'layerNorm', fn: (x, w, b) => layerNorm(x, [4], w, b), inputs: () => [input([2, 3, 4]), input([4]), input([4])] },
  { title: 'variance, std', fn: (x) => [variance(x, 1, false, { correction: 1 }), std(x, [0, 1])], inputs: one([3, 4]) },
  { title: 'reshape', fn: (x) => reshape(x, [4, 6]), inputs: one([2, 3, 4]) },
  { title: 'transpose', fn: (x) => transpose(x, [2, 0, 1]), inputs: one([2, 3, 4]) },
  { title: 'broadcastTo', fn: (x) => broadcastTo(x, [2, 3, 4]), inputs: one([3, 1]) },
  { title: 'sumTo', fn: (x) => sumTo(x, [3, 1]), inputs: one([2, 3, 4]) },
  { title: 'concat', fn: (a, b) => concat([a, b], 1), inputs: two([2, 3], [2, 2]) },
  { title: 'slice', fn: (x) => slice(x, [1, 0, 2], [1, 2, 2]), inputs: one([2, 3, 4]) },
  { title: 'split', fn: (x) => split(x, [1, 3], -1), inputs: one([2, 4]) },
  { title: 'squeeze, unsqueeze, flatten', fn: (x) => [squeeze(x), unsqueeze(x, 1), flatten(x, 1)], inputs: one([2, 1, 3]) },
  { title: 'stack', fn: (a, b) => stack([a, b], 1), inputs: two([2, 3], [2, 3]) },
  { title: 'tile', fn: (x) => tile(x, [2, 1, 3]), inputs: one([2, 3]) },
  { title: 'flip', fn: (x) => flip(x, [0, 2]), inputs: one([2, 3, 4]) },
  { title: 'pad', fn: (x) => pad(x, [4, 6], [1, 2]), inputs: one([2, 3]) },
  { title: 'where (a constant mask)', fn: (a, b) => where(mask, a, b), inputs: two([3, 4], [4]) },
  { title: 'triu, tril', fn: (x) => [triu(x, 1), tril(x, -1)], inputs: one([2, 3, 4]) },
  { title: 'cumsum', fn: (x) => cumsum(x, 1), inputs: one([2, 3]) },
  { title: 'cumsum reversed (in its recorded gradient)', fn: (x) => grad((t: Tensor) => sum(mul(cumsum(t, 0), t)))(x), inputs: one([3, 2]) },
  { title: 'gatherAt (flat indices, not a pooling)', fn: (x) => gatherAt(x, [3, 0, 5, 3], [2, 2]), inputs: one([2, 3]) },
  { title: 'take', fn: (x) => take(x, [[2, 0], [1, -1]], 1), inputs: one([2, 3, 4]) },
  { title: 'takeAlongAxis', fn: (x) => takeAlongAxis(x, [[0, 2], [1, 1]], 1), inputs: one([2, 3]) },
  { title: 'einsum', fn: (a, b) => einsum('bij,bjk->bik', a, b), inputs: two([2, 3, 4], [2, 4, 2]) },
  { title: 'conv1d (stride, padding)', fn: (x, w) => conv1d(x, w, { stride: 2, padding: 1 }), inputs: two([2, 3, 7], [4, 3, 3]) },
  { title: 'conv2d', fn: (x, w) => conv2d(x, w, { padding: 1 }), inputs: two([2, 3, 5, 5], [4, 3, 3, 3]) },
  { title: 'conv2d (groups, stride, dilation)', fn: (x, w) => conv2d(x, w, { groups: 2, stride: [2, 1], dilation: 2, padding: [1, 2] }), inputs: two([1, 4, 7, 6], [6, 2, 2, 3]) },
  { title: 'convTranspose2d', fn: (x, w) => convTranspose2d(x, w, { stride: 2, padding: 1 }), inputs: two([2, 3, 4, 4], [3, 2, 3, 3]) },
  { title: 'maxPool2d', fn: (x) => maxPool2d(x, 2), inputs: one([2, 3, 6, 6]) },
  { title: 'maxPool2d (kernel 3, stride 2, padding 1)', fn: (x) => maxPool2d(x, 3, { stride: 2, padding: 1 }), inputs: one([1, 2, 7, 7]) },
  { title: 'avgPool2d (countIncludePad false)', fn: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }), inputs: one([1, 2, 6, 6]) },
  { title: 'avgPool2d (padding counted)', fn: (x) => avgPool2d(x, [2, 3], { stride: 1, padding: 1 }), inputs: one([2, 2, 5, 6]) },
  { title: 'avgPool2d (dilated: unfold and a sum; AveragePool from opset 19)', fn: (x) => avgPool2d(x, 2, { dilation: 2 }), inputs: one([1, 2, 6, 6]) },
  { title: 'avgPool2d (dilated, padded, countIncludePad false)', fn: (x) => avgPool2d(x, 3, { dilation: 2, padding: 1, countIncludePad: false }), inputs: one([1, 2, 7, 6]) },
  { title: 'unfold', fn: (x) => unfold(x, 2, { stride: 1 }), inputs: one([1, 2, 3, 4]) },
  { title: 'fold (ConvTranspose with the one-hot kernel)', fn: (x) => fold(x, [4, 5], 2, { stride: 2, padding: 1 }), inputs: one([2, 3 * 4, 9]) },
  { title: 'conv2d (stride 2, dilation 2, padding)', fn: (x, w) => conv2d(x, w, { stride: 2, dilation: 2, padding: 2 }), inputs: two([2, 3, 7, 8], [4, 3, 3, 2]) },
  { title: 'maxPool2d (dilation 2)', fn: (x) => maxPool2d(x, 2, { dilation: 2, stride: 1 }), inputs: one([1, 3, 5, 6]) },
  { title: 'crossEntropy (labels)', fn: (z) => crossEntropy(z, [2, 0, 1]), inputs: one([3, 4]) },
  { title: 'crossEntropy (labels an input)', fn: (z, y) => crossEntropy(z, y), inputs: () => [input([5, 3]), labels(5, 3)] },
  { title: 'embedding lookup (ids an input, negative ones too)', fn: (w, ids) => take(w, ids, 0), inputs: () => [input([6, 3]), new Tensor(Float64Array.of(0, 5, -1, 2, 2, -6), [2, 3])] },
  { title: 'crossEntropy (probabilities)', fn: (z, y) => crossEntropy(z, softmax(y)), inputs: two([3, 4], [3, 4]) },
  { title: 'mseLoss', fn: (a, b) => mseLoss(a, b), inputs: two([3, 4], [3, 4]) },
  { title: 'binaryCrossEntropy', fn: (p, y) => binaryCrossEntropy(sigmoid(p), y), inputs: () => [input([3, 4]), input([3, 4], 0, 1)] },
  { title: 'a recorded gradient (tanhBackward, sigmoidBackward, accumulate)', fn: (x) => grad((t: Tensor) => sum(add(tanh(sigmoid(t)), sigmoid(t))))(x), inputs: one([3, 4]) },
  { title: 'an input and a constant, returned as they are', fn: (x) => [x, mask, x], inputs: one([2, 3]) },
  { title: 'bceWithLogits', fn: (z, y) => bceWithLogits(z, y), inputs: () => [input([3, 4], -20, 20), input([3, 4], 0, 1)] },
];

const cases: Case[] = [];
/** The ops whose ONNX operators change with the opset (reduction axes, LayerNormalization, Gelu, AveragePool's dilations, Reshape's allowzero). */
const BY_OPSET = /^(max|min|logSumExp|sum|mean|variance|layerNorm|gelu|avgPool2d|reshape|squeeze|softmax|logSoftmax|crossEntropy|conv2d)\b/;

function addCase(title: string, model: Fn | { forward(x: Tensor): Tensor }, xs: Tensor[], dtype: 'float32' | 'float64', extra: { tol?: number; options?: Record<string, unknown>; feeds?: Tensor[]; want?: Tensor[] } = {}) {
  const bytes = toOnnx(model as Fn, xs, { dtype, ...extra.options });
  const feeds = extra.feeds ?? xs;
  const want = extra.want ?? reference(model, feeds);
  cases.push({
    title, bytes, feeds, want, dtype, tol: extra.tol ?? (dtype === 'float32' ? 1e-5 : 1e-12),
    names: xs.map((_, i) => `input_${i}`), outputs: want.map((_, i) => `output_${i}`),
  });
}

for (const op of OPS) {
  const xs = op.inputs();
  addCase(`${op.title} (float32)`, op.fn, xs, 'float32');
  // The ops whose mapping depends on the opset, also at the lowest and the highest.
  if (BY_OPSET.test(op.title)) {
    addCase(`${op.title} (float32, opset 13)`, op.fn, xs, 'float32', { options: { opset: 13 } });
    addCase(`${op.title} (float32, opset 20)`, op.fn, xs, 'float32', { options: { opset: 20 } });
  }
  // ONNX Runtime may have no double kernel for an operator: the test then accepts its refusal.
  addCase(`${op.title} (float64)`, op.fn, xs, 'float64');
}

// ---- Shapes that hold the batch: exported at batch 2 with dynamicBatch, run at batch 5 (float64).

interface DynamicCase {
  title: string;
  fn: Fn;
  /** The inputs' shapes after their first dimension, the batch. */
  rows: number[][];
  /** The inputs at a batch size, when not uniform values of those shapes. */
  make?: (batch: number) => Tensor[];
}


const DYNAMIC: DynamicCase[] = [
  { title: 'reshape merging the batch (−1)', fn: (x) => reshape(x, [x.shape[0]! * 3, 4]), rows: [[3, 4]] },
  { title: 'reshape with two batch-dependent dimensions (computed shape)', fn: (x) => reshape(add(unsqueeze(x, 1), unsqueeze(x, 0)), [x.shape[0]!, x.shape[0]!, 2, 2]), rows: [[4]] },
  { title: 'broadcastTo the batch (computed shape)', fn: (x, b) => add(broadcastTo(sum(b, 0, true), [x.shape[0]!, 3]), x), rows: [[3], [3]] },
  { title: 'broadcastTo of a batch-carrying tensor', fn: (x) => broadcastTo(x, [x.shape[0]!, 3, 4]), rows: [[3, 1]] },
  { title: 'sumTo over the batch', fn: (x) => sumTo(x, [1, 3]), rows: [[3]] },
  { title: 'slice of the batch (to the end; a computed end)', fn: (x) => [slice(x, [1, 0], [x.shape[0]! - 1, 2]), slice(x, [0, 1], [x.shape[0]! - 1, 2])], rows: [[3]] },
  { title: 'pad of the batch axis', fn: (x) => pad(x, [x.shape[0]! + 3, 4], [1, 1]), rows: [[2]] },
  { title: 'concat along the batch', fn: (x, y) => concat([x, y, x], 0), rows: [[2], [2]] },
  { title: 'mean over the batch (a run-time count)', fn: (x) => mean(x, 0), rows: [[3]] },
  { title: 'mseLoss (a mean over every element: a run-time count)', fn: (x, y) => mseLoss(x, y), rows: [[3], [3]] },
  { title: 'crossEntropy with its labels an input (GatherElements; a run-time count)', fn: (z, y) => crossEntropy(z, y), rows: [], make: (n) => [input([n, 4]), labels(n, 4)] },
  { title: 'a soft-target cross-entropy: logSoftmax, sum and a mean over rows (a run-time count)', fn: (z, y) => mean(neg(sum(mul(softmax(y), logSoftmax(z)), 1))), rows: [[4], [4]] },
];

for (const d of DYNAMIC) {
  const xs = d.make?.(2) ?? d.rows.map((rest) => input([2, ...rest]));
  const feeds = d.make?.(5) ?? d.rows.map((rest) => input([5, ...rest]));
  addCase(`dynamic: ${d.title}`, d.fn, xs, 'float64', { options: { dynamicBatch: true }, feeds });
}

let results: OrtResult[] = [];
beforeAll(() => {
  results = runOrt(cases.map((c) => ({ model: c.bytes, feeds: feedsOf(c) })));
});

function check(c: Case, result: OrtResult): number {
  if (result.error !== undefined) throw new Error(`${c.title}: ONNX Runtime: ${result.error}`);
  let worst = 0;
  c.want.forEach((w, i) => {
    const got = result.outputs[c.outputs[i]!]!;
    expect(got.dims).toEqual([...w.shape]);
    worst = Math.max(worst, relativeError(got.data, Array.from(w.data), c.dtype === 'float32' ? 1e-2 : 1e-3));
  });
  return worst;
}

test.each(DYNAMIC.map((d) => d.title))('dynamic batch: %s', (title) => {
  const i = cases.findIndex((c) => c.title === `dynamic: ${title}`);
  const err = check(cases[i]!, results[i]!);
  measured.push(`float64 ${err.toExponential(2)}  dynamic batch (2 → 5): ${title}`);
  expect(err).toBeLessThanOrEqual(1e-12);
  // A shape holding the batch in another way than Reshape's −1 is computed from the input's Shape.
  const ops = (ModelProto.toObject(ModelProto.decode(cases[i]!.bytes)) as { graph: { node: Array<{ opType: string }> } }).graph.node.map((n) => n.opType);
  expect(ops.includes('Shape')).toBe(/computed|count/.test(title));
});

describe('each op, exported and run in ONNX Runtime', () => {
  test.each(OPS.map((op) => op.title))('%s', (title) => {
    const single = cases.findIndex((c) => c.title === `${title} (float32)`);
    const double = cases.findIndex((c) => c.title === `${title} (float64)`);
    const e32 = check(cases[single]!, results[single]!);
    measured.push(`float32 ${e32.toExponential(2)}  ${title}`);
    expect(e32).toBeLessThanOrEqual(cases[single]!.tol);
    for (const opset of BY_OPSET.test(title) ? [13, 20] : []) {
      const other = cases.findIndex((c) => c.title === `${title} (float32, opset ${opset})`);
      const e = check(cases[other]!, results[other]!);
      measured.push(`float32 ${e.toExponential(2)}  ${title} (opset ${opset})`);
      expect(e).toBeLessThanOrEqual(cases[other]!.tol);
    }
    const r64 = results[double]!;
    if (r64.error !== undefined) {
      // No double kernel; silu's x · σ(x) is fused by ONNX Runtime into QuickGelu, which is float-only.
      expect(r64.error).toMatch(/NOT_IMPLEMENTED|implement/i);
      measured.push(`float64 (no double kernel in ONNX Runtime)  ${title}`);
      return;
    }
    const e64 = check(cases[double]!, r64);
    measured.push(`float64 ${e64.toExponential(2)}  ${title}`);
    expect(e64).toBeLessThanOrEqual(cases[double]!.tol);
  });
});
