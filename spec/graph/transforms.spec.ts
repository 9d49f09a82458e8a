/** grad, valueAndGrad, vjp, jacobian: results, layouts, argnums, nesting to higher order. */
import {
  GraphError, Tensor, add, exp, grad, jacobian, matmul, mul, sigmoid, sin, softmax, sum, tanh, tensor, valueAndGrad, vjp,
} from '../../index';

const scalarFn = (f: (x: Tensor) => Tensor) => (x: Tensor) => sum(f(x));

describe('grad', () => {
  it('differentiates a scalar function and keeps the argument shape', () => {
    const g = grad((x: Tensor) => sum(mul(x, x)))(tensor([[1, 2], [3, 4]]));
    expect(g.shape).toEqual([2, 2]);
    expect(Array.from(g.data)).toEqual([2, 4, 6, 8]);
  });

  it('takes argnums as a number or an array', () => {
    const f = (a: Tensor, b: Tensor) => sum(mul(a, b));
    expect(grad(f, 1)(tensor([2]), tensor([5])).item()).toBe(2);
    const [ga, gb] = grad(f, [0, 1])(tensor([2]), tensor([5]));
    expect([ga.item(), gb.item()]).toEqual([5, 2]);
  });

  it('refuses a non-scalar output, naming the shape', () => {
    expect(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow(GraphError);
    expect(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow(/\[2\]/);
  });

  it('returns zeros when f does not depend on its argument', () => {
    expect(grad((_: Tensor) => sum(tensor([1, 2])))(tensor([3, 4, 5])).toArray()).toEqual([0, 0, 0]);
  });

  it.each([
    ['tanh', tanh, (x: number) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ['sigmoid', sigmoid, (x: number) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s) * (1 - 2 * s); }],
    ['exp', exp, (x: number) => Math.exp(x)],
    ['sin', sin, (x: number) => -Math.sin(x)],
  ] as const)('grad(grad(f)) is the second derivative of %s', (_, op, d2) => {
    for (const x of [-1.3, 0, 0.4, 2.2]) {
      const second = grad(grad(scalarFn(op)))(tensor(x)).item();
      expect(second).toBeCloseTo(d2(x), 12);
    }
  });

  it('grad(grad(grad(f))) is the third derivative (tanh)', () => {
    const x = 0.35;
    const t = Math.tanh(x);
    const third = grad(grad(grad(scalarFn(tanh))))(tensor(x)).item();
    expect(third).toBeCloseTo(-2 * (1 - t * t) * (1 - 3 * t * t), 11);
  });
});

describe('valueAndGrad', () => {
  it('returns the value with the gradient', () => {
    const [value, g] = valueAndGrad((x: Tensor) => sum(mul(x, x)))(tensor([3]));
    expect(value.item()).toBe(9);
    expect(g.item()).toBe(6);
  });
});

describe('vjp', () => {
  it('pulls a cotangent back through f, as many times as asked', () => {
    const A = tensor([[1, 2], [3, 4], [5, 6]]);
    const [out, pullback] = vjp((x: Tensor) => matmul(A, x), tensor([1, 1]));
    expect(out.toArray()).toEqual([3, 7, 11]);
    expect(pullback(tensor([1, 0, 0]))[0]!.toArray()).toEqual([1, 2]);
    expect(pullback(tensor([0, 1, 1]))[0]!.toArray()).toEqual([8, 10]); // Aᵀv
  });

  it('rejects a cotangent of the wrong shape', () => {
    const [, pullback] = vjp((x: Tensor) => mul(x, 2), tensor([1, 2]));
    expect(() => pullback(tensor([1, 2, 3]))).toThrow(/\[2\]/);
  });
});

describe('jacobian', () => {
  it('is in denominator layout: shape [...x.shape, ...f(x).shape], J[i, j] = ∂f_j/∂x_i', () => {
    const A = tensor([[1, 2, 3], [4, 5, 6]]); // f(x) = A x: ∂f_j/∂x_i = A[j, i], so J = Aᵀ
    const J = jacobian((x: Tensor) => matmul(A, x))(tensor([0.1, 0.2, 0.3]));
    expect(J.shape).toEqual([3, 2]);
    expect(J.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('of a matrix function of a matrix has rank 4', () => {
    const J = jacobian((x: Tensor) => mul(x, 2))(tensor([[1, 2], [3, 4]]));
    expect(J.shape).toEqual([2, 2, 2, 2]);
    expect(J.data[0]).toBe(2);
    expect(J.data[1]).toBe(0);
  });

  it('of softmax is diag(s) − s sᵀ (symmetric)', () => {
    const x = [0.5, -1, 2];
    const J = jacobian((t: Tensor) => softmax(t))(tensor(x));
    const z = x.reduce((a, v) => a + Math.exp(v), 0);
    const s = x.map((v) => Math.exp(v) / z);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      expect(J.data[i * 3 + j]).toBeCloseTo((i === j ? s[i]! : 0) - s[i]! * s[j]!, 14);
    }
  });

  it('of a gradient is the Hessian', () => {
    // f(x) = x₀² x₁ + x₁³: H = [[2x₁, 2x₀], [2x₀, 6x₁]] = [[4, 2], [2, 12]] at (1, 2).
    const f = (x: Tensor) => {
      const x0 = sum(mul(x, tensor([1, 0])));
      const x1 = sum(mul(x, tensor([0, 1])));
      return add(mul(mul(x0, x0), x1), mul(mul(x1, x1), x1));
    };
    const H = jacobian(grad(f))(tensor([1, 2]));
    expect(H.shape).toEqual([2, 2]);
    expect(H.toArray()).toEqual([[4, 2], [2, 12]]);
  });
});

describe('nesting', () => {
  it('a transform inside another sees tensors its f closes over', () => {
    // d/dx [d/dy (x·y)] = d/dx x = 1
    const outer = grad((x: Tensor) => grad((y: Tensor) => sum(mul(x, y)))(tensor(3)));
    expect(outer(tensor(2)).item()).toBe(1);
  });

  it('jacobian inside grad is differentiable', () => {
    // f(x) = x³ elementwise: J = diag(3x²); Σ J = Σ 3xᵢ², whose gradient is 6x.
    const f = (x: Tensor) => mul(mul(x, x), x);
    const g = grad((x: Tensor) => sum(jacobian(f)(x)))(tensor([1, -2]));
    expect(g.toArray()).toEqual([6, -12]);
  });

  it('jacobian of jacobian is the tensor of second derivatives, shape [...x, ...x, ...f]', () => {
    const f = (x: Tensor) => sum(mul(mul(x, x), x)); // ∂²f/∂xᵢ∂xⱼ = 6xᵢ δᵢⱼ
    const H = jacobian(jacobian(f))(tensor([1, 2]));
    expect(H.shape).toEqual([2, 2]);
    expect(H.toArray()).toEqual([[6, 0], [0, 12]]);
  });
});
