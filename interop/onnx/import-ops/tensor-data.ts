/**
 * The values of an ONNX graph as deltagraph holds them, and the decoding of TensorProto messages
 * into them. Every value is a float64 Tensor tagged with its ONNX element type: floating-point
 * values (FLOAT, DOUBLE, FLOAT16, BFLOAT16) are computed in float64 and may be part of the graph;
 * integer and boolean values (shapes, indices, masks) are always constants (no history, no
 * gradient), integers exact up to 2⁵³ and booleans 0 or 1.
 */
import { ArgumentError, Tensor, checkSize, describe, fmtShape } from '../../../lib';
import { checkTensorBytes } from '../../../lib/memory';
import { DataType } from '../data-types';

/** A value of the graph: a tensor and its ONNX element type (a TensorProto.DataType). */
export interface Value {
  readonly t: Tensor;
  readonly type: number;
}

const TYPE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(DataType).map(([k, v]) => [v, k]));

/** The name of an ONNX element type, e.g. 'FLOAT' (or 'type 42' for one outside the enum). */
export function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/** The floating-point element types: the values that are differentiable. */
export function isFloatType(type: number): boolean {
  return type === DataType.FLOAT || type === DataType.DOUBLE || type === DataType.FLOAT16 || type === DataType.BFLOAT16;
}

/** The integer element types (signed and unsigned, 8 to 64 bits). */
export function isIntType(type: number): boolean {
  return (
    type === DataType.INT8 || type === DataType.UINT8 || type === DataType.INT16 || type === DataType.UINT16 ||
    type === DataType.INT32 || type === DataType.UINT32 || type === DataType.INT64 || type === DataType.UINT64
  );
}

/** The element types the importer reads and computes with. */
export function isSupportedType(type: number): boolean {
  return isFloatType(type) || isIntType(type) || type === DataType.BOOL;
}

/** A constant value (no history) of a type: what integer and boolean results always are. */
export function constant(data: Float64Array, shape: readonly number[], type: number): Value {
  return { t: new Tensor(data, shape), type };
}

/** A value holding a tensor that may be part of the graph (a floating-point result). */
export function valueOf(t: Tensor, type: number): Value {
  return { t, type };
}

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

function isLongLike(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';
}

/**
 * An int64 field as protobufjs decodes it (a Long, a number, or a decimal string) as a number,
 * or NaN when it is not one; values beyond ±(2⁵³ − 1), which a float64 cannot hold exactly, come
 * out as ±Infinity.
 */
function rawInt64(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) ? (Number.isSafeInteger(v) ? v : Math.sign(v) * Infinity) : NaN;
  if (isLongLike(v)) {
    const high = v.unsigned ? v.high >>> 0 : v.high | 0;
    const n = high * 4294967296 + (v.low >>> 0);
    return Number.isSafeInteger(n) ? n : Math.sign(n) * Infinity;
  }
  if (typeof v === 'string' && /^-?\d+$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : Math.sign(n) * Infinity;
  }
  return NaN;
}

/**
 * An int64 field (a dimension, an attribute) as a safe integer: a value beyond ±(2⁵³ − 1), which
 * a float64 cannot hold exactly, is refused naming `what`.
 */
export function int64Of(v: unknown, what: string): number {
  const n = rawInt64(v);
  if (!Number.isSafeInteger(n)) {
    throw new ArgumentError(`${what} must be an integer within ±2^53, got ${Number.isNaN(n) ? describe(v) : 'a value beyond 2^53'}`);
  }
  return n;
}

/** Float16 bits as a number. */
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Whether the engine stores typed arrays little-endian (as ONNX's raw_data is). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes per element in raw_data, by element type. */
const RAW_BYTES: Record<number, number> = {
  [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.FLOAT16]: 2, [DataType.BFLOAT16]: 2, [DataType.INT64]: 8, [DataType.UINT64]: 8,
  [DataType.INT32]: 4, [DataType.UINT32]: 4, [DataType.INT16]: 2, [DataType.UINT16]: 2, [DataType.INT8]: 1, [DataType.UINT8]: 1, [DataType.BOOL]: 1,
};

/**
 * One element of raw_data (little-endian). INT64 values beyond ±(2⁵³ − 1) saturate to ±Infinity:
 * what an exporter writes there is INT64_MAX or INT64_MIN, Slice's "to the end", which clamps.
 */
function readRaw(view: DataView, type: number, i: number): number {
  switch (type) {
    case DataType.FLOAT: return view.getFloat32(4 * i, true);
    case DataType.DOUBLE: return view.getFloat64(8 * i, true);
    case DataType.FLOAT16: return halfToNumber(view.getUint16(2 * i, true));
    case DataType.BFLOAT16: return new Float32Array(new Uint32Array([view.getUint16(2 * i, true) << 16]).buffer)[0]!;
    case DataType.INT64: return rawInt64({ low: view.getUint32(8 * i, true), high: view.getInt32(8 * i + 4, true) });
    case DataType.UINT64: return rawInt64({ low: view.getUint32(8 * i, true), high: view.getUint32(8 * i + 4, true), unsigned: true });
    case DataType.INT32: return view.getInt32(4 * i, true);
    case DataType.UINT32: return view.getUint32(4 * i, true);
    case DataType.INT16: return view.getInt16(2 * i, true);
    case DataType.UINT16: return view.getUint16(2 * i, true);
    case DataType.INT8: return view.getInt8(i);
    case DataType.UINT8: return view.getUint8(i);
    default: return view.getUint8(i) === 0 ? 0 : 1; // BOOL
  }
}

/** The typed field that holds a tensor's values when raw_data is absent, and how to read one. */
function typedField(proto: Record<string, unknown>, type: number): { values: ArrayLike<unknown>; read: (v: unknown) => number } {
  const list = (key: string): ArrayLike<unknown> => {
    const v = proto[key];
    return Array.isArray(v) || ArrayBuffer.isView(v) ? (v as unknown as ArrayLike<unknown>) : [];
  };
  const num = (v: unknown): number => (typeof v === 'number' ? v : NaN);
  switch (type) {
    case DataType.FLOAT: return { values: list('floatData'), read: num };
    case DataType.DOUBLE: return { values: list('doubleData'), read: num };
    case DataType.INT64: return { values: list('int64Data'), read: rawInt64 };
    case DataType.UINT32: case DataType.UINT64: return { values: list('uint64Data'), read: rawInt64 };
    case DataType.FLOAT16: return { values: list('int32Data'), read: (v) => halfToNumber(num(v) & 0xffff) };
    case DataType.BFLOAT16: return { values: list('int32Data'), read: (v) => new Float32Array(new Uint32Array([(num(v) & 0xffff) << 16]).buffer)[0]! };
    case DataType.BOOL: return { values: list('int32Data'), read: (v) => (num(v) === 0 ? 0 : 1) };
    default: return { values: list('int32Data'), read: num }; // INT32, INT16, UINT16, INT8, UINT8
  }
}

/** The dims of a TensorProto, checked: non-negative safe integers of a size deltagraph can hold. */
export function dimsOf(dims: unknown, what: string): number[] {
  if (!Array.isArray(dims)) throw new ArgumentError(`${what}: dims must be a list of integers, got ${describe(dims)}`);
  const shape = dims.map((d, i) => int64Of(d, `${what}: dims[${i}]`));
  const bad = shape.findIndex((d) => d < 0);
  if (bad >= 0) throw new ArgumentError(`${what}: dims[${bad}] must be ≥ 0, got ${shape[bad]}`);
  checkSize(what, shape);
  return shape;
}

/**
 * A TensorProto as a value: its dims and element type checked, its size checked against the
 * memory budget before anything is allocated, then its values read from raw_data (little-endian)
 * or from the typed field of its type. `what` names the tensor in messages (e.g. "fromOnnx:
 * initializer '0.weight'").
 */
export function decodeTensor(proto: unknown, what: string): Value {
  if (typeof proto !== 'object' || proto === null) throw new ArgumentError(`${what}: expected a TensorProto, got ${describe(proto)}`);
  const p = proto as Record<string, unknown>;
  const type = typeof p.dataType === 'number' ? p.dataType : 0;
  if (!isSupportedType(type)) {
    throw new ArgumentError(`${what}: element type ${typeName(type)} is not supported (supported: FLOAT, DOUBLE, FLOAT16, BFLOAT16, INT8–INT64, UINT8–UINT64, BOOL)`);
  }
  if (p.dataLocation === 1 || (Array.isArray(p.externalData) && p.externalData.length > 0)) {
    throw new ArgumentError(`${what}: its values are stored in an external file, which is not supported (export the model with its weights inside)`);
  }
  const shape = dimsOf(p.dims, what);
  let n = 1;
  for (const d of shape) n *= d;
  checkTensorBytes(what, shape);
  const data = new Float64Array(n);
  const raw = p.rawData;
  if (raw instanceof Uint8Array && raw.length > 0) {
    const bytes = RAW_BYTES[type]!;
    if (raw.length !== n * bytes) {
      throw new ArgumentError(`${what}: raw_data holds ${raw.length} bytes, expected ${n * bytes} for shape ${fmtShape(shape)} of ${typeName(type)}`);
    }
    if ((type === DataType.FLOAT || type === DataType.DOUBLE) && LITTLE_ENDIAN && raw.byteOffset % bytes === 0) {
      // Aligned floats on a little-endian engine: read as a typed array, one pass.
      data.set(type === DataType.FLOAT ? new Float32Array(raw.buffer, raw.byteOffset, n) : new Float64Array(raw.buffer, raw.byteOffset, n));
    } else {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
      for (let i = 0; i < n; i++) data[i] = readRaw(view, type, i);
    }
  } else {
    const { values, read } = typedField(p, type);
    if (values.length !== n) {
      throw new ArgumentError(`${what}: holds ${values.length} values, expected ${n} for shape ${fmtShape(shape)} of ${typeName(type)}`);
    }
    for (let i = 0; i < n; i++) {
      const v = read(values[i]);
      if (Number.isNaN(v) && !isFloatType(type)) throw new ArgumentError(`${what}: value ${i} is not an integer: ${describe(values[i])}`);
      data[i] = v;
    }
  }
  return constant(data, shape, type);
}

/** The shape a TensorProto declares, for the memory check of all initializers at once (null when its dims are unreadable). */
export function declaredShape(proto: unknown): number[] | null {
  try {
    return dimsOf((proto as { dims?: unknown } | null)?.dims, 'tensor');
  } catch {
    return null;
  }
}
