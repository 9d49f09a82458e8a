/**
 * customVjp: the straight-through estimator and the gradient-clipping identity, a custom rule
 * differentiated again (grad of grad, jvp, hessian) against central differences, and the checks
 * of what a rule returns.
 */
import fc from 'fast-check';
import {
  GraphError, ShapeError, Tensor, add, backward, clamp, customVjp, exp, grad, hessian, jvp, log, mul, nodeOf, numericJacobian,
  param, sigmoid, sum, tanh, tensor, vjp,
} from '../../index';
import { tensorOf } from '../../check';

/** round(x) forward, the identity backward: the straight-through estimator. */
const roundSte = customVjp(
  function roundSte(x: Tensor) {
    return new Tensor(x.data.map(Math.round), x.shape);
  },
  (g) => [g],
);

/** The identity forward; its gradient clipped to [−1, 1] backward. */
const clipGradient = customVjp(
  function clipGradient(x: Tensor) {
    return x;
  },
  (g) => [clamp(g, -1, 1)],
);

/** softplus(x) = log(1 + eˣ) with the rule x̄ = g ⊙ σ(x), written with ops (so it has a second order). */
const softplus = customVjp(
  function softplus(x: Tensor) {
    return log(add(exp(x), 1));
  },
  (g, { inputs: [x] }) => [mul(g, sigmoid(x!))],
);

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]!)));
};

describe('customVjp', () => {
  it('straight-through estimator: rounds forward, passes the gradient through unchanged', () => {
    const x = tensor([0.2, 1.7, -2.4]);
    const w = tensor([1, 2, 3]);
    const [out, g] = [roundSte(x), grad((z: Tensor) => sum(mul(roundSte(z), w)))(x)];
    expect(out.toArray()).toEqual([0, 2, -2]);
    expect(g.toArray()).toEqual([1, 2, 3]);
    // jvp of the estimator is the tangent itself (the transpose of the identity rule).
    expect(jvp(roundSte, [x], [tensor([4, 5, 6])])[1].toArray()).toEqual([4, 5, 6]);
  });

  it('gradient-clipping identity: values unchanged, gradients clipped to [−1, 1]', () => {
    const x = param(tensor([1, 2, 3]));
    const y = clipGradient(x);
    expect(y.toArray()).toEqual([1, 2, 3]);
    const g = backward(y, { gradient: tensor([0.5, -3, 7]) }).get(x);
    expect(g.toArray()).toEqual([0.5, -1, 1]);
  });

  it('records one node and keeps none of f’s intermediates', () => {
    const x = param(tensor([0.5, -1]));
    const y = softplus(x);
    const node = nodeOf(y)!;
    expect(node.op.name).toBe('softplus');
    expect(node.inputs).toEqual([x]);
  });

  it('a rule written with ops differentiates again: grad, grad(grad), jvp and hessian', () => {
    fc.assert(
      fc.property(tensorOf([3], { min: -3, max: 3 }), tensorOf([3], { min: -2, max: 2 }), (x, t) => {
        const f = (z: Tensor) => sum(tanh(softplus(z)));
        const reference = (z: Tensor) => sum(tanh(log(add(exp(z), 1))));
        close(grad(f)(x).data, grad(reference)(x).data, 1e-13);
        // grad(grad(·)) of the elementwise softplus: σ′(x) = σ(x)(1 − σ(x)).
        const g2 = grad((z: Tensor) => sum(grad((w: Tensor) => sum(softplus(w)))(z)))(x);
        close(g2.data, Array.from(x.data, (v) => { const s = 1 / (1 + Math.exp(-v)); return s * (1 - s); }), 1e-13);
        close(jvp(f, [x], [t])[1].data, jvp(reference, [x], [t])[1].data, 1e-13);
        const H = hessian(f)(x);
        close(H.data, numericJacobian((z: Tensor) => grad(f)(z), [x], 0, 1e-6), 1e-6);
      }),
      { numRuns: 30 },
    );
  });

  it('a rule that ignores an input may return null for it, and several inputs are fine', () => {
    const scaled = customVjp(
      function scaled(x: Tensor, k: Tensor) {
        return mul(x, k);
      },
      (g, { inputs: [, k] }) => [mul(g, k!), null],
    );
    const [gx, gk] = grad((x: Tensor, k: Tensor) => sum(scaled(x, k)), [0, 1])(tensor([1, 2]), tensor(3));
    expect(gx.toArray()).toEqual([3, 3]);
    expect(gk.toArray()).toEqual(0);
  });

  it('checks what the rule returns, naming the custom function', () => {
    const wrongShape = customVjp(function wrongShape(x: Tensor) { return x; }, (g) => [sum(g)]);
    expect(() => grad((x: Tensor) => sum(wrongShape(x)))(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => grad((x: Tensor) => sum(wrongShape(x)))(tensor([1, 2]))).toThrow(/customVjp\(wrongShape\): the VJP returned a gradient of shape \[\] for input 0 of shape \[2\]/);
    const notArray = customVjp(function notArray(x: Tensor) { return x; }, ((g: Tensor) => g) as never);
    expect(() => vjp(notArray, tensor([1]))[1](tensor([1]))).toThrow(GraphError);
    expect(() => vjp(notArray, tensor([1]))[1](tensor([1]))).toThrow(/customVjp\(notArray\): the VJP returned a tensor/);
    const badForward = customVjp((() => 3) as never, (g) => [g]);
    expect(() => badForward(tensor(1))).toThrow(/^customVjp\(f\): f must return a tensor, got 3$/);
    expect(() => customVjp(3 as never, (g) => [g])).toThrow(/^customVjp: f must be a function/);
  });
});
