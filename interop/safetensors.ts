/**
 * safetensors files (the format of Hugging Face's safetensors, which PyTorch users save state
 * dicts in): saveSafetensors(dict, metadata?, { dtype }) gives the bytes of a file and
 * loadSafetensors(bytes) its tensors, as float64.
 *
 * The format: an 8-byte little-endian unsigned length N, N bytes of UTF-8 JSON
 * `{ "__metadata__": { string: string }, name: { dtype, shape, data_offsets: [begin, end] }, … }`,
 * then the data: each tensor's values row-major and little-endian at [begin, end) of the bytes
 * after the header. The tensors must tile the data exactly, without holes or overlaps, as the
 * reference implementation requires.
 *
 * Reading widens every type it knows to float64 exactly: F64, F32, F16 (subnormals, infinities and
 * NaN included), BF16, the integers I64, I32, I16, I8, U64, U32, U16, U8 (64-bit integers beyond
 * ±(2⁵³ − 1) are an error, since float64 cannot hold them) and BOOL (0 or 1). Every problem is an
 * ArgumentError naming loadSafetensors, the tensor and what was expected. The header and the layout
 * of the data are checked whole before any tensor is allocated (the declared sizes against the
 * memory budget last); only the values themselves (an I64 beyond 2⁵³, a BOOL byte of 2) are found
 * while reading. Nothing is read outside the bytes given, whatever they hold.
 *
 * Writing gives F32 by default (what PyTorch users mostly have; values are rounded to the nearest
 * float32, as Math.fround) or F64 ({ dtype: 'float64' }, exact), the tensors sorted by name as the
 * reference implementation sorts them (byte order of their UTF-8 names), the header padded with
 * spaces to a multiple of 8 bytes. Only Uint8Array, DataView, TextEncoder and TextDecoder are used:
 * this runs in browsers as in Node.
 */
import { ArgumentError, Tensor, asTensor, describe, fmtShape, shapeProblem } from '../lib';
import { isRecord, optionsIn, choiceIn } from '../lib/args';
import { checkBytes, checkParameterBytes, memoryError } from '../lib/memory';

/** The largest header read (as the reference implementation's limit): 100 MB. */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

/** The element types loadSafetensors reads, and their sizes in bytes. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

export interface SaveSafetensorsOptions {
  /** The element type written: 'float32' (F32, the default, rounded as Math.fround) or 'float64' (F64, exact). */
  dtype?: 'float32' | 'float64';
}

/** One tensor's entry in a header, checked. */
interface Entry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

/** A checked header: the tensors in the order of their data, and the metadata (null when absent). */
interface Header {
  readonly entries: Entry[];
  readonly metadata: Record<string, string> | null;
  /** Where the data starts in the file: 8 + N. */
  readonly dataStart: number;
}

const WHO_LOAD = 'loadSafetensors';

/** A string with a lone surrogate, which UTF-8 cannot hold. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Orders strings as their UTF-8 bytes (code point order), as the reference implementation sorts names. */
function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Sets an own, enumerable property (a key such as "__proto__" stays a key). */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The bytes argument as a Uint8Array (an ArrayBuffer is viewed whole). */
function bytesIn(who: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new ArgumentError(`${who}: bytes must be a Uint8Array (or an ArrayBuffer) holding a safetensors file, got ${describe(bytes)}`);
}

/**
 * The first key that occurs twice in one object of the JSON text (which JSON.parse has accepted),
 * or null. One pass with a stack of each open object's keys (a set made at its first key; false
 * for an array): no recursion.
 */
function duplicateKey(text: string): string | null {
  const open: Array<Set<string> | boolean> = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x7b /* { */) open.push(true);
    else if (ch === 0x5b /* [ */) open.push(false);
    else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) open.pop();
    else if (ch === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      for (let c = text.charCodeAt(j); c !== 0x22; c = text.charCodeAt(j)) {
        if (c === 0x5c /* \ */) {
          escaped = true;
          j += 2;
        } else j++;
      }
      const top = open.length - 1;
      if (open[top] !== false) {
        let k = j + 1;
        for (let c = text.charCodeAt(k); c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d; c = text.charCodeAt(k)) k++;
        if (text.charCodeAt(k) === 0x3a /* : */) {
          const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
          let keys = open[top];
          if (keys === true) open[top] = keys = new Set();
          if ((keys as Set<string>).has(key)) return key;
          (keys as Set<string>).add(key);
        }
      }
      i = j;
    }
  }
  return null;
}

/** A JSON value as a non-negative safe integer, or null. */
function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

/** Reads and checks the header and the layout of the data, reading no tensor value. */
function readHeader(who: string, file: Uint8Array): Header {
  if (file.length < 8) throw new ArgumentError(`${who}: the file is ${file.length} bytes, fewer than the 8 of its header length; not a safetensors file`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + low;
  if (n > SAFETENSORS_MAX_HEADER) {
    throw new ArgumentError(`${who}: the header length is ${n} bytes, more than the ${SAFETENSORS_MAX_HEADER} (100 MB) a safetensors header may have; not a safetensors file`);
  }
  if (n > file.length - 8) {
    throw new ArgumentError(`${who}: the header length is ${n} bytes, but the file has only ${file.length - 8} after the length; the file is truncated or not safetensors`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(file.subarray(8, 8 + n));
  } catch {
    throw new ArgumentError(`${who}: the header (${n} bytes) is not valid UTF-8`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(`${who}: the header is not valid JSON: ${e instanceof Error ? e.message : describe(e)}`);
  }
  if (!isRecord(header)) throw new ArgumentError(`${who}: the header must be a JSON object of tensors by name, got ${Array.isArray(header) ? 'an array' : describe(header)}`);
  const twice = duplicateKey(text);
  if (twice !== null) throw new ArgumentError(`${who}: the header has the key ${JSON.stringify(twice)} twice`);

  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const name of Object.keys(header)) {
    const info = header[name];
    if (name === '__metadata__') {
      if (!isRecord(info)) throw new ArgumentError(`${who}: __metadata__ must be an object of strings, got ${describe(info)}`);
      metadata = {};
      for (const key of Object.keys(info)) {
        const v = info[key];
        if (typeof v !== 'string') throw new ArgumentError(`${who}: __metadata__ ${JSON.stringify(key)} must be a string, got ${describe(v)}`);
        put(metadata, key, v);
      }
      continue;
    }
    const tensorName = `tensor ${JSON.stringify(name)}`;
    if (!isRecord(info)) throw new ArgumentError(`${who}: ${tensorName} must be an object { dtype, shape, data_offsets }, got ${describe(info)}`);
    for (const field of ['dtype', 'shape', 'data_offsets']) {
      if (!Object.prototype.hasOwnProperty.call(info, field)) throw new ArgumentError(`${who}: ${tensorName} has no ${field} (expected { dtype, shape, data_offsets })`);
    }
    const dtype = info.dtype;
    if (typeof dtype !== 'string') throw new ArgumentError(`${who}: ${tensorName} has dtype ${describe(dtype)}, expected a string such as "F32"`);
    if (!Object.prototype.hasOwnProperty.call(DTYPE_BYTES, dtype)) {
      throw new ArgumentError(`${who}: ${tensorName} has dtype ${JSON.stringify(dtype)}, which is not read; expected one of ${Object.keys(DTYPE_BYTES).join(', ')}`);
    }
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => count(d) === null)) {
      const bad = Array.isArray(shape) ? shape.find((d) => count(d) === null) : undefined;
      const what = Array.isArray(shape) ? `holds ${describe(bad)}` : `is ${describe(shape)}`;
      throw new ArgumentError(`${who}: ${tensorName} has a shape that ${what}; expected an array of non-negative integers`);
    }
    const problem = shapeProblem(shape);
    if (problem !== null) throw new ArgumentError(`${who}: ${tensorName} has a shape deltagraph cannot hold: ${problem}`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || count(offsets[0]) === null || count(offsets[1]) === null) {
      throw new ArgumentError(`${who}: ${tensorName} has data_offsets ${describe(offsets)}${Array.isArray(offsets) ? ` ${JSON.stringify(offsets).slice(0, 60)}` : ''}, expected [begin, end], two non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) throw new ArgumentError(`${who}: ${tensorName} has data_offsets [${begin}, ${end}]: begin after end`);
    const elements = (shape as number[]).reduce((a, b) => a * b, 1);
    const bytes = elements * DTYPE_BYTES[dtype]!;
    if (end - begin !== bytes) {
      throw new ArgumentError(`${who}: ${tensorName} (${dtype}, shape ${fmtShape(shape)}) has ${end - begin} bytes at [${begin}, ${end}], expected ${elements} × ${DTYPE_BYTES[dtype]} = ${bytes}`);
    }
    entries.push({ name, dtype, shape: shape as number[], begin, end });
  }
  // The tensors must tile the data: in order of their offsets, each begins where the one before ends.
  const dataStart = 8 + n;
  const dataBytes = file.length - dataStart;
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let before: Entry | null = null;
  for (const e of entries) {
    const tensorName = `tensor ${JSON.stringify(e.name)}`;
    if (e.end > dataBytes) {
      throw new ArgumentError(`${who}: ${tensorName} has data_offsets [${e.begin}, ${e.end}] beyond the ${dataBytes} bytes of data after the header`);
    }
    if (e.begin < at) {
      throw new ArgumentError(`${who}: ${tensorName} at [${e.begin}, ${e.end}] overlaps tensor ${JSON.stringify(before!.name)} at [${before!.begin}, ${before!.end}]`);
    }
    if (e.begin > at) {
      throw new ArgumentError(`${who}: bytes [${at}, ${e.begin}) of the data belong to no tensor (a hole before ${tensorName}); the tensors must tile the data`);
    }
    at = e.end;
    before = e;
  }
  if (at !== dataBytes) {
    throw new ArgumentError(`${who}: the file has ${dataBytes} bytes of data after the header but its tensors take ${at}; bytes [${at}, ${dataBytes}) belong to no tensor`);
  }
  return { entries, metadata, dataStart };
}

/** Scratch for BF16: its bits are the high half of a float32's. */
const scratch = new DataView(new ArrayBuffer(4));

/** A binary16 value from its bits, exactly. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** Whether this engine stores numbers little-endian, as the files do (then aligned floats are read as typed arrays). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** One tensor's values, widened to float64. */
function decode(who: string, view: DataView, offset: number, e: Entry): Float64Array {
  const width = DTYPE_BYTES[e.dtype]!;
  const size = (e.end - e.begin) / width;
  const out = new Float64Array(size);
  const o = offset + e.begin;
  const start = view.byteOffset + o;
  if (LITTLE_ENDIAN && start % width === 0 && (e.dtype === 'F32' || e.dtype === 'F64')) {
    out.set(e.dtype === 'F32' ? new Float32Array(view.buffer, start, size) : new Float64Array(view.buffer, start, size));
    return out;
  }
  const wide = (value: number, i: number): number => {
    if (!Number.isSafeInteger(value)) {
      throw new ArgumentError(`${who}: tensor ${JSON.stringify(e.name)} (${e.dtype}) holds a value beyond ±(2^53 − 1) at flat position ${i}, which float64 cannot hold exactly`);
    }
    return value;
  };
  switch (e.dtype) {
    case 'F64':
      for (let i = 0; i < size; i++) out[i] = view.getFloat64(o + 8 * i, true);
      break;
    case 'F32':
      for (let i = 0; i < size; i++) out[i] = view.getFloat32(o + 4 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < size; i++) out[i] = halfToNumber(view.getUint16(o + 2 * i, true));
      break;
    case 'BF16':
      for (let i = 0; i < size; i++) {
        scratch.setUint32(0, view.getUint16(o + 2 * i, true) << 16);
        out[i] = scratch.getFloat32(0);
      }
      break;
    case 'I64':
      for (let i = 0; i < size; i++) out[i] = wide(view.getInt32(o + 8 * i + 4, true) * 2 ** 32 + view.getUint32(o + 8 * i, true), i);
      break;
    case 'U64':
      for (let i = 0; i < size; i++) out[i] = wide(view.getUint32(o + 8 * i + 4, true) * 2 ** 32 + view.getUint32(o + 8 * i, true), i);
      break;
    case 'I32':
      for (let i = 0; i < size; i++) out[i] = view.getInt32(o + 4 * i, true);
      break;
    case 'U32':
      for (let i = 0; i < size; i++) out[i] = view.getUint32(o + 4 * i, true);
      break;
    case 'I16':
      for (let i = 0; i < size; i++) out[i] = view.getInt16(o + 2 * i, true);
      break;
    case 'U16':
      for (let i = 0; i < size; i++) out[i] = view.getUint16(o + 2 * i, true);
      break;
    case 'I8':
      for (let i = 0; i < size; i++) out[i] = view.getInt8(o + i);
      break;
    case 'U8':
      for (let i = 0; i < size; i++) out[i] = view.getUint8(o + i);
      break;
    case 'BOOL':
      for (let i = 0; i < size; i++) {
        const b = view.getUint8(o + i);
        if (b > 1) throw new ArgumentError(`${who}: tensor ${JSON.stringify(e.name)} (BOOL) holds the byte ${b} at flat position ${i}, expected 0 or 1`);
        out[i] = b;
      }
      break;
  }
  return out;
}

/**
 * The tensors of a safetensors file, by name, as float64 tensors (in the order of their data), whatever
 * element type the file holds (see the file's comment for the types read). Every problem of the
 * file is an ArgumentError naming the tensor and what was expected; the header and the layout are
 * checked, and the total size against the memory budget (a MemoryError), before any tensor is
 * allocated. Pass the result to module.loadStateDict for a PyTorch state dict.
 */
export function loadSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const file = bytesIn(WHO_LOAD, bytes);
  const { entries, dataStart } = readHeader(WHO_LOAD, file);
  checkParameterBytes(WHO_LOAD, 'the file, whose tensors', entries.map((e) => [`tensor ${JSON.stringify(e.name)}`, e.shape] as const));
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Record<string, Tensor> = {};
  for (const e of entries) put(out, e.name, new Tensor(decode(WHO_LOAD, view, dataStart, e), e.shape));
  return out;
}

/** The `__metadata__` of a safetensors file (strings by name), or null when it has none; the header is checked as loadSafetensors checks it. */
export function safetensorsMetadata(bytes: Uint8Array): Record<string, string> | null {
  return readHeader('safetensorsMetadata', bytesIn('safetensorsMetadata', bytes)).metadata;
}

/** A name or metadata string as a header may hold it: well-formed Unicode. */
function headerString(who: string, what: string, s: string): string {
  if (LONE_SURROGATE.test(s)) throw new ArgumentError(`${who}: ${what} ${JSON.stringify(s)} holds a lone surrogate, which UTF-8 (the header's encoding) cannot hold`);
  return s;
}

/**
 * The bytes of a safetensors file holding the tensors of `dict` (a plain object of tensors by
 * name, e.g. module.stateDict()) and, when given, `metadata` (strings by name, the file's
 * `__metadata__`). The values are written as F32 (the default: rounded to the nearest float32) or,
 * with { dtype: 'float64' }, as F64 (exact). The tensors are sorted by name as the reference
 * implementation sorts them, the header padded with spaces to a multiple of 8 bytes.
 */
export function saveSafetensors(dict: Record<string, Tensor>, metadata?: Record<string, string>, options: SaveSafetensorsOptions = {}): Uint8Array {
  const who = 'saveSafetensors';
  if (!isRecord(dict)) throw new ArgumentError(`${who}: dict must be a plain object of tensors by name (e.g. module.stateDict()), got ${describe(dict)}`);
  if (metadata !== undefined && !isRecord(metadata)) throw new ArgumentError(`${who}: metadata must be a plain object of strings by name, or undefined, got ${describe(metadata)}`);
  // saveSafetensors(dict, { dtype: 'float64' }) would write the wish as metadata: the options are
  // the third argument. Refused unless the options are given too (then 'dtype' is metadata indeed).
  if (metadata !== undefined && arguments.length < 3 && Object.prototype.hasOwnProperty.call(metadata, 'dtype')) {
    throw new ArgumentError(`${who}: metadata has an entry 'dtype' (${describe(metadata.dtype)}); the element type is chosen by the third argument, saveSafetensors(dict, metadata, { dtype }) (pass the options, even {}, to write 'dtype' as metadata)`);
  }
  const o = optionsIn(who, options);
  const dtype = choiceIn(who, 'options.dtype', o.dtype, ['float32', 'float64'] as const, 'float32');
  const width = dtype === 'float32' ? 4 : 8;
  const meta: Array<[string, string]> = [];
  if (metadata !== undefined) {
    for (const key of Object.keys(metadata)) {
      const v: unknown = metadata[key];
      if (typeof v !== 'string') throw new ArgumentError(`${who}: metadata ${JSON.stringify(key)} must be a string, got ${describe(v)}`);
      meta.push([headerString(who, 'the metadata key', key), headerString(who, 'the metadata value', v)]);
    }
  }
  const names = Object.keys(dict).sort(byCodePoint);
  const tensors: Array<[string, Tensor]> = names.map((name) => {
    if (name === '__metadata__') throw new ArgumentError(`${who}: a tensor may not be named "__metadata__" (the header's key for the metadata)`);
    headerString(who, 'the tensor name', name);
    return [name, asTensor(who, dict[name], `dict[${JSON.stringify(name)}]`)];
  });
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  let offset = 0;
  for (const [name, t] of tensors) {
    const end = offset + t.size * width;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${width === 4 ? 'F32' : 'F64'}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const text = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerBytes = text.length + ((8 - (text.length % 8)) % 8);
  const total = 8 + headerBytes + offset;
  checkBytes(who, [total], total, 'a safetensors file of bytes');
  let file: Uint8Array;
  try {
    file = new Uint8Array(total);
  } catch (e) {
    if (e instanceof RangeError) throw memoryError(who, [total], total, 'a safetensors file (which the engine refused to allocate) of bytes');
    throw e;
  }
  const view = new DataView(file.buffer);
  view.setUint32(0, headerBytes % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerBytes / 2 ** 32), true);
  file.set(text, 8);
  file.fill(0x20, 8 + text.length, 8 + headerBytes);
  let at = 8 + headerBytes;
  for (const [, t] of tensors) {
    const data = t.data;
    if (width === 4) for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i]!, true);
    else for (let i = 0; i < data.length; i++, at += 8) view.setFloat64(at, data[i]!, true);
  }
  return file;
}
