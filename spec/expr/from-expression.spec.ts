/**
 * fromExpression: formulas written as text, turned into functions of named tensors built from ops.
 * Errors name the symbol, or the sub-expression and its shapes; matrix formulas follow the rule
 * for * (matmul between tensors of rank ≥ 1, elementwise with a scalar), transposes, reductions
 * with axes counted from 1, norms and losses. The oracle against mathjs's symbolic derivative is
 * mathjs-derivative.spec.ts; the Siena slides' XOR net is siena-xor.spec.ts.
 */
import { parse } from 'mathjs';
import {
  ArgumentError,
  DeltaGraphError,
  ExpressionError,
  ExpressionShapeError,
  ExpressionSyntaxError,
  MissingVariableError,
  ShapeError,
  Tensor,
  UnknownFunctionError,
  add,
  backward,
  crossEntropy,
  fromExpression,
  grad,
  logSoftmax,
  matmul,
  mT,
  mean,
  mul,
  param,
  randn,
  rng,
  tanh,
  tensor,
} from '../../index';
import { expectClose, thrown } from './helpers';

describe('fromExpression errors name the symbol, or the sub-expression and both shapes', () => {
  const W = tensor([[1, 2], [3, 4], [5, 6]]);

  it('an unknown function, when the formula is made', () => {
    const e = thrown(() => fromExpression('sigmoid(W * x) + swish(x)'));
    expect(e).toBeInstanceOf(UnknownFunctionError);
    expect(e).toBeInstanceOf(DeltaGraphError);
    expect((e as UnknownFunctionError).symbol).toBe('swish');
    expect(e.message).toContain('unknown function swish');
    expect(e.message).toContain('sigmoid(W * x) + swish(x)');
  });

  it('a missing variable, when the function is called', () => {
    const f = fromExpression('sigmoid(W * x + b)');
    const e = thrown(() => f({ W, x: [1, 1] }));
    expect(e).toBeInstanceOf(MissingVariableError);
    expect(e).toBeInstanceOf(ExpressionError);
    expect((e as MissingVariableError).symbol).toBe('b');
    expect(e.message).toContain('the variable b is missing');
    expect(e.message).toContain('W, x, b');
  });

  it('operands that do not fit: the sub-expression, both shapes, and the op error as the cause', () => {
    const f = fromExpression('sigmoid(W * x + b)');
    const e = thrown(() => f({ W, x: [1, 2, 3], b: [0, 0, 0] })) as ExpressionShapeError;
    expect(e).toBeInstanceOf(ExpressionShapeError);
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.subExpression).toBe('W * x');
    expect(e.shapes).toEqual([[3, 2], [3]]);
    expect(e.message).toContain('"W * x" on shapes [3, 2] and [3]');
    expect(e.cause).toBeInstanceOf(ShapeError);
    expect((e.cause as Error).message).toContain('matmul');
  });

  it('the innermost sub-expression whose operands do not fit is the one named', () => {
    const e = thrown(() => fromExpression('sigmoid(W * x + b)')({ W, x: [1, 1], b: [1, 2] })) as ExpressionShapeError;
    expect(e.subExpression).toBe('W * x + b');
    expect(e.shapes).toEqual([[3], [2]]);
  });

  it('/ by a tensor and ^ of a tensor point to ./ and .^', () => {
    const div = thrown(() => fromExpression('W / v')({ W, v: [1, 2] }));
    expect(div).toBeInstanceOf(ExpressionShapeError);
    expect(div.message).toContain('./');
    const pow = thrown(() => fromExpression('W ^ 2')({ W }));
    expect(pow).toBeInstanceOf(ExpressionShapeError);
    expect(pow.message).toContain('.^');
  });

  it('text that does not parse', () => {
    const e = thrown(() => fromExpression('sigmoid(W * x + b'));
    expect(e).toBeInstanceOf(ExpressionSyntaxError);
    expect(e.message).toContain('sigmoid(W * x + b');
    expect(thrown(() => fromExpression(''))).toBeInstanceOf(ExpressionError);
  });

  it('syntax mathjs knows but formulas do not, the wrong number of arguments, an option that is not a constant', () => {
    for (const text of ['a == b', 'x!', '[1, 2] * x', 'a = 2', 'x ? y : z', 'f(x)(y) + A[1]', '"text"']) {
      expect(thrown(() => fromExpression(text))).toBeInstanceOf(ExpressionError);
    }
    const arity = thrown(() => fromExpression('exp(x, y)'));
    expect((arity as ExpressionError).symbol).toBe('exp');
    expect(arity.message).toContain('got 2 arguments');
    const option = thrown(() => fromExpression('sum(X, k)'));
    expect((option as ExpressionError).symbol).toBe('sum');
    expect(option.message).toContain('constant axis');
    expect(thrown(() => fromExpression('sum(X, 0)')).message).toContain('counted from 1');
    expect(thrown(() => fromExpression('norm(x, 3)')).message).toContain('1, 2 or "fro"');
    expect(thrown(() => fromExpression('mseLoss(a, b, "avg")')).message).toContain('"mean", "sum" or "none"');
  });

  it('an axis out of range names the sub-expression, counting axes from 1', () => {
    const e = thrown(() => fromExpression('sum(W, 3)')({ W }));
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.message).toContain('"sum(W, 3)" on shapes [3, 2]');
    expect(e.message).toContain('expected 1 … 2');
  });

  it('a variable that is not a tensor, and a call without an object of variables', () => {
    const f = fromExpression('x + 1');
    const bad = thrown(() => f({ x: 'two' as unknown as number }));
    expect(bad).toBeInstanceOf(ArgumentError);
    expect(bad.message).toContain('the variable x');
    expect(thrown(() => f(tensor(1) as unknown as Record<string, Tensor>))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => fromExpression(42 as unknown as string))).toBeInstanceOf(ArgumentError);
  });

  it('the 2-norm of a matrix (an operator norm in mathjs) is refused, its Frobenius norm is not', () => {
    expect(thrown(() => fromExpression('norm(W)')({ W }))).toBeInstanceOf(ExpressionShapeError);
    expect(thrown(() => fromExpression('norm(W)^2')({ W }))).toBeInstanceOf(ExpressionShapeError);
    expect(fromExpression('norm(W, "fro")^2')({ W }).item()).toBe(1 + 4 + 9 + 16 + 25 + 36);
  });
});

describe('fromExpression on matrices', () => {
  const A = tensor([[1, 2], [3, 4]]);
  const B = tensor([[0, 1], [1, 0]]);
  const v = tensor([1, -1]);

  it('* is the matrix product between tensors of rank ≥ 1, elementwise with a scalar; .* is elementwise', () => {
    const f = fromExpression('A * B');
    expect(f({ A, B }).toArray()).toEqual([[2, 1], [4, 3]]);
    expect(fromExpression('A .* B')({ A, B }).toArray()).toEqual([[0, 2], [3, 0]]);
    expect(fromExpression('2 * A')({ A }).toArray()).toEqual([[2, 4], [6, 8]]);
    expect(fromExpression('A * s')({ A, s: 3 }).toArray()).toEqual([[3, 6], [9, 12]]);
    expect(fromExpression('A * v')({ A, v }).toArray()).toEqual([-1, -1]);
    expect(fromExpression('v * A')({ A, v }).toArray()).toEqual([-2, -2]);
    expect(fromExpression("v' * v")({ v }).item()).toBe(2);
  });

  it("x' and transpose(x): a matrix transposed, a vector unchanged, a batch of matrices transposed matrix by matrix", () => {
    expect(fromExpression("A'")({ A }).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(fromExpression('transpose(A)')({ A }).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(fromExpression("v'")({ v }).toArray()).toEqual([1, -1]);
    const T = tensor(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    const t = fromExpression("T'")({ T });
    expect(t.shape).toEqual([2, 4, 3]);
    expect(t.toArray()).toEqual(mT(T).toArray());
  });

  it('reductions take an axis counted from 1, as in mathjs; −1 is the last', () => {
    expect(fromExpression('sum(A, 1)')({ A }).toArray()).toEqual([4, 6]);
    expect(fromExpression('sum(A, 2)')({ A }).toArray()).toEqual([3, 7]);
    expect(fromExpression('sum(A, -1)')({ A }).toArray()).toEqual([3, 7]);
    expect(fromExpression('mean(A)')({ A }).item()).toBe(2.5);
    expect(fromExpression('max(A, 1)')({ A }).toArray()).toEqual([3, 4]);
    expect(fromExpression('min(A, 2)')({ A }).toArray()).toEqual([1, 3]);
    expect(parse('sum(A, 1)').evaluate({ A: A.toArray() })).toEqual([4, 6]);
  });

  it('softmax, logSoftmax and crossEntropy agree with the ops, values and gradients', () => {
    const Z = param(tensor([[1, 2, 3], [0, -1, 4]]));
    const Y = tensor([[0, 0, 1], [1, 0, 0]]);
    const text = fromExpression('crossEntropy(Z, Y)');
    expectClose(text({ Z, Y }), crossEntropy(Z, Y));
    expectClose(fromExpression('logSoftmax(Z, 2)')({ Z }), logSoftmax(Z, 1));
    expectClose(fromExpression('sum(softmax(Z), 2)')({ Z }), tensor([1, 1]));
    const gText = backward(text({ Z, Y })).get(Z);
    const gOps = backward(crossEntropy(Z, Y)).get(Z);
    expectClose(gText, gOps);
  });

  it('a layer and its gradients equal the layer built from ops', () => {
    const g = rng(3);
    const X = randn([5, 3], g);
    const W = param(randn([3, 2], g));
    const b = param(randn([2], g));
    const text = fromExpression('mean(tanh(X * W + b) .^ 2)');
    const ops = (): Tensor => {
      const t = tanh(add(matmul(X, W), b));
      return mean(mul(t, t));
    };
    const gText = backward(text({ X, W, b }));
    const gOps = backward(ops());
    expectClose(gText.get(W), gOps.get(W));
    expectClose(gText.get(b), gOps.get(b));
  });

  it('norm(x)^2 is Σ x², with gradient 2x even at x = 0 where norm itself has none', () => {
    const sq = fromExpression('norm(x)^2');
    expect((grad((x: Tensor) => sq({ x }))(tensor([0, 0, 0])) as Tensor).toArray()).toEqual([0, 0, 0]);
    expect((grad((x: Tensor) => sq({ x }))(tensor([1, -2, 3])) as Tensor).toArray()).toEqual([2, -4, 6]);
    expect(fromExpression('norm(x)')({ x: [3, 4] }).item()).toBe(5);
    expect(fromExpression('norm(x, 1)')({ x: [3, -4] }).item()).toBe(7);
    expect(fromExpression('norm(c)^2')({ c: [[3], [4]] }).item()).toBe(25);
  });

  it('norm(x) at the edges: gradient 0 at x = 0 (the subgradient, was NaN), no overflow at 1e300, no underflow at 5e-324', () => {
    const n = fromExpression('norm(x)');
    const g = (x: number[]) => Array.from((grad((t: Tensor) => n({ x: t }))(tensor(x)) as Tensor).data, (v) => v + 0);
    expect(g([0, 0, 0])).toEqual([0, 0, 0]);
    expect(g([-0, 0])).toEqual([0, 0]);
    expect(Array.from((grad((t: Tensor) => fromExpression('norm(X, "fro")')({ X: t }))(tensor([[0, 0], [0, 0]])) as Tensor).data, (v) => v + 0)).toEqual([0, 0, 0, 0]);
    expect(n({ x: [1e300, 1e300] }).item()).toBe(Math.SQRT2 * 1e300);
    for (const v of g([1e300, 1e300])) expect(Math.abs(v - Math.SQRT1_2)).toBeLessThanOrEqual(2 ** -52);
    expect(n({ x: [5e-324, 0] }).item()).toBe(5e-324);
    expect(g([5e-324, 0])).toEqual([1, 0]);
    expect(n({ x: [1e-170, -1e-170] }).item()).toBe(Math.SQRT2 * 1e-170);
    expect(n({ x: [3, 4] }).item()).toBe(5);
    expect(n({ x: [Infinity, 1] }).item()).toBe(Infinity);
    expect(fromExpression('norm(x, 1)')({ x: [1e308, 1e308] }).item()).toBe(Infinity);
    expect(Array.from((grad((t: Tensor) => fromExpression('norm(x, 1)')({ x: t }))(tensor([0, -2])) as Tensor).data, (v) => v + 0)).toEqual([0, -1]);
  });

  it('constants, unary operators, leakyRelu with a slope, maximum and minimum', () => {
    expect(fromExpression('-x + +x - 2 * -1')({ x: [1, 2] }).toArray()).toEqual([2, 2]);
    expect(fromExpression('leakyRelu(x, 0.5)')({ x: [-2, 2] }).toArray()).toEqual([-1, 2]);
    expect(fromExpression('leakyRelu(x, -(0.5))')({ x: [-2, 2] }).toArray()).toEqual([1, 2]);
    expect(fromExpression('maximum(x, 0) + minimum(x, 0)')({ x: [-2, 3] }).toArray()).toEqual([-2, 3]);
    expect(fromExpression('mseLoss(p, t, "sum")')({ p: [1, 2], t: [0, 0] }).item()).toBe(5);
  });

  it('variables: in order of first appearance, extra names ignored, any TensorLike accepted', () => {
    const f = fromExpression('b + W * x + b');
    expect(f.symbols).toEqual(['b', 'W', 'x']);
    expect(f.text).toBe('b + W * x + b');
    expect(f({ W: [[1, 0], [0, 1]], x: [2, 3], b: 1, unused: 7 }).toArray()).toEqual([4, 5]);
  });

  it('the result is recorded: backward reaches the variables through every op of the formula', () => {
    const x = param(tensor([0.5, -1]));
    const out = fromExpression('sum(exp(x) .* sin(x))')({ x });
    const g = backward(out).get(x);
    const expected = x.toArray() as number[];
    expected.forEach((t, i) => expect(g.data[i]).toBeCloseTo(Math.exp(t) * (Math.sin(t) + Math.cos(t)), 14));
  });
});
