export { fromExpression } from './from-expression';
export type { ExpressionFunction, Variables } from './from-expression';
export { ExpressionError, ExpressionShapeError, ExpressionSyntaxError, MissingVariableError, UnknownFunctionError } from './errors';
