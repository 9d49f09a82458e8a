/**
 * From a mathjs syntax tree to a function of named tensors built from deltagraph's ops. The tree
 * is walked once, when the formula is made, into a list of steps (children first); each call
 * then runs the steps in a loop. Neither walk recurses, so the depth of a formula is not bounded
 * by the call stack.
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

/**
 * One step of a compiled formula: a value computed from the values of earlier steps (`args` are
 * their indices). Formulas are compiled to a list of steps and run by a loop, so neither
 * compiling nor evaluating recurses: a sum of 100,000 terms is as safe as a short one.
 */
interface Step {
  readonly args: readonly number[];
  run(args: readonly Tensor[], env: Environment): Tensor;
}

/** How to compile one node: the sub-formulas it computes on, and the step it makes of their steps. */
interface Plan {
  readonly children: readonly MathNode[];
  build(args: readonly number[]): Step;
}

/** A sub-expression as mathjs prints it, cut short; a tree too deep to print is described instead. */
function nodeText(node: MathNode): string {
  let text: string;
  try {
    text = node.toString();
  } catch {
    text = `(a ${node.type} too deeply nested to print)`;
  }
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

class Compiler {
  readonly symbols: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly text: string) {}

  /** The steps of a formula, children before parents, the root's step last. */
  compile(root: MathNode): Step[] {
    const steps: Step[] = [];
    // Depth-first, children left to right (so symbols are listed in order of first appearance).
    const stack: Array<{ plan: Plan; args: number[] }> = [{ plan: this.plan(root), args: [] }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.args.length < top.plan.children.length) {
        stack.push({ plan: this.plan(top.plan.children[top.args.length]!), args: [] });
        continue;
      }
      stack.pop();
      steps.push(top.plan.build(top.args));
      stack[stack.length - 1]?.args.push(steps.length - 1);
    }
    return steps;
  }

  private plan(node: MathNode): Plan {
    switch (node.type) {
      case 'ConstantNode': {
        const value = (node as MathNode & { value: unknown }).value;
        if (typeof value !== 'number') {
          throw new ExpressionError(this.text, `the constant ${nodeText(node)} is not a number; strings are options of functions only (norm, the losses)`);
        }
        const t = tensor(value);
        return leaf(() => t);
      }
      case 'SymbolNode': {
        const name = (node as SymbolNode).name;
        if (!this.seen.has(name)) {
          this.seen.add(name);
          this.symbols.push(name);
        }
        return leaf((env) => env.get(name)!);
      }
      case 'ParenthesisNode':
        return this.plan(unwrap(node));
      case 'OperatorNode':
        return this.operator(node as OperatorNode<never, never>);
      case 'FunctionNode':
        return this.call(node as FunctionNode);
      default:
        throw new ExpressionError(this.text, `${JSON.stringify(nodeText(node))} (a mathjs ${node.type}) is not supported; formulas are made of ${SUPPORTED}`);
    }
  }

  /** A step running one op on its operands; an op's error is rethrown naming this sub-expression. */
  private guarded(node: MathNode, args: readonly number[], f: (xs: readonly Tensor[]) => Tensor): Step {
    return { args, run: (xs) => this.guard(node, xs, () => f(xs)) };
  }

  private guard(node: MathNode, operands: readonly Tensor[], f: () => Tensor): Tensor {
    try {
      return f();
    } catch (e) {
      if (e instanceof ExpressionError || e instanceof ExpressionShapeError || !(e instanceof DeltaGraphError)) throw e;
      const sub = nodeText(node);
      const shapes = operands.map((t) => t.shape);
      if (e instanceof ShapeError) throw new ExpressionShapeError(this.text, sub, shapes, e.message, e);
      const error = new ExpressionError(this.text, `${JSON.stringify(sub)} on shapes ${shapes.map((s) => fmtShape(s)).join(' and ')}: ${e.message}`);
      error.cause = e;
      throw error;
    }
  }

  private operator(node: OperatorNode<never, never>): Plan {
    const fn: string = node.fn;
    const args = node.args;
    if (args.length === 2 && (fn === 'pow' || fn === 'dotPow')) {
      const squared = this.normSquared(node, args[0]!, args[1]!);
      if (squared !== undefined) return squared;
    }
    if (args.length === 2 && Object.prototype.hasOwnProperty.call(BINARY, fn)) {
      const f = BINARY[fn]!;
      return { children: args, build: (ix) => this.guarded(node, ix, (xs) => f(xs[0]!, xs[1]!)) };
    }
    if (args.length === 1 && fn === 'unaryPlus') return { children: args, build: (ix) => ({ args: ix, run: (xs) => xs[0]! }) };
    if (args.length === 1 && Object.prototype.hasOwnProperty.call(UNARY, fn)) {
      const f = UNARY[fn]!;
      return { children: args, build: (ix) => this.guarded(node, ix, (xs) => f(xs[0]!)) };
    }
    throw new ExpressionError(this.text, `the operator ${node.op} in ${JSON.stringify(nodeText(node))} is not supported; formulas are made of ${SUPPORTED}`);
  }

  /** norm(x)^2 (with p = 2 or "fro") as Σ x², exact and differentiable at x = 0. */
  private normSquared(node: MathNode, base: MathNode, exponent: MathNode): Plan | undefined {
    const b = unwrap(base);
    const e = unwrap(exponent);
    if (b.type !== 'FunctionNode' || e.type !== 'ConstantNode' || (e as MathNode & { value: unknown }).value !== 2) return undefined;
    const call = b as FunctionNode;
    if (call.fn.type !== 'SymbolNode' || call.fn.name !== 'norm' || call.args.length < 1 || call.args.length > 2) return undefined;
    const p = call.args.length === 2 ? this.constant('norm', 'norm', call.args[1]!) : 2;
    if (p === 1) return undefined;
    return { children: [call.args[0]!], build: (ix) => this.guarded(node, ix, (xs) => normSquared(xs[0]!, p)) };
  }

  private call(node: FunctionNode): Plan {
    if (node.fn.type !== 'SymbolNode') {
      throw new ExpressionError(this.text, `${JSON.stringify(nodeText(node))} calls something that is not a function name; formulas are made of ${SUPPORTED}`);
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
        `${JSON.stringify(nodeText(node))}: ${describeOptions(name, spec.tensors, spec.constants)}, got ${n} argument${n === 1 ? '' : 's'}`,
        name,
      );
    }
    return {
      children: node.args.slice(0, spec.tensors),
      build: (ix) => {
        const options = node.args.slice(spec.tensors).map((a, i) => this.constant(name, spec.constants[i]!, a));
        return this.guarded(node, ix, (xs) => spec.apply(xs, options));
      },
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
      throw new ExpressionError(this.text, `the option ${JSON.stringify(nodeText(node))} of ${fname} must be ${expected}`, fname);
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

/** A node without sub-formulas: a constant or a variable. */
function leaf(run: (env: Environment) => Tensor): Plan {
  return { children: [], build: (args) => ({ args, run: (_, env) => run(env) }) };
}

/** Compiles a parsed formula; `text` is the formula as written, for error messages. */
export function compileFormula(text: string, root: MathNode): CompiledFormula {
  const compiler = new Compiler(text);
  const steps = compiler.compile(root);
  const evaluate: Evaluator = (env) => {
    const values: Tensor[] = new Array(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      values[i] = step.run(step.args.map((j) => values[j]!), env);
    }
    return values[steps.length - 1]!;
  };
  return { evaluate, symbols: compiler.symbols };
}
