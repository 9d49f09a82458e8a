/**
 * hessian and hvp: H against jacobian(grad(f)), against jacfwd(grad(f)) and against float64
 * central differences of grad; hvp against H·v; the Hessian of a small nn MLP's loss; nesting.
 */
import fc from 'fast-check';
import {
  ArgumentError, GraphError, MLP, ShapeError, Tensor, add, exp, grad, hessian, hvp, jacfwd, jacobian, jvp, log, matmul, mseLoss, mul,
  numericJacobian, randn, rng, sin, sum, tanh, tensor,
} from '../../index';
import { evaluateGraph, opGraph } from '../../check';

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
}

/** (H v)ᵢ = Σⱼ H[i, j] vⱼ for H of shape [...S, ...S] flattened. */
function times(H: Tensor, v: Tensor): Float64Array {
  const n = v.size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i] = out[i]! + H.data[i * n + j]! * v.data[j]!;
  return out;
}

/** Random smooth scalar functions of x (shape [2, 2]) and y (shape [3]), with a matrix W drawn once. */
const functions = (seed: number) => {
  const W = randn([2, 3], rng(seed));
  return [
    (x: Tensor, y: Tensor) => sum(mul(tanh(matmul(x, W)), y)),
    (x: Tensor, y: Tensor) => sum(exp(mul(sin(x), 0.5))).add(sum(mul(y, y)).mul(sum(x))),
    (x: Tensor, y: Tensor) => log(add(sum(mul(matmul(x, W), matmul(x, W))), 1)).mul(sum(tanh(y))),
  ];
};

describe('hessian', () => {
  it('has shape [...x.shape, ...x.shape] and the analytic values', () => {
    // f = Σ xᵢ³ + x₀x₁: H = diag(6x) + the off-diagonal 1s
    const H = hessian((x: Tensor) => sum(mul(mul(x, x), x)).add(mul(x.take([0]), x.take([1])).sum()))(tensor([1, 2]));
    expect(H.shape).toEqual([2, 2]);
    expectClose(H.data, [6, 1, 1, 12], 1e-14);
    expect(hessian((x: Tensor) => sum(mul(x, x)))(tensor([[1, 2], [3, 4]])).shape).toEqual([2, 2, 2, 2]);
    expect(hessian((x: Tensor) => mul(x, mul(x, x)))(tensor(2)).item()).toBeCloseTo(12, 14);
  });

  it('equals jacobian(grad(f)) and jacfwd(grad(f)), and central differences of grad, for every argument', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 2 }), (seed, k) => {
        const r = rng(seed + 1);
        const f = functions(seed)[k]!;
        const args = [randn([2, 2], r), randn([3], r)];
        for (const argnum of [0, 1]) {
          const H = hessian(f, argnum)(...args);
          const n = args[argnum]!.size;
          expect(H.shape).toEqual([...args[argnum]!.shape, ...args[argnum]!.shape]);
          expectClose(H.data, jacobian(grad(f, argnum), argnum)(...args).data, 1e-13);
          expectClose(H.data, jacfwd(grad(f, argnum), argnum)(...args).data, 1e-12);
          const numeric = numericJacobian((...xs: Tensor[]) => grad(f, argnum)(...xs), args, argnum, 1e-6);
          expectClose(H.data, numeric, 1e-6);
          // Symmetric, as a Hessian of a smooth function is.
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(Math.abs(H.data[i * n + j]! - H.data[j * n + i]!)).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('of random op graphs: against central differences of grad, and hvp against H·v', () => {
    fc.assert(
      fc.property(opGraph({ maxSteps: 8 }), fc.integer({ min: 0, max: 1e6 }), (g, seed) => {
        const f = (...xs: Tensor[]) => evaluateGraph(g, xs);
        const r = rng(seed);
        const vs = g.inputs.map((x) => randn(x.shape, r));
        const products = hvp(f, g.inputs, vs);
        g.inputs.forEach((x, i) => {
          const H = hessian(f, i)(...g.inputs);
          expectClose(H.data, numericJacobian((...xs: Tensor[]) => grad(f, i)(...xs), g.inputs, i, 1e-6), 1e-6);
          // (Hv)ᵢ = Σⱼ Hᵢⱼ vⱼ, with the blocks Hᵢⱼ = jacobian(grad(f, j), i).
          const expected = new Float64Array(x.size);
          g.inputs.forEach((y, j) => {
            const Hij = jacobian(grad(f, j), i)(...g.inputs).data;
            for (let a = 0; a < x.size; a++) for (let b = 0; b < y.size; b++) expected[a] = expected[a]! + Hij[a * y.size + b]! * vs[j]!.data[b]!;
          });
          expectClose(products[i]!.data, expected, 1e-10);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('with an array of argnums: every block ∂²f/∂x_a∂x_b, shaped [...x_a.shape, ...x_b.shape]', () => {
    const f = functions(4)[0]!;
    const r = rng(8);
    const args = [randn([2, 2], r), randn([3], r)];
    const H = hessian(f, [0, 1])(...args);
    expect(H.map((row) => row.map((b) => b.shape))).toEqual([[[2, 2, 2, 2], [2, 2, 3]], [[3, 2, 2], [3, 3]]]);
    for (const a of [0, 1]) for (const b of [0, 1]) expectClose(H[a]![b]!.data, jacobian(grad(f, b), a)(...args).data, 1e-14);
    // H[0][1] and H[1][0] are each other's transpose.
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) expect(Math.abs(H[0]![1]!.data[i * 3 + j]! - H[1]![0]!.data[j * 4 + i]!)).toBeLessThan(1e-12);
    expectClose(H[1]![1]!.data, hessian(f, 1)(...args).data, 0);
  });

  it('of a small MLP loss (nn MLP, tanh) with respect to its inputs, against central differences of grad', () => {
    const mlp = new MLP({ layers: [3, 4, 2], hidden: 'tanh', seed: 7 });
    const y = tensor([[0.5, -1], [1, 0.25]]);
    const loss = (x: Tensor) => mseLoss(mlp.forward(x), y);
    const x = randn([2, 3], rng(11));
    const H = hessian(loss)(x);
    expect(H.shape).toEqual([2, 3, 2, 3]);
    expectClose(H.data, numericJacobian((z: Tensor) => grad(loss)(z), [x], 0, 1e-6), 1e-6);
    const v = randn([2, 3], rng(12));
    expectClose(hvp(loss, [x], [v])[0]!.data, times(H, v), 1e-12);
  });

  it('nests: grad of a function of the Hessian (third derivatives)', () => {
    // f = Σ x⁴: H = diag(12x²), Σ H = 12 Σ x², its gradient 24x
    const g = grad((x: Tensor) => sum(hessian((z: Tensor) => sum(mul(mul(z, z), mul(z, z))))(x)))(tensor([1, -2]));
    expectClose(g.data, [24, -48], 1e-13);
  });

  it('refuses a non-scalar f and a bad argnum, naming hessian', () => {
    expect(() => hessian((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow(GraphError);
    expect(() => hessian((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow(/^hessian: /);
    expect(() => hessian((x: Tensor) => x, 'x' as never)).toThrow(ArgumentError);
    expect(() => hessian((x: Tensor) => x, 'x' as never)).toThrow(/^hessian: argnums must be/);
    expect(() => hessian((x: Tensor) => sum(x), 3)(tensor(1))).toThrow(/^hessian: argnums 3 is not the index of one of the 1 arguments/);
  });
});

describe('hvp', () => {
  it('is H·v over all primals as one block matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 2 }), (seed, k) => {
        const r = rng(seed + 5);
        const f = functions(seed)[k]!;
        const x = randn([2, 2], r);
        const y = randn([3], r);
        const vx = randn([2, 2], r);
        const vy = randn([3], r);
        const [hx, hy] = hvp(f, [x, y], [vx, vy]);
        expect(hx!.shape).toEqual([2, 2]);
        expect(hy!.shape).toEqual([3]);
        // Block rows: (Hv)ₓ = Hₓₓ vₓ + Hₓᵧ vᵧ, where Hₓᵧ = jacobian(grad(f, 1), 0).
        const Hxx = hessian(f, 0)(x, y);
        const Hyy = hessian(f, 1)(x, y);
        const Hxy = jacobian(grad(f, 1), 0)(x, y); // [2, 2, 3]: ∂(∂f/∂y_j)/∂x_i
        const ex = times(Hxx, vx);
        const ey = times(Hyy, vy);
        for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) {
          ex[i] = ex[i]! + Hxy.data[i * 3 + j]! * vy.data[j]!;
          ey[j] = ey[j]! + Hxy.data[i * 3 + j]! * vx.data[i]!;
        }
        expectClose(hx!.data, ex, 1e-12);
        expectClose(hy!.data, ey, 1e-12);
      }),
      { numRuns: 20 },
    );
  });

  it('equals forward over reverse, jvp(grad(f))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 2 }), (seed, k) => {
        const r = rng(seed + 9);
        const f = functions(seed)[k]!;
        const xs = [randn([2, 2], r), randn([3], r)];
        const vs = [randn([2, 2], r), randn([3], r)];
        const [, forward] = jvp(grad(f, [0, 1]) as (...ys: Tensor[]) => Tensor[], xs, vs);
        hvp(f, xs, vs).forEach((h, i) => expectClose(h.data, forward[i]!.data, 1e-12));
      }),
      { numRuns: 20 },
    );
  });

  it('checks the vectors against the primals, naming hvp, the index and both shapes', () => {
    const f = (x: Tensor) => sum(mul(x, x));
    expect(() => hvp(f, [tensor([1, 2])], [tensor([1])])).toThrow(ShapeError);
    expect(() => hvp(f, [tensor([1, 2])], [tensor([1])])).toThrow(/^hvp: vectors\[0\] has shape \[1\], expected the shape of primals\[0\], \[2\]$/);
    expect(() => hvp(f, [tensor([1, 2])], [])).toThrow(/^hvp: expected 1 vector/);
    expect(() => hvp((x: Tensor) => x, [tensor([1, 2])], [tensor([1, 2])])).toThrow(GraphError);
  });

  it('gives zeros for a function linear in its primals, and nests under grad', () => {
    expect(hvp((x: Tensor) => sum(mul(x, 3)), [tensor([1, 2])], [tensor([1, 1])])[0]!.toArray()).toEqual([0, 0]);
    // f = Σ x³ / 6: H v = x ⊙ v; Σ H v = ⟨x, v⟩ has gradient v with respect to x
    const v = tensor([2, -3]);
    const g = grad((x: Tensor) => sum(hvp((z: Tensor) => sum(mul(mul(z, z), z)).div(6), [x], [v])[0]!))(tensor([0.5, 4]));
    expectClose(g.data, [2, -3], 1e-14);
  });
});
