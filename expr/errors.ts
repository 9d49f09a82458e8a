/**
 * The errors of formulas written as text. Each names the formula, and the symbol or the
 * sub-expression at fault, so that a mistake in a long formula can be found without a debugger.
 */
import { ArgumentError, DeltaGraphError, ShapeError, describe, fmtShape } from '../lib';

/** A formula as messages quote it: in full when short, cut otherwise. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 199)}…` : text);
}

function checkText(who: string, name: string, value: unknown): void {
  if (typeof value !== 'string') throw new ArgumentError(`${who}: ${name} must be a string, got ${describe(value)}`);
}

/** A formula that cannot be turned into ops, or evaluated on the given variables. */
export class ExpressionError extends DeltaGraphError {
  /** The whole formula, as given to `fromExpression`. */
  readonly expression: string;
  /** The function or variable name at fault, when there is one. */
  readonly symbol: string | undefined;

  constructor(expression: string, message: string, symbol?: string) {
    checkText(new.target.name, 'expression', expression);
    checkText(new.target.name, 'message', message);
    if (symbol !== undefined) checkText(new.target.name, 'symbol', symbol);
    super(`expression ${quoted(expression)}: ${message}`);
    this.expression = expression;
    this.symbol = symbol;
  }
}

/** Text that is not a formula: mathjs's parser rejects it (the message gives the character). */
export class ExpressionSyntaxError extends ExpressionError {}

/** A call of a function that formulas do not know, such as `foo(x)`; `symbol` is its name. */
export class UnknownFunctionError extends ExpressionError {}

/** A variable of the formula that is missing from the call; `symbol` is its name. */
export class MissingVariableError extends ExpressionError {}

/**
 * Operand shapes that do not fit in one sub-expression. A `ShapeError`, so code that catches
 * shape errors of the ops catches it too; the op's own error is the `cause`.
 */
export class ExpressionShapeError extends ShapeError {
  /** The whole formula, as given to `fromExpression`. */
  readonly expression: string;
  /** The sub-expression whose operands do not fit, as mathjs prints it. */
  readonly subExpression: string;
  /** The shapes of that sub-expression's tensor operands, in order. */
  readonly shapes: ReadonlyArray<readonly number[]>;

  constructor(expression: string, subExpression: string, shapes: ReadonlyArray<readonly number[]>, reason: string, cause?: unknown) {
    checkText('ExpressionShapeError', 'expression', expression);
    checkText('ExpressionShapeError', 'subExpression', subExpression);
    checkText('ExpressionShapeError', 'reason', reason);
    if (!Array.isArray(shapes) || !shapes.every((s) => Array.isArray(s) && s.every((d) => typeof d === 'number'))) {
      throw new ArgumentError(`ExpressionShapeError: shapes must be an array of shapes, got ${describe(shapes)}`);
    }
    const shown = shapes.map((s) => fmtShape(s)).join(' and ');
    super(`expression ${quoted(expression)}: ${JSON.stringify(subExpression)} on shapes ${shown}: ${reason}`);
    this.expression = expression;
    this.subExpression = subExpression;
    this.shapes = shapes.map((s) => [...s]);
    if (cause !== undefined) this.cause = cause;
  }
}
