/**
 * The checkers themselves: they must pass correct gradients and catch wrong ones — a first-order
 * error, a second-order error hidden behind a correct first order — and report where.
 */
import fc from 'fast-check';
import { Tensor, defineOp, kernels, mul, param, sigmoid, sub, sum, tensor, asTensor } from '../../index';
import { GradcheckError, evaluateGraph, gradcheck, gradgradcheck, opGraph } from '../../check';

/** x² with a VJP that forgets the factor 2. */
const badSquare = defineOp({
  name: 'badSquare',
  forward: ([x]) => kernels.mul(x!, x!),
  vjp: (g, { inputs: [x] }) => [mul(g, x!)],
});

/** σ(x) whose VJP is right in value but computed with kernels: a constant, invisible to a second derivative. */
const opaqueSigmoid = defineOp({
  name: 'opaqueSigmoid',
  forward: ([x]) => kernels.sigmoid(x!),
  vjp: (g, { output }) => [mul(g, kernels.mul(output, kernels.sub(new Tensor(Float64Array.of(1), []), output)))],
});

describe('gradcheck', () => {
  it('passes a correct gradient in both modes', () => {
    const f = (x: Tensor) => sum(mul(sigmoid(x), x));
    expect(gradcheck(f, [tensor([0.5, -1, 2])]).ok).toBe(true);
    expect(gradcheck(f, [tensor([0.5, -1, 2])], { mode: 'dot' }).ok).toBe(true);
  });

  it('catches a wrong VJP in full mode and names the op, the shapes and the worst element', () => {
    const x = tensor([[1, 2], [3, 4]]);
    let error: GradcheckError | undefined;
    try {
      gradcheck((t: Tensor) => badSquare.apply([t], undefined), [x], { name: 'badSquare' });
    } catch (e) {
      error = e as GradcheckError;
    }
    expect(error).toBeInstanceOf(GradcheckError);
    expect(error!.message).toMatch(/badSquare/);
    expect(error!.message).toMatch(/\[2, 2\]/);
    // The worst element is the largest x: analytic x, numeric 2x.
    expect(error!.result.worst).toMatchObject({ input: 0, inputIndex: 3, outputIndex: 3 });
    expect(error!.result.worst!.analytic).toBeCloseTo(4, 12);
    expect(error!.result.worst!.numeric).toBeCloseTo(8, 6);
  });

  it('catches a wrong VJP in dot mode', () => {
    const r = gradcheck((t: Tensor) => badSquare.apply([t], undefined), [tensor([1, 2, 3])], { mode: 'dot', raise: false });
    expect(r.ok).toBe(false);
    expect(r.mode).toBe('dot');
  });

  it('gradgradcheck catches a VJP that is right at first order but not differentiable', () => {
    const f = (t: Tensor) => opaqueSigmoid.apply([t], undefined);
    const x = tensor([0.3, -0.8]);
    expect(gradcheck(f, [x]).ok).toBe(true);
    expect(() => gradgradcheck(f, [x])).toThrow(GradcheckError);
    expect(gradgradcheck((t: Tensor) => sigmoid(t), [x]).ok).toBe(true);
  });

  it('shrinks a failing property to a small case', () => {
    let counterexample: unknown;
    try {
      fc.assert(
        fc.property(fc.array(fc.double({ min: 0.5, max: 3, noNaN: true }), { minLength: 1, maxLength: 20 }), (xs) => {
          gradcheck((t: Tensor) => badSquare.apply([t], undefined), [tensor(xs)]);
        }),
        { seed: 42 },
      );
    } catch (e) {
      counterexample = (e as Error).message;
    }
    expect(String(counterexample)).toMatch(/Counterexample: \[\[0\.5\]\]/);
  });
});

describe('random op graphs with shared sub-expressions', () => {
  it('first- and second-order gradients match central differences', () => {
    fc.assert(
      fc.property(opGraph(), (graph) => {
        const f = (...xs: Tensor[]) => evaluateGraph(graph, xs);
        gradcheck(f, graph.inputs, { name: 'opGraph' });
        gradgradcheck(f, graph.inputs, { name: 'opGraph' });
      }),
      { numRuns: 100 },
    );
  });

  it('a value used twice gets both contributions (x used by two steps)', () => {
    const x = param([0.4, -0.2]);
    const y = sum(mul(sub(x, 1), sigmoid(x)));
    expect(gradcheck((t: Tensor) => sum(mul(sub(t, 1), sigmoid(t))), [asTensor('test', x)]).ok).toBe(true);
    expect(y.requiresGrad).toBe(true);
  });
});
