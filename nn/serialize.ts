/**
 * Saving and loading a module's parameters and buffers as JSON. Numbers are written in the
 * shortest form that reads back to the same float64, and −0, NaN and ±∞ (which JSON cannot hold)
 * as strings, so a save/load round trip is exact, bit for bit.
 */
import { readFileSync, writeFileSync } from 'fs';
import { ArgumentError, fmtShape } from '../lib';
import { Module } from './module';

/**
 * One saved tensor: its shape and its values in row-major order, with NaN, ±Infinity and −0 written as strings.
 * @inline
 */
interface SavedTensor {
  shape: number[];
  data: Array<number | string>;
}

export interface SavedModel {
  format: 'deltagraph-model';
  version: 1;
  /** Free-form description of the model, e.g. its constructor options. */
  meta?: unknown;
  parameters: Record<string, SavedTensor>;
  buffers: Record<string, SavedTensor>;
}

function encode(x: number): number | string {
  if (Number.isFinite(x) && !Object.is(x, -0)) return x;
  return Object.is(x, -0) ? '-0' : String(x);
}

function decode(x: number | string): number {
  return typeof x === 'number' ? x : x === '-0' ? -0 : Number(x);
}

export function stateDict(model: Module, meta?: unknown): SavedModel {
  const pack = (entries: Array<[string, { shape: readonly number[]; data: Float64Array }]>) =>
    Object.fromEntries(entries.map(([name, t]) => [name, { shape: [...t.shape], data: Array.from(t.data, encode) }]));
  return { format: 'deltagraph-model', version: 1, meta, parameters: pack(model.namedParameters()), buffers: pack(model.namedBuffers()) };
}

/** Copies saved values into a model of the same architecture; names and shapes must match. */
export function loadStateDict(model: Module, saved: SavedModel): void {
  if (saved?.format !== 'deltagraph-model') throw new ArgumentError('loadStateDict: not a saved deltagraph model (format field missing)');
  const fill = (kind: string, entries: Array<[string, { shape: readonly number[]; data: Float64Array }]>, source: Record<string, SavedTensor>) => {
    const expected = new Set(entries.map(([n]) => n));
    const extra = Object.keys(source).filter((n) => !expected.has(n));
    if (extra.length > 0) throw new ArgumentError(`loadStateDict: the file has ${kind} ${extra.join(', ')} that the model does not`);
    for (const [name, t] of entries) {
      const s = source[name];
      if (!s) throw new ArgumentError(`loadStateDict: the file has no ${kind} '${name}'`);
      if (s.shape.length !== t.shape.length || s.shape.some((d, i) => d !== t.shape[i]) || s.data.length !== t.data.length) {
        throw new ArgumentError(`loadStateDict: ${kind} '${name}' has shape ${fmtShape(s.shape)} in the file but ${fmtShape(t.shape)} in the model`);
      }
      for (let i = 0; i < s.data.length; i++) t.data[i] = decode(s.data[i]!);
    }
  };
  fill('parameter', model.namedParameters(), saved.parameters);
  fill('buffer', model.namedBuffers(), saved.buffers);
}

export function saveModel(model: Module, path: string, meta?: unknown): void {
  writeFileSync(path, JSON.stringify(stateDict(model, meta)));
}

/** Reads a saved model file; pass the result to loadStateDict (its meta tells how to rebuild the model). */
export function readModel(path: string): SavedModel {
  return JSON.parse(readFileSync(path, 'utf8')) as SavedModel;
}

export function loadModel(model: Module, path: string): void {
  loadStateDict(model, readModel(path));
}
