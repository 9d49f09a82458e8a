/** AdamW against two steps computed by hand, selective decay, and WarmupCosineLR's exact values. */
import { Adam, AdamW, ArgumentError, Linear, SGD, Tensor, WarmupCosineLR, param, tensor } from '../../index';
import { expectError } from '../errors/expect-error';

/** A gradient source giving each parameter its own fixed gradient. */
const fixed = (gs: Map<Tensor, number[]>) => ({ get: (t: Tensor) => tensor(gs.get(t)!) });

/** θ after each step of AdamW by its definition: θ ← θ(1 − ηλ), then Adam's step on g. */
function byHand(theta0: number, gs: number[], lr: number, wd: number, [b1, b2] = [0.9, 0.999], eps = 1e-8): number[] {
  let [theta, m, v] = [theta0, 0, 0];
  return gs.map((g, t) => {
    theta = theta * (1 - lr * wd);
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    theta -= (lr * (m / (1 - b1 ** (t + 1)))) / (Math.sqrt(v / (1 - b2 ** (t + 1))) + eps);
    return theta;
  });
}

describe('AdamW', () => {
  it('two steps: the decoupled decay θ ← θ − ηλθ, then Adam on the raw gradient (defaults lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.01)', () => {
    const p = param([2, -3]);
    const opt = new AdamW([p]);
    expect([opt.lr, opt.beta1, opt.beta2, opt.eps, opt.decoupledWeightDecay, opt.weightDecay]).toEqual([1e-3, 0.9, 0.999, 1e-8, 0.01, 0]);
    const gs = [[0.5, 0.1], [-0.2, 0.4]];
    const got = gs.map((g) => {
      opt.step(fixed(new Map([[p, g]])));
      return Array.from(p.data);
    });
    const first = byHand(2, [0.5, -0.2], 1e-3, 0.01);
    const second = byHand(-3, [0.1, 0.4], 1e-3, 0.01);
    for (let s = 0; s < 2; s++) {
      expect(got[s]![0]).toBeCloseTo(first[s]!, 15);
      expect(got[s]![1]).toBeCloseTo(second[s]!, 15);
    }
    // Step one written out: 2 · (1 − 1e-5) − 1e-3 · 0.05/0.1 / (√(0.00025/0.001) + 1e-8).
    expect(got[0]![0]).toBeCloseTo(2 * (1 - 1e-5) - (1e-3 * 0.5) / (0.5 + 1e-8), 15);
  });

  it('differs from Adam with coupled weight decay, and equals Adam when λ = 0', () => {
    const run = (make: (p: Tensor[]) => { step: (g: { get(t: Tensor): Tensor }) => void }) => {
      const p = param([1.5]);
      const opt = make([p]);
      for (const g of [0.3, -0.1, 0.2]) opt.step(fixed(new Map([[p, [g]]])));
      return p.data[0]!;
    };
    expect(run((p) => new AdamW(p, { lr: 0.1, weightDecay: 0 }))).toBe(run((p) => new Adam(p, { lr: 0.1 })));
    expect(run((p) => new AdamW(p, { lr: 0.1, weightDecay: 0.1 }))).not.toBeCloseTo(run((p) => new Adam(p, { lr: 0.1, weightDecay: 0.1 })), 4);
    expect(run((p) => new AdamW(p, { lr: 0.1, betas: [0.5, 0.9], eps: 1e-3, weightDecay: 0.2 }))).toBeCloseTo(byHand(1.5, [0.3, -0.1, 0.2], 0.1, 0.2, [0.5, 0.9], 1e-3)[2]!, 15);
  });

  it('decays only the parameters decay() picks, by tensor or by name from namedParameters()', () => {
    const layer = new Linear(2, 1, { rng: 1 });
    const [w0, b0] = [Array.from(layer.W.data), Array.from(layer.b!.data)];
    const asked: Array<[string | undefined, number]> = [];
    const opt = new AdamW(layer.namedParameters(), {
      lr: 0.1,
      weightDecay: 0.5,
      decay: (p, name, i) => {
        asked.push([name, i]);
        return p.rank >= 2;
      },
    });
    expect(asked).toEqual([['W', 0], ['b', 1]]);
    expect(opt.decays).toEqual([true, false]);
    // Zero gradients: Adam's step is 0, so only the decay moves θ.
    opt.step({ get: (t: Tensor) => new Tensor(new Float64Array(t.size), t.shape) });
    layer.W.data.forEach((v, k) => expect(v).toBeCloseTo(w0[k]! * (1 - 0.05), 15));
    expect(Array.from(layer.b!.data)).toEqual(b0);
    const byName = new AdamW(layer.namedParameters(), { decay: (_, name) => name !== 'b' });
    expect(byName.decays).toEqual([true, false]);
    expect(new AdamW(layer.parameters(), { decay: (_, name) => name === undefined }).decays).toEqual([true, true]);
  });

  it('follows the learning rate a schedule sets, in the decay too', () => {
    const p = param([1]);
    const opt = new AdamW([p], { lr: 0.2, weightDecay: 0.5 });
    opt.lr = 0.1;
    opt.step(fixed(new Map([[p, [0]]])));
    expect(p.data[0]).toBe(1 * (1 - 0.1 * 0.5));
  });

  it('refuses bad options, naming AdamW and the value', () => {
    const ps = [param([1])];
    expectError(() => new AdamW(ps, { lr: 0 }), ArgumentError, 'AdamW', 'lr', '0', '> 0');
    expectError(() => new AdamW(ps, { betas: [0.9] as any }), ArgumentError, 'AdamW', 'betas', 'pair');
    expectError(() => new AdamW(ps, { betas: [0.9, 1] }), ArgumentError, 'AdamW', 'betas[1]', '1', '[0, 1)');
    expectError(() => new AdamW(ps, { eps: -1 }), ArgumentError, 'AdamW', 'eps', '-1');
    expectError(() => new AdamW(ps, { weightDecay: NaN }), ArgumentError, 'AdamW', 'weightDecay', 'NaN', '≥ 0');
    expectError(() => new AdamW(ps, { decay: true as any }), ArgumentError, 'AdamW', 'decay', 'function', 'true');
    expectError(() => new AdamW(ps, { decay: () => 1 as any }), ArgumentError, 'AdamW', 'decay', 'true or false', '1', 'parameter 0');
    expectError(() => new AdamW([['w', ps[0]!], 3] as any), ArgumentError, 'AdamW', 'params[1]', '[name, tensor]', '3');
    expectError(() => new AdamW('x' as any), ArgumentError, 'AdamW', 'params', '"x"');
    expectError(() => new AdamW(ps, 5 as any), ArgumentError, 'AdamW', 'options', '5');
  });
});

describe('WarmupCosineLR', () => {
  it('rises linearly from 0 over warmup, then falls along a half cosine to minLr at total, and stays there', () => {
    const opt = new SGD([], { lr: 0.1 });
    const schedule = new WarmupCosineLR(opt, { warmup: 4, total: 10, minLr: 0.01 });
    const at = (t: number) => {
      schedule.apply(t);
      return opt.lr;
    };
    expect(at(0)).toBe(0);
    expect(at(1)).toBe(0.025);
    expect(at(2)).toBe(0.05);
    expect(at(3)).toBeCloseTo(0.075, 16);
    expect(at(4)).toBe(0.1);
    expect(at(7)).toBeCloseTo(0.01 + 0.5 * 0.09, 16); // halfway through the cosine: (η₀ + η_min)/2
    expect(at(5)).toBeCloseTo(0.01 + 0.045 * (1 + Math.cos(Math.PI / 6)), 15);
    expect(at(10)).toBeCloseTo(0.01, 16);
    expect(at(25)).toBeCloseTo(0.01, 16);
    // The base rate is the optimizer's when the schedule was made, whatever apply set since.
    expect(at(4)).toBe(0.1);
  });

  it('with warmup 0 is CosineLR, and it drives fit-style per-epoch use', () => {
    const opt = new SGD([], { lr: 1 });
    const schedule = new WarmupCosineLR(opt, { warmup: 0, total: 2 });
    const lrs = [0, 1, 2].map((e) => (schedule.apply(e), opt.lr));
    expect(lrs[0]).toBe(1);
    expect(lrs[1]).toBeCloseTo(0.5, 16);
    expect(lrs[2]).toBeCloseTo(0, 16);
  });

  it('refuses bad arguments, naming WarmupCosineLR', () => {
    const opt = new SGD([], { lr: 0.1 });
    expectError(() => new WarmupCosineLR({} as any, { warmup: 1, total: 2 }), ArgumentError, 'WarmupCosineLR', 'optimizer');
    expectError(() => new WarmupCosineLR(opt, undefined as any), ArgumentError, 'WarmupCosineLR', 'warmup and total');
    expectError(() => new WarmupCosineLR(opt, { warmup: 10, total: 10 }), ArgumentError, 'WarmupCosineLR', 'warmup', '10', '[0, 10)');
    expectError(() => new WarmupCosineLR(opt, { warmup: 1, total: 0 }), ArgumentError, 'WarmupCosineLR', 'total', '0');
    expectError(() => new WarmupCosineLR(opt, { warmup: 1.5, total: 4 }), ArgumentError, 'WarmupCosineLR', 'warmup', '1.5');
    expectError(() => new WarmupCosineLR(opt, { warmup: 1, total: 4, minLr: 0.2 }), ArgumentError, 'WarmupCosineLR', 'minLr', '0.2', '[0, 0.1]');
    expectError(() => new WarmupCosineLR(opt, { warmup: 1, total: 4 }).apply(-1), ArgumentError, 'WarmupCosineLR.apply', '-1');
  });
});
