/**
 * The benchmark harness's own correctness: the agreement checks reject what they must (wrong
 * values, NaN, mismatched lengths) and accept float32 rounding; the MLP comparison catches
 * different weights; the naive matmul reference, the timing statistics and the command line.
 */
import { matmul, noGrad, randn, rng } from '../../index';
import { CheckError, expectAllClose, expectClose, expectWithin, normwiseError, relativeError } from '../../bench/check';
import { gflops, naiveMatmul } from '../../bench/matmul';
import { checkLosses, lossPair, tfjsMlp } from '../../bench/mlp';
import { MlpConfig, deltagraphMlp, syntheticBatch } from '../../bench/mlp-model';
import { parseArgs } from '../../bench/run';
import { measure, median, summarize } from '../../bench/timing';
import { tf } from '../../bench/tfjs';

describe('agreement checks', () => {
  it('relativeError is symmetric, 0 for equal values and NaN for non-finite ones', () => {
    expect(relativeError(1, 1.001)).toBeCloseTo(0.001 / 1.001, 12);
    expect(relativeError(1.001, 1)).toBe(relativeError(1, 1.001));
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(NaN, 1)).toBeNaN();
    expect(relativeError(1, Infinity)).toBeNaN();
  });

  it('normwiseError measures against the largest entry, and is NaN for NaN or a length mismatch', () => {
    expect(normwiseError([100, 1e-9], [100, 2e-9])).toBeCloseTo(1e-11, 20);
    expect(normwiseError([1, 2], [1, 2])).toBe(0);
    expect(normwiseError([1, NaN], [1, 2])).toBeNaN();
    expect(normwiseError([1, 2], [1, 2, 3])).toBeNaN();
  });

  it('expectWithin passes within the tolerance and throws a CheckError beyond it or on NaN', () => {
    expect(expectWithin('x', 1e-5, 1e-4)).toEqual({ what: 'x', error: 1e-5, tolerance: 1e-4 });
    expect(() => expectWithin('x', 1e-3, 1e-4)).toThrow(CheckError);
    expect(() => expectWithin('x', NaN, 1e-4)).toThrow(/x: error NaN/);
  });

  it('float32 rounding passes the 1e-4 check; a wrong value or array does not', () => {
    const v = Math.PI;
    expect(() => expectClose('pi', Math.fround(v), v, 1e-4)).not.toThrow();
    expect(() => expectClose('pi', 3.15, v, 1e-4)).toThrow(CheckError);
    const a = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i));
    expect(() => expectAllClose('a', Float32Array.from(a), a, 1e-4)).not.toThrow();
    const b = a.slice();
    b[7] = b[7]! + 0.01;
    expect(() => expectAllClose('a', b, a, 1e-4)).toThrow(/a: error 1\.\d+e-2 exceeds/);
    expect(() => expectAllClose('a', a.subarray(1), a, 1e-4)).toThrow(CheckError);
  });
});

describe('MLP agreement', () => {
  const config: MlpConfig = { layers: [6, 5, 4, 3], batch: 8, lr: 0.1, seed: 11 };
  const batch = syntheticBatch(config);

  it('identical models pass the before-and-after-one-step check; different weights fail it', () => {
    const reference = lossPair(deltagraphMlp(config, batch).trainer);
    expect(() => checkLosses('same', lossPair(deltagraphMlp(config, batch).trainer), reference)).not.toThrow();
    const other = lossPair(deltagraphMlp({ ...config, seed: 12 }, batch).trainer);
    expect(() => checkLosses('other', other, reference)).toThrow(CheckError);
  });

  it('a step changes the loss, so the after-one-step check is not vacuous', () => {
    const { before, after } = lossPair(deltagraphMlp(config, batch).trainer);
    expect(relativeError(before, after)).toBeGreaterThan(1e-3);
  });

  it('the tfjs network on the copied weights computes deltagraph’s loss (cpu backend, float32)', async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    const dg = deltagraphMlp(config, batch);
    const weights = dg.weights();
    const peer = tfjsMlp(config, weights, batch);
    try {
      expect(relativeError(peer.loss(), dg.trainer.loss())).toBeLessThan(1e-5);
    } finally {
      peer.dispose();
    }
    // One changed weight is caught.
    weights[1]!.W[0] = weights[1]!.W[0]! + 0.5;
    const wrong = tfjsMlp(config, weights, batch);
    try {
      expect(() => expectClose('loss', wrong.loss(), dg.trainer.loss(), 1e-4)).toThrow(CheckError);
    } finally {
      wrong.dispose();
    }
  });
});

describe('matmul reference', () => {
  it('the naive loop computes deltagraph’s product', () => {
    const r = rng(5);
    const A = randn([17, 17], r);
    const B = randn([17, 17], r);
    const C = noGrad(() => matmul(A, B));
    expect(normwiseError(naiveMatmul(A.data, B.data, 17), C.data)).toBeLessThan(1e-14);
  });

  it('GFLOP/s counts 2n³ operations', () => {
    expect(gflops(1000, 1000)).toBe(2);
  });
});

describe('timing', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('measure warms up, then takes between minSamples and maxSamples samples', () => {
    let calls = 0;
    const m = measure(() => ++calls, { warmup: 2, minSamples: 3, maxSamples: 4, budgetMs: 0, minSampleMs: 0 });
    expect(m.samples).toHaveLength(3);
    expect(calls).toBe(5);
    expect(m.median).toBeGreaterThanOrEqual(0);
  });

  it('the relative spread is the median absolute deviation over the median', () => {
    expect(summarize([9, 10, 12]).relativeSpread).toBeCloseTo(0.1, 12);
  });
});

describe('command line', () => {
  it('selects row families in the canonical order, with --quick', () => {
    const o = parseArgs(['--only', 'mlp,matmul', '--quick']);
    expect(o.families).toEqual(['matmul', 'mlp']);
    expect(o.quick).toBe(true);
    expect(parseArgs(['--only=xor']).families).toEqual(['xor']);
    expect(parseArgs([]).families).toEqual(['matmul', 'mlp', 'chain', 'xor', 'cnn', 'memory']);
  });

  it('rejects unknown families and flags, and bad memory checkpoints', () => {
    expect(() => parseArgs(['--only', 'matmul,conv'])).toThrow(/unknown row family conv/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument --fast/);
    expect(() => parseArgs(['--only'])).toThrow(/--only needs a value/);
    expect(() => parseArgs(['--memory-steps', '1000,100'])).toThrow(/ascending/);
    expect(parseArgs(['--memory-steps', '10,20']).memorySteps).toEqual([10, 20]);
  });
});
