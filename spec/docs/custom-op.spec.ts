/**
 * The "define your own op" example of docs/vjp-contract.md, run as a test: the same op, checked the
 * same way. It also shows that the checks can fail: a wrong VJP is caught by gradcheck, and a VJP
 * that forgets sumTo is stopped by the engine with a ShapeError.
 */
// Names used only by the checks below; the example itself starts at the next import.
import { readFileSync } from 'fs';
import { join } from 'path';
import { ShapeError, backward, param, sum, vmap, jvp, jacobian, registerBatchRule, hasBatchRule, randn, rng, ancestors } from 'deltagraph';

import fc from 'fast-check';
import {
  Domain, GradcheckError, Tensor, TensorLike, asTensor, defineOp, div, grad, gradcheck,
  gradgradcheck, kernels, mul, opCase, sumTo, tensor,
} from 'deltagraph';

/** c = √(a² + b²) (broadcasting).  ā = sumTo(g ⊙ a / c, a.shape),  b̄ = sumTo(g ⊙ b / c, b.shape) */
const hypotOp = defineOp({
  name: 'hypot',
  forward: ([a, b]) => kernels.sqrt(kernels.add(kernels.mul(a!, a!), kernels.mul(b!, b!))),
  vjp: (g, { inputs: [a, b], output, needs }) => [
    needs[0] ? sumTo(div(mul(g, a!), output), a!.shape) : null,
    needs[1] ? sumTo(div(mul(g, b!), output), b!.shape) : null,
  ],
});

export function hypot(a: TensorLike, b: TensorLike): Tensor {
  return hypotOp.apply([asTensor('hypot', a, 'a'), asTensor('hypot', b, 'b')], undefined);
}

/** Two broadcastable inputs in [−3, 3], kept 0.5 away from 0, where c = 0 would make the VJP 0/0. */
export const hypotDomain: Domain = {
  arity: 2,
  shapes: 'broadcastable',
  values: { min: -3, max: 3, avoid: [0], margin: 0.5 },
};

/** Wrong on purpose: the VJP forgets to divide by c. */
const wrongOp = defineOp({
  name: 'hypotWrong',
  forward: ([a, b]) => kernels.sqrt(kernels.add(kernels.mul(a!, a!), kernels.mul(b!, b!))),
  vjp: (g, { inputs: [a, b] }) => [sumTo(mul(g, a!), a!.shape), sumTo(mul(g, b!), b!.shape)],
});
const hypotWrong = (a: Tensor, b: Tensor): Tensor => wrongOp.apply([a, b], undefined);

/** The batching rule of docs/vjp-contract.md, registered by enableHypotRule (so the loop runs first). */
function enableHypotRule(): void {
registerBatchRule('hypot', ({ op, inputs, batched, shapes, size }) => {
  const rank = Math.max(...shapes.map((s) => s.length));
  const aligned = inputs.map((x, i) =>
    batched[i] ? x.reshape([size, ...new Array<number>(rank - shapes[i]!.length).fill(1), ...shapes[i]!]) : x,
  );
  return op.apply(aligned, undefined);
});
}

/** The first ```ts block under the heading `### <title>` of docs/vjp-contract.md. */
function docBlock(title: string): string {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'vjp-contract.md'), 'utf8');
  const section = doc.split('\n### ').find((part) => part.startsWith(`${title}\n`));
  const block = section === undefined ? undefined : /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error(`docs/vjp-contract.md has no ts block under "### ${title}"`);
  return block;
}

describe('docs/vjp-contract.md', () => {
  it('shows the op and the wrong VJP exactly as this spec defines them', () => {
    const spec = readFileSync(__filename, 'utf8');
    expect(spec).toContain(docBlock('The op'));
    expect(spec).toContain(docBlock('A wrong VJP is caught'));
    // The rule's body, as the page shows it (the page imports registerBatchRule; here it is wrapped in a function).
    expect(spec).toContain(docBlock('Forward mode and vmap').replace("import { registerBatchRule } from 'deltagraph';\n\n", ''));
  });
});

describe('a user-defined op', () => {
  it('computes c = √(a² + b²) and its gradients at (3, 4)', () => {
    expect(hypot(3, 4).item()).toBe(5);
    const [ga, gb] = grad((a: Tensor, b: Tensor) => hypot(a, b), [0, 1])(3, 4) as Tensor[];
    expect(ga!.item()).toBeCloseTo(0.6, 12);
    expect(gb!.item()).toBeCloseTo(0.8, 12);
  });

  it('passes gradcheck and gradgradcheck on random cases of its domain', () => {
    fc.assert(
      fc.property(opCase(hypotDomain), ({ inputs }) => {
        gradcheck(hypot, inputs);
        gradgradcheck(hypot, inputs);
      }),
      { numRuns: 100 },
    );
  });

  it('undoes broadcasting: the gradient of a [3] input to a [2, 3] output has shape [3]', () => {
    const a = param(tensor([[1, 2, 3], [4, 5, 6]]));
    const b = param(tensor([1, 1, 1]));
    const g = backward(sum(hypot(a, b)));
    expect(g.get(a).shape).toEqual([2, 3]);
    expect(g.get(b).shape).toEqual([3]);
    // ∂/∂b_j Σ_i c_ij = Σ_i b_j / c_ij
    const expected = [0, 1, 2].map((j) => [1, 4].reduce((s, r) => s + 1 / Math.hypot(r + j, 1), 0));
    Array.from(g.get(b).data).forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 12));
  });
});

describe('the checks catch a wrong VJP', () => {
  it('gradcheck throws a GradcheckError naming the op and the worst element', () => {
    expect(() => gradcheck(hypotWrong, [tensor([3]), tensor([4])])).toThrow(GradcheckError);
    const result = gradcheck(hypotWrong, [tensor([3]), tensor([4])], { raise: false });
    expect(result.ok).toBe(false);
    expect(result.name).toBe('hypotWrong');
    expect(result.worst!.analytic).toBeCloseTo(4, 6);
    expect(result.worst!.numeric).toBeCloseTo(0.8, 6);
  });

  it('the property fails, and its counterexample is a GradcheckError', () => {
    const details = fc.check(
      fc.property(opCase(hypotDomain), ({ inputs }) => {
        gradcheck(hypotWrong, inputs);
      }),
      { seed: 1, numRuns: 100 },
    );
    expect(details.failed).toBe(true);
    expect(details.errorInstance).toBeInstanceOf(GradcheckError);
  });

  it('a VJP that forgets sumTo is stopped with a ShapeError naming the op and both shapes', () => {
    const noSumTo = defineOp({
      name: 'hypotNoSumTo',
      forward: ([a, b]) => kernels.sqrt(kernels.add(kernels.mul(a!, a!), kernels.mul(b!, b!))),
      vjp: (g, { inputs: [a, b], output }) => [div(mul(g, a!), output), div(mul(g, b!), output)],
    });
    const a = param(tensor([[1, 2, 3], [4, 5, 6]]));
    const b = param(tensor([1, 1, 1]));
    expect(() => backward(sum(noSumTo.apply([a, b], undefined)))).toThrow(ShapeError);
    expect(() => backward(sum(noSumTo.apply([a, b], undefined)))).toThrow(
      "the VJP of 'hypotNoSumTo' returned a gradient of shape [2, 3] for its input 1 of shape [3]",
    );
  });
});

describe('a user-defined op under the other transforms', () => {
  it('has forward mode from its VJP: jvp equals the Jacobian applied to the tangent, and gradcheck passes in fwd mode', () => {
    const r = rng(5);
    const a = randn([3], r).add(4);
    const b = randn([2, 3], r);
    const t = randn([3], r);
    const [, dy] = jvp((x: Tensor) => hypot(x, b), [a], [t]);
    const J = jacobian((x: Tensor) => hypot(x, b))(a); // [3, 2, 3]
    for (let i = 0; i < 2; i++) for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let j = 0; j < 3; j++) s += J.data[j * 6 + i * 3 + k]! * t.data[j]!;
      expect(dy.data[i * 3 + k]).toBeCloseTo(s, 12);
    }
    gradcheck(hypot, [a, b], { modes: ['rev', 'fwd'] });
  });

  it('runs under vmap in a loop with one warning, then with the rule in one call; both equal the loop over the examples', () => {
    const r = rng(6);
    const as = randn([5, 3], r);
    const b = randn([3], r);
    const loop = Array.from({ length: 5 }, (_, n) => Array.from(hypot(as.slice([n, 0], [1, 3]).reshape([3]), b).data)).flat();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Recorded (the batch requires a gradient): the loop applies the op once per example.
      const hypotNodes = (t: Tensor) => ancestors(t, 'spec', '').filter((n) => n.op.name === 'hypot').length;
      const looped = vmap((x: Tensor) => hypot(x, b))(param(as)) as Tensor;
      expect(Array.from(looped.data)).toEqual(loop);
      expect(hypotNodes(looped)).toBe(5);
      vmap((x: Tensor) => hypot(x, b))(as);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/hypot/);
      enableHypotRule();
      expect(hasBatchRule(hypotOp)).toBe(true);
      const batched = vmap((x: Tensor) => hypot(x, b))(param(as)) as Tensor;
      expect(batched.shape).toEqual([5, 3]);
      expect(hypotNodes(batched)).toBe(1);
      expect(Array.from(batched.data)).toEqual(loop);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
    }
    gradcheck(hypot, [randn([2, 3], r).add(4), randn([3], r)], { modes: ['rev', 'fwd'], batchedGrad: true });
  });
});

