/** The California Housing loader: derived features, imputation, split and standardisation. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { HOUSING_FEATURES, loadCaliforniaHousing } from '../../../node';

describe('loadCaliforniaHousing', () => {
  const h = loadCaliforniaHousing();
  it('splits the 20,640 districts 80/20 into 8 features and a target', () => {
    expect(h.train.x.shape).toEqual([16512, 8]);
    expect(h.test.x.shape).toEqual([4128, 8]);
    expect(h.train.y.shape).toEqual([16512, 1]);
    expect(h.featureNames).toEqual(HOUSING_FEATURES);
  });
  it('imputes the 207 missing bedroom counts, leaving no NaN', () => {
    expect(h.imputed).toBe(207);
    expect(Array.from(h.train.x.data).concat(Array.from(h.test.x.data)).every(Number.isFinite)).toBe(true);
  });
  it('standardises with training statistics: training features have mean 0 and deviation 1', () => {
    const h = loadCaliforniaHousing({ clip: Infinity });
    for (let j = 0; j < 8; j++) {
      let m = 0;
      let v = 0;
      for (let i = 0; i < 16512; i++) m += h.train.x.data[i * 8 + j]! / 16512;
      for (let i = 0; i < 16512; i++) v += (h.train.x.data[i * 8 + j]! - m) ** 2 / 16512;
      expect(m).toBeCloseTo(0, 9);
      expect(v).toBeCloseTo(1, 9);
    }
  });
  it('derives AveOccup = population / households and keeps the target in $100,000', () => {
    const csv = readFileSync(join(__dirname, '..', '..', '..', 'data', 'california-housing.csv'), 'utf8').trim().split('\n');
    const values = csv.slice(1).map((l) => l.split(','));
    const occupancy = values.map((c) => Number(c[5]) / Number(c[6]));
    const targets = new Set(values.map((c) => Number(c[8]) / 100_000));
    // Un-standardise the first training row's AveOccup and find it among the districts.
    const u = loadCaliforniaHousing({ clip: Infinity });
    const raw = u.train.x.data[5]! * u.featureStd[5]! + u.featureMean[5]!;
    expect(occupancy.some((o) => Math.abs(o - raw) < 1e-9)).toBe(true);
    expect(targets.has(h.train.y.data[0]!)).toBe(true);
  });
  it('splits the same way for the same seed and differently for another', () => {
    expect(loadCaliforniaHousing({ seed: 42 }).test.y.data.slice(0, 5)).toEqual(h.test.y.data.slice(0, 5));
    expect(loadCaliforniaHousing({ seed: 1 }).test.y.data.slice(0, 5)).not.toEqual(h.test.y.data.slice(0, 5));
  });
  it('has the extreme districts a net must cope with (> 100 standard deviations before clipping)', () => {
    // With the seed-42 split the most extreme district (AveOccup) lands in the test set.
    const raw = loadCaliforniaHousing({ clip: Infinity });
    let worst = 0;
    for (const v of [...raw.train.x.data, ...raw.test.x.data]) worst = Math.max(worst, Math.abs(v));
    expect(worst).toBeGreaterThan(100);
  });
});

describe('loadCaliforniaHousing options', () => {
  it('clips standardised features to ±5 by default, and not at all with clip: Infinity', () => {
    const clipped = loadCaliforniaHousing();
    const raw = loadCaliforniaHousing({ clip: Infinity });
    const extreme = (xs: Float64Array) => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(extreme(clipped.test.x.data)).toBe(5);
    expect(extreme(raw.test.x.data)).toBeGreaterThan(1000);
  });
  it('logTransform replaces the heavy-tailed features by their logarithms', () => {
    const h = loadCaliforniaHousing({ logTransform: true, clip: Infinity });
    const extreme = h.test.x.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(extreme).toBeLessThan(100);
  });
});
