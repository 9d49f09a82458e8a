/**
 * deltagraph train shakespeare: the character-level GPT of examples/shakespeare-gpt.ts on Tiny
 * Shakespeare, trained by iterations of random windows rather than epochs (nn's trainGpt), then
 * the validation loss over the whole validation split and a sampled paragraph.
 */
import { writeFileSync } from 'fs';
import { CharDataset, DeltaGraphError, GPTConfig, GptCheckpoint, gpt, lineChartSvg, loadTinyShakespeare, saveModel, trainGpt } from '../../node';
import { Parsed, UsageError, intFlag, numberFlag } from '../args';
import type { CheckpointFlags } from './train';
import { loadInitialWeights } from '../init-weights';

/** The GPT of examples/shakespeare-gpt.ts; the vocabulary comes from the data. */
export const SHAKESPEARE_NET: Omit<GPTConfig, 'vocabSize'> = { layers: 4, heads: 4, embedding: 128, context: 64 };

export const shakespeareHelp = `  shakespeare  a character-level GPT on Tiny Shakespeare (65 characters; first 90% to train, last
             10% to validate): 4 pre-LayerNorm blocks of 4 heads, embedding 128, context 64, tied
             head; AdamW, warm-up then cosine, clipping at 1; validation loss and a sampled text

Options for shakespeare (trained by iterations of random 64-character windows, not epochs):
  --iterations N          training iterations, the length of the schedule [2000]
  --batch B               windows per iteration [12]
  --lr η                  peak learning rate (100 warm-up iterations, cosine to η/10) [0.001]
  --layers N --heads N --embedding N --context N   the GPT's size [4, 4, 128, 64]
  --eval-every K          also print the validation loss every K iterations [only at the end]
  --sample N              characters to sample at the end, temperature 1 [500; 0 for none]
  --train-limit N         train on the first N characters of the training split [all]
  --test-limit N          validate on the first N characters of the validation split [all]
  --checkpoint DIR        save a checkpoint to DIR every 100 iterations (--checkpoint-every N) and at the end
  --resume DIR            continue the run saved in DIR exactly (same options)
  --seed S, --save model.json, --plot loss.svg, --init W.safetensors, --quiet   as for the other examples`;

/** The flags only shakespeare takes, for the parser. */
export const SHAKESPEARE_FLAGS = {
  iterations: { type: 'string' },
  layers: { type: 'string' },
  heads: { type: 'string' },
  embedding: { type: 'string' },
  context: { type: 'string' },
  'eval-every': { type: 'string' },
  sample: { type: 'string' },
} as const;

/** The size of a GPT from the flags, checked as the net would check it, as usage errors. */
export function gptConfigOf(values: Parsed['values'], vocabSize: number): GPTConfig {
  const config: GPTConfig = {
    vocabSize,
    layers: intFlag('train', 'layers', values.layers, SHAKESPEARE_NET.layers),
    heads: intFlag('train', 'heads', values.heads, SHAKESPEARE_NET.heads),
    embedding: intFlag('train', 'embedding', values.embedding, SHAKESPEARE_NET.embedding),
    context: intFlag('train', 'context', values.context, SHAKESPEARE_NET.context),
  };
  if (config.embedding % config.heads !== 0) throw new UsageError(`train: --embedding ${config.embedding} must be a multiple of --heads ${config.heads}`);
  return config;
}

/** The data set with its splits cut to the limits (the vocabulary stays the whole text's). */
function limited(data: CharDataset, train: number | undefined, validation: number | undefined, context: number): CharDataset {
  const cut = (ids: Int32Array, n: number | undefined, flag: string) => {
    if (n === undefined) return ids;
    if (n < context + 1) throw new UsageError(`train: --${flag} ${n} is shorter than one window of --context ${context} characters and its next one (${context + 1})`);
    return ids.subarray(0, n);
  };
  return { ...data, train: cut(data.train, train, 'train-limit'), validation: cut(data.validation, validation, 'test-limit') };
}

export function trainShakespeare(values: Parsed['values'], checkpointFlags: CheckpointFlags): number {
  for (const flag of ['epochs', 'optimizer', 'hidden', 'batch-norm'] as const) {
    if (values[flag] !== undefined) throw new UsageError(`train: --${flag} is not for shakespeare, which trains a fixed GPT by iterations (see deltagraph train --help)`);
  }
  const iterations = intFlag('train', 'iterations', values.iterations, 2000);
  const batch = intFlag('train', 'batch', values.batch, 12);
  const lr = numberFlag('train', 'lr', values.lr, 1e-3);
  const evalEvery = intFlag('train', 'eval-every', values['eval-every'], 0, 0);
  const sampleLength = intFlag('train', 'sample', values.sample, 500, 0);
  const seed = intFlag('train', 'seed', values.seed, 0, 0);
  const trainLimit = values['train-limit'] === undefined ? undefined : intFlag('train', 'train-limit', values['train-limit'], 1);
  const testLimit = values['test-limit'] === undefined ? undefined : intFlag('train', 'test-limit', values['test-limit'], 1);
  const quiet = Boolean(values.quiet);

  const started = Date.now();
  const whole = loadTinyShakespeare();
  const config = gptConfigOf(values, whole.vocab.length);
  const data = limited(whole, trainLimit, testLimit, config.context);
  const checkpoints = checkpointFlags('trainGpt', {
    iterations,
    batch,
    lr,
    'eval-every': evalEvery,
    layers: config.layers,
    heads: config.heads,
    embedding: config.embedding,
    context: config.context,
    'train-limit': trainLimit ?? null,
    'test-limit': testLimit ?? null,
    seed,
  });
  // gpt seeds the global generator, which then draws the batches and the sample.
  const model = gpt(config, seed);
  const init = loadInitialWeights('train', values, model);
  const warmup = Math.min(100, iterations - 1);
  console.log(
    `${model.describe()}\n${model.parameterCount().toLocaleString('en-US')} parameters · AdamW lr ${lr} (${warmup} warm-up, cosine to ${lr / 10}) · ` +
      `batch ${batch} × ${config.context} characters · ${iterations} iteration${iterations === 1 ? '' : 's'} · seed ${seed}\n` +
      `${data.train.length.toLocaleString('en-US')} training and ${data.validation.length.toLocaleString('en-US')} validation characters`,
  );
  if (init !== null) console.log(init);
  if (checkpoints.note !== null) console.log(checkpoints.note);
  const resume = checkpoints.resume as GptCheckpoint | undefined;

  // A terminal gets the bar; a log gets a line every 100 iterations instead.
  const lines = !quiet && !process.stdout.isTTY;
  // After a resume, the mean of the last 100 losses includes those before it, as in one run.
  const window: number[] = resume ? resume.losses.slice(-100).map(Number) : [];
  const result = trainGpt(model, data, {
    iterations,
    batch,
    lr,
    minLr: lr / 10,
    warmup,
    evalEvery,
    progress: !quiet && !lines,
    checkpoint: checkpoints.dir === null ? undefined : { dir: checkpoints.dir, every: { steps: checkpoints.every ?? 100 }, meta: checkpoints.meta },
    resume,
    onIteration: ({ iteration, loss, trainSeconds }) => {
      window.push(loss);
      if (window.length > 100) window.shift();
      if (lines && (iteration % 100 === 0 || iteration === iterations)) {
        const mean = window.reduce((a, b) => a + b, 0) / window.length;
        console.log(`iteration ${iteration}/${iterations}: training loss ${mean.toFixed(4)} (mean of the last ${window.length}), ${(trainSeconds / iteration).toFixed(3)} s per iteration`);
      }
    },
    onEvaluation: (iteration, loss, seconds) => {
      if (!quiet && iteration < iterations) console.log(`iteration ${iteration}: validation loss ${loss.toFixed(4)} (${seconds.toFixed(1)} s)`);
    },
  });
  const final = result.validation[result.validation.length - 1]![1];
  const windows = Math.floor((data.validation.length - 1) / config.context);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `\nvalidation: loss ${final.toFixed(4)} over ${windows.toLocaleString('en-US')} windows of ${config.context} characters ` +
      `(${result.secondsPerIteration.toFixed(3)} s per iteration, ${seconds.toFixed(1)} s in all)`,
  );
  if (sampleLength > 0) {
    const text = data.decode(model.generate(data.encode('\n'), sampleLength));
    console.log(`\nsample (${sampleLength} characters, temperature 1):\n${text}`);
  }
  if (typeof values.save === 'string') {
    saveModel(model, values.save, { example: 'shakespeare', gpt: config });
    console.log(`saved the parameters to ${values.save}`);
  }
  if (typeof values.plot === 'string') {
    const training = { name: 'training loss', color: '#2f6db5', points: result.losses.map((l, i): [number, number] => [i + 1, l]) };
    const validation = { name: 'validation loss', color: '#e07b1f', dashed: true, points: result.validation.map(([t, v]): [number, number] => [t, v]) };
    const svg = lineChartSvg([{ yLabel: 'cross-entropy', series: [training, validation], log: false }], {
      title: `shakespeare · ${model.describe()} · AdamW lr ${lr} · batch ${batch}`,
      xLabel: 'iteration',
    });
    try {
      writeFileSync(values.plot, svg);
    } catch (e) {
      throw new DeltaGraphError(`train: cannot write the plot to ${values.plot}: ${(e as Error).message}`);
    }
    console.log(`drew the training curves in ${values.plot}`);
  }
  return 0;
}
