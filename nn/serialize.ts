/**
 * Saving and loading a module's parameters and buffers as JSON. Numbers are written in the
 * shortest form that reads back to the same float64, and −0, NaN and ±∞ (which JSON cannot hold)
 * as strings, so a save/load round trip is exact, bit for bit.
 *
 * This is deltagraph's own format, under deltagraph's names and layouts ("0.W" [in, out],
 * "1.runningMean"). PyTorch's names and layouts ("0.weight" [out, in], "1.running_mean") are the
 * methods module.stateDict() and module.loadStateDict(dict) (nn/state-dict.ts), whose tensors
 * saveSafetensors writes.
 *
 * A buffer added as optional (BatchNorm's numBatchesTracked) is written like any other, and a
 * saved model that lacks it still loads, leaving it as it is: models saved before it existed.
 */
import { ArgumentError, Tensor, describe, fmtShape, shapeProblem, sizeOf } from '../lib';
import { checkParameterBytes } from '../lib/memory';
import { isRecord } from './args';
import { Module, isOptionalBuffer } from './module';

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

/** The strings that stand for the values JSON cannot hold. */
const SPECIAL: Record<string, number> = { '-0': -0, NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function decode(x: number | string): number {
  return typeof x === 'number' ? x : SPECIAL[x]!;
}

export function moduleOf(who: string, model: unknown): Module {
  if (!(model instanceof Module)) throw new ArgumentError(`${who}: expected a model (a Module such as MLP), got ${describe(model)}`);
  return model;
}

/** The first thing wrong with one saved tensor, or null. */
function savedTensorProblem(s: unknown): string | null {
  if (!isRecord(s)) return `is ${describe(s)}, expected { shape, data }`;
  const problem = shapeProblem(s.shape);
  if (problem !== null) return `has a bad shape: ${problem}`;
  if (!Array.isArray(s.data)) return `has data ${describe(s.data)}, expected an array of numbers`;
  const size = sizeOf(s.shape as number[]);
  if (s.data.length !== size) return `has ${s.data.length} values for its shape ${fmtShape(s.shape as number[])}, expected ${size}`;
  for (let i = 0; i < s.data.length; i++) {
    const v: unknown = s.data[i];
    const ok = (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && Object.prototype.hasOwnProperty.call(SPECIAL, v));
    if (!ok) return `has ${describe(v)} at index ${i}, expected a number or one of "NaN", "Infinity", "-Infinity", "-0"`;
  }
  return null;
}

/**
 * Checks the structure of a saved model (format, version, and every tensor's shape and values);
 * `source` says where it came from in messages.
 */
function checkSaved(who: string, saved: unknown, source: string): SavedModel {
  if (!isRecord(saved) || saved.format !== 'deltagraph-model') {
    throw new ArgumentError(`${who}: ${source} is not a saved deltagraph model (expected format 'deltagraph-model', got ${describe(isRecord(saved) ? saved.format : saved)})`);
  }
  // The declared shapes together must fit in the memory budget: checked before any values are read.
  const declared: Array<[string, number[]]> = [];
  for (const kind of ['parameters', 'buffers'] as const) {
    const group = saved[kind];
    if (!isRecord(group)) continue;
    for (const [name, t] of Object.entries(group)) {
      if (isRecord(t) && shapeProblem(t.shape) === null) declared.push([`${kind.slice(0, -1)} '${name}'`, t.shape as number[]]);
    }
  }
  checkParameterBytes(who, `${source}, whose tensors`, declared);
  for (const kind of ['parameters', 'buffers'] as const) {
    const group = saved[kind];
    if (!isRecord(group)) throw new ArgumentError(`${who}: ${source} has ${kind} ${describe(group)}, expected an object of named tensors`);
    for (const [name, t] of Object.entries(group)) {
      const problem = savedTensorProblem(t);
      if (problem !== null) throw new ArgumentError(`${who}: ${source}: ${kind.slice(0, -1)} '${name}' ${problem}`);
    }
  }
  if (saved.version !== 1) throw new ArgumentError(`${who}: ${source} has version ${describe(saved.version)}, expected 1`);
  return saved as unknown as SavedModel;
}

/**
 * The model's parameters and buffers in deltagraph's own JSON format, under deltagraph's names and
 * layouts ("0.W" [in, out]), every value exact (what modelToJson writes). Not the method
 * model.stateDict(), which gives PyTorch's names and layouts ("0.weight" [out, in]) as tensors.
 */
export function stateDict(model: Module, meta?: unknown): SavedModel {
  moduleOf('stateDict', model);
  const pack = (entries: Array<[string, { shape: readonly number[]; data: Float64Array }]>) =>
    Object.fromEntries(entries.map(([name, t]) => [name, { shape: [...t.shape], data: Array.from(t.data, encode) }]));
  return { format: 'deltagraph-model', version: 1, meta, parameters: pack(model.namedParameters()), buffers: pack(model.namedBuffers()) };
}

/**
 * Copies saved values (deltagraph's own format, as stateDict(model) or parseModel gives) into a
 * model of the same architecture; names and shapes must match, except that an optional buffer may
 * be absent. Not the method model.loadStateDict(dict), which takes PyTorch's names and layouts.
 */
export function loadStateDict(model: Module, saved: SavedModel): void {
  fillModel('loadStateDict', model, saved, 'the saved model');
}

/** loadStateDict naming `who` and the source in messages; nothing is copied unless everything fits. */
export function fillModel(who: string, model: unknown, saved: unknown, source: string): void {
  const m = moduleOf(who, model);
  const checked = checkSaved(who, saved, source);
  const plan: Array<[Float64Array, Array<number | string>]> = [];
  const match = (kind: string, entries: Array<[string, Tensor]>, group: Record<string, SavedTensor>) => {
    const expected = new Set(entries.map(([n]) => n));
    const extra = Object.keys(group).filter((n) => !expected.has(n));
    if (extra.length > 0) throw new ArgumentError(`${who}: ${source} has ${kind} ${extra.join(', ')} that the model does not`);
    for (const [name, t] of entries) {
      const s = Object.prototype.hasOwnProperty.call(group, name) ? group[name] : undefined;
      if (!s && kind === 'buffer' && isOptionalBuffer(t)) continue;
      if (!s) throw new ArgumentError(`${who}: ${source} has no ${kind} '${name}' (the model's ${fmtShape(t.shape)})`);
      if (s.shape.length !== t.shape.length || s.shape.some((d, i) => d !== t.shape[i])) {
        throw new ArgumentError(`${who}: ${kind} '${name}' has shape ${fmtShape(s.shape)} in ${source} but ${fmtShape(t.shape)} in the model`);
      }
      plan.push([t.data, s.data]);
    }
  };
  match('parameter', m.namedParameters(), checked.parameters);
  match('buffer', m.namedBuffers(), checked.buffers);
  for (const [target, values] of plan) for (let i = 0; i < values.length; i++) target[i] = decode(values[i]!);
}

/** The JSON text of a model's state; `who` names the caller in messages. */
export function encodeModel(who: string, model: unknown, meta?: unknown): string {
  moduleOf(who, model);
  try {
    return JSON.stringify(stateDict(model as Module, meta));
  } catch (e) {
    throw new ArgumentError(`${who}: meta cannot be written as JSON: ${(e as Error).message}`);
  }
}

/** A checked SavedModel from JSON text; `source` says where the text came from in messages. */
export function decodeModel(who: string, text: unknown, source: string): SavedModel {
  if (typeof text !== 'string') throw new ArgumentError(`${who}: expected the JSON text of a saved model, got ${describe(text)}`);
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`${who}: ${source} is not valid JSON: ${(e as Error).message}`);
  }
  return checkSaved(who, saved, source);
}

/**
 * A model's parameters and buffers as JSON text (what saveModel writes to a file in Node): exact,
 * −0, NaN and ±∞ included. `meta` (any JSON value) can say how to rebuild the model.
 */
export function modelToJson(model: Module, meta?: unknown): string {
  return encodeModel('modelToJson', model, meta);
}

/** Reads the JSON text of a saved model (checked); pass the result to loadStateDict. */
export function parseModel(text: string): SavedModel {
  return decodeModel('parseModel', text, 'the text');
}

/** Copies the values in the JSON text of a saved model into a model of the same architecture. */
export function loadModelJson(model: Module, text: string): void {
  moduleOf('loadModelJson', model);
  fillModel('loadModelJson', model, decodeModel('loadModelJson', text, 'the text'), 'the text');
}
