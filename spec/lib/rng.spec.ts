/** The seeded generator: reproducible, uniform and normal to within sampling error. */
import { randn, rand, rng } from '../../index';

describe('rng', () => {
  it('is reproducible from its seed and differs between seeds', () => {
    expect(randn([5], rng(1)).toArray()).toEqual(randn([5], rng(1)).toArray());
    expect(randn([5], rng(1)).toArray()).not.toEqual(randn([5], rng(2)).toArray());
  });

  it('uniform values lie in [0, 1) with mean ½ and variance 1/12', () => {
    const x = rand([100_000], rng(3)).data;
    let mean = 0;
    for (const v of x) {
      expect(v >= 0 && v < 1).toBe(true);
      mean += v / x.length;
    }
    let variance = 0;
    for (const v of x) variance += (v - mean) ** 2 / x.length;
    // Standard errors: 0.29/√n ≈ 0.0009 for the mean; allow 5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('normal values have mean 0 and variance 1', () => {
    const x = randn([100_000], rng(4)).data;
    const mean = x.reduce((a, v) => a + v, 0) / x.length;
    const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.016);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });

  it('permutation is a permutation', () => {
    const p = Array.from(rng(5).permutation(50)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
