/**
 * The new layers together: a small token classifier Embedding · LayerNorm · Linear (rank 3) ·
 * GELU · SiLU · Flatten · Linear, gradchecked with respect to every parameter, trained by fit with
 * AdamW (biases and norms undecayed), WarmupCosineLR and clipGradNorm, and saved and loaded.
 */
import {
  AdamW, CrossEntropyLoss, Embedding, Flatten, GELU, LayerNorm, Linear, Sequential, SiLU, Tensor, WarmupCosineLR, BatchNorm2d, fit, loadStateDict,
  mul, noGrad, rand, rng, stateDict, sum, tensor,
} from '../../index';
import { gradcheck } from '../../check';
import { ofParameter } from './parameter-check';

/** f really depends on p: moved unevenly (LayerNorm cancels a uniform shift of an embedding row), its value changes. */
function expectDependence(f: (p: Tensor) => Tensor, p: Tensor): void {
  const moved = new Tensor(p.data.map((v, i) => v + 0.1 * Math.sin(3 * i + 1)), p.shape);
  expect(noGrad(() => f(moved).item())).not.toBeCloseTo(noGrad(() => f(p).item()), 6);
}

const weighted = (y: Tensor) => sum(mul(y, new Tensor(Float64Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape)));

function tokenNet(seed: number) {
  const random = rng(seed);
  return new Sequential(
    new Embedding(6, 4, { rng: random }),
    new LayerNorm(4),
    new Linear(4, 5, { rng: random }),
    new GELU(),
    new SiLU(),
    new Flatten(),
    new Linear(3 * 5, 2, { rng: random }),
  );
}

/** n sequences of 3 tokens from 0 … 5, labelled 1 when token 5 occurs. */
function tokens(n: number, seed: number): { x: Tensor; y: Tensor } {
  const r = rng(seed);
  const x = Float64Array.from({ length: 3 * n }, () => r.int(6));
  const y = Float64Array.from({ length: n }, (_, i) => (x.subarray(3 * i, 3 * i + 3).includes(5) ? 1 : 0));
  return { x: new Tensor(x, [n, 3]), y: new Tensor(y, [n]) };
}

describe('a token classifier from the new layers', () => {
  it('passes gradcheck with respect to every parameter', () => {
    const net = tokenNet(1);
    const x = tensor([[0, 5, 2], [3, 3, 1]]);
    const named = net.namedParameters();
    expect(named.map(([n]) => n)).toEqual(['0.weight', '1.weight', '1.bias', '2.W', '2.b', '6.W', '6.b']);
    for (const [name] of named) {
      const [index, key] = name.split('.') as [string, string];
      const layer = net.layers[Number(index)] as unknown as Record<string, Tensor>;
      const f = ofParameter(layer, key, () => weighted(net.forward(x)));
      // LayerNorm's weight and bias start at 1 and 0; check them at a generic point.
      const point = index === '1' ? rand(layer[key]!.shape, rng(2), 0.5, 1.5) : layer[key]!;
      expectDependence(f, point);
      expect(gradcheck(f, [point], { name }).ok).toBe(true);
    }
  });

  it('learns "token 5 occurs" with fit, AdamW, WarmupCosineLR and clipGradNorm, and round-trips through stateDict', () => {
    const net = tokenNet(3);
    const data = tokens(240, 4);
    const optimizer = new AdamW(net.namedParameters(), { lr: 0.05, decay: (p) => p.rank >= 2 });
    expect(optimizer.decays).toEqual([true, false, false, true, false, true, false]);
    const history = fit(net, data, {
      loss: new CrossEntropyLoss(),
      optimizer,
      epochs: 40,
      batchSize: 32,
      seed: 5,
      schedule: new WarmupCosineLR(optimizer, { warmup: 3, total: 40, minLr: 0.001 }),
      clipGradNorm: 1,
      metrics: ['accuracy'],
      progress: false,
    });
    expect(history.epochs[0]!.lr).toBe(0);
    expect(history.epochs[3]!.lr).toBe(0.05);
    expect(history.epochs.at(-1)!.metrics.accuracy).toBeGreaterThan(0.97);
    const copy = tokenNet(9);
    loadStateDict(copy, stateDict(net));
    const test = tokens(50, 6);
    expect(Array.from(copy.forward(test.x).data)).toEqual(Array.from(net.forward(test.x).data));
  });

  it('BatchNorm2d round-trips its running statistics through stateDict', () => {
    const bn = new BatchNorm2d(2);
    bn.forward(rand([2, 2, 3, 3], rng(7), -1, 2));
    const copy = new BatchNorm2d(2);
    loadStateDict(copy, stateDict(bn));
    expect(Array.from(copy.runningVar.data)).toEqual(Array.from(bn.runningVar.data));
    expect(stateDict(bn)).toEqual(stateDict(copy));
  });
});
