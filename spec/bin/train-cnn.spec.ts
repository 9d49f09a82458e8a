/**
 * deltagraph train mnist-cnn and graph mnist-cnn: the CNN of examples/mnist-cnn.ts (nn/zoo.ts's
 * mnistCnn) on a few hundred MNIST images (--train-limit, --test-limit), saved and drawn again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Adam, CrossEntropyLoss, evaluate, fit, loadMnist, loadModel, mnistCnn, readModel, stateDict } from '../../node';
import type { GraphDescription } from '../../viz';
import { run } from './run';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-cnn-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** run(), also collecting what the per-epoch lines write to standard output. */
function runWithProgress(argv: string[]): ReturnType<typeof run> & { progress: string } {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    return { ...run(argv), progress: written.join('') };
  } finally {
    write.mockRestore();
  }
}

const TRAIN = 128;
const TEST = 64;

describe('deltagraph train mnist-cnn', () => {
  const saved = () => join(dir, 'cnn.json');
  let r: ReturnType<typeof runWithProgress>;
  beforeAll(() => {
    r = runWithProgress(['train', 'mnist-cnn', '--epochs', '1', '--train-limit', `${TRAIN}`, '--test-limit', `${TEST}`, '--save', saved()]);
  });

  it('describes the net, prints the epoch and the final test accuracy, and saves', () => {
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    for (const layer of ['Unflatten(1, [1, 28, 28])', 'Conv2d(1 → 16, 5×5)', 'MaxPool2d(2)', 'Conv2d(16 → 32, 5×5)', 'Flatten', 'Linear(1568 → 10)']) {
      expect(r.out).toContain(layer);
    }
    // 16·(1·25 + 1) + 32·(16·25 + 1) + 10·(1568 + 1) parameters.
    const count = 16 * 26 + 32 * 401 + 10 * 1569;
    expect(r.out).toContain(`${count.toLocaleString('en-US')} parameters · adam lr 0.001 · batch 64 · 1 epoch · seed 0`);
    expect(r.progress).toMatch(/epoch 1\/1 loss \d\.\d+ · test loss \d\.\d+ · accuracy \d+\.\d\d%/);
    expect(r.out).toMatch(/\ntest: loss \d\.\d+, accuracy \d+\.\d\d% \(\d+\.\d s\)/);
    expect(r.out).toContain(`saved the parameters to ${saved()}`);
    expect(readModel(saved()).meta).toEqual({ example: 'mnist-cnn' });
  });

  it("trains the example's net and recipe: same weights as fit with Adam 1e-3, batch 64, and the accuracy it printed", () => {
    const data = loadMnist({ trainLimit: TRAIN, testLimit: TEST });
    const model = mnistCnn(0);
    const loss = new CrossEntropyLoss();
    fit(model, data.train, { loss, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), epochs: 1, batchSize: 64, seed: 0, progress: false });
    const fromCli = mnistCnn(1);
    loadModel(fromCli, saved());
    const ours = stateDict(model).parameters;
    const theirs = stateDict(fromCli).parameters;
    expect(Object.keys(theirs)).toEqual(Object.keys(ours));
    for (const k of Object.keys(ours)) expect(Array.from(theirs[k]!.data)).toEqual(Array.from(ours[k]!.data));
    const accuracy = evaluate(fromCli, data.test, loss, ['accuracy']).metrics.accuracy!;
    expect(r.out).toContain(`accuracy ${(100 * accuracy).toFixed(2)}%`);
  });

  it('draws the saved CNN and the built-in one', () => {
    const g = run(['graph', saved(), '--format', 'json']);
    expect(g.err).toBe('');
    expect(g.code).toBe(0);
    const d = JSON.parse(g.out) as GraphDescription;
    const ops = d.nodes.filter((n) => n.kind === 'op').map((n) => n.op);
    for (const op of ['relu', 'logSoftmax']) expect(ops).toContain(op);
    // The first Conv2d unfolds the (constant) input before any recorded op: the traced leaf is its
    // im2col matrix, one row per output position of the 4 images, one column per 5×5 tap.
    expect(d.nodes.filter((n) => n.kind === 'input').map((n) => n.shape)).toContainEqual([4 * 28 * 28, 25]);
    const paths = d.nodes.filter((n) => n.kind === 'parameter').map((n) => n.path);
    expect(paths).toEqual(expect.arrayContaining(['1.W', '1.b', '4.W', '4.b', '8.W', '8.b']));
    const dot = run(['graph', saved(), '--format', 'dot']).out;
    expect(dot).toContain(`${saved()} (mnist-cnn) · CNN`);

    const b = JSON.parse(run(['graph', 'mnist-cnn', '--batch', '2', '--format', 'json']).out) as GraphDescription;
    expect(b.nodes.filter((n) => n.kind === 'input').map((n) => n.shape)).toContainEqual([2 * 28 * 28, 25]);
    expect(b.nodes.find((n) => n.kind === 'output')!.shape).toEqual([]);
  });

  it.each([
    [['train', 'mnist-cnn', '--hidden', '64'], /--hidden shapes the MLPs; mnist-cnn's net is fixed/],
    [['train', 'mnist-cnn', '--batch-norm'], /--batch-norm shapes the MLPs; mnist-cnn's net is fixed/],
    [['train', 'mnist-cnn', '--train-limit', '0'], /--train-limit must be an integer ≥ 1, got '0'/],
    [['train', 'mnist-cnn', '--test-limit', 'all'], /--test-limit must be an integer ≥ 1, got 'all'/],
    [['train', 'mnist-cnn', '--optimizer', 'lbfgs'], /--optimizer must be one of adam, sgd, momentum, rmsprop/],
    [['train', 'xor', '--test-limit', '2'], /--test-limit: xor has no test set/],
  ])('%j is a one-line usage error with exit code 2', (argv, message) => {
    const e = run(argv as string[]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(message);
    expect(e.err.split('\n')).toHaveLength(1);
  });

  it('is listed by the help texts, with the limits', () => {
    const help = run(['train', '--help']).out;
    expect(help).toMatch(/^Usage: deltagraph train xor\|housing\|mnist\|mnist-cnn\|shakespeare /);
    expect(help).toMatch(/\n {2}mnist-cnn {2}MNIST digits, the CNN of examples\/mnist-cnn\.ts/);
    expect(help).toContain('--train-limit N');
    expect(help).toContain('--test-limit N');
    expect(run(['--help']).out).toMatch(/train\s+train a built-in example \(xor, housing, mnist, mnist-cnn, shakespeare\)/);
    expect(run(['graph', '--help']).out).toMatch(/\n {2}mnist-cnn +the MNIST CNN/);
  });
});

describe('deltagraph train mnist --train-limit', () => {
  it('trains the MLP on the first examples and saves the same meta as before', () => {
    const path = join(dir, 'mlp.json');
    const r = run(['train', 'mnist', '--epochs', '1', '--train-limit', '64', '--test-limit', '32', '--quiet', '--save', path]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^MLP 784-128-10\n/);
    expect(r.out).toMatch(/\ntest: loss \d\.\d+, accuracy \d+\.\d\d% /);
    expect(JSON.parse(readFileSync(path, 'utf8')).meta).toEqual({
      example: 'mnist',
      mlp: { layers: [784, 128, 10], hidden: 'relu', output: 'identity', seed: 0, batchNorm: false },
    });
  });
});
