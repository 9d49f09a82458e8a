/**
 * Models written the way PyTorch 1.13's exporter writes them (opset 13–17), for the specs: a
 * pre-norm transformer block whose layer norm and GELU are decomposed into elementwise nodes, whose
 * heads are split by the Shape → Gather → Unsqueeze → Concat → Reshape chains of `view` on a
 * dynamic batch and sequence, and whose causal mask is built from Range, Unsqueeze and Less on the
 * sequence length.
 */
import { Rng } from '../../node';
import { DataType, NodeSpec, TensorSpec, buildModel, i, ints, t } from './onnx-builder';

function values(seed: number, n: number, scale: number): number[] {
  const r = new Rng(seed);
  return Array.from({ length: n }, () => Math.fround(scale * (2 * r.uniform() - 1)));
}

/**
 * x [batch, seq, 8] → y [batch, seq, 8]: y = h + MLP(LN₂ h), h = x + Attention(LN₁ x), two heads
 * of width 4, the MLP 8 → 16 → 8 with the exact GELU. Its initializers are named as PyTorch names
 * the state dict (ln1.weight, attn.qkv.weight, …), of element type T.
 */
export function transformerBlock(T: number): Uint8Array {
  let seed = 100;
  const w = (name: string, dims: number[], scale = 0.5): TensorSpec => ({ name, type: T, dims, data: values(seed++, dims.reduce((p, d) => p * d, 1), scale) });
  const ones = (name: string, n: number): TensorSpec => ({ name, type: T, dims: [n], data: values(seed++, n, 0.2).map((v) => Math.fround(1 + v)) });
  const i64 = (name: string, data: number[], dims = [data.length]): TensorSpec => ({ name, type: DataType.INT64, dims, data });
  const constant = (out: string, value: number, type = T): NodeSpec => ({ op: 'Constant', name: `/Constant_${out}`, inputs: [], outputs: [out], attrs: { value: t({ type, dims: [], data: [value] }) } });
  const nodes: NodeSpec[] = [];
  const node = (name: string, op: string, inputs: string[], outputs: string[], attrs = {}) => nodes.push({ op, name, inputs, outputs, attrs });

  /** LayerNorm as PyTorch 1.13 exports it below opset 17. */
  const layerNorm = (scope: string, x: string, out: string) => {
    node(`/${scope}/ReduceMean`, 'ReduceMean', [x], [`${scope}.mean`], { axes: ints([-1]) });
    node(`/${scope}/Sub`, 'Sub', [x, `${scope}.mean`], [`${scope}.centred`]);
    node(`/${scope}/Pow`, 'Pow', [`${scope}.centred`, 'two'], [`${scope}.sq`]);
    node(`/${scope}/ReduceMean_1`, 'ReduceMean', [`${scope}.sq`], [`${scope}.var`], { axes: ints([-1]) });
    node(`/${scope}/Add`, 'Add', [`${scope}.var`, 'eps'], [`${scope}.vareps`]);
    node(`/${scope}/Sqrt`, 'Sqrt', [`${scope}.vareps`], [`${scope}.std`]);
    node(`/${scope}/Div`, 'Div', [`${scope}.centred`, `${scope}.std`], [`${scope}.normal`]);
    node(`/${scope}/Mul`, 'Mul', [`${scope}.normal`, `${scope}.weight`], [`${scope}.scaled`]);
    node(`/${scope}/Add_1`, 'Add', [`${scope}.scaled`, `${scope}.bias`], [out]);
  };

  nodes.push(constant('two', 2), constant('eps', 1e-5), constant('scale', 2), constant('ninf', -Infinity), constant('sqrt2', Math.SQRT2), constant('one', 1), constant('half', 0.5));
  // The dynamic sizes: batch and sequence, as scalars and as 1-element vectors.
  node('/attn/Shape', 'Shape', ['x'], ['shape']);
  node('/attn/Gather', 'Gather', ['shape', 'i0'], ['batch'], { axis: i(0) });
  node('/attn/Gather_1', 'Gather', ['shape', 'i1'], ['seq'], { axis: i(0) });
  node('/attn/Unsqueeze', 'Unsqueeze', ['batch', 'axes0'], ['batch1']);
  node('/attn/Unsqueeze_1', 'Unsqueeze', ['seq', 'axes0'], ['seq1']);
  node('/attn/Concat', 'Concat', ['batch1', 'seq1', 'heads', 'width'], ['headShape'], { axis: i(0) });
  node('/attn/Concat_1', 'Concat', ['batch1', 'seq1', 'embed'], ['flatShape'], { axis: i(0) });

  layerNorm('ln1', 'x', 'h1');
  node('/attn/qkv/MatMul', 'MatMul', ['h1', 'attn.qkv.weight'], ['qkv0']);
  node('/attn/qkv/Add', 'Add', ['attn.qkv.bias', 'qkv0'], ['qkv']);
  node('/attn/Split', 'Split', ['qkv', 'sizes'], ['q0', 'k0', 'v0'], { axis: i(2) });
  for (const name of ['q', 'k', 'v']) {
    node(`/attn/Reshape_${name}`, 'Reshape', [`${name}0`, 'headShape'], [`${name}1`]);
    node(`/attn/Transpose_${name}`, 'Transpose', [`${name}1`], [`${name}h`], { perm: ints(name === 'k' ? [0, 2, 3, 1] : [0, 2, 1, 3]) });
  }
  node('/attn/MatMul', 'MatMul', ['qh', 'kh'], ['scores0']);
  node('/attn/Div', 'Div', ['scores0', 'scale'], ['scores']);
  // The causal mask from the sequence length.
  node('/attn/Range', 'Range', ['i0', 'seq', 'i1'], ['positions']);
  node('/attn/Unsqueeze_2', 'Unsqueeze', ['positions', 'axes0'], ['key']);
  node('/attn/Unsqueeze_3', 'Unsqueeze', ['positions', 'axes1'], ['query']);
  node('/attn/Less', 'Less', ['query', 'key'], ['future']);
  node('/attn/Where', 'Where', ['future', 'ninf', 'scores'], ['masked']);
  node('/attn/Softmax', 'Softmax', ['masked'], ['weights'], { axis: i(-1) });
  node('/attn/MatMul_1', 'MatMul', ['weights', 'vh'], ['mixed']);
  node('/attn/Transpose', 'Transpose', ['mixed'], ['mixedT'], { perm: ints([0, 2, 1, 3]) });
  node('/attn/Reshape', 'Reshape', ['mixedT', 'flatShape'], ['joined']);
  node('/attn/proj/MatMul', 'MatMul', ['joined', 'attn.proj.weight'], ['proj0']);
  node('/attn/proj/Add', 'Add', ['attn.proj.bias', 'proj0'], ['proj']);
  node('/Add', 'Add', ['x', 'proj'], ['h']);

  layerNorm('ln2', 'h', 'h2');
  node('/mlp/fc/MatMul', 'MatMul', ['h2', 'mlp.fc.weight'], ['fc0']);
  node('/mlp/fc/Add', 'Add', ['mlp.fc.bias', 'fc0'], ['fc']);
  // GELU as PyTorch 1.13 exports F.gelu: x · (erf(x / √2) + 1) · 0.5.
  node('/mlp/act/Div', 'Div', ['fc', 'sqrt2'], ['g0']);
  node('/mlp/act/Erf', 'Erf', ['g0'], ['g1']);
  node('/mlp/act/Add', 'Add', ['g1', 'one'], ['g2']);
  node('/mlp/act/Mul', 'Mul', ['fc', 'g2'], ['g3']);
  node('/mlp/act/Mul_1', 'Mul', ['g3', 'half'], ['gelu']);
  node('/mlp/proj/MatMul', 'MatMul', ['gelu', 'mlp.proj.weight'], ['out0']);
  node('/mlp/proj/Add', 'Add', ['mlp.proj.bias', 'out0'], ['out']);
  node('/Add_1', 'Add', ['h', 'out'], ['y']);

  return buildModel({
    opset: 14,
    inputs: [{ name: 'x', type: T, shape: ['batch', 'seq', 8] }],
    outputs: [{ name: 'y', type: T, shape: ['batch', 'seq', 8] }],
    initializers: [
      ones('ln1.weight', 8), w('ln1.bias', [8], 0.1),
      w('attn.qkv.weight', [8, 24]), w('attn.qkv.bias', [24], 0.1), w('attn.proj.weight', [8, 8]), w('attn.proj.bias', [8], 0.1),
      ones('ln2.weight', 8), w('ln2.bias', [8], 0.1),
      w('mlp.fc.weight', [8, 16]), w('mlp.fc.bias', [16], 0.1), w('mlp.proj.weight', [16, 8]), w('mlp.proj.bias', [8], 0.1),
      i64('i0', [0], []), i64('i1', [1], []), i64('axes0', [0]), i64('axes1', [1]), i64('heads', [2]), i64('width', [4]), i64('embed', [8]), i64('sizes', [8, 8, 8]),
    ],
    nodes,
  });
}
