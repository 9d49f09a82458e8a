/**
 * Every operator fromOnnx supports, in models of one node (or a short chain), against ONNX
 * Runtime on the same bytes. Each model is built for DOUBLE tensors first and compared at
 * relative error 1e-12, maxᵢ |aᵢ − bᵢ| / max(|bᵢ|, 1e-3 · max |b|) (spec/interop/ort.ts). Where
 * ONNX Runtime has no double kernel for the operator it is rebuilt for FLOAT and compared at 1e-5
 * with a floor of 1e-2 · max |b|: ONNX Runtime then computes in float32 (the import in float64, on
 * the same float32 inputs), and its sums of a few dozen products carry float32 rounding of
 * 1e-7 · max |b| into the small entries. Integer and boolean outputs must be equal.
 */
import { Rng, tensor } from '../../node';
import { fromOnnx, onnxImportableOperators } from '../../interop';
import { DataType, TensorSpec, buildModel, f, i, ints, oneNode, s, t } from './onnx-builder';
import { OrtResult, OrtTensor, OrtType, relativeError, runOrt } from './ort';
import { ModelProto } from '../../interop/onnx/schema';
import { transformerBlock } from './onnx-models';

type Kind = 'float' | 'positive' | 'int64' | 'bool';

interface Feed {
  dims: number[];
  kind?: Kind;
  /** Given values (integers and booleans); floats are drawn when absent. */
  data?: number[];
}

interface Case {
  title: string;
  build: (T: number) => Uint8Array;
  feeds: Record<string, Feed>;
  /** Skip the DOUBLE attempt (ONNX Runtime has only float kernels, or the op is float-only by definition). */
  floatOnly?: boolean;
  /** The DOUBLE tolerance, where ONNX Runtime's double kernel is known to lose digits (default 1e-12). */
  doubleTol?: number;
  /** The FLOAT tolerance, where ONNX Runtime's float kernel approximates (default 1e-5). */
  floatTol?: number;
}

const cases: Case[] = [];
const add = (title: string, build: (T: number) => Uint8Array, feeds: Record<string, Feed>, options: { floatOnly?: boolean; doubleTol?: number; floatTol?: number } = {}) => cases.push({ title, build, feeds, ...options });

/** A seeded generator per name, so every case draws the same values each run. */
function rngFor(name: string): Rng {
  let h = 2166136261;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619);
  return new Rng(h >>> 0);
}

function draw(name: string, n: number, kind: Kind = 'float'): number[] {
  const r = rngFor(name);
  return Array.from({ length: n }, () => Math.fround(kind === 'positive' ? 0.25 + 2 * r.uniform() : 4 * r.uniform() - 2));
}

const size = (dims: number[]) => dims.reduce((p, d) => p * d, 1);

/** An initializer of type T with drawn values. */
const W = (name: string, dims: number[], T: number, kind: Kind = 'float'): TensorSpec => ({ name, type: T, dims, data: draw(name, size(dims), kind) });
const I64 = (name: string, data: Array<number | bigint>, dims = [data.length]): TensorSpec => ({ name, type: DataType.INT64, dims, data });
const X = (shape: Array<number | string>, T: number) => ({ shape, type: T });

// ---------------------------------------------------------------------------------------------
// Gemm and MatMul

add('Gemm', (T) => oneNode('Gemm', [X([3, 4], T), X([4, 5], T), W('c', [5], T)]), { x0: { dims: [3, 4] }, x1: { dims: [4, 5] } });
add('Gemm transA, alpha 0.5, beta 2, C [3, 1]', (T) => oneNode('Gemm', [X([4, 3], T), X([4, 5], T), W('c1', [3, 1], T)], { transA: i(1), alpha: f(0.5), beta: f(2) }), { x0: { dims: [4, 3] }, x1: { dims: [4, 5] } });
add('Gemm transA and transB, no C', (T) => oneNode('Gemm', [X([4, 3], T), W('b', [5, 4], T)], { transA: i(1), transB: i(1) }), { x0: { dims: [4, 3] } });
add('Gemm transB, scalar C', (T) => oneNode('Gemm', [X([2, 4], T), W('b2', [3, 4], T), W('c2', [], T)], { transB: i(1), beta: f(-1) }), { x0: { dims: [2, 4] } });
add('MatMul batched with broadcasting', (T) => oneNode('MatMul', [X([2, 1, 3, 4], T), X([5, 4, 2], T)]), { x0: { dims: [2, 1, 3, 4] }, x1: { dims: [5, 4, 2] } });
add('MatMul 1-D · 2-D and 2-D · 1-D', (T) => buildModel({
  inputs: [{ name: 'v', type: T, shape: [3] }, { name: 'm', type: T, shape: [3, 4] }, { name: 'u', type: T, shape: [4] }],
  outputs: [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
  nodes: [
    { op: 'MatMul', inputs: ['v', 'm'], outputs: ['a'] },
    { op: 'MatMul', inputs: ['m', 'u'], outputs: ['b'] },
    { op: 'MatMul', inputs: ['u', 'u'], outputs: ['c'] },
  ],
}), { v: { dims: [3] }, m: { dims: [3, 4] }, u: { dims: [4] } });
add('Einsum bij,bjk->bik', (T) => oneNode('Einsum', [X([2, 3, 4], T), X([2, 4, 2], T)], { equation: s('bij,bjk->bik') }), { x0: { dims: [2, 3, 4] }, x1: { dims: [2, 4, 2] } });

// ---------------------------------------------------------------------------------------------
// Elementwise

for (const op of ['Add', 'Sub', 'Mul', 'Div']) add(`${op} broadcasting [2, 3] with [3]`, (T) => oneNode(op, [X([2, 3], T), X([3], T)]), { x0: { dims: [2, 3] }, x1: { dims: [3], kind: 'positive' } });
add('Pow', (T) => oneNode('Pow', [X([2, 3], T), X([2, 3], T)]), { x0: { dims: [2, 3], kind: 'positive' }, x1: { dims: [2, 3] } });
add('Pow with an integer exponent constant 2 (a negative base)', (T) => oneNode('Pow', [X([2, 3], T), W('two', [], T)].map((x, k) => (k === 1 ? { ...(x as TensorSpec), data: [2] } : x))), { x0: { dims: [2, 3] } });
for (const op of ['Sqrt', 'Log']) add(op, (T) => oneNode(op, [X([2, 5], T)]), { x0: { dims: [2, 5], kind: 'positive' } });
for (const op of ['Exp', 'Erf', 'Neg', 'Abs', 'Reciprocal', 'Relu', 'Sigmoid', 'Tanh', 'Softplus', 'Sin', 'Cos', 'Floor', 'Ceil', 'Round', 'Sign']) {
  add(op, (T) => oneNode(op, [X([3, 4], T)]), { x0: { dims: [3, 4] } });
}
add('LeakyRelu alpha 0.2', (T) => oneNode('LeakyRelu', [X([3, 4], T)], { alpha: f(0.2) }), { x0: { dims: [3, 4] } });
add('Elu alpha 0.5', (T) => oneNode('Elu', [X([3, 4], T)], { alpha: f(0.5) }), { x0: { dims: [3, 4] } });
add('Gelu (com.microsoft)', (T) => oneNode('Gelu', [X([3, 4], T)], {}, { domain: 'com.microsoft' }), { x0: { dims: [3, 4] } }, { floatOnly: true });
add('FastGelu with a bias (com.microsoft)', (T) => oneNode('FastGelu', [X([3, 4], T), W('fgb', [4], T)], {}, { domain: 'com.microsoft' }), { x0: { dims: [3, 4] } }, { floatOnly: true });
add('HardSigmoid alpha 0.3 beta 0.4', (T) => oneNode('HardSigmoid', [X([3, 4], T)], { alpha: f(0.3), beta: f(0.4) }), { x0: { dims: [3, 4] } });
add('HardSwish', (T) => oneNode('HardSwish', [X([3, 8], T)]), { x0: { dims: [3, 8], data: Array.from({ length: 24 }, (_, k) => k / 2 - 6) } });
add('Selu', (T) => oneNode('Selu', [X([3, 4], T)]), { x0: { dims: [3, 4] } });
add('PRelu with a per-channel slope', (T) => oneNode('PRelu', [X([2, 3, 2, 2], T), W('slope', [3, 1, 1], T)]), { x0: { dims: [2, 3, 2, 2] } });
add('Softsign', (T) => oneNode('Softsign', [X([3, 4], T)]), { x0: { dims: [3, 4] } });
add('Celu alpha 0.5 (FLOAT only, by its definition)', (T) => oneNode('Celu', [X([3, 4], T)], { alpha: f(0.5) }), { x0: { dims: [3, 4] } }, { floatOnly: true });
add('ThresholdedRelu alpha 0.25', (T) => oneNode('ThresholdedRelu', [X([3, 4], T)], { alpha: f(0.25) }), { x0: { dims: [3, 4] } });
add('Mod on INT64, fmod 0 and 1', () => buildModel({
  inputs: [{ name: 'a', type: DataType.INT64, shape: [6] }, { name: 'b', type: DataType.INT64, shape: [6] }],
  outputs: [{ name: 'm' }, { name: 'r' }],
  nodes: [{ op: 'Mod', inputs: ['a', 'b'], outputs: ['m'] }, { op: 'Mod', inputs: ['a', 'b'], outputs: ['r'], attrs: { fmod: i(1) } }],
}), { a: { dims: [6], kind: 'int64', data: [7, -7, 7, -7, 0, 12] }, b: { dims: [6], kind: 'int64', data: [3, 3, -3, -3, 5, 4] } });
add('Clip with min and max', (T) => oneNode('Clip', [X([3, 4], T), { ...W('lo', [], T), data: [-0.5] }, { ...W('hi', [], T), data: [0.75] }]), { x0: { dims: [3, 4] } });
add('Clip with max only', (T) => oneNode('Clip', [X([3, 4], T), null, { ...W('hi', [], T), data: [0.5] }]), { x0: { dims: [3, 4] } });
for (const op of ['Max', 'Min', 'Sum', 'Mean']) add(`${op} of three, broadcasting`, (T) => oneNode(op, [X([2, 3], T), X([3], T), X([2, 1], T)]), { x0: { dims: [2, 3] }, x1: { dims: [3] }, x2: { dims: [2, 1] } });
for (const op of ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']) {
  add(`${op} (BOOL)`, (T) => oneNode(op, [X([2, 3], T), { ...W('k', [3], T), data: [0, -1, 0.5] }]), { x0: { dims: [2, 3], data: [0, -1, 0.5, 1, -1, 0.25] } });
}
add('IsNaN, IsInf (both signs and the negative only), NonZero', () => buildModel({
  inputs: [{ name: 'x', type: DataType.FLOAT, shape: [2, 3] }],
  outputs: [{ name: 'nan' }, { name: 'inf' }, { name: 'neg' }, { name: 'nz' }],
  nodes: [
    { op: 'IsNaN', inputs: ['x'], outputs: ['nan'] },
    { op: 'IsInf', inputs: ['x'], outputs: ['inf'] },
    { op: 'IsInf', inputs: ['x'], outputs: ['neg'], attrs: { detect_positive: i(0) } },
    { op: 'NonZero', inputs: ['x'], outputs: ['nz'] },
  ],
}), { x: { dims: [2, 3], data: [0, NaN, Infinity, -Infinity, 0, 2.5] } }, { floatOnly: true });
add('Not, And, Or, Xor on BOOL', () => buildModel({
  inputs: [{ name: 'a', type: DataType.BOOL, shape: [2, 3] }, { name: 'b', type: DataType.BOOL, shape: [3] }],
  outputs: [{ name: 'n' }, { name: 'x' }, { name: 'o' }, { name: 'y' }],
  nodes: [
    { op: 'Not', inputs: ['a'], outputs: ['n'] },
    { op: 'And', inputs: ['a', 'b'], outputs: ['x'] },
    { op: 'Or', inputs: ['a', 'b'], outputs: ['o'] },
    { op: 'Xor', inputs: ['a', 'b'], outputs: ['y'] },
  ],
}), { a: { dims: [2, 3], kind: 'bool', data: [1, 0, 1, 0, 0, 1] }, b: { dims: [3], kind: 'bool', data: [1, 1, 0] } });
add('Where: a causal mask (Range, Less, Where −∞, Softmax)', (T) => buildModel({
  inputs: [{ name: 'scores', type: T, shape: [2, 4, 4] }],
  outputs: [{ name: 'p' }],
  initializers: [I64('zero', [0], []), I64('four', [4], []), I64('one', [1], []), I64('ax0', [0]), I64('ax1', [1]), { name: 'ninf', type: T, dims: [], data: [-Infinity] }],
  nodes: [
    { op: 'Range', inputs: ['zero', 'four', 'one'], outputs: ['r'] },
    { op: 'Unsqueeze', inputs: ['r', 'ax0'], outputs: ['row'] },
    { op: 'Unsqueeze', inputs: ['r', 'ax1'], outputs: ['col'] },
    { op: 'Less', inputs: ['col', 'row'], outputs: ['future'] },
    { op: 'Where', inputs: ['future', 'ninf', 'scores'], outputs: ['masked'] },
    { op: 'Softmax', inputs: ['masked'], outputs: ['p'], attrs: { axis: i(-1) } },
  ],
}), { scores: { dims: [2, 4, 4] } });
add('Cast float → INT64 and INT64 → float', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [2, 3] }, { name: 'k', type: DataType.INT64, shape: [3] }],
  outputs: [{ name: 'a' }, { name: 'b' }],
  nodes: [
    { op: 'Cast', inputs: ['x'], outputs: ['a'], attrs: { to: i(DataType.INT64) } },
    { op: 'Cast', inputs: ['k'], outputs: ['b'], attrs: { to: i(T) } },
  ],
}), { x: { dims: [2, 3], data: [1.5, -1.5, 2.75, -0.25, 0, 3] }, k: { dims: [3], kind: 'int64', data: [-2, 0, 7] } });
add('Identity and Dropout (inference)', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [2, 3] }],
  outputs: [{ name: 'y' }],
  nodes: [
    { op: 'Identity', inputs: ['x'], outputs: ['a'] },
    { op: 'Dropout', inputs: ['a'], outputs: ['y'] },
  ],
}), { x: { dims: [2, 3] } });

// ---------------------------------------------------------------------------------------------
// Softmax, normalisation

for (const axis of [0, 1, -1]) add(`Softmax axis ${axis}`, (T) => oneNode('Softmax', [X([2, 3, 4], T)], { axis: i(axis) }), { x0: { dims: [2, 3, 4] } });
add('LogSoftmax axis 1', (T) => oneNode('LogSoftmax', [X([2, 3, 4], T)], { axis: i(1) }), { x0: { dims: [2, 3, 4] } });
add('BatchNormalization (inference)', (T) => oneNode('BatchNormalization', [X([2, 3, 4, 4], T), W('g', [3], T), W('bb', [3], T), W('m', [3], T), W('v', [3], T, 'positive')], { epsilon: f(1e-3) }), { x0: { dims: [2, 3, 4, 4] } });
// ONNX Runtime's double LayerNormalization differs by up to 6e-12 from the two-pass mean and variance.
add('LayerNormalization axis −1', (T) => oneNode('LayerNormalization', [X([2, 3, 4], T), W('ls', [4], T), W('lb', [4], T)]), { x0: { dims: [2, 3, 4] } }, { doubleTol: 1e-10 });
add('InstanceNormalization', (T) => oneNode('InstanceNormalization', [X([2, 3, 4, 5], T), W('is', [3], T), W('ib', [3], T)], { epsilon: f(1e-3) }), { x0: { dims: [2, 3, 4, 5] } });
add('LayerNormalization axis 1, epsilon 1e-3, no bias', (T) => oneNode('LayerNormalization', [X([2, 3, 4], T), W('ls2', [3, 4], T)], { axis: i(1), epsilon: f(1e-3) }), { x0: { dims: [2, 3, 4] } });

// ---------------------------------------------------------------------------------------------
// Convolutions and pooling

add('Conv 2-D with bias, pads 1', (T) => oneNode('Conv', [X([2, 3, 6, 5], T), W('w', [4, 3, 3, 3], T), W('cb', [4], T)], { pads: ints([1, 1, 1, 1]) }), { x0: { dims: [2, 3, 6, 5] } });
add('Conv groups 2, strides [2, 1], dilations [1, 2], asymmetric pads', (T) => oneNode('Conv', [X([1, 4, 7, 8], T), W('wg', [6, 2, 3, 2], T)], { group: i(2), strides: ints([2, 1]), dilations: ints([1, 2]), pads: ints([1, 0, 2, 1]) }), { x0: { dims: [1, 4, 7, 8] } });
add('Conv depthwise, auto_pad SAME_UPPER, stride 2', (T) => oneNode('Conv', [X([1, 3, 6, 7], T), W('wd', [3, 1, 3, 3], T)], { group: i(3), strides: ints([2, 2]), auto_pad: s('SAME_UPPER'), kernel_shape: ints([3, 3]) }), { x0: { dims: [1, 3, 6, 7] } });
add('Conv auto_pad SAME_LOWER', (T) => oneNode('Conv', [X([1, 2, 5, 6], T), W('wl', [2, 2, 2, 2], T)], { auto_pad: s('SAME_LOWER') }), { x0: { dims: [1, 2, 5, 6] } });
add('Conv 1-D with pads [2, 1], stride 2, dilation 2', (T) => oneNode('Conv', [X([2, 3, 11], T), W('w1', [4, 3, 3], T), W('b1', [4], T)], { pads: ints([2, 1]), strides: ints([2]), dilations: ints([2]) }), { x0: { dims: [2, 3, 11] } });
add('ConvTranspose stride 2, pads 1, output_padding 1, bias', (T) => oneNode('ConvTranspose', [X([2, 3, 4, 5], T), W('wt', [3, 2, 3, 3], T), W('bt', [2], T)], { strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), output_padding: ints([1, 1]) }), { x0: { dims: [2, 3, 4, 5] } });
add('ConvTranspose group 2, asymmetric pads, dilations', (T) => oneNode('ConvTranspose', [X([1, 4, 3, 4], T), W('wt2', [4, 1, 2, 3], T)], { group: i(2), pads: ints([0, 1, 1, 0]), dilations: ints([2, 1]), strides: ints([1, 2]) }), { x0: { dims: [1, 4, 3, 4] } });
add('ConvTranspose output_shape', (T) => oneNode('ConvTranspose', [X([1, 2, 3, 3], T), W('wt3', [2, 3, 3, 3], T)], { strides: ints([2, 2]), output_shape: ints([6, 7]) }), { x0: { dims: [1, 2, 3, 3] } });
add('MaxPool 3×3 stride 2 pads 1', (T) => oneNode('MaxPool', [X([2, 3, 7, 6], T)], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }), { x0: { dims: [2, 3, 7, 6] } });
add('MaxPool asymmetric pads, dilations 2', (T) => oneNode('MaxPool', [X([1, 2, 8, 7], T)], { kernel_shape: ints([2, 3]), dilations: ints([2, 1]), pads: ints([0, 1, 1, 0]) }), { x0: { dims: [1, 2, 8, 7] } });
add('MaxPool ceil_mode 1', (T) => oneNode('MaxPool', [X([1, 2, 7, 8], T)], { kernel_shape: ints([2, 3]), strides: ints([2, 2]), ceil_mode: i(1) }), { x0: { dims: [1, 2, 7, 8] } });
add('MaxPool 1-D', (T) => oneNode('MaxPool', [X([2, 3, 9], T)], { kernel_shape: ints([3]), strides: ints([2]), pads: ints([1, 1]) }), { x0: { dims: [2, 3, 9] } });
for (const cip of [0, 1]) {
  add(`AveragePool pads 1, count_include_pad ${cip}`, (T) => oneNode('AveragePool', [X([2, 3, 6, 5], T)], { kernel_shape: ints([3, 3]), strides: ints([2, 1]), pads: ints([1, 1, 1, 1]), count_include_pad: i(cip) }), { x0: { dims: [2, 3, 6, 5] } });
  add(`AveragePool asymmetric pads, count_include_pad ${cip}`, (T) => oneNode('AveragePool', [X([1, 2, 6, 7], T)], { kernel_shape: ints([2, 3]), pads: ints([1, 0, 0, 2]), count_include_pad: i(cip) }), { x0: { dims: [1, 2, 6, 7] } });
  add(`AveragePool ceil_mode 1, count_include_pad ${cip}`, (T) => oneNode('AveragePool', [X([1, 2, 7, 8], T)], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]), ceil_mode: i(1), count_include_pad: i(cip) }), { x0: { dims: [1, 2, 7, 8] } });
}
add('AveragePool 1-D', (T) => oneNode('AveragePool', [X([2, 3, 9], T)], { kernel_shape: ints([2]), strides: ints([2]) }), { x0: { dims: [2, 3, 9] } });
const scales = (v: number[]): TensorSpec => ({ name: 'scales', type: DataType.FLOAT, dims: [v.length], data: v });
add('Resize nearest, asymmetric, floor, scales 2 (nn.Upsample)', (T) => oneNode('Resize', [X([1, 2, 3, 4], T), null, scales([1, 1, 2, 2])], { mode: s('nearest'), coordinate_transformation_mode: s('asymmetric'), nearest_mode: s('floor') }), { x0: { dims: [1, 2, 3, 4] } });
add('Resize nearest, half_pixel, round_prefer_floor, sizes', (T) => oneNode('Resize', [X([1, 2, 4, 6], T), null, null, I64('sizes', [1, 2, 5, 4])], {}), { x0: { dims: [1, 2, 4, 6] } });
add('Resize nearest, align_corners, round_prefer_ceil', (T) => oneNode('Resize', [X([1, 1, 3, 5], T), null, scales([1, 1, 2, 0.6])], { coordinate_transformation_mode: s('align_corners'), nearest_mode: s('round_prefer_ceil') }), { x0: { dims: [1, 1, 3, 5] } });
add('Resize linear, half_pixel, scales [2, 1.5]', (T) => oneNode('Resize', [X([1, 2, 3, 4], T), null, scales([1, 1, 2, 1.5])], { mode: s('linear') }), { x0: { dims: [1, 2, 3, 4] } });
add('Resize linear, pytorch_half_pixel (bilinear, align_corners False)', (T) => oneNode('Resize', [X([2, 1, 4, 3], T), null, scales([1, 1, 0.5, 3])], { mode: s('linear'), coordinate_transformation_mode: s('pytorch_half_pixel') }), { x0: { dims: [2, 1, 4, 3] } });
add('Resize linear, align_corners, sizes', (T) => oneNode('Resize', [X([1, 2, 3, 3], T), null, null, I64('sizes', [1, 2, 5, 7])], { mode: s('linear'), coordinate_transformation_mode: s('align_corners') }), { x0: { dims: [1, 2, 3, 3] } });
add('GlobalAveragePool', (T) => oneNode('GlobalAveragePool', [X([2, 3, 4, 5], T)]), { x0: { dims: [2, 3, 4, 5] } });
add('GlobalMaxPool', (T) => oneNode('GlobalMaxPool', [X([2, 3, 4, 5], T)]), { x0: { dims: [2, 3, 4, 5] } });

// ---------------------------------------------------------------------------------------------
// Recurrent cells: X [seq 4, batch 2, input 3], hidden 5. ONNX Runtime has float kernels only;
// its float32 rounding grows through the recurrence (1e-7 absolute per step), so the tolerance
// of the cells that saturate is 1e-4.

add('RNN with bias and initial_h', (T) => oneNode('RNN', [X([4, 2, 3], T), W('rw', [1, 5, 3], T), W('rr', [1, 5, 5], T), W('rb', [1, 10], T), null, X([1, 2, 5], T)], { hidden_size: i(5) }, { outputs: 2 }), { x0: { dims: [4, 2, 3] }, x5: { dims: [1, 2, 5] } }, { floatTol: 1e-4 });
for (const lbr of [0, 1]) {
  add(`GRU bidirectional, linear_before_reset ${lbr}`, (T) => oneNode('GRU', [X([4, 2, 3], T), W('gw', [2, 15, 3], T), W('gr', [2, 15, 5], T), W('gb', [2, 30], T)], { hidden_size: i(5), direction: s('bidirectional'), linear_before_reset: i(lbr) }, { outputs: 2 }), { x0: { dims: [4, 2, 3] } }, { floatTol: 1e-4 });
}
add('LSTM with bias, initial_h and initial_c', (T) => oneNode('LSTM', [X([4, 2, 3], T), W('lw', [1, 20, 3], T), W('lr', [1, 20, 5], T), W('lb', [1, 40], T), null, X([1, 2, 5], T), X([1, 2, 5], T)], { hidden_size: i(5) }, { outputs: 3 }), { x0: { dims: [4, 2, 3] }, x5: { dims: [1, 2, 5] }, x6: { dims: [1, 2, 5] } });
add('LSTM bidirectional without bias', (T) => oneNode('LSTM', [X([4, 2, 3], T), W('lw2', [2, 20, 3], T), W('lr2', [2, 20, 5], T)], { hidden_size: i(5), direction: s('bidirectional') }, { outputs: 3 }), { x0: { dims: [4, 2, 3] } });
/** An LSTM run backwards, in either layout (ONNX Runtime reads layout 0 only). */
const reverseLstm = (T: number, layout: number) => oneNode('LSTM', [X(layout === 0 ? [4, 2, 3] : [2, 4, 3], T), W('lw3', [1, 20, 3], T), W('lr3', [1, 20, 5], T), W('lb3', [1, 40], T)], { hidden_size: i(5), direction: s('reverse'), layout: i(layout) }, { outputs: 3 });
add('LSTM reverse', (T) => reverseLstm(T, 0), { x0: { dims: [4, 2, 3] } });

// ---------------------------------------------------------------------------------------------
// Shapes

add('Flatten axis 2', (T) => oneNode('Flatten', [X([2, 3, 4, 5], T)], { axis: i(2) }), { x0: { dims: [2, 3, 4, 5] } });
add('Flatten axis 0', (T) => oneNode('Flatten', [X([2, 3, 4], T)], { axis: i(0) }), { x0: { dims: [2, 3, 4] } });
add('Reshape with 0 and −1', (T) => oneNode('Reshape', [X([2, 3, 4], T), I64('shape', [0, -1, 2])]), { x0: { dims: [2, 3, 4] } });
add('Transpose perm [2, 0, 1] and the default reversal', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [2, 3, 4] }],
  outputs: [{ name: 'a' }, { name: 'b' }],
  nodes: [{ op: 'Transpose', inputs: ['x'], outputs: ['a'], attrs: { perm: ints([2, 0, 1]) } }, { op: 'Transpose', inputs: ['x'], outputs: ['b'] }],
}), { x: { dims: [2, 3, 4] } });
add('Concat axis −1', (T) => oneNode('Concat', [X([2, 3], T), X([2, 1], T), W('cc', [2, 2], T)], { axis: i(-1) }), { x0: { dims: [2, 3] }, x1: { dims: [2, 1] } });
add('Split sizes [1, 3] along axis 1', (T) => oneNode('Split', [X([2, 4, 3], T), I64('split', [1, 3])], { axis: i(1) }, { outputs: 2 }), { x0: { dims: [2, 4, 3] } });
add('Split into three equal pieces', (T) => oneNode('Split', [X([6, 2], T)], {}, { outputs: 3 }), { x0: { dims: [6, 2] } });
add('Slice negative starts and a clamped end (INT64_MAX)', (T) => oneNode('Slice', [X([4, 5, 6], T), I64('st', [-3, 1]), I64('en', [2n ** 63n - 1n, -1]), I64('ax', [2, 0])]), { x0: { dims: [4, 5, 6] } });
add('Slice steps 2 and −1, −2 (INT64_MIN end)', (T) => oneNode('Slice', [X([5, 6, 7], T), I64('st2', [0, -1, 5]), I64('en2', [5, -(2n ** 63n), 0]), I64('ax2', [0, 1, 2]), I64('sp2', [2, -1, -2])]), { x0: { dims: [5, 6, 7] } });
add('Slice with an empty result', (T) => oneNode('Slice', [X([4, 3], T), I64('st3', [3]), I64('en3', [1]), I64('ax3', [0])]), { x0: { dims: [4, 3] } });
add('Squeeze given axes and all', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [1, 3, 1, 2] }],
  outputs: [{ name: 'a' }, { name: 'b' }],
  initializers: [I64('axes', [-2])],
  nodes: [{ op: 'Squeeze', inputs: ['x', 'axes'], outputs: ['a'] }, { op: 'Squeeze', inputs: ['x'], outputs: ['b'] }],
}), { x: { dims: [1, 3, 1, 2] } });
add('Unsqueeze axes [0, −1]', (T) => oneNode('Unsqueeze', [X([3, 2], T), I64('axes', [0, -1])]), { x0: { dims: [3, 2] } });
add('Gather: an embedding (indices an INT64 input, repeated and negative)', (T) => oneNode('Gather', [W('emb', [5, 3], T), { shape: [2, 3], type: DataType.INT64 }]), { x1: { dims: [2, 3], kind: 'int64', data: [0, 4, 4, -1, 2, 0] } });
add('Gather axis 1 with constant indices', (T) => oneNode('Gather', [X([2, 4, 3], T), I64('gi', [3, -4, 1])], { axis: i(1) }), { x0: { dims: [2, 4, 3] } });
add('Gather of a scalar index (drops the axis)', (T) => oneNode('Gather', [X([3, 4], T), I64('gs', [2], [])], { axis: i(0) }), { x0: { dims: [3, 4] } });
add('GatherElements axis 1 (negative indices, a smaller extent off the axis)', (T) => oneNode('GatherElements', [X([3, 4], T), { shape: [2, 3], type: DataType.INT64 }], { axis: i(1) }), { x0: { dims: [3, 4] }, x1: { dims: [2, 3], kind: 'int64', data: [0, 3, -1, 2, 2, 1] } });
for (const reduction of ['none', 'add']) {
  add(`ScatterElements axis 1, reduction ${reduction}`, (T) => oneNode('ScatterElements', [X([3, 4], T), I64('si', [1, 3, -4, 2, 2, 1], [3, 2]), X([3, 2], T)], { axis: i(1), reduction: s(reduction) }, { opset: 16 }), { x0: { dims: [3, 4] }, x2: { dims: [3, 2] } });
  add(`ScatterND of rows, reduction ${reduction}`, (T) => oneNode('ScatterND', [X([4, 3, 2], T), I64('ni', [2, 0, -1, 1], [2, 2]), X([2, 2], T)], { reduction: s(reduction) }, { opset: 16 }), { x0: { dims: [4, 3, 2] }, x2: { dims: [2, 2] } });
}
add('ScatterND of whole slices (opset 13, no reduction)', (T) => oneNode('ScatterND', [X([4, 3], T), I64('ni2', [3, 1], [2, 1]), X([2, 3], T)], {}, { opset: 13 }), { x0: { dims: [4, 3] }, x2: { dims: [2, 3] } });
add('Trilu upper with k = 1 and lower', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [2, 3, 4] }],
  outputs: [{ name: 'u' }, { name: 'l' }],
  initializers: [I64('k', [1], [])],
  nodes: [{ op: 'Trilu', inputs: ['x', 'k'], outputs: ['u'] }, { op: 'Trilu', inputs: ['x'], outputs: ['l'], attrs: { upper: i(0) } }],
}), { x: { dims: [2, 3, 4] } });
for (const mode of ['DCR', 'CRD']) add(`DepthToSpace ${mode}`, (T) => oneNode('DepthToSpace', [X([2, 8, 2, 3], T)], { blocksize: i(2), mode: s(mode) }), { x0: { dims: [2, 8, 2, 3] } });
add('SpaceToDepth', (T) => oneNode('SpaceToDepth', [X([1, 2, 4, 6], T)], { blocksize: i(2) }), { x0: { dims: [1, 2, 4, 6] } });
add('Expand [3, 1] to [2, 3, 4]', (T) => oneNode('Expand', [X([3, 1], T), I64('es', [2, 1, 4])]), { x0: { dims: [3, 1] } });
add('Tile', (T) => oneNode('Tile', [X([2, 3], T), I64('reps', [2, 1])]), { x0: { dims: [2, 3] } });
add('Pad constant 1.5 with a crop', (T) => oneNode('Pad', [X([3, 4], T), I64('pads', [1, -1, 2, 0]), { ...W('pv', [], T), data: [1.5] }]), { x0: { dims: [3, 4] } });
add('Pad constant 0 (no value)', (T) => oneNode('Pad', [X([1, 2, 3, 3], T), I64('pads0', [0, 0, 1, 2, 0, 0, 2, 0])]), { x0: { dims: [1, 2, 3, 3] } });
for (const mode of ['reflect', 'edge']) add(`Pad ${mode}`, (T) => oneNode('Pad', [X([1, 2, 4, 5], T), I64('pads1', [0, 0, 2, 1, 0, 0, 1, 3])], { mode: s(mode) }), { x0: { dims: [1, 2, 4, 5] } });
add('Shape (opset 15 start/end), Size, ConstantOfShape and Range', () => buildModel({
  opset: 15,
  inputs: [{ name: 'x', type: DataType.FLOAT, shape: [2, 3, 4] }],
  outputs: [{ name: 's' }, { name: 'n' }, { name: 'c' }, { name: 'r' }],
  initializers: [{ name: 'st', type: DataType.FLOAT, dims: [], data: [0.5] }, { name: 'lim', type: DataType.FLOAT, dims: [], data: [3] }, { name: 'd', type: DataType.FLOAT, dims: [], data: [0.75] }],
  nodes: [
    { op: 'Shape', inputs: ['x'], outputs: ['s'], attrs: { start: i(-2) } },
    { op: 'Size', inputs: ['x'], outputs: ['n'] },
    { op: 'ConstantOfShape', inputs: ['s'], outputs: ['c'], attrs: { value: t({ type: DataType.FLOAT, dims: [1], data: [2.5] }) } },
    { op: 'Range', inputs: ['st', 'lim', 'd'], outputs: ['r'] },
  ],
}), { x: { dims: [2, 3, 4] } }, { floatOnly: true });
add('Constant nodes (value, value_float, value_ints)', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [2, 3] }],
  outputs: [{ name: 'y' }, { name: 'z' }],
  nodes: [
    { op: 'Constant', inputs: [], outputs: ['k'], attrs: { value: t({ type: T, dims: [3], data: [1, 2, 3] }) } },
    { op: 'Constant', inputs: [], outputs: ['shape'], attrs: { value_ints: ints([3, 2]) } },
    { op: 'Mul', inputs: ['x', 'k'], outputs: ['m'] },
    { op: 'Reshape', inputs: ['m', 'shape'], outputs: ['y'] },
    { op: 'Constant', inputs: [], outputs: ['half'], attrs: { value_float: f(0.5) } },
    { op: 'Cast', inputs: ['half'], outputs: ['h'], attrs: { to: i(T) } },
    { op: 'Add', inputs: ['y', 'h'], outputs: ['z'] },
  ],
}), { x: { dims: [2, 3] } });

/** PyTorch's x.view(x.size(0), -1) on a dynamic batch: Shape → Gather → Unsqueeze → Concat → Reshape. */
const viewChain = (T: number) => buildModel({
  inputs: [{ name: 'x', type: T, shape: ['batch', 3, 4] }],
  outputs: [{ name: 'y' }],
  initializers: [I64('zero', [0], []), I64('axes0', [0]), I64('minus1', [-1])],
  nodes: [
    { op: 'Shape', inputs: ['x'], outputs: ['s'] },
    { op: 'Gather', inputs: ['s', 'zero'], outputs: ['b'], attrs: { axis: i(0) } },
    { op: 'Unsqueeze', inputs: ['b', 'axes0'], outputs: ['bu'] },
    { op: 'Concat', inputs: ['bu', 'minus1'], outputs: ['shape'], attrs: { axis: i(0) } },
    { op: 'Reshape', inputs: ['x', 'shape'], outputs: ['flat'] },
    { op: 'Relu', inputs: ['flat'], outputs: ['y'] },
  ],
});
add('Shape → Gather → Unsqueeze → Concat → Reshape, batch 2', viewChain, { x: { dims: [2, 3, 4] } });
add('Shape → Gather → Unsqueeze → Concat → Reshape, batch 5', viewChain, { x: { dims: [5, 3, 4] } });

add('a transformer block as PyTorch exports it (dynamic batch 2, sequence 3)', transformerBlock, { x: { dims: [2, 3, 8] } });
add('a transformer block as PyTorch exports it (dynamic batch 1, sequence 5)', transformerBlock, { x: { dims: [1, 5, 8] } });

// ---------------------------------------------------------------------------------------------
// Reductions

for (const keep of [0, 1]) {
  add(`ReduceSum axes [0, 2] (an input), keepdims ${keep}`, (T) => oneNode('ReduceSum', [X([2, 3, 4], T), I64('rax', [0, -1])], { keepdims: i(keep) }), { x0: { dims: [2, 3, 4] } });
  for (const op of ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceSumSquare', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp']) {
    add(`${op} axes [1] (the attribute), keepdims ${keep}`, (T) => oneNode(op, [X([2, 3, 4], T)], { axes: ints([1]), keepdims: i(keep) }), { x0: { dims: [2, 3, 4] } });
  }
}
add('ArgMax keepdims 1 and ArgMin axis −1 keepdims 0', (T) => buildModel({
  inputs: [{ name: 'x', type: T, shape: [2, 3, 4] }],
  outputs: [{ name: 'a' }, { name: 'b' }],
  nodes: [{ op: 'ArgMax', inputs: ['x'], outputs: ['a'], attrs: { axis: i(1) } }, { op: 'ArgMin', inputs: ['x'], outputs: ['b'], attrs: { axis: i(-1), keepdims: i(0) } }],
}), { x: { dims: [2, 3, 4] } });
for (const [exclusive, reverse] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) {
  add(`CumSum exclusive ${exclusive} reverse ${reverse}`, (T) => oneNode('CumSum', [X([2, 5], T), I64('cax', [1], [])], { exclusive: i(exclusive), reverse: i(reverse) }), { x0: { dims: [2, 5] } });
}
add('TopK largest along axis 1, with ties', (T) => oneNode('TopK', [X([2, 5, 3], T), I64('K', [3])], { axis: i(1) }, { outputs: 2 }), { x0: { dims: [2, 5, 3], data: Array.from({ length: 30 }, (_, k) => [1, 3, 3, 0, 2, 1][k % 6]! + (k % 7) / 8) } });
add('TopK smallest along the last axis', (T) => oneNode('TopK', [X([3, 6], T), I64('K', [2])], { largest: i(0) }, { outputs: 2 }), { x0: { dims: [3, 6] } });
add('ReduceMean over every axis', (T) => oneNode('ReduceMean', [X([2, 3, 4], T)], { keepdims: i(0) }), { x0: { dims: [2, 3, 4] } });
add('ReduceSum without axes, noop_with_empty_axes 1', (T) => oneNode('ReduceSum', [X([2, 3], T)], { noop_with_empty_axes: i(1) }), { x0: { dims: [2, 3] } });

// ---------------------------------------------------------------------------------------------

const ORT_TYPES: Record<number, OrtType> = { [DataType.FLOAT]: 'float32', [DataType.DOUBLE]: 'float64' };

function feedsOf(c: Case, T: number): Record<string, OrtTensor> {
  return Object.fromEntries(Object.entries(c.feeds).map(([name, feed]) => {
    const kind = feed.kind ?? 'float';
    const type: OrtType = kind === 'int64' ? 'int64' : kind === 'bool' ? 'bool' : ORT_TYPES[T]!;
    return [name, { type, dims: feed.dims, data: feed.data ?? draw(`${c.title}:${name}`, size(feed.dims), kind) }];
  }));
}

interface Attempt {
  c: Case;
  T: number;
  bytes: Uint8Array;
  feeds: Record<string, OrtTensor>;
  result: OrtResult;
}

let attempts: Attempt[] = [];
const measured: string[] = [];

beforeAll(() => {
  const first = cases.map((c) => {
    const T = c.floatOnly ? DataType.FLOAT : DataType.DOUBLE;
    return { c, T, bytes: c.build(T), feeds: feedsOf(c, T) };
  });
  const results = runOrt(first.map((a) => ({ model: a.bytes, feeds: a.feeds })));
  attempts = first.map((a, k) => ({ ...a, result: results[k]! }));
  // No double kernel in ONNX Runtime: the same model for FLOAT.
  const retry = attempts.map((a, k) => [a, k] as const).filter(([a]) => a.T === DataType.DOUBLE && a.result.error !== undefined && /NOT_IMPLEMENTED|implementation|not support double/i.test(a.result.error));
  const again = retry.map(([a]) => ({ c: a.c, T: DataType.FLOAT as number, bytes: a.c.build(DataType.FLOAT), feeds: feedsOf(a.c, DataType.FLOAT) }));
  const results2 = runOrt(again.map((a) => ({ model: a.bytes, feeds: a.feeds })));
  retry.forEach(([, k], j) => {
    attempts[k] = { ...again[j]!, result: results2[j]! };
  });
}, 60_000);

afterAll(() => {
  if (process.env.DELTAGRAPH_ONNX_REPORT) process.stdout.write(`${measured.join('\n')}\n`);
});

test.each(cases.map((c, k) => [c.title, k] as const))('%s agrees with ONNX Runtime', (_title, k) => {
  const a = attempts[k]!;
  expect(a.result.error).toBeUndefined();
  const model = fromOnnx(a.bytes);
  const args = model.inputs.map((x) => {
    const feed = a.feeds[x.name]!;
    return tensor(Float64Array.from(feed.data), feed.dims);
  });
  const got = model.run(...args);
  const double = a.T === DataType.DOUBLE;
  const tol = double ? a.c.doubleTol ?? 1e-12 : a.c.floatTol ?? 1e-5;
  let worst = 0;
  model.outputs.forEach((o, j) => {
    const want = a.result.outputs![o.name]!;
    expect([o.name, got[j]!.shape]).toEqual([o.name, want.dims]);
    if (want.type === 'float32' || want.type === 'float64') {
      const err = relativeError(got[j]!.data, want.data, double ? 1e-3 : 1e-2);
      worst = Math.max(worst, err);
      expect([o.name, err]).toEqual([o.name, expect.any(Number)]);
      if (!(err <= tol)) throw new Error(`output ${o.name}: relative error ${err} > ${tol}\n  got  ${Array.from(got[j]!.data.slice(0, 12))}\n  want ${want.data.slice(0, 12)}`);
    } else {
      expect([o.name, Array.from(got[j]!.data)]).toEqual([o.name, want.data]);
    }
  });
  measured.push(`${a.T === DataType.DOUBLE ? 'DOUBLE' : 'FLOAT '} ${worst.toExponential(2)}  ${a.c.title}`);
});

test('LSTM layout 1 (batch first) is layout 0 with the batch and sequence axes swapped', () => {
  const x = tensor(Float64Array.from(draw('layout', 24)), [4, 2, 3]);
  const [y0, h0, c0] = fromOnnx(reverseLstm(DataType.DOUBLE, 0)).run(x);
  const [y1, h1, c1] = fromOnnx(reverseLstm(DataType.DOUBLE, 1)).run(x.permute([1, 0, 2]));
  expect(Array.from(y1!.data)).toEqual(Array.from(y0!.permute([2, 0, 1, 3]).data));
  expect(Array.from(h1!.data)).toEqual(Array.from(h0!.permute([1, 0, 2]).data));
  expect(Array.from(c1!.data)).toEqual(Array.from(c0!.permute([1, 0, 2]).data));
});

test('every operator fromOnnx supports is among the cases', () => {
  const supported = onnxImportableOperators();
  const used = new Set(attempts.flatMap((a) => ((ModelProto.decode(a.bytes) as unknown as { graph: { node: Array<{ opType: string; domain: string }> } }).graph.node).map((nd) => (nd.domain === '' ? nd.opType : `${nd.domain}.${nd.opType}`))));
  expect(supported.length).toBeGreaterThan(90);
  expect(supported.filter((op) => !used.has(op))).toEqual([]);
});

test('the cases run in ONNX Runtime with double kernels where it has them', () => {
  const doubles = attempts.filter((a) => a.T === DataType.DOUBLE).length;
  expect(doubles).toBeGreaterThan(cases.length / 2);
});

