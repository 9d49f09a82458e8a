/**
 * A small builder of ONNX models for tests: nodes, inputs, outputs and initializers given as plain
 * objects, encoded as a ModelProto with the interop schema. Tensors are written as the exporters
 * write them: FLOAT and DOUBLE in their typed fields (or raw_data on request), INT64 as raw_data
 * (so values beyond 2⁵³, such as INT64_MAX in a Slice, can be given as bigints), the small integer
 * types and BOOL in int32_data.
 */
import { AttributeType, DataType } from '../../interop/onnx/data-types';
import { ModelProto } from '../../interop/onnx/schema';

export { DataType };

/** An attribute's value with its kind (see the helpers f, i, s, floats, ints, t, strings). */
export type Attr = Record<string, unknown> & { type: number };

export const f = (v: number): Attr => ({ type: AttributeType.FLOAT, f: v });
export const i = (v: number): Attr => ({ type: AttributeType.INT, i: v });
export const s = (v: string): Attr => ({ type: AttributeType.STRING, s: new TextEncoder().encode(v) });
export const floats = (v: number[]): Attr => ({ type: AttributeType.FLOATS, floats: v });
export const ints = (v: number[]): Attr => ({ type: AttributeType.INTS, ints: v });
export const strings = (v: string[]): Attr => ({ type: AttributeType.STRINGS, strings: v.map((x) => new TextEncoder().encode(x)) });
export const t = (v: TensorSpec): Attr => ({ type: AttributeType.TENSOR, t: tensorProto(v) });

export interface TensorSpec {
  name?: string;
  type: number;
  dims: number[];
  /** The values in row-major order; INT64 values may be bigints. */
  data: ArrayLike<number | bigint>;
  /** Write FLOAT and DOUBLE values to raw_data instead of float_data/double_data. */
  raw?: boolean;
}

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, Attr>;
}

export interface ValueSpec {
  name: string;
  /** Element type (default FLOAT for an input; an output without type and shape declares none). */
  type?: number;
  /** Dimensions: numbers, symbolic names, or null for unknown; omitted: no shape declared. */
  shape?: Array<number | string | null>;
}

export interface ModelSpec {
  /** The default domain's opset (default 17). */
  opset?: number;
  /** Other domains imported, e.g. [{ domain: 'com.microsoft', version: 1 }]. */
  domains?: Array<{ domain: string; version: number }>;
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  nodes: NodeSpec[];
  initializers?: TensorSpec[];
}

/** A TensorProto as a plain object for the encoder. */
export function tensorProto(spec: TensorSpec): Record<string, unknown> {
  const n = spec.data.length;
  const base = { name: spec.name ?? '', dims: spec.dims, dataType: spec.type };
  const numbers = () => Array.from(spec.data, (v) => Number(v));
  switch (spec.type) {
    case DataType.FLOAT:
      if (spec.raw) {
        const view = new DataView(new ArrayBuffer(4 * n));
        numbers().forEach((v, k) => view.setFloat32(4 * k, v, true));
        return { ...base, rawData: new Uint8Array(view.buffer) };
      }
      return { ...base, floatData: numbers() };
    case DataType.DOUBLE:
      if (spec.raw) {
        const view = new DataView(new ArrayBuffer(8 * n));
        numbers().forEach((v, k) => view.setFloat64(8 * k, v, true));
        return { ...base, rawData: new Uint8Array(view.buffer) };
      }
      return { ...base, doubleData: numbers() };
    case DataType.INT64: {
      const view = new DataView(new ArrayBuffer(8 * n));
      Array.from(spec.data).forEach((v, k) => view.setBigInt64(8 * k, BigInt(v), true));
      return { ...base, rawData: new Uint8Array(view.buffer) };
    }
    case DataType.FLOAT16:
      return { ...base, int32Data: numbers().map(toHalf) };
    default:
      return { ...base, int32Data: numbers() };
  }
}

/** The float16 bits of a number (round to nearest even; enough for tests' values). */
function toHalf(v: number): number {
  const f32 = new Float32Array([v]);
  const x = new Uint32Array(f32.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign;
  if (exp >= 31) return sign | 0x7c00;
  let h = sign | (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
  return h;
}

/** A ValueInfoProto; an output without a type or shape declares none (ONNX Runtime infers it). */
function valueInfo(v: ValueSpec, output = false): Record<string, unknown> {
  if (output && v.type === undefined && v.shape === undefined) return { name: v.name };
  const tensorType: Record<string, unknown> = { elemType: v.type ?? DataType.FLOAT };
  if (v.shape !== undefined) {
    tensorType.shape = { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})) };
  }
  return { name: v.name, type: { tensorType } };
}

/** The ModelProto of a spec as a plain object (to modify before encoding). */
export function modelProto(spec: ModelSpec): Record<string, unknown> {
  return {
    irVersion: 8,
    producerName: 'onnx-builder',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }, ...(spec.domains ?? [])],
    graph: {
      name: 'test',
      node: spec.nodes.map((nd, k) => ({
        opType: nd.op,
        name: nd.name ?? `/${nd.op.toLowerCase()}_${k}/${nd.op}`,
        domain: nd.domain ?? '',
        input: nd.inputs,
        output: nd.outputs,
        attribute: Object.entries(nd.attrs ?? {}).map(([name, a]) => ({ name, ...a })),
      })),
      initializer: (spec.initializers ?? []).map(tensorProto),
      input: spec.inputs.map((v) => valueInfo(v)),
      output: spec.outputs.map((v) => valueInfo(v, true)),
    },
  };
}

/** Encodes a proto object (from modelProto) to bytes: a plain Uint8Array (not Node's Buffer, whose slice shares memory). */
export function encodeModel(proto: Record<string, unknown>): Uint8Array {
  const message = ModelProto.fromObject(proto);
  return new Uint8Array(ModelProto.encode(message).finish());
}

/** The bytes of the ONNX model a spec describes. */
export function buildModel(spec: ModelSpec): Uint8Array {
  return encodeModel(modelProto(spec));
}

/** A model of one node: inputs x0, x1, … of the given shapes and types, outputs y0, y1, …; `constants` become initializers. */
export function oneNode(
  op: string,
  inputs: Array<{ shape: Array<number | string>; type?: number } | TensorSpec | null>,
  attrs: Record<string, Attr> = {},
  options: { outputs?: number; opset?: number; domain?: string; outputType?: number } = {},
): Uint8Array {
  const names = inputs.map((x, k) => (x === null ? '' : `x${k}`));
  const initializers = inputs.flatMap((x, k) => (x !== null && 'data' in x ? [{ ...x, name: `x${k}` }] : []));
  const graphInputs = inputs.flatMap((x, k) => (x !== null && !('data' in x) ? [{ name: `x${k}`, type: x.type, shape: x.shape }] : []));
  const outputs = Array.from({ length: options.outputs ?? 1 }, (_, k) => ({ name: `y${k}`, type: options.outputType }));
  return buildModel({
    opset: options.opset,
    domains: options.domain === undefined ? undefined : [{ domain: options.domain, version: 1 }],
    inputs: graphInputs,
    outputs,
    nodes: [{ op, inputs: names, outputs: outputs.map((o) => o.name), attrs, domain: options.domain }],
    initializers,
  });
}

/**
 * A small MLP as PyTorch exports one: x [batch, 2] → Gemm (W [3, 2], transB) → Relu → Gemm
 * (W [1, 3]) → y [batch, 1], the initializers named 0.weight, 0.bias, 2.weight, 2.bias.
 */
export function tinyMlp(): Uint8Array {
  const w = (name: string, dims: number[], data: number[]): TensorSpec => ({ name, type: DataType.FLOAT, dims, data });
  return buildModel({
    inputs: [{ name: 'x', shape: ['batch', 2] }],
    outputs: [{ name: 'y', shape: ['batch', 1] }],
    initializers: [w('0.weight', [3, 2], [0.5, -1, 0.25, 0.75, -0.5, 1]), w('0.bias', [3], [0.1, 0, -0.1]), w('2.weight', [1, 3], [1, -0.5, 0.25]), w('2.bias', [1], [0.05])],
    nodes: [
      { op: 'Gemm', name: '/0/Gemm', inputs: ['x', '0.weight', '0.bias'], outputs: ['/0/Gemm_output_0'], attrs: { transB: i(1) } },
      { op: 'Relu', name: '/1/Relu', inputs: ['/0/Gemm_output_0'], outputs: ['/1/Relu_output_0'] },
      { op: 'Gemm', name: '/2/Gemm', inputs: ['/1/Relu_output_0', '2.weight', '2.bias'], outputs: ['y'], attrs: { transB: i(1) } },
    ],
  });
}
