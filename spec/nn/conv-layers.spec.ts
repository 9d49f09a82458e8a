/** Conv2d, Conv1d, MaxPool2d, AvgPool2d and Flatten: shapes, PyTorch's initialisation, and gradchecks as a whole. */
import { Conv1d, Conv2d, Flatten, Linear, MaxPool2d, AvgPool2d, ReLU, Sequential, Tensor, manualSeed, mul, rand, rng, sum } from '../../index';
import { gradcheck } from '../../check';
import { expectDependence, ofParameter } from './parameter-check';

/** A fixed weighting of a layer's output, so that the checked scalar depends on every element. */
const weighted = (y: Tensor) => sum(mul(y, new Tensor(Float64Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape)));

describe('Conv2d', () => {
  const layer = new Conv2d(2, 3, [3, 2], { stride: [2, 1], padding: 1, rng: 4 });
  const x = rand([2, 2, 5, 4], rng(5), -1, 1);

  it('maps [N, C, H, W] to [N, O, Ho, Wo] and draws W, b from U(±1/√fanIn) as PyTorch', () => {
    expect(layer.forward(x).shape).toEqual([2, 3, 3, 5]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    for (const p of [layer.W, layer.b!]) for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(layer.W.shape).toEqual([3, 2, 3, 2]);
    expect(() => layer.forward(rand([2, 3, 5, 4], rng(0)))).toThrow(/Conv2d\.forward: expected input of shape \[N, 2, H, W\], got \[2, 3, 5, 4\]/);
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: groups 2 must divide both inChannels 3 and outChannels 4/);
  });

  it('passes gradcheck with respect to its input, W and b', () => {
    expect(gradcheck((t: Tensor) => weighted(layer.forward(t)), [x], { name: 'Conv2d x' }).ok).toBe(true);
    for (const key of ['W', 'b'] as const) {
      const f = ofParameter(layer, key, () => weighted(layer.forward(x)));
      expectDependence(f, layer[key]!);
      expect(gradcheck(f, [layer[key]!], { name: `Conv2d ${key}` }).ok).toBe(true);
    }
  });

  it('draws from the global generator unless given a seed: two layers differ, a seed repeats', () => {
    manualSeed(3);
    const [a, b] = [new Conv2d(1, 2, 3), new Conv2d(1, 2, 3)];
    expect(Array.from(a.W.data)).not.toEqual(Array.from(b.W.data));
    expect(Array.from(new Conv2d(1, 2, 3, { rng: 9 }).W.data)).toEqual(Array.from(new Conv2d(1, 2, 3, { rng: 9 }).W.data));
  });
});

describe('Conv1d', () => {
  it('maps [N, C, L] to [N, O, Lo] and passes gradcheck with respect to x, W and b', () => {
    const layer = new Conv1d(4, 2, 3, { padding: 1, groups: 2, rng: 1 });
    const x = rand([2, 4, 6], rng(2), -1, 1);
    expect(layer.forward(x).shape).toEqual([2, 2, 6]);
    expect(gradcheck((t: Tensor) => weighted(layer.forward(t)), [x]).ok).toBe(true);
    for (const key of ['W', 'b'] as const) expect(gradcheck(ofParameter(layer, key, () => weighted(layer.forward(x))), [layer[key]!]).ok).toBe(true);
  });
});

describe('a small CNN from the layers', () => {
  it('Conv2d · ReLU · MaxPool2d · AvgPool2d · Flatten · Linear passes gradcheck with respect to every parameter', () => {
    const net = new Sequential(new Conv2d(1, 2, 3, { padding: 1, rng: 7 }), new ReLU(), new MaxPool2d(2), new AvgPool2d(2, { stride: 1 }), new Flatten(), new Linear(8, 3, { rng: 8 }));
    const x = rand([2, 1, 6, 6], rng(3), -1, 1);
    expect(net.forward(x).shape).toEqual([2, 3]);
    const [conv, , , , , linear] = net.layers as [Conv2d, ReLU, MaxPool2d, AvgPool2d, Flatten, Linear];
    for (const [layer, key] of [[conv, 'W'], [conv, 'b'], [linear, 'W'], [linear, 'b']] as const) {
      const f = ofParameter(layer as { W: Tensor; b: Tensor | null }, key, () => weighted(net.forward(x)));
      expectDependence(f, layer[key]!);
      expect(gradcheck(f, [layer[key]!], { name: `${layer.describe()} ${key}` }).ok).toBe(true);
    }
  });
});
