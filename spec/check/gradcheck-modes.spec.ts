/**
 * gradcheck's modes: 'rev' (the VJPs, as always) and 'fwd' (jvp along random tangents against
 * central differences). Forward mode is checked for every registry op, to first order and over
 * its recorded VJP (forward over reverse); it catches a wrong VJP,
 * and a VJP whose value is right but which is not written with differentiable ops in g (forward
 * mode differentiates the VJP with respect to its cotangent).
 */
import fc from 'fast-check';
import { ArgumentError, Tensor, defineOp, kernels, mul, sigmoid, sum, tanh, tensor } from '../../index';
import { GradcheckError, callCase, gradcheck, gradgradcheck, opCase } from '../../check';
import { registry } from '../../ops';

/** x² with a VJP that forgets the factor 2. */
const badSquare = defineOp({
  name: 'badSquare',
  forward: ([x]) => kernels.mul(x!, x!),
  vjp: (g, { inputs: [x] }) => [mul(g, x!)],
});

/** tanh whose VJP has the right value but is computed with kernels from g: a constant in g. */
const opaqueInG = defineOp({
  name: 'opaqueInG',
  forward: ([x]) => kernels.tanh(x!),
  vjp: (g, { output }) => [kernels.mul(g, kernels.sub(new Tensor(Float64Array.of(1), []), kernels.mul(output, output)))],
});

describe("gradcheck { modes: ['fwd'] }", () => {
  it("runs only the reverse check by default, and reports the modes that ran", () => {
    const f = (x: Tensor) => sum(mul(sigmoid(x), x));
    expect(gradcheck(f, [tensor([0.5, -1, 2])]).modes).toEqual(['rev']);
    const r = gradcheck(f, [tensor([0.5, -1, 2])], { modes: ['rev', 'fwd'] });
    expect(r.ok).toBe(true);
    expect(r.modes).toEqual(['rev', 'fwd']);
    expect(gradcheck(f, [tensor([0.5, -1, 2])], { modes: ['fwd'] }).ok).toBe(true);
  });

  it('catches a wrong VJP in forward mode and says so', () => {
    const f = (x: Tensor) => badSquare.apply([x], undefined);
    const r = gradcheck(f, [tensor([1.5, -2])], { modes: ['fwd'], raise: false });
    expect(r.ok).toBe(false);
    expect(r.worst!.check).toBe('fwd');
    expect(() => gradcheck(f, [tensor([1.5, -2])], { modes: ['fwd'], name: 'badSquare' })).toThrow(GradcheckError);
    expect(() => gradcheck(f, [tensor([1.5, -2])], { modes: ['fwd'], name: 'badSquare' })).toThrow(
      /^gradcheck: 'badSquare' failed \(forward mode\) for inputs \[2\] → output \[2\]\n {2}worst: jvp: out\[\d\] of the directional derivative along a random tangent of input 0: analytic/,
    );
  });

  it('catches a VJP that is right in value but not differentiable in g, which the reverse check passes', () => {
    const f = (x: Tensor) => opaqueInG.apply([x], undefined);
    expect(gradcheck(f, [tensor([0.3, -1.2])]).ok).toBe(true);
    expect(gradcheck(f, [tensor([0.3, -1.2])], { modes: ['fwd'], raise: false }).ok).toBe(false);
  });

  it('checks several inputs and only those in wrt, and passes through gradgradcheck', () => {
    const f = (x: Tensor, y: Tensor) => tanh(mul(x, y));
    expect(gradcheck(f, [tensor([0.5, 1]), tensor([2, -1])], { modes: ['fwd'] }).ok).toBe(true);
    const wrong = (x: Tensor, y: Tensor) => mul(badSquare.apply([x], undefined), y);
    expect(gradcheck(wrong, [tensor([0.5, 1]), tensor([2, -1])], { modes: ['fwd'], wrt: [1] }).ok).toBe(true);
    expect(gradcheck(wrong, [tensor([0.5, 1]), tensor([2, -1])], { modes: ['fwd'], wrt: [0], raise: false }).ok).toBe(false);
    expect(gradgradcheck(f, [tensor([0.5, 1]), tensor([2, -1])], { modes: ['rev', 'fwd'] }).ok).toBe(true);
  });

  it('refuses modes that are not a list of distinct rev and fwd', () => {
    const f = (x: Tensor) => sum(x);
    for (const modes of [[], ['up'], ['rev', 'rev'], 'fwd']) {
      expect(() => gradcheck(f, [tensor([1])], { modes } as never)).toThrow(ArgumentError);
      expect(() => gradcheck(f, [tensor([1])], { modes } as never)).toThrow(/^gradcheck: modes must list 'rev' and\/or 'fwd'/);
    }
  });
});

// Forward mode of every registry op against central differences.
describe.each(registry.map((e) => [e.name, e] as const))('%s', (name, entry) => {
  it('forward mode (jvp) matches central differences', () => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        gradcheck(callCase(entry, c), c.inputs, { name, modes: ['fwd'] });
      }),
      { numRuns: 40 },
    );
  });

  it('forward over reverse (jvp of the recorded VJP) matches central differences', () => {
    fc.assert(
      fc.property(opCase(entry.domain), (c) => {
        gradgradcheck(callCase(entry, c), c.inputs, { name, modes: ['fwd'] });
      }),
      { numRuns: 10 },
    );
  });
});
