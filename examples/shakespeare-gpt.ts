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
import {
  AdamW,
  type CharDataset,
  GPT,
  type GPTConfig,
  Tensor,
  WarmupCosineLR,
  backward,
  clipGradNorm,
  globalRng,
  gpt,
  loadTinyShakespeare,
  noGrad,
  sampleWindows,
  tidy,
  windows,
} from '../node';

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

/** The mean cross-entropy of the model over every window, under noGrad, `chunk` windows at a time. */
export function validationLoss(model: GPT, ids: Int32Array, chunk = 64): number {
  const { x, y } = windows(ids, model.config.context);
  const [k, c] = x.shape as [number, number];
  let total = 0;
  for (let from = 0; from < k; from += chunk) {
    const rows = Math.min(chunk, k - from);
    const part = (t: Tensor) => new Tensor(t.data.slice(from * c, (from + rows) * c), [rows, c]);
    // Every window has c positions, so the mean over all is the row-weighted mean of the chunks'.
    total += rows * tidy(() => noGrad(() => model.loss(part(x), part(y)).item()));
  }
  return total / k;
}

/** n characters sampled at temperature 1 from the global generator, after the context `start`. */
export function sample(model: GPT, data: CharDataset, n: number, start = '\n'): string {
  const context = model.config.context;
  const ids = Array.from(data.encode(start));
  const random = globalRng();
  for (let i = 0; i < n; i++) {
    const window = ids.slice(-context);
    const logits = tidy(() => noGrad(() => model.forward(new Tensor(Float64Array.from(window), [1, window.length])).data.slice()));
    const V = model.config.vocabSize;
    const last = logits.subarray((window.length - 1) * V, window.length * V);
    let max = -Infinity;
    for (const v of last) max = Math.max(max, v);
    const p = Array.from(last, (v) => Math.exp(v - max));
    let u = random.uniform() * p.reduce((a, b) => a + b, 0);
    let next = V - 1;
    for (let j = 0; j < V; j++) {
      u -= p[j]!;
      if (u < 0) {
        next = j;
        break;
      }
    }
    ids.push(next);
  }
  return data.decode(ids.slice(Array.from(start).length));
}

export function main(options: ShakespeareOptions = {}): ShakespeareResult {
  const iterations = options.iterations ?? 2000;
  const seed = options.seed ?? 0;
  const evalEvery = options.evalEvery ?? 0;
  const batch = options.batch ?? 12;
  const verbose = options.verbose ?? true;
  const log = (line: string) => verbose && process.stderr.write(`${line}\n`);
  const data = options.data ?? loadTinyShakespeare();
  const config: GPTConfig = { ...SHAKESPEARE_GPT, vocabSize: data.vocab.length, ...options.config };
  const model = gpt(config, seed);
  // Weight decay on matrices only (embeddings and linear weights), as nanoGPT: not on LayerNorm weights.
  const optimizer = new AdamW(model.namedParameters(), { lr: 1e-3, betas: [0.9, 0.99], weightDecay: 0.1, decay: (p) => p.rank >= 2 });
  const warmup = options.warmup ?? Math.min(100, iterations - 1);
  const schedule = new WarmupCosineLR(optimizer, { warmup, total: iterations, minLr: 1e-4 });
  const params = model.parameters();
  // The batches come from the global generator, seeded by gpt(config, seed) before the weights.
  log(`${model.describe()}: ${model.parameterCount()} parameters; ${data.train.length} training and ${data.validation.length} validation characters`);

  const losses: number[] = [];
  const validation: Array<[number, number]> = [];
  const started = Date.now();
  let trainSeconds = 0;
  let done = 0;
  const evaluate = () => {
    const t0 = Date.now();
    const v = validationLoss(model, data.validation);
    validation.push([done, v]);
    log(`iteration ${done}: validation loss ${v.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  };
  for (let t = 0; t < iterations; t++) {
    const t0 = Date.now();
    schedule.apply(t);
    const loss = tidy(() => {
      const { x, y } = sampleWindows(data.train, { batch, context: config.context });
      const l = model.loss(x, y);
      const grads = backward(l, { wrt: params });
      optimizer.step(clipGradNorm(grads, params, 1).grads);
      return l.item();
    });
    losses.push(loss);
    done = t + 1;
    trainSeconds += (Date.now() - t0) / 1000;
    if (done % 100 === 0 || done === iterations) {
      const recent = losses.slice(-100);
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      log(
        `iteration ${done}/${iterations}: training loss ${mean.toFixed(4)} (mean of the last ${recent.length}), lr ${optimizer.lr.toExponential(2)}, ` +
          `${((Date.now() - started) / 1000).toFixed(0)} s, ${(trainSeconds / done).toFixed(3)} s per iteration, ${new Date().toISOString()}`,
      );
    }
    if (evalEvery > 0 && done % evalEvery === 0 && done < iterations) evaluate();
    if (options.timeLimit !== undefined && (Date.now() - started) / 1000 >= options.timeLimit && done < iterations) {
      log(`time limit of ${options.timeLimit} s reached after ${done} of ${iterations} iterations`);
      break;
    }
  }
  const secondsPerIteration = trainSeconds / done;
  evaluate();
  const final = validation[validation.length - 1]![1];
  if (verbose) console.log(
    `GPT on Tiny Shakespeare, seed ${seed}: ${done} of ${iterations} iterations, validation loss ${final.toFixed(4)} ` +
      `(${secondsPerIteration.toFixed(3)} s per iteration, ${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
  const text = (options.sample ?? 0) > 0 ? sample(model, data, options.sample!) : '';
  if (verbose && text !== '') console.log(`\nSample (${options.sample} characters, temperature 1):\n${text}`);
  return { model, losses, validation, iterations: done, secondsPerIteration, sample: text };
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { iterations: { type: 'string' }, seed: { type: 'string' }, 'eval-every': { type: 'string' }, sample: { type: 'string' }, 'time-limit': { type: 'string' } },
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  main({ iterations: num(values.iterations), seed: num(values.seed), evalEvery: num(values['eval-every']), sample: num(values.sample), timeLimit: num(values['time-limit']) });
}
