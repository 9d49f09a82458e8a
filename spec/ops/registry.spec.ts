/**
 * Every op of the registry, property-checked against central differences: first order (the VJP)
 * and second order (the VJP of the VJP, through a recorded backward pass), 100 random cases each;
 * and the pullback under vmap against the loop over a batch of cotangents (gradcheck's batchedGrad).
 */
import fc from 'fast-check';
import { add, constantOps, mul, registry, sum } from '../../ops';
import { Tensor, param } from '../../lib';
import { backward } from '../../graph';
import { callCase, gradcheck, gradgradcheck, opCase } from '../../check';

const RUNS = 100;

describe.each(registry.map((e) => [e.name, e] as const))('%s', (name, entry) => {
  it('first-order gradients match central differences', () => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        gradcheck(callCase(entry, c), c.inputs, { name });
      }),
      { numRuns: RUNS },
    );
  });

  it('its pullback under vmap equals the loop over the cotangents (batchedGrad)', () => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        gradcheck(callCase(entry, c), c.inputs, { name, batchedGrad: true, mode: 'dot' });
      }),
      { numRuns: 10 },
    );
  });

  it('second-order gradients match central differences', () => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        gradgradcheck(callCase(entry, c), c.inputs, { name });
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * The ops without a gradient: with L = sum(op(inputs)) · Σ sum(input), a backward pass must treat
 * op's output as a constant, so every input's gradient is sum(op(inputs)) everywhere. Inputs are
 * small integers (ties for the comparisons, valid labels for oneHot).
 */
describe.each(constantOps.map((e) => [e.name, e] as const))('%s (no gradient)', (name, entry) => {
  it('is a constant to the backward pass', () => {
    const shape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
    const ints = (s: number[]) => fc.array(fc.integer({ min: 0, max: 4 }), { minLength: s.reduce((a, b) => a * b, 1), maxLength: s.reduce((a, b) => a * b, 1) });
    const inputs = shape.chain((s) => fc.tuple(...Array.from({ length: entry.arity }, () => ints(s))).map((rows) => rows.map((r) => param(new Tensor(Float64Array.from(r), s)))));
    fc.assert(
      fc.property(inputs, (xs) => {
        const out = entry.fn(...xs);
        expect(out.requiresGrad).toBe(false);
        const total = sum(out).item();
        const loss = mul(sum(out), xs.map((x) => sum(x)).reduce((a, b) => add(a, b)));
        const grads = backward(loss);
        for (const x of xs) expect(Array.from(grads.get(x)!.data)).toEqual(new Array(x.size).fill(total));
      }),
      { numRuns: RUNS },
    );
  });
});
