/**
 * Argument errors of the nets, optimizers, schedules, training loop, metrics, loaders and the
 * gradient checkers: each kind of misuse gives a DeltaGraphError subclass whose message names the
 * class or function, the value given and what was expected.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  Adam, ArgumentError, BCELoss, BatchNorm, CosineLR, CrossEntropyLoss, DeltaGraphError, Dropout, GraphError, History, Linear, MLP,
  MSELoss, Module, ProgressBar, RMSProp, ReLU, Rng, SGD, Sequential, ShapeError, StepLR, Tensor, accuracy, argmaxRows, clipGradNorm,
  evaluate, fit, gradNorm, initialize, initializer, loadCaliforniaHousing, loadMnist, loadModel, loadStateDict, mul, param, parseIdx,
  r2, readModel, rmse, rng, saveModel, stateDict, sum, tensor, xorDataset, zeros,
} from '../../node';
import { checkOps, formatOpTable, gradcheck, gradgradcheck, numericJacobian, shapes, tensorOf } from '../../check';

import { expectError, thrown } from './expect-error';
import { params, quiet, sink } from './nn-fixtures';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-nn-check-'));
});

// ---------------------------------------------------------------------------------------------
// Explicit cases.

describe('optimizer options', () => {
  it('new Adam(params) without options asks for a learning rate', () => {
    expectError(() => new (Adam as any)(params()), ArgumentError, 'Adam', 'options object', 'lr', 'undefined');
  });

  it('SGD with a string momentum or a NaN weight decay is refused, not a NaN update', () => {
    expectError(() => new SGD(params(), { lr: 0.1, momentum: 'x' as unknown as number }), ArgumentError, 'SGD', 'momentum', '"x"', '[0, 1)');
    expectError(() => new SGD(params(), { lr: 0.1, weightDecay: NaN }), ArgumentError, 'SGD', 'weightDecay', 'NaN', '≥ 0');
  });

  it.each([
    ['SGD', { lr: -1 }, 'lr', '-1', '> 0'],
    ['SGD', { lr: Infinity }, 'lr', 'Infinity', 'finite'],
    ['SGD', { lr: 0.1, momentum: 1 }, 'momentum', '1', '[0, 1)'],
    ['SGD', { lr: 0.1, weightDecay: -0.1 }, 'weightDecay', '-0.1', '≥ 0'],
    ['SGD', { lr: 0.1, momentum: 0.9, nesterov: 'yes' }, 'nesterov', '"yes"', 'true or false'],
    ['Adam', { lr: '0.1' }, 'lr', '"0.1"', 'finite number'],
    ['Adam', { lr: 0.1, beta1: 1 }, 'beta1', '1', '[0, 1)'],
    ['Adam', { lr: 0.1, beta2: -0.5 }, 'beta2', '-0.5', '[0, 1)'],
    ['Adam', { lr: 0.1, eps: 0 }, 'eps', '0', '> 0'],
    ['RMSProp', { lr: 0.1, alpha: 1.5 }, 'alpha', '1.5', '[0, 1)'],
    ['RMSProp', { lr: 0.1, eps: NaN }, 'eps', 'NaN', '> 0'],
  ] as const)('%s %j names the option, the value and the range', (name, options, option, given, expected) => {
    const Cls = { SGD, Adam, RMSProp }[name] as unknown as new (p: Tensor[], o: unknown) => unknown;
    expectError(() => new Cls(params(), options), ArgumentError, `${name}: ${option}`, `got ${given}`, expected);
  });

  it('params must be an array of tensors', () => {
    expectError(() => new SGD([1] as unknown as Tensor[], { lr: 0.1 }), ArgumentError, 'SGD', 'params[0]', 'tensor', 'got 1');
    expectError(() => new Adam(param([1]) as unknown as Tensor[], { lr: 0.1 }), ArgumentError, 'Adam', 'params', 'array of tensors');
    expectError(() => new RMSProp([param([1]), , param([2])] as Tensor[], { lr: 0.1 }), ArgumentError, 'RMSProp', 'params[1]', 'undefined');
  });

  it('step checks the gradients before moving any parameter', () => {
    const [a, b] = [param([1, 2]), param([3])];
    const opt = new SGD([a, b], { lr: 0.1 });
    expectError(() => opt.step(null as any), ArgumentError, 'SGD.step', 'get(param)', 'null');
    expectError(() => opt.step({ get: (t: Tensor) => (t === a ? zeros([2]) : zeros([2])) }), ShapeError, 'SGD.step', 'parameter 1', '[2]', '[1]');
    expect(Array.from(a.data)).toEqual([1, 2]);
    opt.lr = NaN;
    expectError(() => opt.step({ get: (t: Tensor) => zeros(t.shape) }), ArgumentError, 'SGD.step', 'lr', 'NaN');
  });
});

describe('learning-rate schedules', () => {
  it('StepLR(opt, 0) is refused instead of dividing by zero', () => {
    expectError(() => new StepLR(new SGD(params(), { lr: 1 }), 0), ArgumentError, 'StepLR', 'stepSize', 'got 0', 'integer ≥ 1');
    expectError(() => new StepLR(new SGD(params(), { lr: 1 }), 2, NaN), ArgumentError, 'StepLR', 'gamma', 'NaN');
  });

  it('CosineLR needs at least one epoch, and a minimum below the starting rate', () => {
    expectError(() => new CosineLR(new SGD(params(), { lr: 1 }), 0), ArgumentError, 'CosineLR', 'epochs', 'got 0', 'integer ≥ 1');
    expectError(() => new CosineLR(new SGD(params(), { lr: 1 }), 0.5), ArgumentError, 'CosineLR', 'epochs', '0.5');
    expectError(() => new CosineLR(new SGD(params(), { lr: 1 }), 4, 2), ArgumentError, 'CosineLR', 'minLr', 'got 2', '[0, 1]');
  });

  it('a schedule needs an optimizer and a whole epoch number', () => {
    expectError(() => new StepLR({ lr: 1 } as any, 2), ArgumentError, 'StepLR', 'optimizer', 'an object');
    const s = new CosineLR(new SGD(params(), { lr: 1 }), 4);
    expectError(() => s.apply(-1), ArgumentError, 'CosineLR.apply', 'epoch', '-1');
    expectError(() => s.apply(NaN), ArgumentError, 'CosineLR.apply', 'epoch', 'NaN');
  });
});

describe('initialisers', () => {
  it("'normal:abc' is refused instead of giving a NaN σ", () => {
    expectError(() => initializer('normal:abc'), ArgumentError, 'initializer', '"normal:abc"', 'σ', '"abc"', '> 0');
  });

  it.each([
    ['normal:', 'σ'],
    ['normal:-1', 'σ'],
    ['normal:1:2', 'malformed'],
    ['xavier:3', 'malformed'],
    ['ones', 'unknown initialiser'],
  ])('%j is refused (%s)', (spec, part) => {
    expectError(() => initializer(spec), ArgumentError, 'initializer', part);
  });

  it('an initialiser object and the arguments of initialize are checked', () => {
    expectError(() => initializer(null as any), ArgumentError, 'initializer', 'null');
    expectError(() => initializer({ kind: 'normal' } as any), ArgumentError, 'initializer', 'std', 'undefined');
    expectError(() => initializer({ kind: 'uniform' } as any), ArgumentError, 'initializer', '"uniform"');
    expectError(() => initialize({ kind: 'he' }, [2, -1], rng(0)), ArgumentError, 'initialize', '-1');
    expectError(() => initialize({ kind: 'he' }, [2, 3], 7 as any), ArgumentError, 'initialize', 'rng', '7');
    expectError(() => initialize({ kind: 'xavier' }, [0, 3], rng(0)), ArgumentError, 'initialize', 'fanIn', 'xavier', 'got 0');
  });
});

describe('layers check their own sizes and options', () => {
  it('new Linear(-1, 2) names Linear, not the rand it would have called', () => {
    const e = thrown(() => new Linear(-1, 2));
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as Error).message).toMatch(/^Linear: inFeatures must be an integer .*got -1$/);
    expectError(() => new Linear(2, 0.5), ArgumentError, 'Linear', 'outFeatures', '0.5');
    expectError(() => new Linear(100000, 100000), ArgumentError, 'Linear', '100000 × 100000');
    expectError(() => new Linear(2, 2, { init: 'normal:abc' }), ArgumentError, 'Linear: init', '"abc"');
    expectError(() => new Linear(2, 2, { bias: 'no' as any }), ArgumentError, 'Linear', 'bias', '"no"');
    expectError(() => new Linear(2, 2, { rng: NaN }), ArgumentError, 'Linear', 'rng', 'NaN');
  });

  it('BatchNorm checks its features, eps, momentum and affine', () => {
    expectError(() => new BatchNorm(0), ArgumentError, 'BatchNorm', 'features', 'got 0');
    expectError(() => new BatchNorm(3, { eps: -1 }), ArgumentError, 'BatchNorm', 'eps', '-1');
    expectError(() => new BatchNorm(3, { momentum: 2 }), ArgumentError, 'BatchNorm', 'momentum', '[0, 1]');
    expectError(() => new BatchNorm(3, { affine: 1 as any }), ArgumentError, 'BatchNorm', 'affine');
    expectError(() => new BatchNorm(2).forward(zeros([0, 2])), ArgumentError, 'BatchNorm', '0 rows');
  });

  it('MLP checks its options itself', () => {
    expectError(() => new (MLP as any)(), ArgumentError, 'MLP', 'layers', 'undefined');
    expectError(() => new MLP({ layers: [2, 0, 1] }), ArgumentError, 'MLP', 'layers[1]', '[2, 0, 1]', 'got 0');
    expectError(() => new MLP({ layers: [2, 3, 1], hidden: ['relu', 'relu'] }), ArgumentError, 'MLP', '2 activations for 1 hidden');
    expectError(() => new MLP({ layers: [2, 1], output: 'toString' as any }), ArgumentError, 'MLP', '"toString"');
    expectError(() => new MLP({ layers: [2, 3, 1], dropout: 1 }), ArgumentError, 'MLP', 'dropout', '[0, 1)');
    expectError(() => new MLP({ layers: [2, 1], seed: Infinity }), ArgumentError, 'MLP', 'seed', 'Infinity');
  });

  it('Dropout checks p and its seed; Sequential checks its layers; LeakyReLU its slope', () => {
    expectError(() => new Dropout('0.5' as any), ArgumentError, 'Dropout', 'p', '"0.5"');
    expectError(() => new Dropout(1), ArgumentError, 'Dropout', 'p', '[0, 1)');
    expectError(() => new Dropout(0.5, 'seed' as any), ArgumentError, 'Dropout', 'seed', '"seed"');
    expectError(() => new Sequential(new ReLU(), 3 as any), ArgumentError, 'Sequential', 'layer 1', 'Module');
    expectError(() => new ReLU().train('no' as any), ArgumentError, 'ReLU.train', '"no"');
  });
});

describe('module forward passes take whatever the ops take', () => {
  it('nested arrays work like the tensors they describe', () => {
    const mlp = new MLP({ layers: [2, 3, 1], seed: 1 });
    expect(mlp.forward([[1, 2]]).toArray()).toEqual(mlp.forward(tensor([[1, 2]])).toArray());
    const linear = new Linear(2, 2, { rng: 3 });
    expect(linear.forward([[1, 2], [3, 4]]).toArray()).toEqual(linear.forward(tensor([[1, 2], [3, 4]])).toArray());
    expect(new BatchNorm(2).eval().forward([[1, 2]]).shape).toEqual([1, 2]);
    expect(new Dropout(0.5).forward([[1, 2]]).shape).toEqual([1, 2]);
    expect(new Sequential().forward([1, 2]).shape).toEqual([2]);
    expect(new ReLU().forward([-1, 2]).toArray()).toEqual([0, 2]);
  });

  it('a batch of the wrong width or rank names the module and both shapes', () => {
    expectError(() => new MLP({ layers: [2, 1] }).forward([[1, 2, 3]]), ArgumentError, 'MLP', '[n, 2]', '[1, 3]');
    expectError(() => new Linear(3, 1).forward([1, 2]), ArgumentError, 'Linear', '[n, 3]', '[2]');
    expectError(() => new BatchNorm(2).forward(tensor(1)), ArgumentError, 'BatchNorm', '[n, 2]', '[]');
  });

  it('something that is not a tensor names the module', () => {
    expectError(() => new MLP({ layers: [2, 1] }).forward('x' as any), ArgumentError, 'MLP.forward', 'x', '"x"');
    expectError(() => new Linear(2, 1).forward([[1, 2], [3]]), ArgumentError, 'Linear.forward', 'ragged');
    expectError(() => new Wrapper().forward({} as any), ArgumentError, 'ReLU.forward', 'an object');
  });
});

/** A module whose forward is another's: errors still name the module that checked the input. */
class Wrapper extends Module {
  private readonly inner = new ReLU();
  forward(x: Tensor): Tensor {
    return this.inner.forward(x);
  }
  describe(): string {
    return 'Wrapper(ReLU)';
  }
}

describe('fit and evaluate', () => {
  const data = () => ({ x: tensor([[0, 1], [1, 0], [1, 1]]), y: tensor([[1], [1], [0]]) });
  const setup = () => {
    const model = new MLP({ layers: [2, 3, 1], seed: 1 });
    return { model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: new MSELoss() };
  };

  it('without a loss or an optimizer, it says which is missing', () => {
    const { model, optimizer, loss } = setup();
    expectError(() => fit(model, data(), { optimizer, epochs: 1, ...quiet } as any), ArgumentError, 'fit', 'loss', 'forward', 'undefined');
    expectError(() => fit(model, data(), { loss, epochs: 1, ...quiet } as any), ArgumentError, 'fit', 'optimizer', 'undefined');
    expectError(() => fit(model, data(), undefined as any), ArgumentError, 'fit', 'loss, optimizer and epochs');
  });

  it('a model that is not a Module and data without x and y are refused', () => {
    const { optimizer, loss } = setup();
    const options = { loss, optimizer, epochs: 1, ...quiet };
    expectError(() => fit({ forward: (x: Tensor) => x } as any, data(), options), ArgumentError, 'fit', 'Module', 'an object');
    const { model } = setup();
    expectError(() => fit(model, xorDataset() as any, options), ArgumentError, 'fit', '{ x, y }', 'keys X, y');
    expectError(() => fit(model, { x: [[1, 2]], y: 'a' } as any, options), ArgumentError, 'fit', 'data.y', '"a"');
    expectError(() => fit(model, { x: zeros([0, 2]), y: zeros([0, 1]) }, options), ArgumentError, 'fit', 'no rows');
    expectError(() => fit(model, { x: zeros([2, 2]), y: zeros([3, 1]) }, options), ShapeError, 'fit', '2 input rows but 3 target rows');
  });

  it('other options are checked: epochs, batchSize, metrics, earlyStopping, clipNorm, validationName', () => {
    const { model, optimizer, loss } = setup();
    const base = { loss, optimizer, epochs: 1, ...quiet };
    expectError(() => fit(model, data(), { ...base, epochs: 0 }), ArgumentError, 'fit', 'epochs', 'got 0');
    expectError(() => fit(model, data(), { ...base, batchSize: 1.5 }), ArgumentError, 'fit', 'batchSize', '1.5');
    expectError(() => fit(model, data(), { ...base, metrics: ['f1' as any] }), ArgumentError, 'fit', 'unknown metric', '"f1"', 'accuracy, rmse, r2');
    expectError(() => fit(model, data(), { ...base, earlyStopping: { patience: 0 } }), ArgumentError, 'fit', 'earlyStopping.patience', 'got 0');
    expectError(() => fit(model, data(), { ...base, clipNorm: -1 }), ArgumentError, 'fit', 'clipNorm', '-1');
    expectError(() => fit(model, data(), { ...base, validationName: '' }), ArgumentError, 'fit', 'validationName', '""');
    expectError(() => fit(model, data(), { ...base, progress: 'yes' as any }), ArgumentError, 'fit', 'progress', '"yes"');
  });

  it('an error inside training says where it arose and still names the module', () => {
    const { model, optimizer, loss } = setup();
    expectError(() => fit(model, { x: zeros([3, 4]), y: zeros([3, 1]) }, { loss, optimizer, epochs: 1, ...quiet }), ArgumentError, 'fit: epoch 1, batch 1 (3 rows): MLP', '[n, 2]', '[3, 4]');
    expectError(() => fit(model, { x: zeros([3, 2]), y: zeros([3, 2]) }, { loss, optimizer, epochs: 1, ...quiet }), ShapeError, 'fit: epoch 1', 'mseLoss', '[3, 2]');
    expectError(() => evaluate(model, { x: zeros([3, 4]), y: zeros([3, 1]) }, loss), ArgumentError, 'evaluate: MLP', '[3, 4]');
    expectError(() => evaluate(model, data(), { forward: () => 3 } as any), ArgumentError, 'evaluate', 'returned 3', 'one element');
  });

  it("validationName labels the per-epoch line (default 'val'); the History keeps valLoss", () => {
    const lines = (validationName?: string): { text: string; history: History } => {
      const { model, optimizer, loss } = setup();
      let text = '';
      const stream = { write: (s: string) => ((text += s), true), isTTY: false } as unknown as NodeJS.WriteStream;
      const history = fit(model, data(), { loss, optimizer, epochs: 1, validation: data(), validationName, progress: { stream, tty: false } });
      return { text, history };
    };
    const named = lines('test');
    expect(named.text).toMatch(/^epoch 1\/1 loss \S+ · test loss \S+ · /);
    expect(named.text).not.toContain('val loss');
    expect(named.history.epochs[0]!.valLoss).toBeGreaterThan(0);
    expect(lines().text).toContain(' · val loss ');
  });
});

describe('saving and loading', () => {
  it('loadStateDict of a dict without parameters or buffers objects is an ArgumentError', () => {
    const model = new MLP({ layers: [2, 1] });
    expectError(() => loadStateDict(model, { format: 'deltagraph-model' } as any), ArgumentError, 'loadStateDict', 'parameters', 'undefined', 'object of named tensors');
    expectError(() => loadStateDict(model, { format: 'deltagraph-model', version: 1, parameters: {} } as any), ArgumentError, 'loadStateDict', 'buffers');
    expectError(() => loadStateDict(model, null as any), ArgumentError, 'loadStateDict', "'deltagraph-model'", 'null');
    expectError(() => loadStateDict({} as any, stateDict(model)), ArgumentError, 'loadStateDict', 'Module');
  });

  it('a damaged tensor is refused before any value is copied', () => {
    const model = new MLP({ layers: [2, 1], seed: 1 });
    const before = Array.from(model.parameters()[0]!.data);
    const saved = stateDict(new MLP({ layers: [2, 1], seed: 2 }));
    saved.parameters['net.0.b']!.data = ['many'];
    expectError(() => loadStateDict(model, saved), ArgumentError, 'loadStateDict', "'net.0.b'", '"many"');
    saved.parameters['net.0.b']!.data = [1, 2];
    expectError(() => loadStateDict(model, saved), ArgumentError, 'loadStateDict', "'net.0.b'", '2 values', '[1]');
    expect(Array.from(model.parameters()[0]!.data)).toEqual(before);
  });

  it("readModel('/missing') names the path, not a raw ENOENT", () => {
    const path = join(dir, 'missing.json');
    expectError(() => readModel(path), ArgumentError, 'readModel', `cannot read ${path}`);
    expectError(() => loadModel(new MLP({ layers: [2, 1] }), path), ArgumentError, 'loadModel', path);
  });

  it('a file that is not JSON, or JSON that is not a model, names the file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "deltagraph-model", ');
    expectError(() => readModel(bad), ArgumentError, 'readModel', bad, 'not valid JSON');
    const other = join(dir, 'other.json');
    writeFileSync(other, '[1, 2]');
    expectError(() => readModel(other), ArgumentError, 'readModel', other, 'not a saved deltagraph model');
  });

  it('saveModel checks its model, its path and that meta can be written', () => {
    const model = new MLP({ layers: [2, 1] });
    expectError(() => saveModel(model, join(dir, 'm.json'), { n: 1n }), ArgumentError, 'saveModel', 'meta', 'JSON');
    expectError(() => saveModel(model, join(dir, 'no-such-dir', 'm.json')), ArgumentError, 'saveModel', 'cannot write');
    expectError(() => saveModel(model, 3 as any), ArgumentError, 'saveModel', 'path', '3');
  });
});

describe('data set loaders', () => {
  it('loadCaliforniaHousing({ testFraction: 2 }) is an error, not 0 training rows', () => {
    expectError(() => loadCaliforniaHousing({ testFraction: 2 }), ArgumentError, 'loadCaliforniaHousing', 'testFraction', 'got 2', '(0, 1)');
    expectError(() => loadCaliforniaHousing({ testFraction: 0 }), ArgumentError, 'loadCaliforniaHousing', 'testFraction', '(0, 1)');
    expectError(() => loadCaliforniaHousing({ testFraction: 1e-6 }), ArgumentError, 'loadCaliforniaHousing', 'leaves 0 test');
  });

  it('bad seeds, clips and paths are refused', () => {
    expectError(() => loadCaliforniaHousing({ seed: NaN }), ArgumentError, 'loadCaliforniaHousing', 'seed', 'NaN');
    expectError(() => loadCaliforniaHousing({ clip: 0 }), ArgumentError, 'loadCaliforniaHousing', 'clip', 'got 0');
    expectError(() => loadCaliforniaHousing({ clip: NaN }), ArgumentError, 'loadCaliforniaHousing', 'clip', 'NaN');
    expectError(() => loadCaliforniaHousing({ logTransform: 'yes' as any }), ArgumentError, 'loadCaliforniaHousing', 'logTransform');
    expectError(() => loadCaliforniaHousing({ path: join(dir, 'none.csv') }), ArgumentError, 'loadCaliforniaHousing', 'cannot read', 'none.csv');
    const csv = join(dir, 'short.csv');
    writeFileSync(csv, 'longitude,latitude\n1,2\n');
    expectError(() => loadCaliforniaHousing({ path: csv }), ArgumentError, 'loadCaliforniaHousing', 'lacks the columns', 'housing_median_age');
    expect(loadCaliforniaHousing({ clip: Infinity, testFraction: 0.5 }).test.x.shape).toEqual([10320, 8]);
  });

  it('loadMnist and parseIdx check their options before reading anything', () => {
    expectError(() => loadMnist({ trainLimit: 0 }), ArgumentError, 'loadMnist', 'trainLimit', 'got 0');
    expectError(() => loadMnist({ testLimit: -1 }), ArgumentError, 'loadMnist', 'testLimit', '-1');
    expectError(() => loadMnist({ normalize: 'minmax' as any }), ArgumentError, 'loadMnist', 'normalize', '"minmax"');
    expectError(() => parseIdx([0, 0, 8, 0] as any), ArgumentError, 'parseIdx', 'Uint8Array');
    expectError(() => parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 1, 7), { limit: -1 }), ArgumentError, 'parseIdx', 'limit', '-1');
  });
});

describe('metrics', () => {
  it('accuracy of a scalar, or of rows that do not match, is a ShapeError naming both shapes', () => {
    expectError(() => accuracy(tensor(1), tensor([1])), ShapeError, 'accuracy', 'prediction', '[n] or [n, c]', '[]');
    expectError(() => accuracy(tensor([[1, 2], [3, 4]]), tensor([1])), ShapeError, 'accuracy', '[2, 2]', '[1]', '[2] (labels) or [2, 2]');
    expectError(() => accuracy(zeros([0, 2]), zeros([0])), ShapeError, 'accuracy', 'no rows');
    expectError(() => accuracy([[0.2], [0.7]], [[0], [1]], NaN), ArgumentError, 'accuracy', 'threshold', 'NaN');
    expect(accuracy([[0.2], [0.7]], [[0], [1]])).toBe(1);
  });

  it('rmse and r2 of non-tensors or of different rows name the metric', () => {
    expectError(() => rmse('a' as any, tensor([1])), ArgumentError, 'rmse', 'prediction', '"a"');
    expectError(() => r2(tensor([1, 2]), { y: 1 } as any), ArgumentError, 'r2', 'target', 'an object');
    expectError(() => rmse(tensor([[1, 2]]), tensor([1, 2])), ShapeError, 'rmse', '[1, 2]', '[2]', 'same rows');
    expectError(() => r2(tensor([1, 2, 3]), tensor([1, 2])), ShapeError, 'r2', '[3]', '[2]');
    expect(rmse([[1], [2]], [1, 4])).toBeCloseTo(Math.sqrt(2), 15);
  });

  it('r2 of a constant target is undefined: an error, not NaN or −∞', () => {
    expectError(() => r2(tensor([1, 2]), tensor([3, 3])), ArgumentError, 'r2', 'constant', '3');
  });

  it('argmaxRows and gradient clipping check their arguments', () => {
    expectError(() => argmaxRows(zeros([2, 2, 2])), ShapeError, 'argmaxRows', '[2, 2, 2]');
    const p = param([1, 2]);
    const grads = { get: () => tensor([3, 4]) };
    expectError(() => clipGradNorm(grads, [p], NaN), ArgumentError, 'clipGradNorm', 'maxNorm', 'NaN');
    expectError(() => clipGradNorm(grads, [p], -1), ArgumentError, 'clipGradNorm', 'maxNorm', '-1');
    expectError(() => gradNorm({ get: () => tensor([1]) }, [p]), ShapeError, 'gradNorm', '[1]', '[2]');
    expect(gradNorm(grads, [p])).toBe(5);
  });
});

describe('the gradient checkers', () => {
  const f = (x: Tensor) => sum(mul(x, x));

  it("checkOps(['nope']) is an ArgumentError listing the known ops", () => {
    expectError(() => checkOps(['nope']), ArgumentError, 'checkOps', "unknown op 'nope'", 'known ops:', 'matmul');
    expectError(() => checkOps('add' as any), ArgumentError, 'checkOps', 'array', '"add"');
    expectError(() => checkOps(['add'], { runs: 0 }), ArgumentError, 'checkOps', 'runs', 'got 0');
    expectError(() => checkOps(['add'], { seed: 0.5 }), ArgumentError, 'checkOps', 'seed', '0.5');
  });

  it.each([
    ['gradcheck', gradcheck],
    ['gradgradcheck', gradgradcheck],
  ] as const)('%s checks f, its inputs and its options', (name, check) => {
    expectError(() => check(f, [1 as any]), ArgumentError, `${name}: inputs[0]`, 'tensor', 'got 1');
    expectError(() => check(f, tensor([1]) as any), ArgumentError, name, 'inputs', 'array of tensors');
    expectError(() => check(3 as any, [tensor([1])]), ArgumentError, name, 'f', 'function', 'got 3');
    expectError(() => check((() => 3) as any, [tensor([1])]), ArgumentError, name, 'returned 3', 'expected a tensor');
    expectError(() => check(f, [tensor([1])], { eps: 0 }), ArgumentError, name, 'eps', 'got 0');
    expectError(() => check(f, [tensor([1])], { mode: 'half' as any }), ArgumentError, name, 'mode', '"half"');
    expectError(() => check(f, [tensor([1])], { wrt: [1] }), ArgumentError, name, 'wrt', '[1]', '0 … 0');
    expectError(() => check(f, [tensor([1])], 'fast' as any), ArgumentError, name, 'options', '"fast"');
  });

  it('numericJacobian and formatOpTable check their arguments', () => {
    expectError(() => numericJacobian(f, [tensor([1])], 1, 1e-6), ArgumentError, 'numericJacobian', 'which', 'got 1');
    expectError(() => numericJacobian(f, [tensor([1])], 0, -1), ArgumentError, 'numericJacobian', 'eps', '-1');
    expectError(() => formatOpTable([{ op: 'add' }] as any), ArgumentError, 'formatOpTable', 'rows[0]');
  });
});

describe('ProgressBar', () => {
  it('checks its label, total, width, stream and updates', () => {
    expectError(() => new ProgressBar('x', NaN, { stream: sink }), ArgumentError, 'ProgressBar', 'total', 'NaN');
    expectError(() => new ProgressBar('x', 10, { stream: sink, width: -1 }), ArgumentError, 'ProgressBar', 'width', '-1');
    expectError(() => new ProgressBar(3 as any, 10, { stream: sink }), ArgumentError, 'ProgressBar', 'label', '3');
    expectError(() => new ProgressBar('x', 10, { stream: {} as any }), ArgumentError, 'ProgressBar', 'stream', 'write');
    const bar = new ProgressBar('x', 10, { stream: sink, tty: true });
    expectError(() => bar.update(NaN), ArgumentError, 'ProgressBar.update', 'done', 'NaN');
    expectError(() => bar.finish(undefined as any), ArgumentError, 'ProgressBar.finish', 'summary', 'undefined');
  });
});

// ---------------------------------------------------------------------------------------------
// Random, partly invalid arguments.
