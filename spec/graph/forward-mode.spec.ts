/**
 * jvp, linearize, jacfwd (and jacrev): forward mode as the VJP of a VJP. Checked against the
 * Jacobian of reverse mode (J·t in denominator layout is Σᵢ J[i, j] tᵢ) for every registry op, and
 * against float64 central differences on random compositions; nesting with grad in both orders.
 */
import fc from 'fast-check';
import {
  ArgumentError, GraphError, ShapeError, Tensor, add, exp, grad, jacfwd, jacobian, jacrev, jvp, linearize, matmul, mul, noGrad,
  numericDirectional, param, rng, randn, sin, sum, tanh, tensor, zeros, backward,
} from '../../index';
import { registry } from '../../ops';
import { callCase, evaluateGraph, gradcheck, opCase, opGraph, tensorOf } from '../../check';

/** J·t from reverse mode: Σᵢ Σₖ Jᵢ[k, j] tᵢ[k] over the inputs, Jᵢ = jacobian(f, i). */
function jacobianTimes(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], ts: readonly Tensor[]): Float64Array {
  const m = noGrad(() => f(...xs)).size;
  const out = new Float64Array(m);
  xs.forEach((_, i) => {
    const J = jacobian(f, i)(...xs).data;
    const t = ts[i]!.data;
    for (let k = 0; k < t.length; k++) for (let j = 0; j < m; j++) out[j] = out[j]! + J[k * m + j]! * t[k]!;
  });
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(a).toBeNaN();
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(tol * (1 + Math.abs(e)));
  }
}

/** Tangents of the inputs' shapes, standard normal. */
const tangentsFor = (xs: readonly Tensor[]) => fc.tuple(...xs.map((x) => tensorOf(x.shape, { min: -2, max: 2 })));

describe('jvp', () => {
  it('is the directional derivative: sin along t is cos(x) ⊙ t', () => {
    const [out, t] = jvp((x: Tensor) => sin(x), [tensor([0.1, -0.4, 2])], [tensor([1, 2, -3])]);
    expect(Array.from(out.data)).toEqual([Math.sin(0.1), Math.sin(-0.4), Math.sin(2)]);
    expectClose(t.data, [Math.cos(0.1), 2 * Math.cos(-0.4), -3 * Math.cos(2)], 1e-15);
  });

  it('sums over several primals: d(x ⊙ y) = t ⊙ y + x ⊙ s', () => {
    const [, t] = jvp((x: Tensor, y: Tensor) => mul(x, y), [tensor([2, 3]), tensor([5, 7])], [tensor([1, 0]), tensor([0, 1])]);
    expect(t.toArray()).toEqual([5, 3]);
  });

  it('checks tangents against the primals, naming jvp, the index and both shapes', () => {
    const f = (x: Tensor, y: Tensor) => mul(x, y);
    expect(() => jvp(f, [tensor([1, 2]), tensor([1, 2])], [tensor([1, 2]), tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(() => jvp(f, [tensor([1, 2]), tensor([1, 2])], [tensor([1, 2]), tensor([1, 2, 3])])).toThrow(/^jvp: tangents\[1\] has shape \[3\], expected the shape of primals\[1\], \[2\]$/);
    expect(() => jvp(f, [tensor([1, 2])], [])).toThrow(ArgumentError);
    expect(() => jvp(f, tensor([1]) as never, [])).toThrow(/^jvp: primals must be an array/);
    expect(() => jvp((() => 3) as never, [tensor(1)], [tensor(1)])).toThrow(GraphError);
  });

  it('takes f returning an array of tensors: one output and one tangent per entry', () => {
    const x = tensor([0.5, -1]);
    const t = tensor([2, 3]);
    const f = (z: Tensor) => [sin(z), sum(mul(z, z)), tensor([7])];
    const [outs, tangents] = jvp(f, [x], [t]);
    expect(outs.map((o) => o.shape)).toEqual([[2], [], [1]]);
    expectClose(tangents[0]!.data, [2 * Math.cos(0.5), 3 * Math.cos(-1)], 1e-15);
    expect(tangents[1]!.item()).toBeCloseTo(2 * (0.5 * 2 + -1 * 3), 14);
    expect(tangents[2]!.toArray()).toEqual([0]);
    const [louts, fJvp] = linearize(f, x);
    expect(louts).toHaveLength(3);
    expectClose(fJvp(t)[0]!.data, tangents[0]!.data, 0);
    expect(jvp((z: Tensor) => [mul(z, 2)], [x], [t])[1][0]!.toArray()).toEqual([4, 6]);
    expect(() => jvp((z: Tensor) => [z, 3] as never, [x], [t])).toThrow(/^jvp: f must return a tensor or an array of tensors, got 3 at index 1 of its array$/);
  });

  it('gives zeros when f does not depend on its primals, or only through a zero', () => {
    const [out, t] = jvp((_: Tensor) => tensor([1, 2, 3]), [tensor(1)], [tensor(1)]);
    expect(out.toArray()).toEqual([1, 2, 3]);
    expect(t.toArray()).toEqual([0, 0, 0]);
    expect(jvp((x: Tensor) => mul(x, 0), [zeros([2])], [tensor([1, 1])])[1].toArray()).toEqual([0, 0]);
  });

  it('works inside noGrad and leaves a constant', () => {
    const t = noGrad(() => jvp((x: Tensor) => mul(x, x), [tensor(3)], [tensor(1)])[1]);
    expect(t.item()).toBe(6);
    expect(t.requiresGrad).toBe(false);
  });

  it('matches central differences on a random composition (float64)', () => {
    const f = (x: Tensor, W: Tensor) => tanh(add(matmul(x, W), exp(mul(x, 0.1).sum())));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const r = rng(seed);
        const xs = [randn([2, 3], r), randn([3, 4], r)];
        const ts = [randn([2, 3], r), randn([3, 4], r)];
        const [, t] = jvp(f, xs, ts);
        const numeric = numericDirectional(f, xs, ts.map((x) => x.data), 1e-6);
        expectClose(t.data, numeric, 1e-7);
      }),
      { numRuns: 30 },
    );
  });

  it('matches central differences on random op graphs with shared sub-expressions (gradcheck fwd)', () => {
    fc.assert(
      fc.property(opGraph({ maxSteps: 10 }), (g) => {
        gradcheck((...xs: Tensor[]) => evaluateGraph(g, xs), g.inputs, { modes: ['rev', 'fwd'] });
      }),
      { numRuns: 60 },
    );
  });

  // Every registry op: jvp agrees with the reverse-mode Jacobian times the tangents.
  describe.each(registry.map((e) => [e.name, e] as const))('%s', (_, entry) => {
    it('jvp = J·t', () => {
      fc.assert(
        fc.property(
          opCase(entry.domain).chain((c) => fc.tuple(fc.constant(c), tangentsFor(c.inputs))),
          ([c, ts]) => {
            const f = callCase(entry, c);
            const [out, t] = jvp(f, c.inputs, ts);
            expect(t.shape).toEqual(out.shape);
            expectClose(t.data, jacobianTimes(f, c.inputs, ts), 1e-9);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});

describe('nesting', () => {
  const f = (x: Tensor) => sum(mul(tanh(x), exp(mul(x, 0.3))));

  it('jvp of grad is the Hessian times the tangent', () => {
    const x = tensor([0.3, -0.7, 1.1]);
    const v = tensor([1, -2, 0.5]);
    const [, hv] = jvp(grad(f), [x], [v]);
    const H = jacobian(grad(f))(x);
    const expected = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, j) => s + H.data[i * 3 + j]! * v.data[j]!, 0));
    expectClose(hv.data, expected, 1e-12);
  });

  it('grad of a jvp differentiates the directional derivative', () => {
    // d/dx Σ tanh′(x) ⊙ t = tanh″(x) ⊙ t
    const t = tensor([1, 2]);
    const g = grad((x: Tensor) => sum(jvp(tanh, [x], [t])[1]))(tensor([0.3, -0.5]));
    const d2 = (x: number) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2);
    expectClose(g.data, [d2(0.3), 2 * d2(-0.5)], 1e-12);
  });

  it('jvp of jvp is the second directional derivative', () => {
    // d²/ds² sin(x + s t) at 0 = −sin(x) t²
    const x = tensor([0.4, 1.3]);
    const t = tensor([2, -1]);
    const [, d2] = jvp((y: Tensor) => jvp(sin, [y], [t])[1], [x], [t]);
    expectClose(d2.data, [-Math.sin(0.4) * 4, -Math.sin(1.3)], 1e-12);
  });

  it('a tangent may be traced by an enclosing transform (jvp is linear in it)', () => {
    const x = tensor([0.2, 0.9]);
    const g = grad((t: Tensor) => sum(jvp(sin, [x], [t])[1]))(tensor([5, 6]));
    expectClose(g.data, [Math.cos(0.2), Math.cos(0.9)], 1e-15);
  });

  it('a closure over a traced tensor of an enclosing transform is differentiated too', () => {
    // d/da of jvp(x ↦ a·x², x, 1) = d/da 2ax = 2x
    const g = grad((a: Tensor) => jvp((x: Tensor) => mul(a, mul(x, x)), [tensor(3)], [tensor(1)])[1])(tensor(2));
    expect(g.item()).toBeCloseTo(6, 14);
  });

  it('leaves the graph of a recorded input usable for a later backward pass', () => {
    const w = param(tensor([0.5, 2]));
    const h = mul(w, w);
    jvp((y: Tensor) => mul(y, h), [tensor([1, 1])], [tensor([1, 1])]);
    expect(backward(sum(h)).get(w).toArray()).toEqual([1, 4]);
  });
});

describe('linearize', () => {
  it('runs f once and gives the jvp for any number of tangents', () => {
    let calls = 0;
    const f = (x: Tensor, y: Tensor) => {
      calls++;
      return sin(mul(x, y));
    };
    const xs = [tensor([0.5, -1]), tensor([2, 0.25])];
    const [out, fJvp] = linearize(f, ...xs);
    expect(calls).toBe(1);
    expect(out.toArray()).toEqual(sin(mul(xs[0]!, xs[1]!)).toArray());
    const r = rng(3);
    for (let k = 0; k < 4; k++) {
      const ts = [randn([2], r), randn([2], r)];
      expectClose(fJvp(...ts).data, jvp(f, xs, ts)[1].data, 1e-15);
    }
    expect(calls).toBe(1 + 4);
  });

  it('is linear in the tangents', () => {
    const [, fJvp] = linearize((x: Tensor) => exp(tanh(x)), tensor([0.1, 0.2, 0.3]));
    const a = tensor([1, 2, 3]);
    const b = tensor([-1, 0.5, 4]);
    expectClose(fJvp(add(mul(a, 2), b)).data, add(mul(fJvp(a), 2), fJvp(b)).data, 1e-14);
  });

  it('checks the tangents, naming linearize', () => {
    const [, fJvp] = linearize((x: Tensor) => mul(x, x), tensor([1, 2]));
    expect(() => fJvp(tensor([1]))).toThrow(/^linearize: tangents\[0\] has shape \[1\], expected the shape of primals\[0\], \[2\]$/);
    expect(() => fJvp()).toThrow(/^linearize: expected 1 tangent \(one per primal\), got 0$/);
  });
});

describe('jacfwd', () => {
  it('is in the layout of jacobian: [...x.shape, ...f(x).shape]', () => {
    const A = tensor([[1, 2, 3], [4, 5, 6]]);
    const J = jacfwd((x: Tensor) => matmul(A, x))(tensor([0.1, 0.2, 0.3]));
    expect(J.shape).toEqual([3, 2]);
    expect(J.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(jacfwd((x: Tensor) => mul(x, x))(tensor(3)).shape).toEqual([]);
  });

  it('equals jacobian (reverse mode) on random functions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const r = rng(seed);
        const W = randn([3, 2], r);
        const f = (x: Tensor, b: Tensor) => tanh(add(matmul(x, W), b));
        const x = randn([2, 3], r);
        const b = randn([2], r);
        for (const argnum of [0, 1]) {
          const Jf = jacfwd(f, argnum)(x, b);
          const Jr = jacrev(f, argnum)(x, b);
          expect(Jf.shape).toEqual(Jr.shape);
          expectClose(Jf.data, Jr.data, 1e-13);
        }
        const [J0, J1] = jacfwd(f, [0, 1])(x, b) as Tensor[];
        expectClose(J0!.data, jacobian(f, 0)(x, b).data, 1e-13);
        expectClose(J1!.data, jacobian(f, 1)(x, b).data, 1e-13);
      }),
      { numRuns: 10 },
    );
  });

  it('nests: jacfwd(grad(f)) and jacfwd(jacfwd(f)) are Hessians, grad of a jacfwd differentiates it', () => {
    const f = (x: Tensor) => sum(mul(sin(x), exp(x)));
    const x = tensor([0.3, -0.2]);
    expectClose(jacfwd(grad(f))(x).data, jacobian(grad(f))(x).data, 1e-13);
    const g = (y: Tensor) => sum(jacfwd((z: Tensor) => mul(z, mul(z, z)))(y)); // Σ diag(3z²)
    expectClose(grad(g)(tensor([1, 2])).data, [6, 12], 1e-13);
  });

  it('jacrev is jacobian', () => {
    expect(jacrev).toBe(jacobian);
  });

  it('refuses bad argnums', () => {
    expect(() => jacfwd((x: Tensor) => x, 'a' as never)).toThrow(/^jacfwd: argnums/);
    expect(() => jacfwd((x: Tensor) => x, 2)(tensor(1))).toThrow(/^jacfwd: argnums 2/);
  });
});

