/**
 * Diamond graphs: when one tensor reaches the output over several paths, backward sums the
 * gradients of the paths (the total derivative of the slides and of document 003). Checked against
 * analytic total derivatives for mul(x, x), sin(x) + exp(x) and a shared intermediate u = exp(x)
 * feeding two branches, where backward(...).get(u) is the sum over both branches; and against
 * 2ⁿ for a chain of n doublings, whose 2ⁿ paths must be summed without visiting each one.
 */
import fc from 'fast-check';
import { Tensor, add, backward, cos, exp, grad, mul, param, sin, sum, tanh, tensor } from '../../index';

const RUNS = 100;
const close = (actual: number, expected: number, rel = 1e-13): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * (1 + Math.abs(expected)));
};
const xs = fc.double({ min: -3, max: 3, noNaN: true });

describe('diamond graphs sum the gradients of every path', () => {
  it('y = mul(x, x): both inputs are x, so dy/dx = x + x = 2x', () => {
    fc.assert(
      fc.property(xs, (x) => {
        const g: Tensor = grad((t: Tensor) => mul(t, t))(tensor(x));
        close(g.item(), 2 * x);
      }),
      { numRuns: RUNS },
    );
  });

  it('f = sin(x) + exp(x): two branches joined by add, df/dx = cos x + eˣ', () => {
    fc.assert(
      fc.property(xs, (x) => {
        const g: Tensor = grad((t: Tensor) => add(sin(t), exp(t)))(tensor(x));
        close(g.item(), Math.cos(x) + Math.exp(x));
      }),
      { numRuns: RUNS },
    );
  });

  it('both joined: f = x·x + sin(x) + exp(x) has df/dx = 2x + cos x + eˣ', () => {
    fc.assert(
      fc.property(xs, (x) => {
        const g: Tensor = grad((t: Tensor) => add(mul(t, t), add(sin(t), exp(t))))(tensor(x));
        close(g.item(), 2 * x + Math.cos(x) + Math.exp(x));
      }),
      { numRuns: RUNS },
    );
  });

  it('a shared intermediate u = exp(x), f = sin(u) + u·u: get(u) = cos u + 2u, get(x) = (cos u + 2u)·eˣ', () => {
    fc.assert(
      fc.property(xs, (x) => {
        const xp = param(tensor(x));
        const u = exp(xp);
        const f = add(sin(u), mul(u, u));
        const grads = backward(f, { wrt: [xp, u] });
        const ue = Math.exp(x);
        close(grads.get(u).item(), Math.cos(ue) + 2 * ue);
        close(grads.get(xp).item(), (Math.cos(ue) + 2 * ue) * ue);
      }),
      { numRuns: RUNS },
    );
  });

  it('elementwise on a vector, with the intermediates of each branch available', () => {
    const x = param(tensor([-1.5, -0.2, 0, 0.7, 2]));
    const u = tanh(x);
    const left = mul(u, x); // depends on x directly and through u
    const right = cos(u);
    const f = sum(add(left, right));
    const grads = backward(f, { wrt: [x, u, left, right] });
    for (let i = 0; i < x.size; i++) {
      const xi = x.data[i]!;
      const ui = Math.tanh(xi);
      expect(grads.get(left).data[i]).toBe(1);
      expect(grads.get(right).data[i]).toBe(1);
      close(grads.get(u).data[i]!, xi - Math.sin(ui));
      // d/dx [tanh(x)·x + cos(tanh x)] = (1 − u²)(x − sin u) + u
      close(grads.get(x).data[i]!, (1 - ui * ui) * (xi - Math.sin(ui)) + ui);
    }
  });

  it('a chain of 60 doublings (xₖ₊₁ = xₖ + xₖ) has 2⁶⁰ paths and gradient 2⁶⁰, reached in linear time', () => {
    // Summing per tensor visits each of the 60 nodes once; walking the 2⁶⁰ paths one by one would
    // never finish, and the test's time limit would fail it.
    const x = param(tensor(1.25));
    let y = x;
    for (let k = 0; k < 60; k++) y = add(y, y);
    const g = backward(y, { wrt: [x] }).get(x).item();
    expect(g).toBe(2 ** 60);
  });

  it('f = x·c + c with c = sin(x): get(c) = x + 1 sums both uses of c, get(x) adds the direct path', () => {
    // c is an input of the product (next to x itself) and of the final add.
    fc.assert(
      fc.property(xs, (x) => {
        const xp = param(tensor(x));
        const c = sin(xp);
        const f = add(mul(xp, c), c);
        const grads = backward(f, { wrt: [xp, c] });
        close(grads.get(c).item(), x + 1);
        close(grads.get(xp).item(), Math.sin(x) + (x + 1) * Math.cos(x));
      }),
      { numRuns: RUNS },
    );
  });
});
