/**
 * The gradients of imported models, checked against central differences: with respect to the
 * inputs by the library's gradcheck, and with respect to every initializer (parameter) by its
 * numericJacobian, the parameter's values moved in place, against backward's gradient. The models
 * are small DOUBLE graphs that chain the operators whose import composes several ops (asymmetric
 * pads, ceil_mode, counts of average pooling, ConvTranspose cropped, Slice with negative steps, Pad
 * reflect, the causal Where) with the others.
 */
import { Rng, Tensor, backward, mul, noGrad, sum, tensor } from '../../node';
import { gradcheck, numericDirectional, numericJacobian } from '../../check';
import { OnnxModel, fromOnnx } from '../../interop';
import { DataType, TensorSpec, buildModel, f, i, ints, s } from './onnx-builder';
import { transformerBlock } from './onnx-models';

const T = DataType.DOUBLE;

function values(seed: number, n: number, low = -1, high = 1): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => low + (high - low) * r.uniform());
}

const w = (name: string, dims: number[], seed: number, low = -1, high = 1): TensorSpec => ({ name, type: T, dims, data: values(seed, dims.reduce((p, d) => p * d, 1), low, high) });
const i64 = (name: string, data: number[], dims = [data.length]): TensorSpec => ({ name, type: DataType.INT64, dims, data });

/**
 * ∂(Σ v ⊙ output)/∂p from backward against central differences, for every parameter p, the
 * parameter's values moved in place (and restored): the whole numericJacobian(p ↦ output)ᵀ v for
 * a parameter of at most 32 values, else three random directions u, ⟨p̄, u⟩ against
 * numericDirectional's (out(p + εu) − out(p − εu)) / 2ε projected on v.
 */
function checkParameters(model: OnnxModel, inputs: Tensor[], output = 0): string[] {
  const out = model.run(...inputs)[output]!;
  const v = tensor(Float64Array.from(values(99, out.size)), out.shape.slice());
  const grads = backward(sum(mul(out, v)));
  const problems: string[] = [];
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let d = 0;
    for (let k = 0; k < a.length; k++) d += a[k]! * b[k]!;
    return d;
  };
  for (const [name, p] of model.namedParameters()) {
    const saved = p.data.slice();
    const at = (q: Tensor) => {
      p.data.set(q.data);
      try {
        return noGrad(() => model.run(...inputs)[output]!);
      } finally {
        p.data.set(saved);
      }
    };
    const here = [new Tensor(saved.slice(), p.shape.slice())];
    const analytic = grads.get(p).data;
    const close = (a: number, n: number) => Math.abs(a - n) <= 1e-6 + 1e-5 * Math.abs(n);
    if (p.size <= 32) {
      const J = numericJacobian(at, here, 0, 1e-6);
      for (let k = 0; k < p.size; k++) {
        const numeric = dot(J.subarray(k * out.size, (k + 1) * out.size), v.data);
        if (!close(analytic[k]!, numeric)) problems.push(`${name}[${k}]: analytic ${analytic[k]}, numeric ${numeric}`);
      }
    } else {
      for (let d = 0; d < 3; d++) {
        const u = Float64Array.from(values(1000 + d, p.size));
        const numeric = dot(numericDirectional(at, here, [u], 1e-6), v.data);
        const a = dot(analytic, u);
        if (!close(a, numeric)) problems.push(`${name} along direction ${d}: analytic ${a}, numeric ${numeric}`);
      }
    }
  }
  return problems;
}

const cnn = fromOnnx(buildModel({
  inputs: [{ name: 'x', type: T, shape: ['n', 2, 5, 5] }],
  outputs: [{ name: 'y' }],
  initializers: [
    w('conv.w', [3, 2, 3, 3], 1), w('conv.b', [3], 2),
    w('bn.g', [3], 3, 0.5, 1.5), w('bn.b', [3], 4), w('bn.m', [3], 5), w('bn.v', [3], 6, 0.5, 2),
    w('fc.w', [4, 12], 7), w('fc.b', [4], 8),
  ],
  nodes: [
    { op: 'Conv', name: '/conv/Conv', inputs: ['x', 'conv.w', 'conv.b'], outputs: ['c'], attrs: { pads: ints([1, 0, 0, 1]) } },
    { op: 'BatchNormalization', name: '/bn/BatchNormalization', inputs: ['c', 'bn.g', 'bn.b', 'bn.m', 'bn.v'], outputs: ['b'] },
    { op: 'LeakyRelu', name: '/act/LeakyRelu', inputs: ['b'], outputs: ['a'], attrs: { alpha: f(0.1) } },
    { op: 'MaxPool', name: '/pool/MaxPool', inputs: ['a'], outputs: ['p'], attrs: { kernel_shape: ints([2, 2]), strides: ints([2, 2]), ceil_mode: i(1) } },
    { op: 'Flatten', name: '/flat/Flatten', inputs: ['p'], outputs: ['fl'] },
    { op: 'Gemm', name: '/fc/Gemm', inputs: ['fl', 'fc.w', 'fc.b'], outputs: ['g'], attrs: { transB: i(1) } },
    { op: 'LogSoftmax', name: '/out/LogSoftmax', inputs: ['g'], outputs: ['y'], attrs: { axis: i(1) } },
  ],
}));

const attention = fromOnnx(buildModel({
  inputs: [{ name: 'x', type: T, shape: ['n', 4, 3] }],
  outputs: [{ name: 'y' }],
  initializers: [
    w('ln.g', [3], 11, 0.5, 1.5), w('ln.b', [3], 12), w('q', [3, 3], 13), w('k', [3, 3], 14), w('v', [3, 3], 15),
    { name: 'mask', type: DataType.BOOL, dims: [4, 4], data: [1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1] },
    { name: 'ninf', type: T, dims: [], data: [-Infinity] },
    { name: 'scale', type: T, dims: [], data: [Math.sqrt(3)] },
  ],
  nodes: [
    { op: 'LayerNormalization', inputs: ['x', 'ln.g', 'ln.b'], outputs: ['h'], attrs: { axis: i(-1), epsilon: f(1e-5) } },
    { op: 'MatMul', inputs: ['h', 'q'], outputs: ['hq'] },
    { op: 'MatMul', inputs: ['h', 'k'], outputs: ['hk'] },
    { op: 'MatMul', inputs: ['h', 'v'], outputs: ['hv'] },
    { op: 'Transpose', inputs: ['hk'], outputs: ['kt'], attrs: { perm: ints([0, 2, 1]) } },
    { op: 'MatMul', inputs: ['hq', 'kt'], outputs: ['sc'] },
    { op: 'Div', inputs: ['sc', 'scale'], outputs: ['scs'] },
    { op: 'Where', inputs: ['mask', 'scs', 'ninf'], outputs: ['masked'] },
    { op: 'Softmax', inputs: ['masked'], outputs: ['att'], attrs: { axis: i(-1) } },
    { op: 'MatMul', inputs: ['att', 'hv'], outputs: ['o'] },
    { op: 'Gelu', domain: 'com.microsoft', inputs: ['o'], outputs: ['ge'] },
    { op: 'ReduceMean', inputs: ['ge'], outputs: ['y'], attrs: { axes: ints([1]), keepdims: i(0) } },
  ],
  domains: [{ domain: 'com.microsoft', version: 1 }],
}));

const lookup = fromOnnx(buildModel({
  inputs: [{ name: 'ids', type: DataType.INT64, shape: [2, 3] }, { name: 'x', type: T, shape: [2, 3, 4] }],
  outputs: [{ name: 'y' }],
  initializers: [
    w('emb', [5, 4], 21),
    i64('st', [-1, 3]), i64('en', [-(2 ** 52), 0]), i64('ax', [1, 2]), i64('sp', [-1, -2]),
    i64('pads', [0, 1, 0, 0, 2, 1]),
    i64('rax', [1]),
  ],
  nodes: [
    { op: 'Gather', inputs: ['emb', 'ids'], outputs: ['e'] },
    { op: 'Mul', inputs: ['e', 'x'], outputs: ['ex'] },
    { op: 'Slice', inputs: ['ex', 'st', 'en', 'ax', 'sp'], outputs: ['sl'] },
    { op: 'Pad', inputs: ['sl', 'pads'], outputs: ['pd'], attrs: { mode: s('reflect') } },
    { op: 'Concat', inputs: ['pd', 'pd'], outputs: ['cc'], attrs: { axis: i(2) } },
    { op: 'Constant', inputs: [], outputs: ['expo'], attrs: { value_float: f(2) } },
    { op: 'Pow', inputs: ['cc', 'expo'], outputs: ['pw'] },
    { op: 'ReduceSum', inputs: ['pw', 'rax'], outputs: ['rs'], attrs: { keepdims: i(0) } },
    { op: 'Sqrt', inputs: ['rs'], outputs: ['sq'] },
    { op: 'Sigmoid', inputs: ['sq'], outputs: ['y'] },
  ],
}));

const decoder = fromOnnx(buildModel({
  inputs: [{ name: 'x', type: T, shape: [1, 2, 3, 3] }],
  outputs: [{ name: 'y' }, { name: 'z' }],
  initializers: [w('up.w', [2, 2, 3, 2], 31), w('up.b', [2], 32)],
  nodes: [
    { op: 'ConvTranspose', inputs: ['x', 'up.w', 'up.b'], outputs: ['u'], attrs: { strides: ints([2, 2]), pads: ints([1, 0, 0, 1]), output_padding: ints([1, 0]) } },
    { op: 'Erf', inputs: ['u'], outputs: ['er'] },
    { op: 'AveragePool', inputs: ['er'], outputs: ['ap'], attrs: { kernel_shape: ints([3, 2]), pads: ints([1, 0, 0, 1]), count_include_pad: i(0) } },
    { op: 'Softplus', inputs: ['ap'], outputs: ['y'] },
    { op: 'GlobalAveragePool', inputs: ['ap'], outputs: ['z'] },
  ],
}));

const x = (seed: number, dims: number[]) => tensor(Float64Array.from(values(seed, dims.reduce((p, d) => p * d, 1))), dims);

test('a CNN (asymmetric pads, BatchNormalization, ceil_mode max pooling, Gemm): inputs and initializers', () => {
  const input = x(41, [2, 2, 5, 5]);
  expect(gradcheck((t: Tensor) => cnn.forward(t), [input], { name: 'cnn' }).ok).toBe(true);
  expect(checkParameters(cnn, [input])).toEqual([]);
  // The BatchNormalization statistics are buffers, not parameters.
  expect(cnn.namedParameters().map(([k]) => k)).toEqual(['conv.w', 'conv.b', 'bn.g', 'bn.b', 'fc.w', 'fc.b']);
});

test('attention (LayerNormalization, MatMul, a causal Where with −∞, Softmax, Gelu, ReduceMean)', () => {
  const input = x(42, [2, 4, 3]);
  expect(gradcheck((t: Tensor) => attention.forward(t), [input], { name: 'attention' }).ok).toBe(true);
  expect(checkParameters(attention, [input])).toEqual([]);
});

test('an embedding lookup, Slice with negative steps, Pad reflect, Concat, Pow, ReduceSum, Sqrt', () => {
  const ids = tensor([[0, 4, 4], [-1, 2, 0]]);
  const input = x(43, [2, 3, 4]);
  expect(gradcheck((a: Tensor, b: Tensor) => lookup.forward(a, b), [ids, input], { wrt: [1], name: 'lookup' }).ok).toBe(true);
  expect(checkParameters(lookup, [ids, input])).toEqual([]);
});

test('ConvTranspose (cropped by asymmetric pads), AveragePool (its own counts), two outputs', () => {
  const input = x(44, [1, 2, 3, 3]);
  for (const k of [0, 1]) {
    expect(gradcheck((t: Tensor) => decoder.run(t)[k]!, [input], { name: `decoder output ${k}` }).ok).toBe(true);
    expect(checkParameters(decoder, [input], k)).toEqual([]);
  }
});

const norms = fromOnnx(buildModel({
  inputs: [{ name: 'x', type: T, shape: ['n', 3, 4, 4] }],
  outputs: [{ name: 'y' }],
  initializers: [
    w('in.g', [3], 51, 0.5, 1.5), w('in.b', [3], 52), w('slope', [3, 1, 1], 53, 0.1, 0.5),
    i64('gi', [3, 0, 0, 1, 2, 1, 3, 3, 2, 0, 1, 2].concat(Array.from({ length: 84 }, (_, k) => k % 4)), [2, 3, 4, 4]),
    i64('cax', [2], []),
  ],
  nodes: [
    { op: 'InstanceNormalization', inputs: ['x', 'in.g', 'in.b'], outputs: ['a'] },
    { op: 'PRelu', inputs: ['a', 'slope'], outputs: ['b'] },
    { op: 'HardSwish', inputs: ['b'], outputs: ['c'] },
    { op: 'GatherElements', inputs: ['c', 'gi'], outputs: ['d'], attrs: { axis: i(3) } },
    { op: 'CumSum', inputs: ['d', 'cax'], outputs: ['e'], attrs: { reverse: i(1) } },
    { op: 'Trilu', inputs: ['e'], outputs: ['t'] },
    { op: 'ReduceL2', inputs: ['t'], outputs: ['r'], attrs: { axes: ints([1]), keepdims: i(0) } },
    { op: 'Selu', inputs: ['r'], outputs: ['y'] },
  ],
}));

test('InstanceNormalization, PRelu (its slope a parameter), HardSwish, GatherElements, CumSum, Trilu, ReduceL2, Selu', () => {
  const input = x(45, [2, 3, 4, 4]);
  expect(gradcheck((t: Tensor) => norms.forward(t), [input], { name: 'norms' }).ok).toBe(true);
  expect(checkParameters(norms, [input])).toEqual([]);
});

test('a transformer block as PyTorch exports it: dynamic shapes, decomposed layer norm and GELU, a causal mask', () => {
  const block = fromOnnx(transformerBlock(T));
  expect(block.namedParameters().map(([k]) => k)).toEqual([
    'ln1.weight', 'ln1.bias', 'attn.qkv.weight', 'attn.qkv.bias', 'attn.proj.weight', 'attn.proj.bias',
    'ln2.weight', 'ln2.bias', 'mlp.fc.weight', 'mlp.fc.bias', 'mlp.proj.weight', 'mlp.proj.bias',
  ]);
  const input = x(46, [1, 3, 8]);
  block.forward(input);
  // Layers from the node names' scopes.
  expect([...new Set(block.layerSpans().map((l) => l.label))]).toEqual(['ln1', 'attn', 'ln2', 'mlp']);
  expect(gradcheck((t: Tensor) => block.forward(t), [input], { name: 'block' }).ok).toBe(true);
  expect(checkParameters(block, [input])).toEqual([]);
});

test('Resize linear and nearest: the gradient scatters back through the chosen indices and weights', () => {
  const scalesOf = (name: string, v: number[]): TensorSpec => ({ name, type: DataType.FLOAT, dims: [v.length], data: v });
  const resize = fromOnnx(buildModel({
    inputs: [{ name: 'x', type: T, shape: [1, 2, 3, 3] }],
    outputs: [{ name: 'y' }],
    initializers: [scalesOf('up', [1, 1, 1.5, 2]), scalesOf('down', [1, 1, 0.5, 0.75])],
    nodes: [
      { op: 'Resize', inputs: ['x', '', 'up'], outputs: ['u'], attrs: { mode: s('linear'), coordinate_transformation_mode: s('pytorch_half_pixel') } },
      { op: 'Resize', inputs: ['u', '', 'down'], outputs: ['y'], attrs: { mode: s('nearest') } },
    ],
  }));
  expect(gradcheck((t: Tensor) => resize.forward(t), [x(47, [1, 2, 3, 3])], { name: 'resize' }).ok).toBe(true);
});

test('TopK: the values send their gradient to the entries chosen', () => {
  const top = fromOnnx(buildModel({
    inputs: [{ name: 'x', type: T, shape: [2, 5] }],
    outputs: [{ name: 'v' }],
    initializers: [i64('K', [3])],
    nodes: [{ op: 'TopK', inputs: ['x', 'K'], outputs: ['v', ''] }],
  }));
  expect(gradcheck((t: Tensor) => top.forward(t), [x(48, [2, 5])], { name: 'topk' }).ok).toBe(true);
});

test('ScatterElements and ScatterND: data keeps its gradient where it survives, updates get theirs', () => {
  const scatter = fromOnnx(buildModel({
    opset: 16,
    inputs: [{ name: 'd', type: T, shape: [3, 4] }, { name: 'u', type: T, shape: [3, 2] }, { name: 'v', type: T, shape: [1, 4] }],
    outputs: [{ name: 'y' }],
    initializers: [i64('si', [1, 3, -4, 2, 2, 1], [3, 2]), i64('ni', [1], [1, 1])],
    nodes: [
      { op: 'ScatterElements', inputs: ['d', 'si', 'u'], outputs: ['e'], attrs: { axis: i(1) } },
      { op: 'ScatterND', inputs: ['e', 'ni', 'v'], outputs: ['f'], attrs: { reduction: s('add') } },
      { op: 'Tanh', inputs: ['f'], outputs: ['y'] },
    ],
  }));
  expect(gradcheck((a: Tensor, b: Tensor, c: Tensor) => scatter.forward(a, b, c), [x(49, [3, 4]), x(50, [3, 2]), x(51, [1, 4])], { name: 'scatter' }).ok).toBe(true);
});

test('LSTM and GRU unrolled: gradients of the input, the initial states and the weights', () => {
  const recurrent = fromOnnx(buildModel({
    inputs: [{ name: 'x', type: T, shape: [3, 2, 3] }, { name: 'h0', type: T, shape: [2, 2, 4] }, { name: 'c0', type: T, shape: [2, 2, 4] }],
    outputs: [{ name: 'y' }],
    initializers: [
      w('lw', [2, 16, 3], 61), w('lr', [2, 16, 4], 62), w('lb', [2, 32], 63), w('gw', [1, 12, 8], 64), w('gr', [1, 12, 4], 65), w('gb', [1, 24], 66),
      i64('shape', [3, 2, 8]),
    ],
    nodes: [
      { op: 'LSTM', inputs: ['x', 'lw', 'lr', 'lb', '', 'h0', 'c0'], outputs: ['ly', 'lh', 'lc'], attrs: { hidden_size: i(4), direction: s('bidirectional') } },
      { op: 'Transpose', inputs: ['ly'], outputs: ['lt'], attrs: { perm: ints([0, 2, 1, 3]) } },
      { op: 'Reshape', inputs: ['lt', 'shape'], outputs: ['seq'] },
      { op: 'GRU', inputs: ['seq', 'gw', 'gr', 'gb'], outputs: ['gy', 'gh'], attrs: { hidden_size: i(4), linear_before_reset: i(1) } },
      { op: 'Add', inputs: ['gh', 'lc'], outputs: ['y'] },
    ],
  }));
  const inputs = [x(71, [3, 2, 3]), x(72, [2, 2, 4]), x(73, [2, 2, 4])];
  expect(gradcheck((a: Tensor, b: Tensor, c: Tensor) => recurrent.forward(a, b, c), inputs, { name: 'lstm-gru' }).ok).toBe(true);
  expect(checkParameters(recurrent, inputs)).toEqual([]);
});
