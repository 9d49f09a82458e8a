/**
 * The initialisers' statistics on large shapes. Every tolerance is a multiple of the sampling
 * error of the statistic for N independent draws: the standard error of a sample mean is σ/√N, of
 * a sample variance s² = mean(w²) about the known mean 0 it is √(Var(w²)/N) — 2σ⁴ for a normal,
 * 4a⁴/45 for U(−a, a). At 5 standard errors a correct initialiser fails with probability below
 * 10⁻⁶ per check (and the seeds are fixed, so a pass is reproducible).
 */
import { Initializer, Linear, Tensor, initialize, initializer, rng } from '../../index';

const Z = 5;

function moments(t: Tensor): { n: number; mean: number; meanSquare: number; maxAbs: number } {
  let sum = 0;
  let squares = 0;
  let maxAbs = 0;
  for (const v of t.data) {
    sum += v;
    squares += v * v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  return { n: t.size, mean: sum / t.size, meanSquare: squares / t.size, maxAbs };
}

/** N(0, σ²): mean 0 within Z σ/√N, E[w²] = σ² within Z σ²√(2/N). */
function expectNormal(t: Tensor, sigma: number): void {
  const { n, mean, meanSquare } = moments(t);
  expect(Math.abs(mean)).toBeLessThan((Z * sigma) / Math.sqrt(n));
  expect(Math.abs(meanSquare - sigma ** 2)).toBeLessThan(Z * sigma ** 2 * Math.sqrt(2 / n));
}

/**
 * U(−a, a): every |w| ≤ a, and the largest comes within a/1000 of a (N draws all miss the outer
 * thousandth with probability 0.999^N, below 10⁻⁶⁰ here); mean 0 within Z a/√(3N); E[w²] = a²/3
 * within Z √(4a⁴/(45N)).
 */
function expectUniform(t: Tensor, a: number): void {
  const { n, mean, meanSquare, maxAbs } = moments(t);
  expect(maxAbs).toBeLessThanOrEqual(a);
  expect(maxAbs).toBeGreaterThan(a * (1 - 1e-3));
  expect(Math.abs(mean)).toBeLessThan((Z * a) / Math.sqrt(3 * n));
  expect(Math.abs(meanSquare - a ** 2 / 3)).toBeLessThan(Z * Math.sqrt((4 * a ** 4) / (45 * n)));
}

describe('initialisers on large shapes', () => {
  it("normal:σ draws N(0, σ²), and 'normal' alone has σ = 0.01", () => {
    expectNormal(initialize(initializer('normal:0.05'), [200, 500], rng(1)), 0.05);
    expectNormal(initialize(initializer('normal'), [200, 500], rng(2)), 0.01);
    expectNormal(initialize({ kind: 'normal', std: 3 }, [100_000], rng(3)), 3);
  });

  it('xavier draws U(−a, a) with a = √(6/(fanIn + fanOut)): variance 2/(fanIn + fanOut)', () => {
    const [fanIn, fanOut] = [300, 500];
    const w = initialize(initializer('xavier'), [fanIn, fanOut], rng(4));
    expectUniform(w, Math.sqrt(6 / (fanIn + fanOut)));
    expect(Math.sqrt(6 / (fanIn + fanOut)) ** 2 / 3).toBeCloseTo(2 / (fanIn + fanOut), 15);
  });

  it('he draws N(0, 2/fanIn), whatever fanOut', () => {
    expectNormal(initialize(initializer('he'), [250, 400], rng(5)), Math.sqrt(2 / 250));
    expectNormal(initialize(initializer('kaiming'), [400, 250], rng(6)), Math.sqrt(2 / 400));
  });

  it('fanInUniform draws U(−1/√fanIn, 1/√fanIn); a bias takes fanIn from its layer', () => {
    expectUniform(initialize(initializer('fanInUniform'), [400, 250], rng(7)), 1 / Math.sqrt(400));
    expectUniform(initialize(initializer('fanInUniform'), [50_000], rng(8), 64, 1), 1 / Math.sqrt(64));
  });

  it('zeros are exactly zero', () => {
    const w = initialize(initializer('zeros'), [300, 200], rng(9));
    expect(w.data.every((v) => Object.is(v, 0))).toBe(true);
  });

  it("Linear uses them: PyTorch's default fanInUniform for W and b, zero biases with the others", () => {
    const layer = new Linear(256, 400, { rng: 10 });
    expectUniform(layer.W, 1 / Math.sqrt(256));
    expectUniform(new Linear(4, 50_000, { rng: 11 }).b!, 1 / Math.sqrt(4));
    const he = new Linear(256, 400, { init: 'he', rng: 12 });
    expectNormal(he.W, Math.sqrt(2 / 256));
    expect(he.b!.data.every((v) => v === 0)).toBe(true);
  });

  it('the same seed gives the same values, another seed others', () => {
    const spec: Initializer = { kind: 'xavier' };
    const a = initialize(spec, [30, 40], rng(13)).data;
    expect(initialize(spec, [30, 40], rng(13)).data).toEqual(a);
    expect(initialize(spec, [30, 40], rng(14)).data).not.toEqual(a);
  });
});
