/** The playground's data sets: reproducible from their seed, of the promised shapes and classes, and learnable. */
import { xorDataset } from 'deltagraph';
import { DATASETS, DEFAULT_CONFIG } from '../../playground/config';
import { POINTS, makeDataset } from '../../playground/datasets';
import { TrainingSession } from '../../playground/session';

describe('the playground data sets', () => {
  it.each(DATASETS)('%s: the same seed gives the same points, another seed others (but XOR, which is fixed)', (name) => {
    const a = makeDataset(name, 0.1, 5);
    const b = makeDataset(name, 0.1, 5);
    const c = makeDataset(name, 0.1, 6);
    expect(Array.from(a.X.data)).toEqual(Array.from(b.X.data));
    expect(Array.from(a.y.data)).toEqual(Array.from(b.y.data));
    const all = (d: typeof a) => [...Array.from(d.X.data), ...Array.from(d.y.data)];
    if (name === 'xor') expect(all(c)).toEqual(all(a));
    else expect(all(c)).not.toEqual(all(a));
    const n = name === 'xor' ? 8 : name === 'regression' ? POINTS / 2 : POINTS;
    expect(a.X.shape).toEqual([n, 2]);
    expect(a.y.shape).toEqual([n, 1]);
    expect(a.X.data.every(Number.isFinite)).toBe(true);
  });

  it('XOR is the Siena slides’ 8 points; the classifiers have both classes in equal numbers', () => {
    expect(Array.from(makeDataset('xor', 0.3, 1).X.data)).toEqual(Array.from(xorDataset().X.data));
    for (const name of ['xor', 'circles', 'spirals', 'blobs'] as const) {
      const { y, classification } = makeDataset(name, 0.1, 2);
      expect(classification).toBe(true);
      expect(Array.from(y.data).filter((v) => v === 1).length * 2).toBe(y.size);
      expect(y.data.every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(makeDataset('regression', 0.1, 2).classification).toBe(false);
  });

  it('the default session (XOR, 2-8-8-1 tanh, bce, Adam 0.03) trains below 1e-3, and a regression session lowers its mse', () => {
    const xor = new TrainingSession(DEFAULT_CONFIG);
    const before = xor.fullLoss();
    for (let i = 0; i < 2000 && xor.fullLoss() >= 1e-3; i++) xor.step();
    expect(before).toBeGreaterThan(0.5);
    expect(xor.fullLoss()).toBeLessThan(1e-3);
    const curve = new TrainingSession({ ...DEFAULT_CONFIG, dataset: 'regression', batchSize: 20 });
    const start = curve.fullLoss();
    for (let i = 0; i < 300; i++) curve.step();
    expect(curve.logits).toBe(false);
    expect(curve.fullLoss()).toBeLessThan(start / 4);
  });
});
