/** Optimizers against steps computed by hand from their update rules. */
import { Adam, CosineLR, RMSProp, SGD, StepLR, Tensor, clipGradNorm, param, tensor } from '../../index';

/** A gradient source that always returns g for the one parameter. */
const constant = (g: number) => ({ get: (_: Tensor) => tensor([g]) });

function steps(make: (p: Tensor[]) => { step: (g: { get(t: Tensor): Tensor }) => void }, gs: number[], theta0 = 1): number[] {
  const p = param([theta0]);
  const opt = make([p]);
  return gs.map((g) => {
    opt.step(constant(g));
    return p.data[0]!;
  });
}

describe('SGD', () => {
  it('θ ← θ − ηg', () => {
    const [a, b] = steps((p) => new SGD(p, { lr: 0.1 }), [0.5, 0.5]);
    expect(a).toBeCloseTo(1 - 0.05, 15);
    expect(b).toBeCloseTo(1 - 0.1, 15);
  });
  it('momentum: v ← μv + g, θ ← θ − ηv', () => {
    const [a, b] = steps((p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), [0.5, 0.5]);
    expect(a).toBeCloseTo(1 - 0.1 * 0.5, 15);
    expect(b).toBeCloseTo(1 - 0.1 * 0.5 - 0.1 * (0.9 * 0.5 + 0.5), 15);
  });
  it('Nesterov: θ ← θ − η(g + μv)', () => {
    const [a] = steps((p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), [0.5]);
    expect(a).toBeCloseTo(1 - 0.1 * (0.5 + 0.9 * 0.5), 15);
  });
  it('weight decay adds λθ to the gradient', () => {
    expect(steps((p) => new SGD(p, { lr: 0.1, weightDecay: 0.1 }), [0.5])[0]).toBeCloseTo(1 - 0.1 * (0.5 + 0.1), 15);
  });
  it('rejects a non-positive learning rate', () => {
    expect(() => new SGD([], { lr: 0 })).toThrow(/SGD: lr must be a finite number > 0, got 0/);
  });
});

describe('Adam', () => {
  it('first two steps with bias correction', () => {
    const [lr, b1, b2, eps] = [0.1, 0.9, 0.999, 1e-8];
    const gs = [0.5, -0.2];
    let m = 0;
    let v = 0;
    let theta = 1;
    const expected = gs.map((g, t) => {
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      theta -= (lr * (m / (1 - b1 ** (t + 1)))) / (Math.sqrt(v / (1 - b2 ** (t + 1))) + eps);
      return theta;
    });
    const got = steps((p) => new Adam(p, { lr }), gs);
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 15));
    // The first Adam step has size ≈ η whatever the gradient's scale.
    expect(1 - got[0]!).toBeCloseTo(0.1, 6);
  });
});

describe('RMSProp', () => {
  it('s ← αs + (1 − α)g², θ ← θ − ηg/(√s + ε)', () => {
    const s = 0.01 * 0.25;
    expect(steps((p) => new RMSProp(p, { lr: 0.01 }), [0.5])[0]).toBeCloseTo(1 - (0.01 * 0.5) / (Math.sqrt(s) + 1e-8), 15);
  });
});

describe('schedules and clipping', () => {
  it('StepLR multiplies by γ every stepSize epochs', () => {
    const opt = new SGD([], { lr: 1 });
    const s = new StepLR(opt, 2, 0.5);
    expect([0, 1, 2, 3, 4].map((e) => (s.apply(e), opt.lr))).toEqual([1, 1, 0.5, 0.5, 0.25]);
  });
  it('CosineLR goes from η₀ to η_min along a half cosine', () => {
    const opt = new SGD([], { lr: 1 });
    const s = new CosineLR(opt, 4, 0.2);
    s.apply(0);
    expect(opt.lr).toBeCloseTo(1, 15);
    s.apply(2);
    expect(opt.lr).toBeCloseTo(0.6, 15);
    s.apply(4);
    expect(opt.lr).toBeCloseTo(0.2, 15);
  });
  it('clipGradNorm scales the global norm down to maxNorm and leaves small gradients alone', () => {
    const a = param([0]);
    const b = param([0, 0]);
    const grads = { get: (t: Tensor) => (t === a ? tensor([3]) : tensor([0, 4])) };
    const clipped = clipGradNorm(grads, [a, b], 1);
    expect(clipped.norm).toBe(5);
    expect(clipped.grads.get(a).item()).toBeCloseTo(0.6, 15);
    expect(clipped.grads.get(b).toArray()).toEqual([0, 0.8]);
    expect(grads.get(a).item()).toBe(3);
    expect(clipGradNorm(grads, [a, b], 10).grads).toBe(grads);
  });
});
