/** Linear on inputs of any rank ≥ 1, applied to the last axis as PyTorch's: [..., in] → [..., out], [in] → [out]. */
import { ArgumentError, Linear, MLP, Tensor, backward, mul, randn, rng, sum, tensor, zeros } from '../../index';
import { gradcheck } from '../../check';
import { expectError } from '../errors/expect-error';
import { expectDependence, ofParameter } from './parameter-check';

const weighted = (y: Tensor) => sum(mul(y, new Tensor(Float64Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape)));

describe('Linear on any rank', () => {
  const layer = new Linear(3, 2, { rng: 6 });

  it('maps [..., in] to [..., out], each vector on the last axis as one row of the rank-2 layer', () => {
    const x = randn([2, 4, 3], rng(1));
    const rows = layer.forward(new Tensor(x.data, [8, 3]));
    const y = layer.forward(x);
    expect(y.shape).toEqual([2, 4, 2]);
    expect(Array.from(y.data)).toEqual(Array.from(rows.data));
    const v = layer.forward([1, 2, 3]);
    expect(v.shape).toEqual([2]);
    expect(Array.from(v.data)).toEqual(Array.from(layer.forward([[1, 2, 3]]).data));
    expect(layer.forward(randn([2, 1, 3, 3], rng(2))).shape).toEqual([2, 1, 3, 2]);
    expect(layer.forward(zeros([2, 0, 3])).shape).toEqual([2, 0, 2]);
    expect(layer.forward(zeros([0, 3])).shape).toEqual([0, 2]);
  });

  it('passes gradcheck with respect to a rank-3 input, W and b, and a rank-1 input', () => {
    const x = randn([2, 3, 3], rng(3));
    expect(gradcheck((t: Tensor) => weighted(layer.forward(t)), [x], { name: 'Linear x [2, 3, 3]' }).ok).toBe(true);
    expect(gradcheck((t: Tensor) => weighted(layer.forward(t)), [randn([3], rng(4))], { name: 'Linear x [3]' }).ok).toBe(true);
    for (const key of ['W', 'b'] as const) {
      const f = ofParameter(layer, key, () => weighted(layer.forward(x)));
      expectDependence(f, layer[key]!);
      expect(gradcheck(f, [layer[key]!], { name: `Linear ${key}` }).ok).toBe(true);
    }
    // ∂L/∂b of Σ y is the number of vectors, 6, in each output.
    expect(backward(sum(layer.forward(x))).get(layer.b!).toArray()).toEqual([6, 6]);
  });

  it('keeps the rank-2 message for a wrong width and names the last axis for other ranks', () => {
    expectError(() => layer.forward(tensor([[1, 2]])), ArgumentError, 'Linear.forward: expected input of shape [n, 3] (rows are examples), got [1, 2]');
    expectError(() => layer.forward([1, 2]), ArgumentError, 'Linear', '[n, 3]', '[..., 3]', 'got [2]');
    expectError(() => layer.forward(randn([2, 2, 4], rng(0))), ArgumentError, 'Linear', '[..., 3]', '[2, 2, 4]');
    expectError(() => layer.forward(5), ArgumentError, 'Linear', '[..., 3]', 'got []');
    expectError(() => layer.forward('x' as any), ArgumentError, 'Linear.forward', 'x');
  });

  it('MLP still takes rows only', () => {
    expectError(() => new MLP({ layers: [3, 2] }).forward([1, 2, 3]), ArgumentError, 'MLP', '[n, 3]', '[3]');
  });
});
