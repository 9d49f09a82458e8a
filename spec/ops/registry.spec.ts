/**
 * Every op of the registry, property-checked against central differences: first order (the VJP)
 * and second order (the VJP of the VJP, through a recorded backward pass), 100 random cases each.
 */
import fc from 'fast-check';
import { registry } from '../../ops';
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

  it('second-order gradients match central differences', () => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        gradgradcheck(callCase(entry, c), c.inputs, { name });
      }),
      { numRuns: RUNS },
    );
  });
});
