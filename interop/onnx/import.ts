/**
 * ONNX import: fromOnnx(bytes) reads an ONNX model (opsets 13–17 of the default domain) and
 * gives an OnnxModel, a Module whose forward pass runs the graph with deltagraph's ops. Its
 * parameters are the graph's floating-point initializers, as float64 leaves under their ONNX names
 * (PyTorch's state-dict names: "0.weight"), so backward gives the gradient of every weight and of
 * every edge of the graph, and the model trains with fit and the optimizers like any other.
 *
 * What is not a parameter is a constant: integer and boolean initializers, Constant nodes, and
 * the BatchNormalization statistics (buffers). Integer and shape values never enter the graph:
 * the nodes whose inputs are all constants (an exporter's Shape → Gather → Unsqueeze → Concat
 * chains on static shapes, Constant arithmetic) are computed once at load time, and those that
 * depend on an input's shape are computed per call from constants, recording nothing.
 */
import { ArgumentError, DeltaGraphError, ShapeError, Tensor, TensorLike, asTensor, describe, fmtShape } from '../../lib';
import { checkParameterBytes } from '../../lib/memory';
import { nextNodeId } from '../../graph';
import { Module } from '../../nn/module';
import type { LayerSpan } from '../../nn';
import { AttributeType, DataType } from './data-types';
import { ModelProto } from './schema';
import { ELEMENTWISE_OPS, MICROSOFT_ELEMENTWISE_OPS } from './import-ops/elementwise';
import { NN_OPS } from './import-ops/nn';
import { RECURRENT_OPS } from './import-ops/recurrent';
import { REDUCE_OPS } from './import-ops/reduce';
import { SHAPE_OPS } from './import-ops/shape';
import { AttributeValue, Kernel, OnnxNode, OpCompiler, nodeLabel } from './import-ops/node';
import { Value, constant, declaredShape, decodeTensor, int64Of, isFloatType, isSupportedType, typeName, valueOf } from './import-ops/tensor-data';

/** The opset versions of the default domain (ai.onnx) that the importer reads. */
export const ONNX_OPSETS = { min: 13, max: 17 } as const;

/** The operators of the default domain, by name. */
const DEFAULT_OPS: Record<string, OpCompiler> = { ...ELEMENTWISE_OPS, ...SHAPE_OPS, ...NN_OPS, ...REDUCE_OPS, ...RECURRENT_OPS };

/** The operators of ONNX Runtime's com.microsoft domain that are read. */
const MICROSOFT_OPS: Record<string, OpCompiler> = MICROSOFT_ELEMENTWISE_OPS;

/** The default domain's operators that are younger than opset 13: the first opset that has each. */
const SINCE: Record<string, number> = { Trilu: 14, LayerNormalization: 17 };

/** A graph input or output as the model declares it. */
export interface OnnxValueInfo {
  readonly name: string;
  /** Its element type, e.g. 'FLOAT' or 'INT64' ('UNDEFINED' when not declared). */
  readonly type: string;
  /**
   * Its shape: a number for a static dimension, a string for a symbolic one (e.g. 'batch'), null
   * for an unknown one; null for the whole shape when the model declares none.
   */
  readonly shape: ReadonlyArray<number | string | null> | null;
}

/** What trace returns: the graph's outputs and every value of the graph by its ONNX name. */
export interface OnnxTrace {
  readonly outputs: Tensor[];
  /** Inputs, initializers, constants and every node output, by value name. */
  readonly values: Map<string, Tensor>;
}

interface GraphInput {
  readonly info: OnnxValueInfo;
  readonly elemType: number;
}

interface CompiledNode {
  readonly node: OnnxNode;
  readonly kernel: Kernel;
  /** The layer a node belongs to, from its name ('/0/Gemm' → '0'); null without one. */
  readonly layer: string | null;
}

interface CompiledGraph {
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly string[];
  readonly outputInfos: readonly OnnxValueInfo[];
  /** Constants, parameters and buffers by value name. */
  readonly fixed: ReadonlyMap<string, Value>;
  /** The nodes that run at each call, in graph order. */
  readonly nodes: readonly CompiledNode[];
  readonly folded: number;
  readonly opset: number;
  readonly producer: string;
}

/** Who is building a model, for messages: fromOnnx, or the constructor itself. */
let building = 'OnnxModel';

function fail(message: string): ArgumentError {
  return new ArgumentError(`${building}: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Reading the protocol buffers

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function bytesText(v: unknown): string {
  if (!(v instanceof Uint8Array)) return '';
  return new TextDecoder('utf-8', { fatal: false }).decode(v);
}

/** An AttributeProto as a value, by its declared type (or, without one, the field it sets). */
function attributeOf(a: Record<string, unknown>, where: string): [string, AttributeValue] {
  const name = text(a.name);
  const what = `${where}: attribute ${name === '' ? '(unnamed)' : name}`;
  if (text(a.refAttrName) !== '') return [name, { kind: 'unsupported', value: 'a reference to a function attribute' }];
  let type = typeof a.type === 'number' ? a.type : 0;
  if (type === 0) {
    const has = (k: string) => Object.prototype.hasOwnProperty.call(a, k) && !(Array.isArray(a[k]) && (a[k] as unknown[]).length === 0);
    type = has('f') ? AttributeType.FLOAT : has('i') ? AttributeType.INT : has('s') ? AttributeType.STRING : has('t') ? AttributeType.TENSOR
      : has('floats') ? AttributeType.FLOATS : has('ints') ? AttributeType.INTS : has('strings') ? AttributeType.STRINGS : 0;
  }
  switch (type) {
    case AttributeType.FLOAT: return [name, { kind: 'float', value: typeof a.f === 'number' ? a.f : NaN }];
    case AttributeType.INT: return [name, { kind: 'int', value: int64Of(a.i, what) }];
    case AttributeType.STRING: return [name, { kind: 'string', value: bytesText(a.s) }];
    case AttributeType.TENSOR: return [name, { kind: 'tensor', value: decodeTensor(a.t, what) }];
    case AttributeType.FLOATS: return [name, { kind: 'floats', value: list(a.floats).map((f) => (typeof f === 'number' ? f : NaN)) }];
    case AttributeType.INTS: return [name, { kind: 'ints', value: list(a.ints).map((v, i) => int64Of(v, `${what}[${i}]`)) }];
    case AttributeType.STRINGS: return [name, { kind: 'strings', value: list(a.strings).map(bytesText) }];
    default: return [name, { kind: 'unsupported', value: `an attribute of type ${type} (a graph, a sparse tensor or a type)` }];
  }
}

/** A ValueInfoProto's element type and shape. */
function valueInfoOf(v: Record<string, unknown>, where: string): GraphInput {
  const name = text(v.name);
  const tensorType = (v.type as { tensorType?: Record<string, unknown> } | null | undefined)?.tensorType;
  const elemType = typeof tensorType?.elemType === 'number' ? tensorType.elemType : 0;
  const dims = (tensorType?.shape as { dim?: unknown } | null | undefined)?.dim;
  let shape: Array<number | string | null> | null = null;
  if (Array.isArray(dims)) {
    shape = dims.map((d: Record<string, unknown>, i) => {
      if (Object.prototype.hasOwnProperty.call(d, 'dimValue')) {
        const value = int64Of(d.dimValue, `${where} '${name}': dimension ${i}`);
        if (value < 0) throw fail(`${where} '${name}': dimension ${i} must be ≥ 0, got ${value}`);
        return value;
      }
      const param = text(d.dimParam);
      return param === '' ? null : param;
    });
  }
  return { info: Object.freeze({ name, type: typeName(elemType), shape: shape === null ? null : Object.freeze(shape) }), elemType };
}

/**
 * The layer of a node from its scoped name (PyTorch's exporter writes the module path, then the
 * operator): the scopes down to the first indexed one (a ModuleList's or Sequential's entry), else
 * the first scope. '/0/Gemm' → '0', '/attn/qkv/MatMul' → 'attn', '/encoder/layer.1/attention/self/
 * MatMul' → 'encoder.layer.1'; a name without a scope gives none.
 */
function layerOf(name: string): string | null {
  const parts = name.split('/').filter((p) => p !== '');
  if (parts.length < 2) return null;
  const scopes = parts.slice(0, -1);
  const indexed = scopes.findIndex((p) => /(^|\.)\d+$/.test(p));
  return indexed < 0 ? scopes[0]! : scopes.slice(0, indexed + 1).join('.');
}

function decodeModel(bytes: Uint8Array): Record<string, unknown> {
  try {
    return ModelProto.decode(bytes) as unknown as Record<string, unknown>;
  } catch (e) {
    // Errors of the decoder may come from another realm (Node's TextDecoder): read the message, not the class.
    const text = (e as { message?: unknown } | null)?.message;
    const why = typeof text === 'string' ? text : describe(e);
    throw fail(`the bytes are not an ONNX model (protocol buffer decoding failed: ${why})`);
  }
}

/** The default domain's opset version, checked; and the versions of the other domains imported. */
function opsetsOf(model: Record<string, unknown>): Map<string, number> {
  const versions = new Map<string, number>();
  for (const entry of list(model.opsetImport) as Array<Record<string, unknown>>) {
    const domain = text(entry.domain) === 'ai.onnx' ? '' : text(entry.domain);
    versions.set(domain, int64Of(entry.version, `opset_import of domain '${domain}'`));
  }
  const v = versions.get('');
  if (v === undefined) throw fail(`the model imports no opset of the default domain (ai.onnx); supported: opsets ${ONNX_OPSETS.min}–${ONNX_OPSETS.max}`);
  if (v < ONNX_OPSETS.min || v > ONNX_OPSETS.max) {
    throw fail(`opset ${v} of the default domain (ai.onnx) is not supported (supported: opsets ${ONNX_OPSETS.min}–${ONNX_OPSETS.max}; re-export with opset_version=17, say)`);
  }
  return versions;
}

/** The operator implementations of a domain, or an error naming what is supported. */
function opsOf(domain: string, opType: string, label: string): OpCompiler {
  const table = domain === '' ? DEFAULT_OPS : domain === 'com.microsoft' ? MICROSOFT_OPS : null;
  if (table === null) throw fail(`${label}: the domain '${domain}' is not supported (supported: the default domain ai.onnx, and com.microsoft for ${Object.keys(MICROSOFT_OPS).join(' and ')})`);
  const compile = Object.prototype.hasOwnProperty.call(table, opType) ? table[opType] : undefined;
  if (compile === undefined) {
    throw fail(`${label}: the operator ${opType} is not supported (supported: ${Object.keys(table).sort().join(', ')})`);
  }
  return compile;
}

/** The inputs of a node as its kernel receives them (undefined for an input left out), from `env`. */
function gather(node: OnnxNode, env: ReadonlyMap<string, Value>): Array<Value | undefined> {
  return node.inputs.map((name) => (name === '' ? undefined : env.get(name)));
}

/**
 * Runs fn for a node; a DeltaGraphError from inside (an op's, or the node's own check) gets `who`
 * and the node in front of its message, once.
 */
function inNode<T>(who: string, node: OnnxNode, fn: () => T): T {
  const label = nodeLabel(node);
  try {
    return fn();
  } catch (e) {
    if (e instanceof DeltaGraphError && !e.message.startsWith(`${who}: `)) e.message = `${who}: ${e.message.startsWith(`${label}: `) ? '' : `${label}: `}${e.message}`;
    throw e;
  }
}

/** Runs a kernel and stores its outputs by name, checking that it gave one per named output. */
function runNode(c: { node: OnnxNode; kernel: Kernel }, env: Map<string, Value>): void {
  const outputs = c.kernel(gather(c.node, env));
  c.node.outputs.forEach((name, i) => {
    if (name === '') return;
    const v = outputs[i];
    if (v === undefined) throw new ArgumentError(`${nodeLabel(c.node)}: output ${i} ('${name}') is not computed`);
    env.set(name, v);
  });
}

interface Parsed {
  graph: CompiledGraph;
  parameters: Array<[string, Tensor]>;
  buffers: Array<[string, Tensor]>;
}

function parse(bytes: Uint8Array, addParameter: (name: string, t: Tensor) => Tensor): Parsed {
  const model = decodeModel(bytes);
  const versions = opsetsOf(model);
  const opset = versions.get('')!;
  const graph = model.graph as Record<string, unknown> | null | undefined;
  if (typeof graph !== 'object' || graph === null) throw fail('the model holds no graph');

  // Initializers: the memory they will take is checked before any is read.
  const initializerProtos = list(graph.initializer) as Array<Record<string, unknown>>;
  const shapes = initializerProtos.map((t, i): [string, number[]] => {
    const shape = declaredShape(t);
    if (shape === null) decodeTensor(t, `initializer ${i} ('${text(t.name)}')`); // throws the reason
    return [text(t.name), shape!];
  });
  checkParameterBytes(building, 'the ONNX model\'s initializers', shapes);
  const nodeProtos = list(graph.node) as Array<Record<string, unknown>>;

  // Initializers used only as BatchNormalization's mean and variance are statistics (buffers).
  const uses = new Map<string, { stats: number; other: number }>();
  for (const n of nodeProtos) {
    list(n.input).forEach((name, i) => {
      const u = uses.get(text(name)) ?? { stats: 0, other: 0 };
      if (text(n.opType) === 'BatchNormalization' && text(n.domain) === '' && (i === 3 || i === 4)) u.stats++;
      else u.other++;
      uses.set(text(name), u);
    });
  }

  const fixed = new Map<string, Value>();
  const params = new Map<string, Value>();
  const parameters: Array<[string, Tensor]> = [];
  const buffers: Array<[string, Tensor]> = [];
  initializerProtos.forEach((t, i) => {
    const name = text(t.name);
    if (name === '') throw fail(`initializer ${i} has no name`);
    if (fixed.has(name)) throw fail(`two initializers are named '${name}'`);
    const v = decodeTensor(t, `${building}: initializer '${name}'`);
    const use = uses.get(name);
    if (isFloatType(v.type) && !(use !== undefined && use.stats > 0 && use.other === 0)) {
      const p = addParameter(name, v.t);
      parameters.push([name, p]);
      const pv = valueOf(p, v.type);
      fixed.set(name, pv);
      params.set(name, pv);
    } else {
      if (isFloatType(v.type)) buffers.push([name, v.t]);
      fixed.set(name, v);
    }
  });

  // Inputs: the graph inputs that are not initializers, in order.
  const inputs: GraphInput[] = [];
  for (const v of list(graph.input) as Array<Record<string, unknown>>) {
    const info = valueInfoOf(v, 'input');
    if (fixed.has(info.info.name)) continue;
    if (info.info.name === '') throw fail('a graph input has no name');
    if (info.elemType !== 0 && !isSupportedType(info.elemType)) throw fail(`input '${info.info.name}' has element type ${typeName(info.elemType)}, which is not supported`);
    if (inputs.some((x) => x.info.name === info.info.name)) throw fail(`two graph inputs are named '${info.info.name}'`);
    inputs.push(info);
  }
  const outputInfos = (list(graph.output) as Array<Record<string, unknown>>).map((v) => valueInfoOf(v, 'output').info);
  const outputs = outputInfos.map((v) => v.name);
  if (outputs.length === 0) throw fail('the graph has no outputs');
  if (outputs.some((o) => o === '')) throw fail('a graph output has no name');

  // Nodes: compiled (attributes checked) in order; every input must be defined before its use.
  const defined = new Set<string>([...fixed.keys(), ...inputs.map((x) => x.info.name)]);
  const compiled: CompiledNode[] = [];
  nodeProtos.forEach((p, index) => {
    const domain = text(p.domain) === 'ai.onnx' ? '' : text(p.domain);
    const opType = text(p.opType);
    const name = text(p.name);
    const where = name === '' ? `node #${index}` : `node '${name}'`;
    const attributes = new Map<string, AttributeValue>();
    for (const a of list(p.attribute) as Array<Record<string, unknown>>) {
      const [k, v] = attributeOf(a, `${where} (${opType})`);
      attributes.set(k, v);
    }
    const node: OnnxNode = {
      opType, name, domain, index,
      inputs: list(p.input).map(text),
      outputs: list(p.output).map(text),
      opset: versions.get(domain) ?? (domain === '' ? opset : 1),
      attributes,
    };
    const label = nodeLabel(node);
    const compile = opsOf(domain, opType, label);
    if (domain !== '' && !versions.has(domain)) throw fail(`${label}: the model imports no opset of its domain '${domain}'`);
    const since = domain === '' && Object.prototype.hasOwnProperty.call(SINCE, opType) ? SINCE[opType]! : 0;
    if (node.opset < since) throw fail(`${label}: the operator ${opType} is in opsets from ${since}, but the model imports opset ${node.opset}`);
    for (const i of node.inputs) if (i !== '' && !defined.has(i)) throw fail(`${label}: its input '${i}' is not computed before it (the nodes must be in topological order, as ONNX requires)`);
    if (node.outputs.length === 0) throw fail(`${label}: the node has no outputs`);
    for (const o of node.outputs) {
      if (o === '') continue;
      if (defined.has(o)) throw fail(`${label}: the value '${o}' is computed twice`);
      defined.add(o);
    }
    const kernel = inNode(building, node, () => compile(node));
    compiled.push({ node, kernel, layer: layerOf(name) });
  });
  for (const o of outputs) if (!defined.has(o)) throw fail(`the graph output '${o}' is computed by no node`);

  // Folding: a node whose inputs are all constants runs now (Shape and Size also on parameters,
  // whose shapes are fixed); the others run at each call.
  const shapeKnown = (name: string) => fixed.has(name);
  const constants = new Map<string, Value>([...fixed].filter(([name]) => !params.has(name)));
  const remaining: CompiledNode[] = [];
  for (const c of compiled) {
    const ins = c.node.inputs.filter((i) => i !== '');
    const byShape = (c.node.opType === 'Shape' || c.node.opType === 'Size') && c.node.domain === '' && ins.length === 1 && shapeKnown(ins[0]!);
    if (byShape || ins.every((i) => constants.has(i))) {
      const env = byShape ? new Map([[ins[0]!, fixed.get(ins[0]!)!]]) : constants;
      const folded = new Map(env);
      inNode(building, c.node, () => runNode(c, folded));
      for (const o of c.node.outputs) {
        if (o === '') continue;
        const v = folded.get(o)!;
        // A folded value is a constant, whatever its type: nothing of it depends on a parameter.
        const k = v.t.requiresGrad ? constant(v.t.data, v.t.shape.slice(), v.type) : v;
        constants.set(o, k);
        fixed.set(o, k);
      }
    } else {
      remaining.push(c);
    }
  }

  const producer = [text(model.producerName), text(model.producerVersion)].filter((s) => s !== '').join(' ');
  return {
    graph: { inputs, outputs, outputInfos, fixed, nodes: remaining, folded: compiled.length - remaining.length, opset, producer },
    parameters,
    buffers,
  };
}

// ---------------------------------------------------------------------------------------------
// Running

function shapeText(shape: ReadonlyArray<number | string | null> | null): string {
  return shape === null ? '(any shape)' : `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** The user's inputs as values, checked against the declared ranks, static dimensions and types. */
function inputValues(who: string, g: CompiledGraph, args: readonly unknown[]): Value[] {
  const expected = g.inputs.map((x) => `${x.info.name} ${shapeText(x.info.shape)}`).join(', ');
  if (args.length !== g.inputs.length) {
    throw new ArgumentError(`${who}: the model takes ${g.inputs.length} input${g.inputs.length === 1 ? '' : 's'} (${expected}), got ${args.length}`);
  }
  const symbols = new Map<string, [number, string]>();
  return g.inputs.map((input, k) => {
    const { name, shape } = input.info;
    const t = asTensor(who, args[k], `input '${name}'`);
    if (shape !== null) {
      if (t.rank !== shape.length) throw new ShapeError(`${who}: input '${name}' must have shape ${shapeText(shape)} (rank ${shape.length}), got ${fmtShape(t.shape)}`);
      shape.forEach((d, i) => {
        const got = t.shape[i]!;
        if (typeof d === 'number' && got !== d) throw new ShapeError(`${who}: input '${name}' must have shape ${shapeText(shape)}, got ${fmtShape(t.shape)} (dimension ${i} is ${got}, expected ${d})`);
        if (typeof d === 'string') {
          const seen = symbols.get(d);
          if (seen !== undefined && seen[0] !== got) throw new ShapeError(`${who}: dimension '${d}' is ${seen[0]} in input '${seen[1]}' but ${got} in input '${name}' (dimension ${i})`);
          symbols.set(d, [got, name]);
        }
      });
    }
    const type = input.elemType === 0 ? DataType.FLOAT : input.elemType;
    if (isFloatType(type)) return valueOf(t, type);
    const data = t.data;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isSafeInteger(v) || (type === DataType.BOOL && v !== 0 && v !== 1)) {
        throw new ArgumentError(`${who}: input '${name}' is ${typeName(type)}, so its values must be ${type === DataType.BOOL ? '0 or 1' : 'integers'}, got ${describe(v)} at flat position ${i}`);
      }
    }
    return constant(data, t.shape.slice(), type);
  });
}

interface Run {
  env: Map<string, Value>;
  spans: LayerSpan[];
}

function execute(who: string, g: CompiledGraph, args: readonly unknown[]): Run {
  const values = inputValues(who, g, args);
  const env = new Map(g.fixed);
  g.inputs.forEach((x, i) => env.set(x.info.name, values[i]!));
  const spans: LayerSpan[] = [];
  for (const c of g.nodes) {
    const first = nextNodeId();
    inNode(who, c.node, () => runNode(c, env));
    const end = nextNodeId();
    if (c.layer === null || end === first) continue;
    const last = spans[spans.length - 1];
    if (last !== undefined && last.label === c.layer && last.span[1] === first) {
      spans[spans.length - 1] = { label: last.label, detail: last.detail.split(' · ').includes(c.node.opType) ? last.detail : `${last.detail} · ${c.node.opType}`, span: [last.span[0], end] };
    } else {
      spans.push({ label: c.layer, detail: c.node.opType, span: [first, end] });
    }
  }
  return { env, spans };
}

function outputTensors(g: CompiledGraph, env: ReadonlyMap<string, Value>): Tensor[] {
  return g.outputs.map((name) => env.get(name)!.t);
}

/**
 * An ONNX graph as a deltagraph module (see fromOnnx). forward(...inputs) returns the output of a
 * graph with one output; run(...inputs) returns every output, in the graph's order; trace also
 * returns every value of the graph by its ONNX name, so that a backward pass can be asked for the
 * gradient of any edge. The graph runs as exported, in inference mode (Dropout is the identity and
 * BatchNormalization uses its statistics), whether the module is in train or eval mode.
 */
export class OnnxModel extends Module {
  /** The graph's inputs (those that are not initializers), in the order forward takes them. */
  readonly inputs: readonly OnnxValueInfo[];
  /** The graph's outputs, in the order run returns them. */
  readonly outputs: readonly OnnxValueInfo[];
  /** The version of the default domain's operator set the model imports. */
  readonly opset: number;
  readonly #graph: CompiledGraph;
  #spans: LayerSpan[] = [];

  /** Reads a model from the bytes of an ONNX file (as fromOnnx). */
  constructor(bytes: Uint8Array) {
    super();
    if (!(bytes instanceof Uint8Array)) throw new ArgumentError(`${building}: bytes must be a Uint8Array holding an ONNX file, got ${describe(bytes)}`);
    let parsed: Parsed;
    try {
      parsed = parse(bytes, (name, t) => this.addParameter(name, t));
    } catch (e) {
      if (e instanceof DeltaGraphError && !e.message.startsWith(`${building}: `)) e.message = `${building}: ${e.message}`;
      throw e;
    }
    for (const [name, t] of parsed.buffers) this.addBuffer(name, t);
    this.#graph = parsed.graph;
    this.inputs = Object.freeze(parsed.graph.inputs.map((x) => x.info));
    this.outputs = Object.freeze(parsed.graph.outputInfos.slice());
    this.opset = parsed.graph.opset;
  }

  /** The output of a graph with one output (for several, see run). */
  override forward(...inputs: TensorLike[]): Tensor {
    const g = this.#graph;
    if (g.outputs.length !== 1) {
      throw new ArgumentError(`OnnxModel.forward: the graph has ${g.outputs.length} outputs (${g.outputs.join(', ')}); run(...inputs) returns them all, in this order`);
    }
    const { env, spans } = execute('OnnxModel.forward', g, inputs);
    this.#spans = spans;
    return outputTensors(g, env)[0]!;
  }

  /** Every output of the graph, in its order. */
  run(...inputs: TensorLike[]): Tensor[] {
    const g = this.#graph;
    const { env, spans } = execute('OnnxModel.run', g, inputs);
    this.#spans = spans;
    return outputTensors(g, env);
  }

  /**
   * The outputs and every value of the graph by its ONNX name (inputs, initializers, constants,
   * each node's outputs): `backward(loss).get(values.get('/0/Gemm_output_0'))` is that edge's gradient.
   */
  trace(...inputs: TensorLike[]): OnnxTrace {
    const g = this.#graph;
    const { env, spans } = execute('OnnxModel.trace', g, inputs);
    this.#spans = spans;
    const values = new Map<string, Tensor>();
    for (const [name, v] of env) values.set(name, v.t);
    return { outputs: outputTensors(g, env), values };
  }

  /**
   * The nodes of the last forward pass grouped by layer, from the scopes of the ONNX node names
   * ('/0/Gemm' and '/0/Add' → layer '0'), as viz draws a GPT's: consecutive nodes of one scope
   * form one span.
   */
  layerSpans(): readonly LayerSpan[] {
    return this.#spans.slice();
  }

  describe(): string {
    const g = this.#graph;
    const io = (xs: readonly OnnxValueInfo[]) => xs.map((x) => `${x.name} ${shapeText(x.shape)}`).join(', ');
    const from = g.producer === '' ? '' : `${g.producer}, `;
    const count = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    return `OnnxModel(${from}opset ${g.opset}: ${count(g.nodes.length, 'node')}, ${count(this.parameters().length, 'parameter')}; ${io(this.inputs)} → ${io(this.outputs)})`;
  }
}

/**
 * The ONNX operators fromOnnx reads, sorted: those of the default domain (ai.onnx) by name, and
 * those of com.microsoft as `com.microsoft.<name>`.
 */
export function onnxImportableOperators(): string[] {
  return [...Object.keys(DEFAULT_OPS).sort(), ...Object.keys(MICROSOFT_OPS).sort().map((name) => `com.microsoft.${name}`)];
}

/**
 * Reads an ONNX model (the bytes of a .onnx file; opsets 13–17) into an OnnxModel whose forward
 * pass runs the graph with deltagraph's ops and whose parameters are the graph's float
 * initializers, float64, under their ONNX names. An operator, attribute value or domain the
 * importer does not support, another opset, or bytes that are not a model are an ArgumentError
 * naming the node, the operator and what is supported.
 *
 * ```ts
 * const model = fromOnnx(new Uint8Array(readFileSync('mlp.onnx'))); // torch.onnx.export of an nn.Sequential
 * const loss = crossEntropy(model.forward(x), labels);
 * const grads = backward(loss);
 * grads.get(model.namedParameters()[0][1]);                         // ∂loss/∂'0.weight'
 * fit(model, { x, y: labels }, { loss: new CrossEntropyLoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 1 });
 * ```
 */
export function fromOnnx(bytes: Uint8Array): OnnxModel {
  const before = building;
  building = 'fromOnnx';
  try {
    return new OnnxModel(bytes);
  } finally {
    building = before;
  }
}
