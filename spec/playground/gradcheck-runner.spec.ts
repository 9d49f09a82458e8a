/** The playground's gradient check: every parameter of the net against central differences, and the op table one op at a time. */
import { Tensor, defineOp, mean, mul, registry, sub } from 'deltagraph';
import { DEFAULT_CONFIG } from '../../playground/config';
import { checkNet, checkOpsStepwise } from '../../playground/gradcheck-runner';
import type { Session } from '../../playground/host';
import { TrainingSession } from '../../playground/session';

/**
 * x², whose VJP multiplies g by `factor`·x: 2 is right, anything else is a broken VJP (the
 * forward values stay right, so only a gradient check can tell).
 */
function squareWithVjpFactor(factor: number) {
  return defineOp<undefined>({
    name: `squareVjp${factor}`,
    forward: ([x]) => new Tensor(x!.data.map((v) => v * v), x!.shape),
    vjp: (g, { inputs: [x] }) => [mul(g, mul(x!, factor))],
  });
}

/** The session's net and data, with the loss mean((output − y)²) computed through the square above. */
function sessionWithSquare(base: TrainingSession, factor: number): Session {
  const square = squareWithVjpFactor(factor);
  return {
    config: base.config,
    model: base.model,
    X: base.X,
    y: base.y,
    steps: base.steps,
    logits: false,
    lossGraph() {
      const output = base.model.forward(base.X);
      return { X: base.X, y: base.y, output, loss: mean(square.apply([sub(output, base.y)], undefined)) };
    },
  };
}

describe('checkNet', () => {
  const session = new TrainingSession(DEFAULT_CONFIG);
  for (let i = 0; i < 20; i++) session.step(); // away from the initial weights

  it('gives one passing row per weight matrix and bias of the 2-8-8-1 net, in order, and leaves the parameters as they were', () => {
    const params = session.model.parameters();
    const values = params.map((p) => Array.from(p.data));
    const layers = session.model.linears().map((l) => [l.W, l.b]);
    const rows = checkNet(session);
    expect(rows.map((r) => r.name)).toEqual(['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    expect(rows.map((r) => r.shape)).toEqual([[2, 8], [8], [8, 8], [8], [8, 1], [1]]);
    for (const r of rows) {
      expect(r).toMatchObject({ ok: true, mode: 'full' });
      expect(r.worstRatio).toBeLessThanOrEqual(1);
      expect(r.absError).toBeLessThan(1e-6);
      expect(Number.isFinite(r.analytic) && Number.isFinite(r.numeric)).toBe(true);
    }
    // The gradients are not all zero: the check compared something.
    expect(rows.some((r) => Math.abs(r.numeric) > 1e-3)).toBe(true);
    const after = session.model.parameters();
    expect(after.length).toBe(params.length);
    after.forEach((p, k) => {
      expect(p).toBe(params[k]);
      expect(Array.from(p.data)).toEqual(values[k]);
    });
    session.model.linears().forEach((l, k) => {
      expect(l.W).toBe(layers[k]![0]);
      expect(l.b).toBe(layers[k]![1]);
    });
  });

  it('passes a loss through a custom op with the right VJP', () => {
    expect(checkNet(sessionWithSquare(session, 2)).every((r) => r.ok)).toBe(true);
  });

  it.each([1, 2.01])('fails every parameter when the loss goes through a VJP off by a factor (%p·x in place of 2x)', (factor) => {
    const rows = checkNet(sessionWithSquare(session, factor));
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      expect(r.ok).toBe(false);
      expect(r.worstRatio).toBeGreaterThan(1);
      expect(r.absError).toBeGreaterThan(0);
      // The numeric side is the true derivative; the analytic one is off by factor / 2.
      expect(r.analytic / r.numeric).toBeCloseTo(factor / 2, 4);
    }
  });

  it('puts the parameter back when the forward pass throws', () => {
    const W = session.model.linears()[0]!.W;
    const throwing: Session = { ...sessionWithSquare(session, 2), lossGraph: () => { throw new Error('forward failed'); } };
    expect(() => checkNet(throwing)).toThrow('forward failed');
    expect(session.model.linears()[0]!.W).toBe(W);
  });
});

describe('checkOpsStepwise', () => {
  it('checks the ops in the registry order, reporting each row as it is done, giving the event loop a turn in between, and stops when asked', async () => {
    const seen: Array<[string, number, number]> = [];
    let timerRan = false;
    const rows = await checkOpsStepwise(
      2,
      (row, i, total) => {
        if (i === 0) setTimeout(() => (timerRan = true), 0);
        if (i === 1) expect(timerRan).toBe(true);
        seen.push([row.op, i, total]);
      },
      () => seen.length >= 2,
    );
    expect(seen).toEqual([
      [registry[0]!.name, 0, registry.length],
      [registry[1]!.name, 1, registry.length],
    ]);
    expect(rows.map((r) => r.op)).toEqual([registry[0]!.name, registry[1]!.name]);
    for (const r of rows) expect(r).toMatchObject({ pass: true, cases: 4 });
  });

  it('gives the same rows on every run (a fixed seed)', async () => {
    const once = () => checkOpsStepwise(2, () => undefined, (() => { let n = 0; return () => n++ >= 1; })());
    expect(await once()).toEqual(await once());
  });
});
