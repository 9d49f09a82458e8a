/**
 * How much each row repeats: the full profile (stable medians, the whole bench within a few
 * minutes on a two-core machine) and the quick profile (--quick, for development: fewer samples,
 * and the memory row at 100 and 1,000 steps).
 */
import { MeasureOptions } from './timing';

export interface Profile {
  quick: boolean;
  /** matmul up to n = 256. */
  matmul: MeasureOptions;
  /**
   * matmul at n ≥ 512, where the slower implementations take seconds per call: fewer samples
   * (the budget still gives the fast ones more). Every implementation has also made one untimed
   * call before, for the agreement check.
   */
  matmulLarge: MeasureOptions;
  /** One MLP training step. */
  mlp: MeasureOptions;
  /** One forward + backward pass through the chain of elementwise ops. */
  chain: MeasureOptions;
  /** The convolution rows, where tfjs-cpu takes tens of seconds per CNN step: few samples. */
  cnn: MeasureOptions;
  /** XOR: each sample is one whole run of `steps` steps; the warm-up is a shorter run. */
  xor: { steps: number; warmupSteps: number; minSamples: number; maxSamples: number; budgetMs: number };
  /** Steps after which the memory row reads the peak resident set size (ascending). */
  memorySteps: number[];
}

export const FULL: Profile = {
  quick: false,
  matmul: { warmup: 2, minSamples: 5, maxSamples: 50, budgetMs: 3000, minSampleMs: 20 },
  matmulLarge: { warmup: 1, minSamples: 5, maxSamples: 50, budgetMs: 3000, minSampleMs: 20 },
  mlp: { warmup: 5, minSamples: 15, maxSamples: 200, budgetMs: 3000, minSampleMs: 0 },
  chain: { warmup: 5, minSamples: 15, maxSamples: 300, budgetMs: 2000, minSampleMs: 0 },
  cnn: { warmup: 1, minSamples: 3, maxSamples: 30, budgetMs: 3000, minSampleMs: 0 },
  xor: { steps: 10_000, warmupSteps: 1_000, minSamples: 3, maxSamples: 5, budgetMs: 10_000 },
  memorySteps: [1_000, 10_000],
};

export const QUICK: Profile = {
  quick: true,
  matmul: { warmup: 1, minSamples: 3, maxSamples: 10, budgetMs: 300, minSampleMs: 10 },
  matmulLarge: { warmup: 0, minSamples: 1, maxSamples: 10, budgetMs: 300, minSampleMs: 10 },
  mlp: { warmup: 2, minSamples: 5, maxSamples: 20, budgetMs: 500, minSampleMs: 0 },
  chain: { warmup: 2, minSamples: 5, maxSamples: 30, budgetMs: 300, minSampleMs: 0 },
  cnn: { warmup: 0, minSamples: 1, maxSamples: 5, budgetMs: 300, minSampleMs: 0 },
  xor: { steps: 10_000, warmupSteps: 200, minSamples: 1, maxSamples: 1, budgetMs: 0 },
  memorySteps: [100, 1_000],
};

/** What every row family receives. */
export interface Context {
  profile: Profile;
  /** Progress output (to stderr, so the table on stdout stays clean). */
  log(line: string): void;
}
