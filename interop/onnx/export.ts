/**
 * ONNX export: toOnnx(fnOrModule, exampleInputs, options) gives the bytes of an ONNX model
 * (ModelProto, opsets 13–20 of the default domain) that computes what the function or module
 * computes, for ONNX Runtime and the other engines that read ONNX.
 *
 * How: the function is traced — run once on the example inputs with recording on, the inputs
 * replaced by fresh leaves that require a gradient (copies sharing the values: the caller's tensors
 * are untouched), a module in eval mode (restored afterwards) — and the recorded nodes behind the
 * outputs are walked in creation order, a topological order, each mapped to ONNX operators by its
 * op's name and attributes (export-ops/). What the graph reads that no node computed is a leaf:
 * the inputs become graph inputs, a module's parameters and buffers initializers named by their
 * paths (namedParameters, namedBuffers), every other tensor (a constant the function closed over,
 * or a value computed without recording, such as a comparison's mask) an initializer of its
 * values. A value the function computed from the inputs without recording is therefore baked in.
 *
 * The dynamic batch: with dynamicBatch the first dimension of every input is the symbol `batch`.
 * The function is then traced a second time at batch + 1 (the example rows repeated), and each
 * dimension of each tensor is known as a·batch + b from the two traces. No shape written into the
 * model holds the example's batch size: a Reshape target holds −1 in place of its one
 * batch-dependent dimension; any other shape holding the batch (a second batch-dependent
 * dimension, an Expand target, a Slice end, a Pad width) is computed at run time from
 * Shape(first input)[0] with Mul, Add and Concat; a constant filled with one value whose shape
 * follows the batch (zeros([N, H]), an LSTM's initial state) is that value Expanded to such a
 * shape, and an integer scalar that changes with the batch (the count a mean over the batch
 * divides by) is computed as a·batch + b and cast to the float type. The two traces must record
 * the same ops, and every other constant the ops read must not change with the batch size;
 * otherwise the export is refused.
 *
 * Without dynamicBatch, a model whose inputs have two rows or more is traced a second time on the
 * inputs with their rows rotated by one, for the same check: a constant that changes then (a mask
 * computed from an input by a comparison, which records nothing) would be baked in wrongly, and a
 * graph that changes (control flow on the values) cannot be written, so both are refused.
 */
import { ArgumentError, DeltaGraphError, GraphError, Tensor, describe, fmtShape, isCallable, param } from '../../lib';
import { boolIn, choiceIn, numberIn, optionsIn, stringIn } from '../../lib/args';
import { ancestors } from '../../graph/ancestors';
import { enableGrad } from '../../graph/mode';
import type { Node } from '../../graph/node';
import { Module } from '../../nn/module';
import { AttributeType, DataType } from './data-types';
import { ModelProto } from './schema';
import { Attr, Dim, Emitter, MappingTable, OpContext, allStatic, fixed, refuse } from './export-ops/context';
import { ELEMENTWISE } from './export-ops/elementwise';
import { NN } from './export-ops/nn';
import { SHAPE } from './export-ops/shape';
import { findFusions } from './export-ops/fusions';

/** The opsets of the default domain (ai.onnx) that toOnnx writes. */
export const ONNX_EXPORT_OPSETS = { min: 13, max: 20 } as const;

/** Every deltagraph op that toOnnx maps, by name. */
const MAPPINGS: MappingTable = { ...ELEMENTWISE, ...SHAPE, ...NN };

/** The ops toOnnx can export, by name (sorted). */
export function onnxExportableOps(): string[] {
  return Object.keys(MAPPINGS).sort();
}

export interface ToOnnxOptions {
  /**
   * The opset of the default domain, 13–20 (default 17, the newest fromOnnx reads). The IR version
   * follows: 7 for opsets 13 and 14, 8 for 15–18, 9 for 19 and 20.
   */
  opset?: number;
  /** The element type of every float tensor: 'float32' (default; values rounded with Math.fround) or 'float64'. */
  dtype?: 'float32' | 'float64';
  /**
   * The first dimension of every input is the symbol `batch`: shapes that hold it are written as
   * −1 in a Reshape or computed from Shape(input_0)[0] (see toOnnx).
   */
  dynamicBatch?: boolean;
  /** The graph inputs' names (default input_0, input_1, …), one per example input. */
  inputNames?: readonly string[];
  /** The graph outputs' names (default output_0, output_1, …), one per output. */
  outputNames?: readonly string[];
  /** ModelProto.producer_name (default 'deltagraph'). */
  producerName?: string;
  /** ModelProto.producer_version (default none). */
  producerVersion?: string;
  /** ModelProto.doc_string (default none). */
  docString?: string;
  /** GraphProto.name (default 'deltagraph'). */
  graphName?: string;
}

/** A function of tensors returning a tensor or an array of tensors, or a module (whose forward is called). */
export type OnnxExportable = Module | ((...inputs: Tensor[]) => Tensor | readonly Tensor[]);

interface Trace {
  inputs: Tensor[];
  outputs: Tensor[];
  nodes: Node[];
}

/** Runs the function on leaf copies of the inputs with recording on, a module in eval mode. */
function traceOn(model: OnnxExportable, inputs: readonly Tensor[]): Trace {
  const leaves = inputs.map((x) => param(x));
  const modes: Array<[Module, boolean]> = [];
  if (model instanceof Module) {
    const stack: Module[] = [model];
    while (stack.length > 0) {
      const m = stack.pop()!;
      modes.push([m, m.training]);
      for (const [, child] of m.modules()) stack.push(child);
    }
    model.eval();
  }
  let result: unknown;
  try {
    result = enableGrad(() => (model instanceof Module ? (model.forward as (...xs: Tensor[]) => Tensor)(...leaves) : model(...leaves)));
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  const outputs = result instanceof Tensor ? [result] : Array.isArray(result) && result.length > 0 && result.every((t) => t instanceof Tensor) ? (result as Tensor[]) : null;
  if (outputs === null) throw new ArgumentError(`toOnnx: the traced ${model instanceof Module ? "module's forward" : 'function'} must return a tensor or a non-empty array of tensors, got ${describe(result)}`);
  const seen = new Set<Node>();
  for (const out of outputs) for (const n of ancestors(out, 'toOnnx', 'trace a graph that no backward pass released')) seen.add(n);
  return { inputs: leaves, outputs, nodes: [...seen].sort((a, b) => a.id - b.id) };
}

/**
 * x with `n` rows, starting from row `shift`: its rows repeated in order (what the second trace of
 * a dynamic batch runs on), or rotated (n = its own rows, shift 1).
 */
function withRows(x: Tensor, n: number, shift = 0): Tensor {
  const shape = [n, ...x.shape.slice(1)];
  const size = shape.reduce((p, d) => p * d, 1);
  const row = x.shape.slice(1).reduce((p, d) => p * d, 1);
  const data = new Float64Array(size);
  for (let i = 0; i < size; i++) data[i] = x.data[(i + shift * row) % x.size]!;
  return new Tensor(data, shape);
}

/** Little-endian bytes of values as float32, float64 or int64. */
function rawBytes(values: ArrayLike<number>, kind: 'float32' | 'float64' | 'int64' | 'bool'): Uint8Array {
  const width = kind === 'float32' ? 4 : kind === 'bool' ? 1 : 8;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (kind === 'float32') view.setFloat32(4 * i, v, true);
    else if (kind === 'float64') view.setFloat64(8 * i, v, true);
    else if (kind === 'bool') bytes[i] = v !== 0 ? 1 : 0;
    else view.setBigInt64(8 * i, BigInt(v), true);
  }
  return bytes;
}

function attributeOf(name: string, a: Attr): Record<string, unknown> {
  if ('i' in a) return { name, type: AttributeType.INT, i: a.i };
  if ('f' in a) return { name, type: AttributeType.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: AttributeType.INTS, ints: [...a.ints] };
  if ('s' in a) return { name, type: AttributeType.STRING, s: Uint8Array.from(a.s, (ch) => ch.charCodeAt(0)) };
  return { name, type: AttributeType.FLOATS, floats: [...a.floats] };
}

/** The names given by an option: distinct non-empty strings, `count` of them. */
function namesIn(name: string, value: unknown, count: number | null): string[] | undefined {
  if (value === undefined) return undefined;
  const ok = Array.isArray(value) && value.every((s) => typeof s === 'string' && s.length > 0) && new Set(value).size === value.length;
  if (!ok || (count !== null && value.length !== count)) {
    throw new ArgumentError(`toOnnx: ${name} must be ${count === null ? 'an array' : `an array of ${count}`} distinct non-empty strings${count === null ? '' : ' (one per ' + (name === 'inputNames' ? 'example input' : 'output') + ')'}, got ${describe(value)}`);
  }
  return value as string[];
}

/**
 * The bytes of an ONNX model (a serialized ModelProto: IR version 8 at the default opset 17)
 * computing `model` — a function of tensors returning a tensor or an array of tensors, or a module,
 * whose forward is called in eval mode — as traced on `exampleInputs` (see the module's comment).
 *
 * - Inputs: input_0, input_1, … (or inputNames) in the order of exampleInputs, shaped as they are,
 *   their first dimension the symbol `batch` with dynamicBatch; outputs output_0, … (or
 *   outputNames). Every float tensor is of `dtype` (float32 rounds the values).
 * - Initializers: a module's parameters and buffers under their paths ("0.W", "1.runningMean"),
 *   a function's leaves that require a gradient as param_0, …, every other constant as const_k.
 * - Integer ids: an input whose example values are exactly the indices a take (an embedding)
 *   used is read by that Gather at run time (cast to INT64), not baked in.
 * - dynamicBatch: no shape in the model holds the example's batch size: a Reshape target holds −1
 *   for its one batch-dependent dimension, and every other shape holding the batch (an Expand
 *   target, a Slice end, a Pad width, a second such dimension, a mean's count) is computed from
 *   Shape(input_0)[0].
 *
 * The model runs twice (the second time on the example rows rotated, or at batch + 1 with
 * dynamicBatch; once when every input has fewer than two rows): a function's side effects, such as
 * a training-mode batch norm's running statistics, happen twice — give modules, or put the ones a
 * function uses in eval mode.
 *
 * A recorded op without an ONNX mapping is a GraphError naming it and listing those that have one;
 * so is a constant that changes with the input values or the batch size (a mask computed without
 * recording), or a graph that changes with them. An opset outside 13–20, or an option of the wrong
 * kind, is an ArgumentError.
 */
export function toOnnx(model: OnnxExportable, exampleInputs: readonly Tensor[], options: ToOnnxOptions = {}): Uint8Array {
  const who = 'toOnnx';
  if (!(model instanceof Module) && !isCallable(model)) {
    throw new ArgumentError(`${who}: model must be a function of tensors or a Module, got ${describe(model)}`);
  }
  if (!Array.isArray(exampleInputs) || exampleInputs.length === 0) {
    throw new ArgumentError(`${who}: exampleInputs must be a non-empty array of tensors (one per input of the model), got ${describe(exampleInputs)}`);
  }
  exampleInputs.forEach((x: unknown, i) => {
    if (!(x instanceof Tensor)) throw new ArgumentError(`${who}: exampleInputs[${i}] must be a tensor, got ${describe(x)}`);
    if (x.disposed) throw new GraphError(`${who}: exampleInputs[${i}] (a tensor of shape ${fmtShape(x.shape)}) was released when the tidy scope that made it ended`);
  });
  const o = optionsIn(who, options);
  const opset = numberIn(who, 'opset', o.opset, { min: ONNX_EXPORT_OPSETS.min, max: ONNX_EXPORT_OPSETS.max, integer: true }, 17);
  const dtype = choiceIn(who, 'dtype', o.dtype, ['float32', 'float64'] as const, 'float32');
  const dynamic = boolIn(who, 'dynamicBatch', o.dynamicBatch, false);
  const inputNames = namesIn('inputNames', o.inputNames, exampleInputs.length) ?? exampleInputs.map((_, i) => `input_${i}`);
  const givenOutputs = namesIn('outputNames', o.outputNames, null);
  const producerName = stringIn(who, 'producerName', o.producerName, 'deltagraph');
  const producerVersion = o.producerVersion === undefined ? undefined : stringIn(who, 'producerVersion', o.producerVersion, '');
  const graphName = stringIn(who, 'graphName', o.graphName, 'deltagraph');
  if (o.docString !== undefined && typeof o.docString !== 'string') throw new ArgumentError(`${who}: docString must be a string, got ${describe(o.docString)}`);
  const batch = dynamic ? exampleInputs[0]!.shape[0] : undefined;
  if (dynamic) {
    exampleInputs.forEach((x, i) => {
      if (x.rank === 0 || x.shape[0] !== batch || batch === 0) {
        throw new ArgumentError(`${who}: with dynamicBatch every example input must have the same first dimension ≥ 1 (the batch), got exampleInputs[${i}] of shape ${fmtShape(x.shape)}${i > 0 ? ` and exampleInputs[0] of shape ${fmtShape(exampleInputs[0]!.shape)}` : ''}`);
      }
    });
  }

  const A = traceOn(model, exampleInputs);
  if (givenOutputs !== undefined && givenOutputs.length !== A.outputs.length) {
    throw new ArgumentError(`${who}: outputNames names ${givenOutputs.length} outputs, but the model returns ${A.outputs.length}`);
  }
  const outputNames = givenOutputs ?? A.outputs.map((_, i) => `output_${i}`);
  const clash = outputNames.find((n) => inputNames.includes(n));
  if (clash !== undefined) throw new ArgumentError(`${who}: '${clash}' names both an input and an output; graph inputs and outputs need distinct names`);
  const rotate = !dynamic && exampleInputs.some((x) => x.rank > 0 && x.shape[0]! >= 2);
  const B = dynamic
    ? traceOn(model, exampleInputs.map((x) => withRows(x, batch! + 1)))
    : rotate
      ? traceOn(model, exampleInputs.map((x) => (x.rank > 0 && x.shape[0]! >= 2 ? withRows(x, x.shape[0]!, 1) : x)))
      : null;
  /** How the second trace differs, for messages. */
  const second = dynamic ? `at batch ${batch! + 1}` : 'on the example inputs with their rows rotated';

  // Which tensor of the second trace is which tensor of the first.
  const partner = new Map<Tensor, Tensor>();
  if (B !== null) {
    const mismatch = (what: string) => {
      if (!dynamic) throw new GraphError(`${who}: the model's graph depends on its input values (control flow on them), which an ONNX graph cannot follow: ${second} ${what} than on the example inputs`);
      throw new GraphError(`${who}: with dynamicBatch the model must record the same graph at every batch size, but ${second} ${what} than at batch ${batch}${batch === 1 ? ' (give an example batch of at least 2: a batch of 1 can skip broadcasts that larger ones need)' : ''}`);
    };
    if (B.nodes.length !== A.nodes.length) mismatch(`it records ${B.nodes.length} ops rather than ${A.nodes.length}`);
    if (B.outputs.length !== A.outputs.length) mismatch(`it returns ${B.outputs.length} outputs rather than ${A.outputs.length}`);
    A.inputs.forEach((x, i) => partner.set(x, B.inputs[i]!));
    A.nodes.forEach((n, k) => {
      const m = B.nodes[k]!;
      if (m.op.name !== n.op.name || m.inputs!.length !== n.inputs!.length) mismatch(`op ${k} is '${m.op.name}' rather than '${n.op.name}'`);
      n.inputs!.forEach((x, j) => partner.set(x, m.inputs![j]!));
      partner.set(n.output, m.output);
    });
    A.outputs.forEach((t, i) => partner.set(t, B.outputs[i]!));
  }
  const dimsOf = (t: Tensor): Dim[] => {
    const other = partner.get(t);
    if (other === undefined) return t.shape.map(fixed);
    if (other.rank !== t.rank || (!dynamic && other.shape.some((d, i) => d !== t.shape[i]))) {
      throw new GraphError(`${who}: a tensor of shape ${fmtShape(t.shape)} on the example inputs has shape ${fmtShape(other.shape)} ${second}; ${dynamic ? 'its rank' : 'its shape'} must not depend on ${dynamic ? 'the batch size' : 'the input values'}`);
    }
    if (!dynamic) return t.shape.map(fixed);
    return t.shape.map((d, i) => {
      const a = other.shape[i]! - d;
      return { a, b: d - a * batch! };
    });
  };

  // The emitter: nodes, initializers and the value names.
  const nodes: Record<string, unknown>[] = [];
  const initializers: Record<string, unknown>[] = [];
  const taken = new Set<string>([...inputNames, ...outputNames]);
  let counter = 0;
  const fresh = (base: string) => {
    let name = `${base}_${counter++}`;
    while (taken.has(name)) name = `${base}_${counter++}`;
    taken.add(name);
    return name;
  };
  const ioNames = new Set(taken);
  const elemType = dtype === 'float32' ? DataType.FLOAT : DataType.DOUBLE;
  const scalars = new Map<string, string>();
  const int64Constants = new Map<string, string>();
  let batchValue: string | null = null;
  const emitter: Emitter = {
    opset,
    dtype,
    nodes(opType, inputs, attrs = {}, outputs = 1) {
      const out = Array.from({ length: outputs }, () => fresh(opType));
      nodes.push({ opType, input: [...inputs], output: out, name: out[0], attribute: Object.entries(attrs).map(([k, a]) => attributeOf(k, a)) });
      return out;
    },
    node(opType, inputs, attrs) {
      return emitter.nodes(opType, inputs, attrs, 1)[0]!;
    },
    floats(values, shape) {
      const name = fresh('const');
      initializers.push({ name, dims: [...shape], dataType: elemType, rawData: rawBytes(values, dtype) });
      return name;
    },
    scalar(value) {
      const key = Object.is(value, -0) ? '-0' : String(value);
      let name = scalars.get(key);
      if (name === undefined) scalars.set(key, (name = emitter.floats([value], [])));
      return name;
    },
    int64s(values, shape) {
      const dims = shape ?? [values.length];
      const key = `${dims.join(',')}:${values.join(',')}`;
      const known = int64Constants.get(key);
      if (known !== undefined) return known;
      const name = fresh('shape');
      int64Constants.set(key, name);
      initializers.push({ name, dims: [...dims], dataType: DataType.INT64, rawData: rawBytes(values, 'int64') });
      return name;
    },
    bools(values, shape) {
      const name = fresh('mask');
      initializers.push({ name, dims: [...shape], dataType: DataType.BOOL, rawData: rawBytes(values, 'bool') });
      return name;
    },
    shapeOf(dims) {
      if (allStatic(dims)) return emitter.int64s(dims.map((d) => d.b));
      if (batchValue === null) batchValue = emitter.node('Gather', [emitter.node('Shape', [inputNames[0]!]), emitter.int64s([0])], { axis: { i: 0 } });
      const pieces: string[] = [];
      let run: number[] = [];
      const flush = () => {
        if (run.length > 0) pieces.push(emitter.int64s(run));
        run = [];
      };
      for (const d of dims) {
        if (d.a === 0) {
          run.push(d.b);
          continue;
        }
        flush();
        let v: string = batchValue;
        if (d.a !== 1) v = emitter.node('Mul', [v, emitter.int64s([d.a])]);
        if (d.b !== 0) v = emitter.node('Add', [v, emitter.int64s([d.b])]);
        pieces.push(v);
      }
      flush();
      return pieces.length === 1 ? pieces[0]! : emitter.node('Concat', pieces, { axis: { i: 0 } });
    },
    reshapeTo(x, dims) {
      const symbolic = dims.filter((d) => d.a !== 0).length;
      const allowZero = symbolic === 0 && dims.some((d) => d.b === 0) && opset >= 14 ? { allowzero: { i: 1 } } : undefined;
      const target = symbolic <= 1 ? emitter.int64s(dims.map((d) => (d.a !== 0 ? -1 : d.b))) : emitter.shapeOf(dims);
      return emitter.node('Reshape', [x, target], allowZero);
    },
  };

  // The leaves: graph inputs, parameters and buffers by path, other constants by value.
  const names = new Map<Tensor, string>();
  A.inputs.forEach((x, i) => names.set(x, inputNames[i]!));
  const paths = new Map<Tensor, string>();
  if (model instanceof Module) {
    for (const [path, t] of model.namedParameters()) if (!paths.has(t)) paths.set(t, path);
    for (const [path, t] of model.namedBuffers()) if (!paths.has(t)) paths.set(t, path);
  } else {
    let k = 0;
    for (const n of A.nodes) for (const x of n.inputs!) if (x.producer === null && x.requiresGrad && !names.has(x) && !paths.has(x)) paths.set(x, `param_${k++}`);
  }
  // The paths are kept for their tensors: no other value takes one.
  for (const path of paths.values()) taken.add(path);
  const leafName = (t: Tensor, node: Node | null): string => {
    const known = names.get(t);
    if (known !== undefined) return known;
    const other = partner.get(t);
    // A constant filled with one value whose shape follows the batch (zeros([N, H]) as an initial
    // state): that value expanded to the shape computed at run time.
    if (dynamic && other !== undefined && other.rank === t.rank && other.shape.some((d, i) => d !== t.shape[i]) && t.size > 0) {
      const v = t.data[0]!;
      if (t.data.every((u) => Object.is(u, v)) && other.data.every((u) => Object.is(u, v))) {
        const name = emitter.node('Expand', [emitter.scalar(v), emitter.shapeOf(dimsOf(t))]);
        names.set(t, name);
        return name;
      }
    }
    // A count that follows the batch (the N a mean over the batch divides by): a·batch + b,
    // computed at run time and cast to the float type.
    if (dynamic && other !== undefined && t.size === 1 && other.size === 1 && other.rank === t.rank && Number.isInteger(t.data[0]) && Number.isInteger(other.data[0]) && other.data[0] !== t.data[0]) {
      const a = other.data[0]! - t.data[0]!;
      const count = emitter.node('Cast', [emitter.shapeOf([{ a, b: t.data[0]! - a * batch! }])], { to: { i: elemType } });
      const name = emitter.node('Reshape', [count, emitter.int64s(t.shape.slice())]);
      names.set(t, name);
      return name;
    }
    if (other !== undefined && other !== t && (other.rank !== t.rank || other.shape.some((d, i) => d !== t.shape[i]) || other.data.some((v, i) => !Object.is(v, t.data[i])))) {
      const reason = `a constant of shape ${fmtShape(t.shape)} changes ${second}: a value computed from an input without recording (such as a comparison's mask), or a random draw (dropout in train mode), would be baked into the model as a constant`;
      if (node === null) throw new GraphError(`${who}: the model returns ${reason}`);
      refuse(node, `it reads ${reason.replace(/^a constant (.*) changes/, 'a constant $1 that changes')}`);
    }
    const path = paths.get(t);
    if (path !== undefined && ioNames.has(path)) {
      throw new ArgumentError(`${who}: '${path}' names both a parameter of the model and an input or output; choose other inputNames or outputNames`);
    }
    const name = path ?? fresh('const');
    initializers.push({ name, dims: [...t.shape], dataType: elemType, rawData: rawBytes(t.data, dtype) });
    names.set(t, name);
    return name;
  };

  const casts = new Map<number, string>();
  /** Whether x's values, as integers wrapped into [0, extent), are exactly `indices`. */
  const holds = (x: Tensor, indices: Int32Array, extent: number): boolean => {
    if (x.size !== indices.length) return false;
    for (let k = 0; k < x.size; k++) {
      const v = x.data[k]!;
      if (!Number.isInteger(v) || (v < 0 ? v + extent : v) !== indices[k]) return false;
    }
    return true;
  };
  const indicesInput = (indices: Int32Array, dims: readonly Dim[], extent: number, partnerIndices: Int32Array): string | null => {
    for (let i = 0; i < exampleInputs.length; i++) {
      if (!holds(exampleInputs[i]!, indices, extent)) continue;
      if (B !== null && !holds(B.inputs[i]!, partnerIndices, extent)) continue;
      let cast = casts.get(i);
      if (cast === undefined) casts.set(i, (cast = emitter.node('Cast', [inputNames[i]!], { to: { i: DataType.INT64 } })));
      const x = exampleInputs[i]!;
      const sameShape = x.rank === dims.length && dims.every((d, k) => d.a === 0 && d.b === x.shape[k]);
      const input = dimsOf(A.inputs[i]!);
      const sameDims = input.length === dims.length && dims.every((d, k) => d.a === input[k]!.a && d.b === input[k]!.b);
      return sameShape || sameDims ? cast : emitter.reshapeTo(cast, dims);
    }
    return null;
  };

  const fusions = findFusions(A.nodes, A.outputs, opset, dtype);
  const fused = new Set<Node>();
  for (const f of fusions.values()) for (const n of f.interior) fused.add(n);
  const nameOf = (t: Tensor, node: Node): string => {
    const name = t.producer === null ? leafName(t, node) : names.get(t);
    if (name === undefined) throw new GraphError(`${who}: op '${node.op.name}' (node ${node.id}) reads a value that was not exported`);
    return name;
  };

  A.nodes.forEach((node, k) => {
    if (fused.has(node)) return;
    const fusion = fusions.get(node);
    if (fusion !== undefined) {
      names.set(node.output, fusion.emit({ ...emitter, name: (t) => nameOf(t, node) }));
      return;
    }
    const mapping = MAPPINGS[node.op.name];
    if (mapping === undefined) {
      throw new GraphError(`${who}: the graph records op '${node.op.name}' (node ${node.id}), which has no ONNX mapping; the ops toOnnx exports are ${onnxExportableOps().join(', ')}`);
    }
    const tensors = node.inputs!;
    const inputs = tensors.map((t) => nameOf(t, node));
    const other = B === null ? null : B.nodes[k]!;
    const context: OpContext = {
      ...emitter,
      recorded: node,
      partner: other,
      attrs: node.attrs,
      partnerAttrs: other === null ? node.attrs : other.attrs,
      inputs,
      tensors,
      dims: (i) => dimsOf(tensors[i]!),
      outDims: dimsOf(node.output),
      dynamic,
      fail: (reason) => refuse(node, reason),
      indicesInput,
    };
    let result: string;
    try {
      result = mapping(context);
    } catch (e) {
      if (e instanceof DeltaGraphError) throw e;
      throw new GraphError(`${who}: mapping op '${node.op.name}' (node ${node.id}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    names.set(node.output, result);
  });

  const valueInfo = (name: string, dims: readonly Dim[]) => ({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (d.a === 0 ? { dimValue: d.b } : { dimParam: d.a === 1 && d.b === 0 ? 'batch' : `${d.a === 1 ? '' : `${d.a}*`}batch${d.b === 0 ? '' : d.b > 0 ? `+${d.b}` : d.b}` })) },
      },
    },
  });
  const outputs = A.outputs.map((t, i) => {
    const source = t.producer === null ? leafName(t, null) : names.get(t)!;
    nodes.push({ opType: 'Identity', input: [source], output: [outputNames[i]!], name: outputNames[i]!, attribute: [] });
    return valueInfo(outputNames[i]!, dimsOf(t));
  });
  const graphInputs = A.inputs.map((x, i) => valueInfo(inputNames[i]!, dynamic ? [{ a: 1, b: 0 }, ...x.shape.slice(1).map(fixed)] : x.shape.map(fixed)));

  const message = {
    irVersion: opset <= 14 ? 7 : opset <= 18 ? 8 : 9,
    opsetImport: [{ domain: '', version: opset }],
    producerName,
    ...(producerVersion === undefined ? {} : { producerVersion }),
    ...(o.docString === undefined ? {} : { docString: o.docString }),
    graph: { name: graphName, node: nodes, initializer: initializers, input: graphInputs, output: outputs },
  };
  return ModelProto.encode(ModelProto.fromObject(message)).finish();
}
