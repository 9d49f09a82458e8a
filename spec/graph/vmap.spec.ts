/**
 * vmap: every registry op batched equals the loop over the examples, stacked (random inAxes and
 * outAxes, null included); per-example gradients (vmap of grad) and the gradient of vmap equal
 * their loops; vmap composes with jvp, checkpoint and customVjp; an op without a batching rule
 * falls back to a loop with one warning; bad arguments are errors naming vmap.
 */
import fc from 'fast-check';
import { DeltaGraphError, Tensor, param, randn, rng, tensor } from '../../lib';
import { ancestors, checkpoint, customVjp, defineOp, detectAnomaly, grad, hasBatchRule, registerBatchRule, hessian, jacobian, jvp, vjp, vmap } from '../../graph';
import { resetBatchWarnings } from '../../graph/vmap';
import { add, matmul, mean, mul, registry, relu, sin, stack, sum, tanh, crossEntropy, softmax, greater, where, exp, sqrt, reshape, slice, pow, maximum } from '../../ops';
import { callCase, gradcheck, opCase } from '../../check';

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

function expectClose(a: Tensor, b: Tensor, tol = 1e-12): void {
  expect(a.shape).toEqual(b.shape);
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i]!;
    const y = b.data[i]!;
    if (Number.isNaN(y)) expect(x).toBeNaN();
    else if (!Number.isFinite(y)) expect(x).toBe(y);
    else expect(Math.abs(x - y)).toBeLessThanOrEqual(tol * (1 + Math.abs(y)));
  }
}

/** Example b of a batch whose batch axis is `axis`. */
function exampleOf(x: Tensor, axis: number, b: number): Tensor {
  const shape = x.shape.slice();
  const n = shape.splice(axis, 1)[0]!;
  const outer = shape.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = shape.slice(axis).reduce((p, d) => p * d, 1);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) out[o * inner + i] = x.data[(o * n + b) * inner + i]!;
  return new Tensor(out, shape);
}

/** The loop vmap must equal: f on each example (unbatched arguments shared), stacked along outAxis. */
function loopOf(f: (...a: Tensor[]) => Tensor, args: Tensor[], inAxes: Array<number | null>, outAxis: number, size: number): Tensor {
  const outs: Tensor[] = [];
  for (let b = 0; b < size; b++) outs.push(f(...args.map((x, i) => (inAxes[i] === null ? x : exampleOf(x, inAxes[i]!, b)))));
  return stack(outs, outAxis);
}

describe('vmap of every registry op', () => {
  it.each(registry.map((e) => [e.name, e] as const))('%s equals the loop over the examples', (name, entry) => {
    fc.assert(
      fc.property(opCase(entry.domain), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), (c, picks) => {
        const f = callCase(entry, c);
        const size = 1 + (picks[0]! % 3);
        const n = c.inputs.length;
        const inAxes = c.inputs.map((x, i): number | null => (n > 1 && picks[1 + i]! % 3 === 0 ? null : picks[1 + i]! % (x.rank + 1)));
        if (!inAxes.some((a) => a !== null)) inAxes[0] = 0;
        // Example b is the case's input scaled by 1 − b/20 (inside every domain, distinct values stay distinct).
        const args = c.inputs.map((x, i) => {
          const axis = inAxes[i]!;
          if (axis === null) return x;
          const examples = Array.from({ length: size }, (_, b) => new Tensor(x.data.map((v) => v * (1 - b / 20)), x.shape));
          return stack(examples, axis);
        });
        const outRank = f(...c.inputs).rank;
        const outAxis = picks[7]! % (outRank + 1);
        const expected = loopOf(f, args, inAxes, outAxis, size);
        const got = vmap(f, { inAxes, outAxes: outAxis })(...args) as Tensor;
        expectClose(got, expected);
        expect(warn).not.toHaveBeenCalled();
      }),
      { numRuns: 12 },
    );
    void name;
  });

  it.each(registry.map((e) => [e.name, e] as const))('%s: the gradient through vmap equals the gradient through the loop', (name, entry) => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        const f = callCase(entry, c);
        const args = c.inputs.map((x) => stack([x, new Tensor(x.data.map((v) => v * 0.95), x.shape)]));
        const argnums = c.inputs.map((_, i) => i);
        const got = grad((...xs: Tensor[]) => sum(sin(vmap(f)(...xs) as Tensor)), argnums)(...args) as Tensor[];
        // The loop picks its examples with slice, so that the gradient reaches the batch.
        const pick = (x: Tensor, b: number) => reshape(slice(x, [b, ...x.shape.slice(1).map(() => 0)], [1, ...x.shape.slice(1)]), x.shape.slice(1));
        const want = grad((...xs: Tensor[]) => sum(sin(stack([0, 1].map((b) => f(...xs.map((x) => pick(x, b))))))), argnums)(...args) as Tensor[];
        got.forEach((g, i) => expectClose(g, want[i]!, 1e-10));
      }),
      { numRuns: 4 },
    );
    void name;
  });

  it.each(registry.map((e) => [e.name, e] as const))('%s: vmap of its gradient equals the per-example loop', (name, entry) => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        const f = callCase(entry, c);
        const loss = (...xs: Tensor[]) => sum(sin(f(...xs)));
        const args = c.inputs.map((x) => stack([x, new Tensor(x.data.map((v) => v * 0.95), x.shape)]));
        const argnums = c.inputs.map((_, i) => i);
        const got = vmap(grad(loss, argnums))(...args) as Tensor[];
        const loop = Array.from({ length: 2 }, (_, b) => grad(loss, argnums)(...args.map((x) => exampleOf(x, 0, b))) as Tensor[]);
        got.forEach((g, i) => expectClose(g, stack(loop.map((l) => l[i]!)), 1e-10));
        expect(warn).not.toHaveBeenCalled();
      }),
      { numRuns: 4 },
    );
    void name;
  });
});

describe('vmap and gradients', () => {
  const r = rng(7);
  const W1 = randn([5, 4], r);
  const b1 = randn([4], r);
  const W2 = randn([4, 3], r);
  const xs = randn([6, 5], r);
  const ys = softmax(randn([6, 3], r), -1);
  const loss = (w1: Tensor, bias: Tensor, w2: Tensor, x: Tensor, y: Tensor) =>
    crossEntropy(matmul(tanh(add(matmul(x.reshape([1, 5]), w1), bias)), w2), y.reshape([1, 3]));

  it('vmap(grad(loss)) gives the per-example gradients of an MLP, without the loop fallback', () => {
    resetBatchWarnings();
    const perExample = vmap(grad(loss, [0, 1, 2]), { inAxes: [null, null, null, 0, 0] })(W1, b1, W2, xs, ys) as Tensor[];
    expect(warn).not.toHaveBeenCalled();
    [W1, b1, W2].forEach((w, k) => {
      const expected = stack(Array.from({ length: 6 }, (_, b) => (grad(loss, [0, 1, 2])(W1, b1, W2, exampleOf(xs, 0, b), exampleOf(ys, 0, b)) as Tensor[])[k]!));
      expectClose(perExample[k]!, expected);
      expect(perExample[k]!.shape).toEqual([6, ...w.shape]);
    });
  });

  it('per-example gradients with integer class labels', () => {
    const labels = tensor([2, 0, 1, 1, 0, 2]);
    const lossL = (w1: Tensor, x: Tensor, y: Tensor) => crossEntropy(matmul(tanh(matmul(x.reshape([1, 5]), w1)), W2), y.reshape([1]));
    const got = vmap(grad(lossL), { inAxes: [null, 0, 0] })(W1, xs, labels) as Tensor;
    const loop = stack(Array.from({ length: 6 }, (_, b) => grad(lossL)(W1, exampleOf(xs, 0, b), exampleOf(labels, 0, b)) as Tensor));
    expectClose(got, loop);
    expectClose(vmap(lossL, { inAxes: [null, 0, 0] })(W1, xs, labels) as Tensor, loopOf((x, y) => lossL(W1, x, y), [xs, labels], [0, 0], 0, 6));
  });

  it('the gradient of a function using vmap equals the gradient of the loop (check_batched_grad)', () => {
    const batchLoss = (w1: Tensor, bias: Tensor, w2: Tensor) => sum(vmap(loss, { inAxes: [null, null, null, 0, 0] })(w1, bias, w2, xs, ys) as Tensor);
    const loopLoss = (w1: Tensor, bias: Tensor, w2: Tensor) => sum(loopOf((x, y) => loss(w1, bias, w2, x, y), [xs, ys], [0, 0], 0, 6));
    const a = grad(batchLoss, [0, 1, 2])(W1, b1, W2) as Tensor[];
    const b = grad(loopLoss, [0, 1, 2])(W1, b1, W2) as Tensor[];
    a.forEach((g, k) => expectClose(g, b[k]!));
  });

  it('gradients of vmap(grad) (second order) equal the loop', () => {
    const f = (w: Tensor, x: Tensor) => sum(sin(mul(matmul(x.reshape([1, 5]), w), 2)));
    const outer = (w: Tensor) => sum(mul(vmap(grad(f), { inAxes: [null, 0] })(w, xs) as Tensor, W1));
    const loopOuter = (w: Tensor) => sum(mul(stack(Array.from({ length: 6 }, (_, b) => grad(f)(w, exampleOf(xs, 0, b)) as Tensor)), W1));
    expectClose(grad(outer)(W1) as Tensor, grad(loopOuter)(W1) as Tensor, 1e-10);
  });

  it('vmap(jvp) and jvp of vmap equal the loop', () => {
    const f = (x: Tensor) => mul(sin(x), exp(x));
    const ts = randn([6, 5], r);
    const batched = vmap((x: Tensor, t: Tensor) => jvp(f, [x], [t])[1])(xs, ts) as Tensor;
    const loop = stack(Array.from({ length: 6 }, (_, b) => jvp(f, [exampleOf(xs, 0, b)], [exampleOf(ts, 0, b)])[1]));
    expectClose(batched, loop);
    const [, outer] = jvp((x: Tensor) => vmap(f)(x) as Tensor, [xs], [ts]);
    expectClose(outer, loop);
    // Nested: vmap(vmap(jvp)) without the loop.
    resetBatchWarnings();
    const xx = stack([xs, mul(xs, 2)]);
    const tt = stack([ts, sin(ts)]);
    const nested = vmap(vmap((x: Tensor, t: Tensor) => jvp(f, [x], [t])[1]))(xx, tt) as Tensor;
    expectClose(nested, stack([0, 1].map((a) => stack(Array.from({ length: 6 }, (_, b) => jvp(f, [exampleOf(exampleOf(xx, 0, a), 0, b)], [exampleOf(exampleOf(tt, 0, a), 0, b)])[1])))));
    expect(warn).not.toHaveBeenCalled();
  });

  it('vmap of jacobian and hessian, several outputs with their own outAxes, a negative inAxes', () => {
    const f = (x: Tensor) => mul(sin(x), sum(mul(x, x)));
    resetBatchWarnings();
    expectClose(vmap(jacobian(f))(xs) as Tensor, stack(Array.from({ length: 6 }, (_, b) => jacobian(f)(exampleOf(xs, 0, b)))));
    expectClose(vmap(hessian((x: Tensor) => sum(f(x))))(xs) as Tensor, stack(Array.from({ length: 6 }, (_, b) => hessian((x: Tensor) => sum(f(x)))(exampleOf(xs, 0, b)))), 1e-10);
    expect(warn).not.toHaveBeenCalled();
    const ts = randn([5, 6], r);
    const [a, c] = vmap((x: Tensor, t: Tensor) => [sin(x), mul(x, t)], { inAxes: [0, -1], outAxes: [1, 0] })(xs, ts) as Tensor[];
    expectClose(a!, loopOf((x) => sin(x), [xs], [0], 1, 6));
    expectClose(c!, loopOf((x, t) => mul(x, t), [xs, ts], [0, 1], 0, 6));
  });

  it('outAxes null for an output that does not depend on the batch; an unbatched output is broadcast', () => {
    const [a, c] = vmap((x: Tensor) => [sin(x), sum(W1)], { outAxes: [0, null] })(xs) as Tensor[];
    expectClose(a!, sin(xs));
    expectClose(c!, sum(W1));
    expectClose(vmap(() => sum(W1), { inAxes: 0 })(xs) as Tensor, stack(Array.from({ length: 6 }, () => sum(W1))));
    expect(() => vmap((x: Tensor) => sin(x), { outAxes: null })(xs)).toThrow(/vmap: outAxes is null for its result, but it depends on the batch/);
  });

  it('checkpoint and customVjp inside vmap', () => {
    const block = checkpoint((x: Tensor) => tanh(matmul(x.reshape([1, 5]), W1)));
    const cp = vmap((x: Tensor) => sum(block(x)));
    expectClose(cp(xs) as Tensor, stack(Array.from({ length: 6 }, (_, b) => sum(block(exampleOf(xs, 0, b))))));
    expectClose(
      vmap(grad((x: Tensor) => sum(block(x))))(xs) as Tensor,
      stack(Array.from({ length: 6 }, (_, b) => grad((x: Tensor) => sum(block(x)))(exampleOf(xs, 0, b)) as Tensor)),
    );
    // With a parameter from the closure: per-example gradients, and the gradient through vmap,
    // where the batch is one checkpoint node that keeps none of f's intermediates.
    const blockW = (w: Tensor) => checkpoint(function layer(x: Tensor) { return tanh(matmul(sin(x.reshape([1, 5])), w)); });
    const wp = param(W1);
    const lossOf = (w: Tensor) => sum(vmap((x: Tensor) => sum(blockW(w)(x)))(xs) as Tensor);
    const loopLossOf = (w: Tensor) => sum(stack(Array.from({ length: 6 }, (_, b) => sum(blockW(w)(exampleOf(xs, 0, b))))));
    expectClose(grad(lossOf)(W1) as Tensor, grad(loopLossOf)(W1) as Tensor);
    const total = lossOf(wp);
    const names = ancestors(total, 'spec', '').map((n) => n.op.name);
    expect(names).toContain('checkpoint(layer)');
    expect(names).not.toContain('tanh');
    const perW = vmap(grad((w: Tensor, x: Tensor) => sum(blockW(w)(x))), { inAxes: [null, 0] })(W1, xs) as Tensor;
    expectClose(perW, stack(Array.from({ length: 6 }, (_, b) => grad((w: Tensor, x: Tensor) => sum(blockW(w)(x)))(W1, exampleOf(xs, 0, b)) as Tensor)));
    // A straight-through estimator: forward rounds, backward passes g through.
    resetBatchWarnings();
    const ste = customVjp((x: Tensor) => mul(greater(x, 0), x), (g) => [g]);
    const per = vmap(grad((x: Tensor) => sum(mul(ste(x), x))))(xs) as Tensor;
    const loop = stack(Array.from({ length: 6 }, (_, b) => grad((x: Tensor) => sum(mul(ste(x), x)))(exampleOf(xs, 0, b)) as Tensor));
    expectClose(per, loop);
    const w = param(W1);
    const [, pull] = vjp((v: Tensor) => sum(vmap((x: Tensor) => ste(matmul(x.reshape([1, 5]), v)))(xs) as Tensor), w);
    const [, pullLoop] = vjp((v: Tensor) => sum(stack(Array.from({ length: 6 }, (_, b) => ste(matmul(exampleOf(xs, 0, b).reshape([1, 5]), v))))), w);
    expectClose(pull(tensor(1))[0]!, pullLoop(tensor(1))[0]!);
    // The rule sees batched tensors: a clipped gradient, and one for a shared input.
    const clip = customVjp((x: Tensor, w: Tensor) => mul(x, w), (g, { inputs: [x, w] }) => [mul(g, w!), mul(tanh(g), x!)]);
    const lossC = (v: Tensor) => sum(sin(vmap((x: Tensor) => clip(x, v), { inAxes: 0 })(xs) as Tensor));
    const lossLoop = (v: Tensor) => sum(sin(stack(Array.from({ length: 6 }, (_, b) => clip(exampleOf(xs, 0, b), v)))));
    const v0 = randn([5], r);
    expectClose(grad(lossC)(v0) as Tensor, grad(lossLoop)(v0) as Tensor);
    const perC = vmap(grad((x: Tensor, v: Tensor) => sum(sin(clip(x, v))), [0, 1]), { inAxes: [0, null] })(xs, v0) as Tensor[];
    const loopC = Array.from({ length: 6 }, (_, b) => grad((x: Tensor, v: Tensor) => sum(sin(clip(x, v))), [0, 1])(exampleOf(xs, 0, b), v0) as Tensor[]);
    perC.forEach((g, k) => expectClose(g, stack(loopC.map((l) => l[k]!))));
    expect(warn).not.toHaveBeenCalled();
  });

  it('a batched condition of where, a comparison, and nested vmap', () => {
    const f = (x: Tensor, y: Tensor) => where(greater(x, y), sin(x), y);
    const ys2 = randn([6, 5], r);
    expectClose(vmap(f)(xs, ys2) as Tensor, loopOf(f, [xs, ys2], [0, 0], 0, 6));
    const outer = vmap((row: Tensor) => vmap((v: Tensor) => mul(sin(v), row))(row) as Tensor);
    const expected = stack(Array.from({ length: 6 }, (_, b) => {
      const row = exampleOf(xs, 0, b);
      return stack(Array.from({ length: 5 }, (_, k) => mul(sin(exampleOf(row, 0, k)), row)));
    }));
    expectClose(outer(xs) as Tensor, expected);
    // Nested vmap of grad, through ops whose VJPs read values (pow, maximum).
    const w = randn([5, 2], r);
    const g = (x: Tensor) => add(sum(sin(matmul(pow(x, 1.5).reshape([1, 5]), w))), sum(maximum(x, 1)));
    const cube = stack([xs, mul(xs, 0.5)]).abs();
    const twice = vmap(vmap(grad(g)))(cube) as Tensor;
    const loops = stack([0, 1].map((a) => stack(Array.from({ length: 6 }, (_, b) => grad(g)(exampleOf(exampleOf(cube, 0, a), 0, b)) as Tensor))));
    expectClose(twice, loops);
  });
});

describe('vmap inside detectAnomaly', () => {
  it('checks the whole batch, and names the op whose VJP is not finite', () => {
    const f = (x: Tensor) => sum(sqrt(mul(x, x)));
    const good = tensor([[1, 2], [3, 4]]);
    expectClose(detectAnomaly(() => vmap(grad(f))(good) as Tensor), tensor([[1, 1], [1, 1]]));
    expect(() => detectAnomaly(() => vmap(grad(f))(tensor([[1, 2], [0, 4]])))).toThrow(/'sqrt'/);
  });
});

describe('the loop fallback', () => {
  const cube = defineOp<undefined>({
    name: 'userCube',
    forward: ([x]) => new Tensor(x!.data.map((v) => v * v * v), x!.shape),
    vjp: (g, { inputs: [x] }) => [mul(g, mul(mul(x!, x!), 3))],
  });
  it('warns once per op, and is correct, also under grad', () => {
    resetBatchWarnings();
    expect(hasBatchRule(cube)).toBe(false);
    const xs = randn([4, 3], rng(3));
    const f = (x: Tensor) => sum(cube.apply([x], undefined));
    expectClose(vmap(f)(xs) as Tensor, loopOf(f, [xs], [0], 0, 4));
    expectClose(vmap(grad(f))(xs) as Tensor, loopOf(grad(f), [xs], [0], 0, 4));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/userCube/);
  });

  it('a user op with a registered rule runs once on the batch', () => {
    const square = defineOp<undefined>({
      name: 'userSquare',
      forward: ([x]) => new Tensor(x!.data.map((v) => v * v), x!.shape),
      vjp: (g, { inputs: [x] }) => [mul(g, mul(x!, 2))],
    });
    let calls = 0;
    registerBatchRule('userSquare', ({ op, inputs }) => {
      calls++;
      return op.apply(inputs, undefined); // elementwise: the batch as it is
    });
    expect(hasBatchRule(square)).toBe(true);
    const xs = randn([4, 3], rng(4));
    const f = (x: Tensor) => sum(square.apply([x], undefined));
    expectClose(vmap(grad(f))(xs) as Tensor, loopOf(grad(f), [xs], [0], 0, 4));
    expect(calls).toBe(1);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('vmap errors', () => {
  const xs = randn([4, 3], rng(1));
  const ys = randn([5, 3], rng(2));
  it('names vmap, the argument and the shapes', () => {
    expect(() => vmap((a: Tensor, b: Tensor) => add(a, b), { inAxes: [0] })(xs, ys)).toThrow(/vmap: inAxes has 1 entries but there are 2 arguments/);
    expect(() => vmap((a: Tensor) => a, { inAxes: 2 })(xs)).toThrow(/vmap: inAxes 2 of argument 0 is out of range for its shape \[4, 3\]/);
    expect(() => vmap((a: Tensor, b: Tensor) => add(a, b))(xs, ys)).toThrow(/vmap: argument 1 of shape \[5, 3\] has batch size 5 on axis 0, but argument 0 of shape \[4, 3\] has 4/);
    expect(() => vmap(() => 3 as unknown as Tensor)(xs)).toThrow(/vmap: f must return a tensor or an array of tensors, got/);
    expect(() => vmap((a: Tensor) => a, { outAxes: 3 })(xs)).toThrow(/vmap: outAxes 3 of its result is out of range for its batched shape \[4, 3\]/);
    expect(() => vmap((a: Tensor) => a, { inAxes: null })(xs)).toThrow(/vmap: no argument is batched/);
    expect(() => vmap((a: Tensor) => tensor(a.toArray()))(xs)).toThrow(/vmap: the values of a batched tensor/);
    for (const f of [() => vmap((a: Tensor) => a, { inAxes: [0] })(xs, ys)]) expect(f).toThrow(DeltaGraphError);
  });
});

describe('gradcheck batchedGrad', () => {
  it('checks vmap of the gradient against the per-example loop', () => {
    const x = randn([3, 4], rng(5));
    const w = randn([4, 2], rng(6));
    const r = gradcheck((a: Tensor, b: Tensor) => mean(relu(matmul(a, b))), [x, w], { batchedGrad: true, raise: false });
    expect(r.ok).toBe(true);
    expect(r.batchedGrad).toBe(true);
  });
});
