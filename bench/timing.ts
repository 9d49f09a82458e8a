/**
 * Timing helpers shared by every benchmark row: a monotonic nanosecond clock
 * (process.hrtime.bigint), a measurement loop (warm-up, then repeated timed samples under a
 * sample-count and time budget), and the statistics the report prints (median, spread).
 */

/** The monotonic clock, in nanoseconds. */
export function now(): bigint {
  return process.hrtime.bigint();
}

/** Milliseconds since `start` (a value of now()). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Milliseconds taken by one call of fn. */
export function timeOnce(fn: () => unknown): number {
  const start = now();
  sink(fn());
  return msSince(start);
}

let sunk = 0;
/**
 * Consumes a benchmark's result so that the work producing it cannot be dropped as dead code.
 * Cheap: it only looks at the value's type.
 */
export function sink(value: unknown): void {
  if (value !== undefined && value !== null) sunk = (sunk + 1) | 0;
}

/** How a measurement is repeated. */
export interface MeasureOptions {
  /** Untimed calls before the first sample (JIT compilation, caches, allocator). */
  warmup: number;
  /** Samples always taken. */
  minSamples: number;
  /** Samples never exceeded. */
  maxSamples: number;
  /** Once minSamples are in, stop when sampling has taken this many milliseconds. */
  budgetMs: number;
  /**
   * Calls per sample are chosen (from the warm-up) so that one sample lasts at least this long,
   * which keeps clock resolution and per-sample jitter small for sub-millisecond work. 0 means one
   * call per sample.
   */
  minSampleMs: number;
}

/** The outcome of measure(): per-call times, in milliseconds. */
export interface Measurement {
  /** Median over samples of the time of one call (ms). */
  median: number;
  /** Per-call time of each sample (ms), in the order taken. */
  samples: number[];
  /** Calls timed together in each sample. */
  callsPerSample: number;
  /** Untimed warm-up calls made first. */
  warmup: number;
  /** Median absolute deviation relative to the median: a robust measure of noise. */
  relativeSpread: number;
}

/**
 * Times fn: `warmup` untimed calls, then samples of `callsPerSample` calls each until at least
 * minSamples are taken and either maxSamples or the time budget is reached. fn must be
 * synchronous and must finish its work before returning (for tfjs: read the result back).
 */
export function measure(fn: () => unknown, options: MeasureOptions): Measurement {
  let lastMs = 0;
  for (let i = 0; i < options.warmup; i++) lastMs = timeOnce(fn);
  let callsPerSample = 1;
  if (options.minSampleMs > 0) {
    // One call's cost, from the last warm-up call (or an untimed probe call when there was none).
    const perCall = options.warmup > 0 ? lastMs : timeOnce(fn);
    callsPerSample = Math.max(1, Math.ceil(options.minSampleMs / Math.max(perCall, 1e-6)));
  }

  const samples: number[] = [];
  const start = now();
  while (samples.length < options.maxSamples && (samples.length < options.minSamples || msSince(start) < options.budgetMs)) {
    const t0 = now();
    for (let c = 0; c < callsPerSample; c++) sink(fn());
    samples.push(msSince(t0) / callsPerSample);
  }
  return summarize(samples, callsPerSample, options.warmup);
}

/** A Measurement from per-call sample times taken elsewhere (e.g. by a loop with its own set-up). */
export function summarize(samples: number[], callsPerSample = 1, warmup = 0): Measurement {
  const m = median(samples);
  return {
    median: m,
    samples,
    callsPerSample,
    warmup,
    relativeSpread: m > 0 ? median(samples.map((s) => Math.abs(s - m))) / m : 0,
  };
}

/** The median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
