/**
 * From a mathjs syntax tree to a function of named tensors built from deltagraph's ops. The tree
 * is walked once, when the formula is made; each call then runs a tree of closures.
 *
 * The meaning of the operators (see docs/guide.md, "Formulas as text"):
 * - `+`, `-`, `.*`, `./`, `.^` are elementwise with NumPy broadcasting;
 * - `a * b` (and implicit multiplication `2 x`) is elementwise when either operand is a scalar
 *   (rank 0), and the matrix product `matmul` when both have rank ≥ 1, as in mathjs;
 * - `a / b` divides by a scalar `b`; `a ^ b` raises a scalar to a scalar power. mathjs gives both a
 *   matrix meaning (a multiplication by an inverse, a matrix power) that deltagraph does not
 *   compute, so a non-scalar there is a shape error that points to `./` and `.^`;
 * - `x'` is `transpose(x)`.
 */
import type { FunctionNode, MathNode, OperatorNode, SymbolNode } from 'mathjs' with { 'resolution-mode': 'import' };
import { DeltaGraphError, ShapeError, Tensor, fmtShape, tensor } from '../lib';
import { add, div, matmul, mul, neg, pow, sub } from '../ops';
import { ExpressionError, ExpressionShapeError, UnknownFunctionError } from './errors';
import { Constant, ConstantKind, FUNCTIONS, normSquared, transposeOf } from './functions';

/** The values of the formula's variables, by name; every symbol of the formula is present. */
export type Environment = ReadonlyMap<string, Tensor>;

/** One compiled sub-formula. */
export type Evaluator = (env: Environment) => Tensor;

/** A compiled formula: its evaluator and its variables in order of first appearance. */
export interface CompiledFormula {
  readonly evaluate: Evaluator;
  readonly symbols: readonly string[];
}

/** a * b: elementwise with a scalar, the matrix product between two tensors of rank ≥ 1. */
export function multiply(a: Tensor, b: Tensor): Tensor {
  return a.rank === 0 || b.rank === 0 ? mul(a, b) : matmul(a, b);
}

/** a / b for a scalar b. */
export function divide(a: Tensor, b: Tensor): Tensor {
  if (b.rank !== 0) {
    throw new ShapeError(
      `/ divides by a scalar, but the divisor has shape ${fmtShape(b.shape)} (mathjs would multiply by its inverse matrix); use ./ to divide elementwise`,
    );
  }
  return div(a, b);
}

/** a ^ b for scalars a and b. */
export function power(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 0 || b.rank !== 0) {
    throw new ShapeError('^ raises a scalar to a scalar power (mathjs reads A ^ n as a matrix power); use .^ for an elementwise power');
  }
  return pow(a, b);
}

const BINARY: Readonly<Record<string, (a: Tensor, b: Tensor) => Tensor>> = {
  add,
  subtract: sub,
  multiply,
  divide,
  pow: power,
  dotMultiply: mul,
  dotDivide: div,
  dotPow: pow,
};

const UNARY: Readonly<Record<string, (a: Tensor) => Tensor>> = {
  unaryMinus: neg,
  ctranspose: transposeOf,
  transpose: transposeOf,
};

const SUPPORTED = 'numbers, variables, ( ), + - * / ^ .* ./ .^, the transpose \' and calls of known functions';

function unwrap(node: MathNode): MathNode {
  let n = node;
  while (n.type === 'ParenthesisNode') n = (n as MathNode & { content: MathNode }).content;
  return n;
}

function describeOptions(name: string, tensors: number, constants: readonly ConstantKind[]): string {
  const t = tensors === 1 ? 'one tensor' : `${tensors} tensors`;
  return constants.length === 0 ? `${name} takes ${t}` : `${name} takes ${t} and optionally ${constants.map((k) => `a ${k === 'norm' ? 'norm kind' : k}`).join(', ')}`;
}

class Compiler {
  readonly symbols: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly text: string) {}

  compile(node: MathNode): Evaluator {
    switch (node.type) {
      case 'ConstantNode': {
        const value = (node as MathNode & { value: unknown }).value;
        if (typeof value !== 'number') {
          throw new ExpressionError(this.text, `the constant ${node.toString()} is not a number; strings are options of functions only (norm, the losses)`);
        }
        const t = tensor(value);
        return () => t;
      }
      case 'SymbolNode': {
        const name = (node as SymbolNode).name;
        if (!this.seen.has(name)) {
          this.seen.add(name);
          this.symbols.push(name);
        }
        return (env) => env.get(name)!;
      }
      case 'ParenthesisNode':
        return this.compile(unwrap(node));
      case 'OperatorNode':
        return this.operator(node as OperatorNode<never, never>);
      case 'FunctionNode':
        return this.call(node as FunctionNode);
      default:
        throw new ExpressionError(this.text, `${JSON.stringify(node.toString())} (a mathjs ${node.type}) is not supported; formulas are made of ${SUPPORTED}`);
    }
  }

  /** Runs one op on evaluated operands; an op's error is rethrown naming this sub-expression. */
  private guarded(node: MathNode, operands: readonly Tensor[], f: () => Tensor): Tensor {
    try {
      return f();
    } catch (e) {
      if (e instanceof ExpressionError || e instanceof ExpressionShapeError || !(e instanceof DeltaGraphError)) throw e;
      const sub = node.toString();
      const shapes = operands.map((t) => t.shape);
      if (e instanceof ShapeError) throw new ExpressionShapeError(this.text, sub, shapes, e.message, e);
      const error = new ExpressionError(this.text, `${JSON.stringify(sub)} on shapes ${shapes.map((s) => fmtShape(s)).join(' and ')}: ${e.message}`);
      error.cause = e;
      throw error;
    }
  }

  private operator(node: OperatorNode<never, never>): Evaluator {
    const fn: string = node.fn;
    const args = node.args;
    if (args.length === 2 && (fn === 'pow' || fn === 'dotPow')) {
      const squared = this.normSquared(node, args[0]!, args[1]!);
      if (squared !== undefined) return squared;
    }
    if (args.length === 2 && Object.prototype.hasOwnProperty.call(BINARY, fn)) {
      const f = BINARY[fn]!;
      const a = this.compile(args[0]!);
      const b = this.compile(args[1]!);
      return (env) => {
        const x = a(env);
        const y = b(env);
        return this.guarded(node, [x, y], () => f(x, y));
      };
    }
    if (args.length === 1 && fn === 'unaryPlus') return this.compile(args[0]!);
    if (args.length === 1 && Object.prototype.hasOwnProperty.call(UNARY, fn)) {
      const f = UNARY[fn]!;
      const a = this.compile(args[0]!);
      return (env) => {
        const x = a(env);
        return this.guarded(node, [x], () => f(x));
      };
    }
    throw new ExpressionError(this.text, `the operator ${node.op} in ${JSON.stringify(node.toString())} is not supported; formulas are made of ${SUPPORTED}`);
  }

  /** norm(x)^2 (with p = 2 or "fro") as Σ x², exact and differentiable at x = 0. */
  private normSquared(node: MathNode, base: MathNode, exponent: MathNode): Evaluator | undefined {
    const b = unwrap(base);
    const e = unwrap(exponent);
    if (b.type !== 'FunctionNode' || e.type !== 'ConstantNode' || (e as MathNode & { value: unknown }).value !== 2) return undefined;
    const call = b as FunctionNode;
    if (call.fn.type !== 'SymbolNode' || call.fn.name !== 'norm' || call.args.length < 1 || call.args.length > 2) return undefined;
    const p = call.args.length === 2 ? this.constant('norm', 'norm', call.args[1]!) : 2;
    if (p === 1) return undefined;
    const x = this.compile(call.args[0]!);
    return (env) => {
      const v = x(env);
      return this.guarded(node, [v], () => normSquared(v, p));
    };
  }

  private call(node: FunctionNode): Evaluator {
    if (node.fn.type !== 'SymbolNode') {
      throw new ExpressionError(this.text, `${JSON.stringify(node.toString())} calls something that is not a function name; formulas are made of ${SUPPORTED}`);
    }
    const name = node.fn.name;
    const spec = FUNCTIONS.get(name);
    if (spec === undefined) {
      throw new UnknownFunctionError(
        this.text,
        `unknown function ${name} (a name followed by "(" is a call; write ${name} * (…) for a product); the functions are ${[...FUNCTIONS.keys()].join(', ')}`,
        name,
      );
    }
    const n = node.args.length;
    if (n < spec.tensors || n > spec.tensors + spec.constants.length) {
      throw new ExpressionError(
        this.text,
        `${JSON.stringify(node.toString())}: ${describeOptions(name, spec.tensors, spec.constants)}, got ${n} argument${n === 1 ? '' : 's'}`,
        name,
      );
    }
    const tensors = node.args.slice(0, spec.tensors).map((a) => this.compile(a));
    const options = node.args.slice(spec.tensors).map((a, i) => this.constant(name, spec.constants[i]!, a));
    return (env) => {
      const xs = tensors.map((t) => t(env));
      return this.guarded(node, xs, () => spec.apply(xs, options));
    };
  }

  /** A constant option of a function, checked when the formula is made. */
  private constant(fname: string, kind: ConstantKind, node: MathNode): Constant {
    let n = unwrap(node);
    let sign = 1;
    while (n.type === 'OperatorNode' && (n as OperatorNode<never, never>).args.length === 1) {
      const op: string = (n as OperatorNode<never, never>).fn;
      if (op === 'unaryMinus') sign = -sign;
      else if (op !== 'unaryPlus') break;
      n = unwrap((n as OperatorNode<never, never>).args[0]!);
    }
    const raw = n.type === 'ConstantNode' ? (n as MathNode & { value: unknown }).value : undefined;
    const value = typeof raw === 'number' ? sign * raw : sign === 1 ? raw : undefined;
    const bad = (expected: string): never => {
      throw new ExpressionError(this.text, `the option ${JSON.stringify(node.toString())} of ${fname} must be ${expected}`, fname);
    };
    switch (kind) {
      case 'axis':
        if (typeof value !== 'number' || !Number.isInteger(value) || value === 0) {
          bad('a constant axis, counted from 1 as in mathjs (−1 is the last axis)');
        }
        return value as number;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) bad('a constant finite number');
        return value as number;
      case 'norm':
        if (value !== 1 && value !== 2 && value !== 'fro') bad('1, 2 or "fro"');
        return value as Constant;
      case 'reduction':
        if (value !== 'mean' && value !== 'sum' && value !== 'none') bad('"mean", "sum" or "none"');
        return value as Constant;
    }
  }
}

/** Compiles a parsed formula; `text` is the formula as written, for error messages. */
export function compileFormula(text: string, root: MathNode): CompiledFormula {
  const compiler = new Compiler(text);
  const evaluate = compiler.compile(root);
  return { evaluate, symbols: compiler.symbols };
}
