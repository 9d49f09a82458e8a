/**
 * A character-level GPT on Tiny Shakespeare, built from the library's layers (nanoGPT's
 * shakespeare_char recipe, scaled down): the 65-character vocabulary, the first 90% of the text
 * for training and the last 10% for validation; 4 pre-LayerNorm blocks of 4 heads, embedding 128,
 * context 64, a GELU MLP 128 → 512 → 128, a learned position embedding, a head tied to the token
 * embedding, no biases and no dropout (the net is gpt of nn/zoo.ts, with nanoGPT's N(0, 0.02)
 * initialisation). Batch 12, 2,000 iterations of AdamW (lr 1e-3, betas 0.9/0.99, weight decay
 * 0.1 on matrices only), 100 warm-up iterations then cosine to 1e-4, gradients clipped to norm 1,
 * cross-entropy at every position. Each step runs inside tidy, so memory stays flat.
 *
 *   npx ts-node --transpile-only examples/shakespeare-gpt.ts [--iterations N] [--seed S]
 *     [--eval-every K] [--sample N] [--time-limit SECONDS]
 *
 * Prints a progress line every 100 iterations (to stderr), the validation loss (the mean
 * cross-entropy over every non-overlapping 64-character window of the validation split) every K
 * iterations and at the end, and with --sample N a paragraph of N characters sampled at
 * temperature 1 from the global generator. --time-limit stops training after that many seconds
 * (the schedule still runs over --iterations), then evaluates and samples as usual.
 */
import { parseArgs } from 'util';
import { type CharDataset, GPT, type GPTConfig, gpt, loadTinyShakespeare, trainGpt, windowLoss } from '../node';

/** The net is nn/zoo.ts's. */
export { gpt };

/** The set-up of the example (the vocabulary size comes from the data). */
export const SHAKESPEARE_GPT: Omit<GPTConfig, 'vocabSize'> = { layers: 4, heads: 4, embedding: 128, context: 64 };

export interface ShakespeareOptions {
  /** Training iterations, and the length of the learning-rate schedule (default 2,000). */
  iterations?: number;
  /** Seed of the weights and of the batches (default 0). */
  seed?: number;
  /** Evaluate the validation loss every K iterations as well as at the end (default 0: only at the end). */
  evalEvery?: number;
  /** Characters to sample at the end (default 0: none). */
  sample?: number;
  /** Stop training after this many seconds (default: no limit). */
  timeLimit?: number;
  /** The data (default: loadTinyShakespeare()). */
  data?: CharDataset;
  /** The model's size (default SHAKESPEARE_GPT, with the data's vocabulary). */
  config?: Partial<GPTConfig>;
  /** Windows per batch (default 12). */
  batch?: number;
  /** Warm-up iterations (default 100, or fewer when iterations is smaller). */
  warmup?: number;
  /** Print progress, the result and the sample (default true). */
  verbose?: boolean;
}

export interface ShakespeareResult {
  model: GPT;
  /** Training loss of every iteration run. */
  losses: number[];
  /** [iteration, validation loss] at each evaluation, the last at the end. */
  validation: Array<[number, number]>;
  /** Iterations run (fewer than asked when the time limit stopped training). */
  iterations: number;
  secondsPerIteration: number;
  /** The sampled text ('' without --sample). */
  sample: string;
}

/** The mean cross-entropy over every window of the validation ids (nn's windowLoss). */
export const validationLoss = windowLoss;

/** n characters sampled at temperature 1 from the global generator, after the context `start`. */
export function sample(model: GPT, data: CharDataset, n: number, start = '\n'): string {
  return data.decode(model.generate(data.encode(start), n));
}

export function main(options: ShakespeareOptions = {}): ShakespeareResult {
  const iterations = options.iterations ?? 2000;
  const seed = options.seed ?? 0;
  const verbose = options.verbose ?? true;
  const log = (line: string) => verbose && process.stderr.write(`${line}\n`);
  const data = options.data ?? loadTinyShakespeare();
  const config: GPTConfig = { ...SHAKESPEARE_GPT, vocabSize: data.vocab.length, ...options.config };
  // The batches come from the global generator, seeded by gpt(config, seed) before the weights.
  const model = gpt(config, seed);
  log(`${model.describe()}: ${model.parameterCount()} parameters; ${data.train.length} training and ${data.validation.length} validation characters`);

  const started = Date.now();
  const losses: number[] = [];
  const result = trainGpt(model, data, {
    iterations,
    batch: options.batch,
    warmup: options.warmup,
    evalEvery: options.evalEvery,
    timeLimit: options.timeLimit,
    progress: false,
    onIteration: ({ iteration, loss, lr, trainSeconds }) => {
      losses.push(loss);
      if (iteration % 100 !== 0 && iteration !== iterations) return;
      const recent = losses.slice(-100);
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      log(
        `iteration ${iteration}/${iterations}: training loss ${mean.toFixed(4)} (mean of the last ${recent.length}), lr ${lr.toExponential(2)}, ` +
          `${((Date.now() - started) / 1000).toFixed(0)} s, ${(trainSeconds / iteration).toFixed(3)} s per iteration, ${new Date().toISOString()}`,
      );
    },
    onEvaluation: (iteration, loss, seconds) => log(`iteration ${iteration}: validation loss ${loss.toFixed(4)} (${seconds.toFixed(1)} s)`),
  });
  if (result.iterations < iterations) log(`time limit of ${options.timeLimit} s reached after ${result.iterations} of ${iterations} iterations`);
  const final = result.validation[result.validation.length - 1]![1];
  if (verbose) console.log(
    `GPT on Tiny Shakespeare, seed ${seed}: ${result.iterations} of ${iterations} iterations, validation loss ${final.toFixed(4)} ` +
      `(${result.secondsPerIteration.toFixed(3)} s per iteration, ${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  const text = (options.sample ?? 0) > 0 ? sample(model, data, options.sample!) : '';
  if (verbose && text !== '') console.log(`\nSample (${options.sample} characters, temperature 1):\n${text}`);
  return { model, ...result, sample: text };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { iterations: { type: 'string' }, seed: { type: 'string' }, 'eval-every': { type: 'string' }, sample: { type: 'string' }, 'time-limit': { type: 'string' } },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  main({ iterations: num(values.iterations), seed: num(values.seed), evalEvery: num(values['eval-every']), sample: num(values.sample), timeLimit: num(values['time-limit']) });
}
