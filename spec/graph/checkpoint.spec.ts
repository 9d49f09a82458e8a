/**
 * checkpoint: the same gradients, bit for bit, as the function without it, on random MLP chains;
 * one recorded node per checkpoint; the recomputation recorded under grad(grad(·)), hessian and
 * jvp; parameters read from a closure; what it refuses (a recorded result read from a closure, a
 * function that is not deterministic).
 */
import fc from 'fast-check';
import {
  GPTBlock, GraphError, Linear, Tensor, add, ancestors, backward, checkpoint, grad, hessian, jvp, matmul, mul, noGrad, param, randn, rng, sin, sum, tanh,
  tensor,
} from '../../index';

/** One block of an MLP: tanh(x W + b). */
function block(x: Tensor, W: Tensor, b: Tensor): Tensor {
  return tanh(add(matmul(x, W), b));
}

/** A random chain of `depth` blocks of width `width` on a batch, its parameters as leaves. */
function chain(seed: number, depth: number, width: number, batch: number) {
  const r = rng(seed);
  const x = randn([batch, width], r);
  const params = Array.from({ length: depth }, () => [param(randn([width, width], r).mul(0.5)), param(randn([width], r))] as const);
  return { x, params, all: params.flat() };
}

const same = (a: Tensor, b: Tensor) => expect(Array.from(b.data)).toEqual(Array.from(a.data));

describe('checkpoint', () => {
  it('gives the same gradients bit for bit as without it, on random MLP chains', () => {
    const checked = checkpoint(block);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), (seed, depth, width, batch) => {
        const { x, params, all } = chain(seed, depth, width, batch);
        const run = (b: (x: Tensor, W: Tensor, b: Tensor) => Tensor) => {
          let h = x;
          for (const [W, c] of params) h = b(h, W, c);
          const loss = sum(mul(h, h));
          const g = backward(loss, { wrt: all });
          return { loss, grads: all.map((p) => g.get(p)) };
        };
        const plain = run(block);
        const ckpt = run(checked);
        expect(ckpt.loss.item()).toBe(plain.loss.item());
        plain.grads.forEach((g, i) => same(g, ckpt.grads[i]!));
      }),
      { numRuns: 40 },
    );
  });

  it('an argument f uses twice: the same bits unless it is used again after f (then the sums are ordered otherwise)', () => {
    const f = (x: Tensor) => add(mul(sin(x), 0.1), mul(x, 0.7));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const x0 = randn([5], rng(seed));
        const run = (g: (x: Tensor) => Tensor, after: boolean) => {
          const x = param(x0);
          const before = mul(x, 0.3);
          const y = g(x);
          return backward(sum(after ? add(add(y, mul(x, 1.3)), before) : add(y, before))).get(x);
        };
        same(run(f, false), run(checkpoint(f), false));
        const [a, b] = [run(f, true), run(checkpoint(f), true)];
        a.data.forEach((v, i) => expect(Math.abs(v - b.data[i]!)).toBeLessThanOrEqual(4e-16 * Math.abs(v)));
      }),
      { numRuns: 50 },
    );
  });

  it('records one node per checkpoint, not f’s intermediates', () => {
    const { x, params } = chain(1, 5, 4, 3);
    const nodes = (b: (x: Tensor, W: Tensor, b: Tensor) => Tensor) => {
      let h = x;
      for (const [W, c] of params) h = b(h, W, c);
      return ancestors(sum(h), 'test', '').map((n) => n.op.name);
    };
    expect(nodes(block)).toHaveLength(5 * 3 + 1);
    expect(nodes(checkpoint(block))).toEqual([...new Array(5).fill('checkpoint(block)'), 'sum']);
  });

  it('works under grad(grad(·)), hessian and jvp, with the values of the plain function', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const r = rng(seed);
        const W = randn([3, 3], r);
        const b = randn([3], r);
        const x = randn([2, 3], r);
        const f = (blk: typeof block) => (z: Tensor) => sum(sin(blk(blk(z, W, b), W, b)));
        const plain = f(block);
        const ckpt = f(checkpoint(block));
        same(grad(plain)(x), grad(ckpt)(x));
        const second = (g: (z: Tensor) => Tensor) => grad((z: Tensor) => sum(mul(grad(g)(z), z)))(x);
        const [a, c]: [Tensor, Tensor] = [second(plain), second(ckpt)];
        a.data.forEach((v, i) => expect(Math.abs(v - c.data[i]!)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(v))));
        const [H1, H2] = [hessian(plain)(x), hessian(ckpt)(x)];
        H1.data.forEach((v, i) => expect(Math.abs(v - H2.data[i]!)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(v))));
        const t = randn([2, 3], r);
        same(jvp(plain, [x], [t])[1], jvp(ckpt, [x], [t])[1]);
      }),
      { numRuns: 15 },
    );
  });

  it('inside noGrad, or on constants, is f itself', () => {
    const W = tensor([[1, 2], [3, 4]]);
    const y = noGrad(() => checkpoint(block)(param(tensor([[1, 1]])), W, tensor([0, 0])));
    expect(y.requiresGrad).toBe(false);
    expect(y.toArray()).toEqual(block(tensor([[1, 1]]), W, tensor([0, 0])).toArray());
  });

  it('gives parameters read from a closure their gradients (a layer’s weights), the same bits as without', () => {
    const layers = [new Linear(4, 5, { rng: 1 }), new Linear(5, 3, { rng: 2 })];
    const x = param(randn([6, 4], rng(3)));
    const run = (wrap: (f: (h: Tensor) => Tensor) => (h: Tensor) => Tensor) => {
      let h: Tensor = x;
      for (const layer of layers) h = wrap((z: Tensor) => tanh(layer.forward(z)))(h);
      const ps = [x, ...layers.flatMap((l) => l.parameters())];
      const g = backward(sum(mul(h, h)), { wrt: ps });
      return ps.map((p) => g.get(p));
    };
    const plain = run((f) => f);
    const ckpt = run((f) => checkpoint(f));
    plain.forEach((g, i) => same(g, ckpt[i]!));
    expect(ckpt.length).toBe(5);
  });

  it('checkpoints a transformer block (attention, layer norms, MLP) read from a closure, the same bits as without', () => {
    const block = new GPTBlock(8, 2);
    const x = param(randn([2, 5, 8], rng(4)));
    const run = (wrap: boolean) => {
      const f = (h: Tensor) => block.forward(h);
      const y = wrap ? checkpoint(f)(x) : f(x);
      const ps = [x, ...block.parameters()];
      const g = backward(sum(mul(y, y)), { wrt: ps });
      return ps.map((p) => g.get(p));
    };
    const plain = run(false);
    run(true).forEach((g, i) => same(plain[i]!, g));
  });

  it('refuses a recorded result from outside f read from a closure, and a function that is not deterministic', () => {
    const w = param(tensor([1, 2]));
    const h = mul(w, 3);
    const closure = checkpoint((x: Tensor) => mul(x, h));
    expect(() => closure(param(tensor([3, 4])))).toThrow(GraphError);
    expect(() => closure(param(tensor([3, 4])))).toThrow(/^checkpoint: f read a tensor of shape \[2\] computed by a recorded op \('mul'\) outside it, without taking it as an argument/);
    let calls = 0;
    const noisy = checkpoint((x: Tensor) => mul(x, ++calls));
    const x = param(tensor([1, 2]));
    expect(() => backward(sum(noisy(x)))).toThrow(/checkpoint: recomputing f for the backward pass gave other values than its forward pass/);
    expect(() => checkpoint(3 as never)).toThrow(/^checkpoint: f must be a function/);
    expect(() => checkpoint((() => 1) as never)(tensor(1))).toThrow(/^checkpoint: f must return a tensor, got 1$/);
  });
});
