/** The training loop, metrics and save/load. */
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Adam, BCELoss, CrossEntropyLoss, MLP, MSELoss, SGD, accuracy, evaluate, fit, loadModel, r2, rmse, saveModel, tensor,
  xorDataset, rng, randn, matmul, add, noGrad, mul, Tensor,
} from '../../node';

describe('fit', () => {
  it('trains the Siena XOR net below the slides\' bar of 1e-3 with full-batch gradient descent', () => {
    const { X, y } = xorDataset();
    const model = new MLP({ layers: [2, 4, 3, 1], hidden: 'sigmoid', output: 'sigmoid', init: 'xavier', seed: 0 });
    const history = fit(model, { x: X, y }, {
      loss: new MSELoss('sum'),
      optimizer: new SGD(model.parameters(), { lr: 1 }),
      epochs: 5000,
      progress: false,
      metrics: ['accuracy'],
      onEpoch: (r) => (r.loss < 1e-3 ? 'stop' : undefined),
    });
    const last = history.epochs[history.epochs.length - 1]!;
    expect(last.loss).toBeLessThan(1e-3);
    expect(last.metrics.accuracy).toBe(1);
    // The loss is recorded before each step: it must have fallen overall.
    expect(history.epochs[0]!.loss).toBeGreaterThan(last.loss);
  });

  it('learns a noisy linear regression with mini-batches and reaches the noise floor', () => {
    const random = rng(5);
    const x = randn([400, 3], random);
    const w = tensor([[1.5], [-2], [0.5]]);
    const noise = mul(randn([400, 1], random), 0.1);
    const y = noGrad(() => add(add(matmul(x, w), 0.3), noise));
    const model = new MLP({ layers: [3, 1], output: 'identity', seed: 1 });
    const history = fit(model, { x, y }, {
      loss: new MSELoss(),
      optimizer: new Adam(model.parameters(), { lr: 0.05 }),
      epochs: 60,
      batchSize: 32,
      seed: 2,
      progress: false,
      metrics: ['rmse', 'r2'],
    });
    const last = history.epochs[history.epochs.length - 1]!;
    // The noise has standard deviation 0.1: RMSE cannot go below it, and should get close.
    expect(last.metrics.rmse).toBeLessThan(0.12);
    expect(last.metrics.r2).toBeGreaterThan(0.99);
  });

  it('shuffles reproducibly from its seed', () => {
    const run = () => {
      const { X, y } = xorDataset();
      const model = new MLP({ layers: [2, 3, 1], hidden: 'tanh', seed: 3 });
      fit(model, { x: X, y }, { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 5, batchSize: 3, seed: 9, progress: false });
      return Array.from(model.parameters()[0]!.data);
    };
    expect(run()).toEqual(run());
  });

  it('stops early when the validation loss stops improving, and restores the best parameters', () => {
    const { X, y } = xorDataset();
    const model = new MLP({ layers: [2, 4, 1], hidden: 'tanh', seed: 4 });
    const validation = { x: X, y: tensor([[1], [1], [1], [1], [0], [0], [0], [0]]) }; // the opposite labels: training makes it worse
    const history = fit(model, { x: X, y }, {
      loss: new MSELoss(),
      optimizer: new SGD(model.parameters(), { lr: 0.5 }),
      epochs: 200,
      validation,
      earlyStopping: { patience: 3 },
      progress: false,
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.epochs.length).toBe(history.bestEpoch + 1 + 3);
    const restored = evaluate(model, validation, new MSELoss()).loss;
    expect(restored).toBeCloseTo(history.epochs[history.bestEpoch]!.valLoss!, 12);
  });

  it('refuses mismatched inputs and targets', () => {
    const model = new MLP({ layers: [2, 1] });
    expect(() => fit(model, { x: tensor([[1, 2]]), y: tensor([[1], [2]]) }, { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 1 }), epochs: 1, progress: false })).toThrow(/1 input rows but 2 target rows/);
  });

  it('updates do not grow the graph: parameters stay leaves', () => {
    const { X, y } = xorDataset();
    const model = new MLP({ layers: [2, 3, 1], seed: 1 });
    fit(model, { x: X, y }, { loss: new BCELoss({ logits: true }), optimizer: new Adam(model.parameters(), { lr: 0.01 }), epochs: 3, progress: false });
    for (const p of model.parameters()) {
      expect(p.producer).toBeNull();
      expect(p.requiresGrad).toBe(true);
    }
  });
});

describe('metrics', () => {
  it('accuracy on labels, one-hot rows and a single logit column', () => {
    const logits = tensor([[2, 1, 0], [0, 3, 1], [1, 0, 5], [4, 0, 0]]);
    expect(accuracy(logits, tensor([0, 1, 2, 1]))).toBe(0.75);
    expect(accuracy(logits, tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]))).toBe(0.75);
    expect(accuracy(tensor([[-1], [2], [0.5]]), tensor([[0], [1], [0]]))).toBeCloseTo(2 / 3, 15);
  });
  it('rmse and r2 by their definitions', () => {
    const p = tensor([1, 2, 3, 5]);
    const y = tensor([1, 2, 4, 4]);
    expect(rmse(p, y)).toBeCloseTo(Math.sqrt(2 / 4), 15);
    // ȳ = 2.75; Σ(y − ȳ)² = 3.0625 + 0.5625 + 1.5625 + 1.5625 = 6.75
    expect(r2(p, y)).toBeCloseTo(1 - 2 / 6.75, 15);
  });
});

describe('save and load', () => {
  it('round-trips every parameter and buffer exactly, including −0, NaN and ±∞', () => {
    const model = new MLP({ layers: [3, 4, 2], batchNorm: true, seed: 7 });
    model.forward(randn([5, 3], rng(1))); // moves the batch-norm running statistics
    const W = model.parameters()[0]!;
    W.data[0] = -0;
    W.data[1] = NaN;
    W.data[2] = Infinity;
    W.data[3] = 5e-324;
    const path = join(mkdtempSync(join(tmpdir(), 'dg-')), 'model.json');
    saveModel(model, path, { note: 'test' });
    const copy = new MLP({ layers: [3, 4, 2], batchNorm: true, seed: 99 });
    loadModel(copy, path);
    const all = (m: MLP) => [...m.namedParameters(), ...m.namedBuffers()];
    all(model).forEach(([name, t], i) => {
      const [name2, t2] = all(copy)[i]!;
      expect(name2).toBe(name);
      t.data.forEach((v, k) => expect(Object.is(v, t2.data[k])).toBe(true));
    });
    expect(JSON.parse(readFileSync(path, 'utf8')).meta).toEqual({ note: 'test' });
  });

  it('refuses a file of another architecture, naming the parameter and both shapes', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dg-')), 'model.json');
    saveModel(new MLP({ layers: [3, 4, 2] }), path);
    expect(() => loadModel(new MLP({ layers: [3, 5, 2] }), path)).toThrow(/net\.0\.W.*\[3, 4\].*\[3, 5\]/);
  });
});

describe('losses', () => {
  it('MSE conventions: mean over elements, mean over examples of the squared norm, half mean, sum', () => {
    const p = tensor([[1, 2], [3, 4]]);
    const y = tensor([[0, 0], [0, 0]]);
    expect(new MSELoss('mean').forward(p, y).item()).toBe(30 / 4);
    expect(new MSELoss('exampleMean').forward(p, y).item()).toBe(30 / 2);
    expect(new MSELoss('halfMean').forward(p, y).item()).toBe(30 / 8);
    expect(new MSELoss('sum').forward(p, y).item()).toBe(30);
  });
  it('cross-entropy on logits takes labels', () => {
    const l = new CrossEntropyLoss().forward(tensor([[0, 0]]), tensor([1]));
    expect(l.item()).toBeCloseTo(Math.LN2, 15);
  });
  it('binary cross-entropy with and without logits agree', () => {
    const z = tensor([[0.3], [-1.2]]);
    const y = tensor([[1], [0]]);
    const withLogits = new BCELoss({ logits: true }).forward(z, y).item();
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    const probs = new BCELoss().forward(new Tensor(Float64Array.from(z.data, sig), [2, 1]), y).item();
    expect(withLogits).toBeCloseTo(probs, 14);
  });
});
