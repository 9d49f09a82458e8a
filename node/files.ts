/**
 * Saving and loading models to and from files (Node): the JSON of nn/serialize.ts written with fs.
 * In a browser, modelToJson / parseModel / loadModelJson do the same with strings.
 */
import { readFileSync, writeFileSync } from 'fs';
import { ArgumentError, describe } from '../lib';
import { Module, SavedModel } from '../nn';
import { decodeModel, encodeModel, fillModel, moduleOf } from '../nn/serialize';

function pathOf(who: string, path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw new ArgumentError(`${who}: expected a file path, got ${describe(path)}`);
  return path;
}

/** Writes the model's parameters and buffers (and `meta`, any JSON value) to a JSON file. */
export function saveModel(model: Module, path: string, meta?: unknown): void {
  moduleOf('saveModel', model);
  const p = pathOf('saveModel', path);
  const text = encodeModel('saveModel', model, meta);
  try {
    writeFileSync(p, text);
  } catch (e) {
    throw new ArgumentError(`saveModel: cannot write ${p}: ${(e as Error).message}`);
  }
}

/** readModel naming `who` in messages. */
function read(who: string, path: unknown): SavedModel {
  const p = pathOf(who, path);
  let text: string;
  try {
    text = readFileSync(p, 'utf8');
  } catch (e) {
    throw new ArgumentError(`${who}: cannot read ${p}: ${(e as Error).message}`);
  }
  return decodeModel(who, text, p);
}

/** Reads a saved model file; pass the result to loadStateDict (its meta tells how to rebuild the model). */
export function readModel(path: string): SavedModel {
  return read('readModel', path);
}

/** Copies the values saved in a model file into a model of the same architecture. */
export function loadModel(model: Module, path: string): void {
  moduleOf('loadModel', model);
  fillModel('loadModel', model, read('loadModel', path), path);
}
