/** Layers built from ops: shapes, modes, and gradients proven by gradcheck. */
import {
  BatchNorm, Dropout, Identity, LeakyReLU, Linear, MLP, MSELoss, Sequential, ReLU, Sigmoid, Softmax, Tanh, Tensor, backward, mul, noGrad, param, rng, randn, sum, tanh, tensor,
} from '../../index';
import { gradcheck, gradgradcheck } from '../../check';
import { expectDependence, ofParameter } from './parameter-check';

const random = rng(11);

describe('Linear', () => {
  it('computes XW + b with rows as examples, and its gradients pass gradcheck', () => {
    const layer = new Linear(3, 2, { rng: 1 });
    const x = randn([4, 3], random);
    const y = layer.forward(x);
    expect(y.shape).toEqual([4, 2]);
    const w = randn([4, 2], random);
    expect(gradcheck((X: Tensor) => sum(mul(layer.forward(X), w)), [x]).ok).toBe(true);
    // ∂/∂W of Σ w ⊙ (XW + b) is Xᵀw.
    const g = backward(sum(mul(layer.forward(x), w))).get(layer.W);
    const expected = Array.from({ length: 6 }, (_, k) => {
      const [i, j] = [Math.floor(k / 2), k % 2];
      let s = 0;
      for (let r = 0; r < 4; r++) s += x.data[r * 3 + i]! * w.data[r * 2 + j]!;
      return s;
    });
    g.data.forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 13));
  });

  it('can leave out the bias', () => {
    const layer = new Linear(2, 2, { bias: false });
    expect(layer.parameters()).toHaveLength(1);
  });

  it('refuses inputs of the wrong width, naming the expected shape', () => {
    expect(() => new Linear(3, 2).forward(tensor([[1, 2]]))).toThrow(/\[n, 3\]/);
  });
});

describe('BatchNorm', () => {
  it('in train mode normalises each feature to mean 0 and variance 1', () => {
    const bn = new BatchNorm(3);
    const y = bn.forward(randn([50, 3], random));
    for (let f = 0; f < 3; f++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < 50; i++) m += y.data[i * 3 + f]! / 50;
      for (let i = 0; i < 50; i++) v += (y.data[i * 3 + f]! - m) ** 2 / 50;
      expect(m).toBeCloseTo(0, 12);
      expect(v).toBeCloseTo(1, 3);
    }
  });

  it('the training-mode gradient is the true one (finite differences), not the frozen-statistics one', () => {
    const bn = new BatchNorm(2);
    const x = randn([5, 2], random);
    const w = randn([5, 2], random);
    const f = (X: Tensor) => sum(mul(bn.forward(X), w));
    expect(gradcheck(f, [x]).ok).toBe(true);
    // Shifting a column of x leaves BN(x) unchanged, so each column of the true gradient sums to 0.
    const xp = param(x);
    const g = backward(f(xp)).get(xp);
    // Treating μ and σ² as constants (the batch-norm document's backward) gives γ/√(σ² + ε) · w instead.
    for (let j = 0; j < 2; j++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < 5; i++) m += x.data[i * 2 + j]! / 5;
      for (let i = 0; i < 5; i++) v += (x.data[i * 2 + j]! - m) ** 2 / 5;
      let trueSum = 0;
      let frozenSum = 0;
      for (let i = 0; i < 5; i++) {
        trueSum += g.data[i * 2 + j]!;
        frozenSum += w.data[i * 2 + j]! / Math.sqrt(v + 1e-5);
      }
      expect(Math.abs(trueSum)).toBeLessThan(1e-12);
      expect(Math.abs(frozenSum)).toBeGreaterThan(1e-3);
    }
  });

  it('updates running statistics with momentum and uses them in eval mode', () => {
    const bn = new BatchNorm(1, { momentum: 0.5 });
    bn.forward(tensor([[1], [3]])); // batch mean 2, biased variance 1, unbiased 2
    expect(bn.runningMean.data[0]).toBeCloseTo(0.5 * 0 + 0.5 * 2, 15);
    expect(bn.runningVar.data[0]).toBeCloseTo(0.5 * 1 + 0.5 * 2, 15);
    bn.eval();
    const y = bn.forward(tensor([[1]]));
    expect(y.item()).toBeCloseTo((1 - 1) / Math.sqrt(1.5 + 1e-5), 15);
  });
});

describe('Dropout', () => {
  it('keeps each element with probability 1 − p and rescales, and is the identity in eval mode', () => {
    const d = new Dropout(0.25, 3);
    const x = tensor(new Float64Array(10000).fill(1), [100, 100]);
    const y = d.forward(x);
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-15)).toBe(true);
    expect(Math.abs(kept.length / 10000 - 0.75)).toBeLessThan(0.02);
    d.eval();
    expect(d.forward(x)).toBe(x);
  });
});

describe('Sequential and MLP', () => {
  it('MLP follows the tutorial shape and exposes every layer delta ∂L/∂Z after backward', () => {
    const model = new MLP({ layers: [2, 3, 1], hidden: 'relu', output: 'identity', seed: 1 });
    const x = randn([6, 2], random);
    const y = randn([6, 1], random);
    const loss = new MSELoss('halfMean').forward(model.forward(x), y);
    const grads = backward(loss);
    const deltas = model.deltas(grads);
    expect(deltas.map((d) => d.shape)).toEqual([[6, 3], [6, 1]]);
    // Output delta of ½·mean with identity output: (ŷ − y)/N.
    const yhat = model.forward(x);
    deltas[1]!.data.forEach((d, i) => expect(d).toBeCloseTo((yhat.data[i]! - y.data[i]!) / 6, 14));
    // ∂L/∂W of the last layer is (O¹)ᵀ Δ².
    const [l1, l2] = model.linears();
    const o1 = model.net.outputOf(1);
    const gW = grads.get(l2!.W);
    for (let i = 0; i < 3; i++) {
      let s = 0;
      for (let r = 0; r < 6; r++) s += o1.data[r * 3 + i]! * deltas[1]!.data[r]!;
      expect(gW.data[i]).toBeCloseTo(s, 13);
    }
    expect(l1!.W.shape).toEqual([2, 3]);
  });

  it('train/eval reaches every child, and parameters are named by path', () => {
    const model = new MLP({ layers: [2, 3, 1], batchNorm: true });
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'net.0.W', 'net.0.b', 'net.1.gamma', 'net.1.beta', 'net.3.W', 'net.3.b',
    ]);
    model.eval();
    expect(model.net.layers.every((l) => !l.training)).toBe(true);
  });

  it('Sequential describes itself', () => {
    expect(new Sequential(new Linear(2, 3), new ReLU()).describe()).toContain('Linear(2 → 3)');
  });
});

describe('every layer passes gradcheck', () => {
  it.each([
    ['ReLU', () => new ReLU()],
    ['Sigmoid', () => new Sigmoid()],
    ['Tanh', () => new Tanh()],
    ['Identity', () => new Identity()],
    ['LeakyReLU', () => new LeakyReLU(0.2)],
    ['Softmax', () => new Softmax()],
  ] as const)('%s', (_, make) => {
    const layer = make();
    // Values kept away from ReLU's kink at 0.
    const x = tensor([[0.5, -1.2, 2], [-0.3, 0.8, -2.5]]);
    const w = randn([2, 3], random);
    expect(gradcheck((X: Tensor) => sum(mul(layer.forward(X), w)), [x]).ok).toBe(true);
  });

  it('an MLP with batch norm, with respect to its input', () => {
    const model = new MLP({ layers: [3, 5, 4, 2], hidden: ['tanh', 'sigmoid'], batchNorm: true, seed: 3 });
    const x = randn([6, 3], random);
    const w = randn([6, 2], random);
    expect(gradcheck((X: Tensor) => sum(mul(model.forward(X), w)), [x]).ok).toBe(true);
  });

  it('Dropout passes the gradient through its mask: ∂L/∂x = mask/(1 − p) ⊙ g', () => {
    const d = new Dropout(0.5, 8);
    const x = param(randn([4, 5], random));
    const y = d.forward(x);
    const g = backward(sum(mul(y, 3))).get(x);
    // Where an element was kept, y = 2x and the gradient is 3·2; where dropped, both are 0.
    y.data.forEach((v, i) => expect(g.data[i]).toBe(v === 0 ? 0 : 6));
  });
});

/** The parameter checks draw from their own generator, leaving the sequence of the tests above as it was. */
const draws = rng(21);

/** The gradient of a scalar function of a module's parameter, by central differences on its data in place. */
function centralDifferences(p: Tensor, f: () => number, eps = 1e-6): number[] {
  return Array.from(p.data, (v, i) => {
    p.data[i] = v + eps;
    const plus = f();
    p.data[i] = v - eps;
    const minus = f();
    p.data[i] = v;
    return (plus - minus) / (2 * eps);
  });
}

describe("Linear's parameters pass gradcheck", () => {
  const layer = new Linear(3, 2, { rng: 4 });
  const x = randn([5, 3], draws);
  const w = randn([5, 2], draws);
  const loss = () => sum(mul(layer.forward(x), w));

  it('with respect to W: ∂L/∂W = Xᵀ G', () => {
    const f = ofParameter(layer, 'W', loss);
    expectDependence(f, layer.W);
    expect(gradcheck(f, [layer.W], { name: 'Linear W' }).ok).toBe(true);
  });

  it('with respect to b: ∂L/∂b = Gᵀ 1', () => {
    const f = ofParameter(layer, 'b', loss);
    expectDependence(f, layer.b!);
    expect(gradcheck(f, [layer.b!], { name: 'Linear b' }).ok).toBe(true);
  });

  it('the gradients a backward pass gives the parameters themselves match central differences', () => {
    const grads = backward(loss());
    for (const p of [layer.W, layer.b!]) {
      const numeric = centralDifferences(p, () => noGrad(() => loss().item()));
      grads.get(p).data.forEach((g, i) => expect(g).toBeCloseTo(numeric[i]!, 7));
    }
  });
});

describe("BatchNorm's γ and β pass gradcheck in train mode", () => {
  const bn = new BatchNorm(3, { momentum: 0.3 });
  const x = randn([6, 3], draws);
  const w = randn([6, 3], draws);
  // γ and β away from their initial 1 and 0, so that no term of the gradient vanishes by accident.
  bn.gamma!.data.set([1.5, -0.7, 0.4]);
  bn.beta!.data.set([0.2, -1.1, 0.9]);
  // A nonlinear read-out, so that the second-order check has curvature to see.
  const loss = () => sum(mul(tanh(bn.forward(x)), w));

  it('with respect to γ: ∂L/∂γ = Σᵢ gᵢ ⊙ x̂ᵢ, to second order', () => {
    expect(bn.training).toBe(true);
    const f = ofParameter(bn, 'gamma', loss);
    expectDependence(f, bn.gamma!);
    expect(gradcheck(f, [bn.gamma!], { name: 'BatchNorm γ' }).ok).toBe(true);
    expect(gradgradcheck(f, [bn.gamma!], { name: 'BatchNorm γ' }).ok).toBe(true);
  });

  it('with respect to β: ∂L/∂β = Σᵢ gᵢ, to second order', () => {
    const f = ofParameter(bn, 'beta', loss);
    expectDependence(f, bn.beta!);
    expect(gradcheck(f, [bn.beta!], { name: 'BatchNorm β' }).ok).toBe(true);
    expect(gradgradcheck(f, [bn.beta!], { name: 'BatchNorm β' }).ok).toBe(true);
  });

  it('the closed forms hold for the gradients of the parameters themselves', () => {
    const y = bn.forward(x);
    const grads = backward(sum(mul(tanh(y), w)));
    const g = grads.get(y);
    // x̂ = (y − β)/γ in train mode, per feature.
    for (let f = 0; f < 3; f++) {
      let dGamma = 0;
      let dBeta = 0;
      for (let i = 0; i < 6; i++) {
        const xhat = (y.data[i * 3 + f]! - bn.beta!.data[f]!) / bn.gamma!.data[f]!;
        dGamma += g.data[i * 3 + f]! * xhat;
        dBeta += g.data[i * 3 + f]!;
      }
      expect(grads.get(bn.gamma!).data[f]).toBeCloseTo(dGamma, 12);
      expect(grads.get(bn.beta!).data[f]).toBeCloseTo(dBeta, 12);
    }
  });
});
