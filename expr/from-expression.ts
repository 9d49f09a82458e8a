/**
 * Formulas as text: `fromExpression('sigmoid(W * x + b)')` is a function of the named tensors
 * W, x and b, built from deltagraph's ops, so every transform and `backward` differentiates it.
 * mathjs only parses the text; the meaning of each operator and function is deltagraph's own
 * (expr/compile.ts, expr/functions.ts, and the guide's section "Formulas as text").
 */
import { ArgumentError, Tensor, TensorLike, asTensor, describe, within } from '../lib';
import { compileFormula } from './compile';
import { MissingVariableError } from './errors';
import { parseFormula } from './parse';

/** The variables of a formula, by name: tensors, or anything `tensor()` accepts. */
export type Variables = Readonly<Record<string, TensorLike>>;

/** A formula made into a function of its variables. */
export interface ExpressionFunction {
  /**
   * The formula's value for the given variables, a tensor recorded like any op's result.
   * Names that the formula does not use are ignored.
   */
  (variables: Variables): Tensor;
  /** The formula's variables (its free symbols), in order of first appearance. */
  readonly symbols: readonly string[];
  /** The formula as written. */
  readonly text: string;
}

/**
 * Parses a formula written in mathjs's syntax into a function of named tensors built from
 * deltagraph's ops.
 *
 * - `+ -` (binary and unary), `.* ./ .^` are elementwise and broadcast;
 * - `*` and implicit multiplication are elementwise when an operand is a scalar (rank 0) and
 *   the matrix product (matmul) when both have rank ≥ 1;
 * - `/` divides by a scalar and `^` raises a scalar to a scalar power; `x'` and `transpose(x)`
 *   transpose a matrix (the last two axes) and leave scalars and vectors unchanged;
 * - the functions are exp log sqrt abs sin cos tanh sigmoid relu softplus leakyRelu(x, α?),
 *   sum mean max min logSumExp softmax logSoftmax (each with an optional axis counted from 1),
 *   norm(x, p?) with p = 1, 2 or "fro", maximum minimum, and the losses mseLoss crossEntropy
 *   binaryCrossEntropy bceWithLogits (with an optional reduction "mean", "sum" or "none");
 * - every other name is a variable.
 *
 * Errors: text that does not parse is an `ExpressionSyntaxError`, an unknown function an
 * `UnknownFunctionError` (both thrown here); a missing variable is a `MissingVariableError`,
 * and operands that do not fit an `ExpressionShapeError` naming the sub-expression and the
 * shapes (thrown by the call).
 *
 * @example
 * const layer = fromExpression('sigmoid(X * W + b)');
 * layer.symbols;                        // ['X', 'W', 'b']
 * const O = layer({ X, W, b });         // σ(XW + b), differentiable in X, W and b
 */
export function fromExpression(text: string): ExpressionFunction {
  if (typeof text !== 'string') throw new ArgumentError(`fromExpression: the formula must be a string, got ${describe(text)}`);
  const { evaluate, symbols } = within('fromExpression', null, () => compileFormula(text, parseFormula(text)));
  const names = Object.freeze([...symbols]);
  const op = `expression ${JSON.stringify(text.length > 200 ? `${text.slice(0, 199)}…` : text)}`;
  const f = (variables: Variables): Tensor => {
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables) || variables instanceof Tensor) {
      throw new ArgumentError(`${op}: expected an object of variables such as { ${names.join(', ')} }, got ${describe(variables)}`);
    }
    const env = new Map<string, Tensor>();
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(variables, name)) {
        const given = Object.keys(variables);
        throw new MissingVariableError(
          text,
          `the variable ${name} is missing; the formula's variables are ${names.join(', ')}, got ${given.length === 0 ? 'none' : given.join(', ')}`,
          name,
        );
      }
      env.set(name, asTensor(op, variables[name], `the variable ${name}`));
    }
    return evaluate(env);
  };
  return Object.assign(f, { symbols: names, text });
}
