/**
 * One node of an ONNX graph as the operator implementations see it: its operator, name, inputs,
 * outputs and decoded attributes, and the checks every implementation shares (attributes of the
 * right kind, inputs that are present, of a floating-point or integer type, or constant). Every
 * complaint names the node and its operator, so a message points into the model.
 */
import { ArgumentError, Tensor, describe, fmtShape } from '../../../lib';
import { Value, isFloatType, isIntType, typeName } from './tensor-data';
import { DataType } from '../data-types';

/** A decoded attribute: its kind (the AttributeProto field that holds it) and value. */
export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: Value }
  | { kind: 'floats'; value: number[] }
  | { kind: 'ints'; value: number[] }
  | { kind: 'strings'; value: string[] }
  | { kind: 'unsupported'; value: string };

export interface OnnxNode {
  readonly opType: string;
  /** The node's name in the model (may be empty). */
  readonly name: string;
  /** The operator set domain: '' (ai.onnx) or 'com.microsoft'. */
  readonly domain: string;
  /** The names of its inputs; '' marks an optional input left out. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The version of its domain's operator set that the model imports. */
  readonly opset: number;
  readonly attributes: ReadonlyMap<string, AttributeValue>;
  /** Its position in the graph, for nodes without a name. */
  readonly index: number;
}

/** The inputs of a node as a kernel receives them: undefined for an optional input left out. */
export type Inputs = ReadonlyArray<Value | undefined>;

/** What a node computes: its outputs from its inputs, in the order of node.outputs. */
export type Kernel = (inputs: Inputs) => Value[];

/** An operator implementation: checks the node's attributes once, at load time, and gives its kernel. */
export type OpCompiler = (n: OnnxNode) => Kernel;

/** How messages name a node: node '/0/Gemm' (Gemm). */
export function nodeLabel(n: OnnxNode): string {
  const name = n.name === '' ? `#${n.index}` : `'${n.name}'`;
  return `node ${name} (${n.domain === '' ? '' : `${n.domain}.`}${n.opType})`;
}

/** An ArgumentError naming the node: what it asks is not supported or not valid. */
export function nodeError(n: OnnxNode, message: string): ArgumentError {
  return new ArgumentError(`${nodeLabel(n)}: ${message}`);
}

function attribute(n: OnnxNode, name: string, kind: AttributeValue['kind']): AttributeValue | undefined {
  const a = n.attributes.get(name);
  if (a === undefined) return undefined;
  if (a.kind !== kind) throw nodeError(n, `attribute ${name} must be ${kind === 'int' || kind === 'ints' ? 'an ' : 'a '}${kind}, got ${a.kind === 'unsupported' ? a.value : `a ${a.kind}`}`);
  return a;
}

export function intAttr(n: OnnxNode, name: string, fallback: number): number {
  const a = attribute(n, name, 'int');
  return a === undefined ? fallback : (a.value as number);
}

export function floatAttr(n: OnnxNode, name: string, fallback: number): number {
  const a = n.attributes.get(name);
  // An exporter may write a whole number as an int; accept it for a float attribute.
  if (a?.kind === 'int') return a.value;
  const f = attribute(n, name, 'float');
  return f === undefined ? fallback : (f.value as number);
}

export function intsAttr(n: OnnxNode, name: string): number[] | undefined {
  const a = attribute(n, name, 'ints');
  return a === undefined ? undefined : (a.value as number[]).slice();
}

export function floatsAttr(n: OnnxNode, name: string): number[] | undefined {
  const a = attribute(n, name, 'floats');
  return a === undefined ? undefined : (a.value as number[]).slice();
}

export function stringsOf(n: OnnxNode, name: string): string[] | undefined {
  const a = attribute(n, name, 'strings');
  return a === undefined ? undefined : (a.value as string[]).slice();
}

export function stringAttr(n: OnnxNode, name: string, fallback: string): string {
  const a = attribute(n, name, 'string');
  return a === undefined ? fallback : (a.value as string);
}

export function tensorAttr(n: OnnxNode, name: string): Value | undefined {
  const a = attribute(n, name, 'tensor');
  return a === undefined ? undefined : (a.value as Value);
}

/** An int attribute that must be one of `allowed` (e.g. ceil_mode 0 or 1), naming what is supported. */
export function intChoice(n: OnnxNode, name: string, allowed: readonly number[], fallback: number): number {
  const v = intAttr(n, name, fallback);
  if (!allowed.includes(v)) throw nodeError(n, `attribute ${name} = ${v} is not supported (supported: ${allowed.join(', ')})`);
  return v;
}

/** A string attribute that must be one of `allowed`. */
export function stringChoice(n: OnnxNode, name: string, allowed: readonly string[], fallback: string): string {
  const v = stringAttr(n, name, fallback);
  if (!allowed.includes(v)) throw nodeError(n, `attribute ${name} = '${v}' is not supported (supported: ${allowed.map((s) => `'${s}'`).join(', ')})`);
  return v;
}

/** Refuses the attributes a node sets that the implementation does not support at all. */
export function refuseAttrs(n: OnnxNode, names: readonly string[]): void {
  for (const name of names) if (n.attributes.has(name)) throw nodeError(n, `attribute ${name} is not supported`);
}

/** Input i, which must be present. */
export function need(n: OnnxNode, inputs: Inputs, i: number, what: string): Value {
  const v = inputs[i];
  if (v === undefined) throw nodeError(n, `input ${i} (${what}) is required`);
  return v;
}

/** Input i as a floating-point tensor. */
export function floatInput(n: OnnxNode, inputs: Inputs, i: number, what: string): Tensor {
  const v = need(n, inputs, i, what);
  if (!isFloatType(v.type)) throw nodeError(n, `input ${i} (${what}) must be a floating-point tensor, got ${typeName(v.type)}`);
  return v.t;
}

/** The integers of an integer input (a shape, axes, indices), as a list. */
export function intsOf(n: OnnxNode, v: Value, what: string): number[] {
  if (!isIntType(v.type) && v.type !== DataType.BOOL) throw nodeError(n, `${what} must be an integer tensor, got ${typeName(v.type)}`);
  return Array.from(v.t.data);
}

/** An optional integer input as a list (undefined when left out). */
export function optionalInts(n: OnnxNode, inputs: Inputs, i: number, what: string): number[] | undefined {
  const v = inputs[i];
  return v === undefined ? undefined : intsOf(n, v, what);
}

/** Each of `values` a finite integer (not a saturated int64), or an error naming `what`. */
export function finiteInts(n: OnnxNode, values: readonly number[], what: string): number[] {
  const bad = values.findIndex((v) => !Number.isSafeInteger(v));
  if (bad >= 0) throw nodeError(n, `${what} must hold integers within ±2^53, got ${describe(values[bad])} at position ${bad}`);
  return values.slice();
}

/** An axis in [−rank, rank) made non-negative. */
export function axisIn(n: OnnxNode, axis: number, rank: number, what = 'axis'): number {
  if (!Number.isSafeInteger(axis) || axis < -rank || axis >= rank) throw nodeError(n, `${what} ${describe(axis)} is outside [${-rank}, ${rank - 1}] for a tensor of rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Distinct axes in [−rank, rank), made non-negative. */
export function axesIn(n: OnnxNode, axes: readonly number[], rank: number, what = 'axes'): number[] {
  const out = axes.map((a) => axisIn(n, a, rank, what));
  if (new Set(out).size !== out.length) throw nodeError(n, `${what} ${fmtShape(axes)} repeat an axis`);
  return out;
}
