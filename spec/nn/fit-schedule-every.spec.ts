/**
 * fit's scheduleEvery: 'epoch' (the default) applies a schedule before each epoch, 'step' before
 * each optimizer step with the step counted over the whole run, so a WarmupCosineLR in iterations
 * drives the learning rate of every step.
 */
import { ArgumentError, Linear, MSELoss, SGD, Schedule, StepLR, WarmupCosineLR, fit, tensor } from '../../index';
import { cos } from '../../lib/math';
import { expectError } from '../errors/expect-error';

// 10 rows in batches of 4: 3 steps per epoch (4, 4 and 2 rows).
const data = { x: tensor(Array.from({ length: 10 }, (_, i) => [i / 10])), y: tensor(Array.from({ length: 10 }, (_, i) => [1 - i / 10])) };

/** The learning rate of every optimizer step of a fit run, the schedule's apply calls, and the history. */
function run(options: { epochs: number; scheduleEvery?: 'epoch' | 'step'; schedule: (opt: SGD) => Schedule }) {
  const model = new Linear(1, 1, { rng: 0 });
  const optimizer = new SGD(model.parameters(), { lr: 0.1 });
  const lrs: number[] = [];
  const step = optimizer.step.bind(optimizer);
  optimizer.step = (grads) => {
    lrs.push(optimizer.lr);
    step(grads);
  };
  const inner = options.schedule(optimizer);
  const applied: number[] = [];
  const schedule: Schedule = { apply: (t) => (applied.push(t), inner.apply(t)) };
  const extra = options.scheduleEvery === undefined ? {} : { scheduleEvery: options.scheduleEvery };
  const history = fit(model, data, { loss: new MSELoss(), optimizer, epochs: options.epochs, batchSize: 4, shuffle: false, progress: false, schedule, ...extra });
  return { lrs, applied, history };
}

describe("fit({ scheduleEvery: 'step' })", () => {
  it('WarmupCosineLR over 12 iterations: linear warm-up over 3 steps, then the cosine to minLr at step 11', () => {
    const base = 0.1;
    const minLr = 0.01;
    const { lrs, applied, history } = run({ epochs: 4, scheduleEvery: 'step', schedule: (opt) => new WarmupCosineLR(opt, { warmup: 3, total: 11, minLr }) });
    expect(applied).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(lrs).toHaveLength(12);
    // Warm-up: η₀ · t / 3, from 0.
    expect(lrs.slice(0, 3)).toEqual([0, (base * 1) / 3, (base * 2) / 3]);
    // The cosine: η_min + ½ (η₀ − η_min)(1 + cos(π (t − 3) / 8)), bit for bit.
    const cosine = (t: number) => minLr + 0.5 * (base - minLr) * (1 + cos((Math.PI * (t - 3)) / 8));
    expect(lrs.slice(3)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11].map(cosine));
    // In round numbers: the peak at step 3, half-way at step 7, the floor at step 11.
    expect(lrs[3]).toBeCloseTo(0.1, 15);
    expect(lrs[7]).toBeCloseTo(0.055, 15);
    expect(lrs[11]).toBe(0.01);
    // Each epoch's record has its last step's rate.
    expect(history.epochs.map((e) => e.lr)).toEqual([lrs[2], lrs[5], lrs[8], lrs[11]]);
  });

  it('keeps counting steps past total (the floor) and across epochs of an uneven last batch', () => {
    const { lrs } = run({ epochs: 5, scheduleEvery: 'step', schedule: (opt) => new WarmupCosineLR(opt, { warmup: 0, total: 6, minLr: 0.02 }) });
    expect(lrs).toHaveLength(15);
    expect(lrs[0]).toBe(0.1);
    expect(lrs.slice(6)).toEqual(Array(9).fill(0.02));
  });

  it('StepLR per step halves the rate every 2 steps', () => {
    const { lrs } = run({ epochs: 2, scheduleEvery: 'step', schedule: (opt) => new StepLR(opt, 2, 0.5) });
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it("the default, and 'epoch', apply the schedule once before each epoch, as before", () => {
    for (const scheduleEvery of [undefined, 'epoch'] as const) {
      const { lrs, applied } = run({ epochs: 3, scheduleEvery, schedule: (opt) => new StepLR(opt, 1, 0.5) });
      expect(applied).toEqual([0, 1, 2]);
      expect(lrs).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
    }
  });

  it('refuses another value, and names the step where a schedule fails', () => {
    const model = new Linear(1, 1, { rng: 0 });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const base = { loss: new MSELoss(), optimizer, epochs: 2, batchSize: 4, shuffle: false, progress: false };
    expectError(() => fit(model, data, { ...base, scheduleEvery: 'batch' as never }), ArgumentError, 'fit', 'scheduleEvery', "'epoch', 'step'", '"batch"');
    const failing: Schedule = {
      apply(t) {
        if (t === 4) throw new ArgumentError('the schedule refuses step 4');
      },
    };
    expectError(() => fit(model, data, { ...base, schedule: failing, scheduleEvery: 'step' }), ArgumentError, 'fit: the schedule at step 4 (epoch 2, batch 2 (4 rows))', 'refuses step 4');
    // Without a schedule the option changes nothing.
    expect(fit(model, data, { ...base, scheduleEvery: 'step' }).epochs).toHaveLength(2);
  });
});
