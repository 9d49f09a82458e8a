import {
  Adam, CrossEntropyLoss, Dataset, Loss, MLP, MLPOptions, MSELoss, MetricName, Module, Optimizer, RMSProp, SGD, Tensor,
  fit, evaluate, loadCaliforniaHousing, loadMnist, mnistCnn, saveModel, xorDataset, formatTensor, backward, historyChartSvg, DeltaGraphError,
  Checkpoint, CHECKPOINT_FILE, FitCheckpoint, loadCheckpoint,
} from '../../node';
import { existsSync, writeFileSync } from 'fs';
import { join } from 'path';
import { UsageError, choiceFlag, intFlag, listFlag, numberFlag, parse } from '../args';
import { SHAKESPEARE_FLAGS, shakespeareHelp, trainShakespeare } from './train-shakespeare';
import { checkMlpMemory } from '../../nn/mlp';
import { INIT_FLAG, INIT_HELP, loadInitialWeights } from '../init-weights';

const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;
type OptimizerName = (typeof OPTIMIZERS)[number];
export const EXAMPLES = ['xor', 'housing', 'mnist', 'mnist-cnn', 'shakespeare'] as const;
export type ExampleName = (typeof EXAMPLES)[number];
/** The examples trained by epochs with fit (shakespeare trains by iterations, train-shakespeare.ts). */
export type FitExample = Exclude<ExampleName, 'shakespeare'>;

/** The examples as a sentence's list: 'xor, housing, mnist, mnist-cnn or shakespeare' (or with 'and'). */
export function exampleList(conjunction: 'or' | 'and' | ',' = 'or'): string {
  const all = EXAMPLES.join(', ');
  return conjunction === ',' ? all : all.replace(/, ([^,]*)$/, ` ${conjunction} $1`);
}

export const trainHelp = `Usage: deltagraph train ${EXAMPLES.join('|')} [options]

Trains a built-in example and prints progress and the final test metrics.
  xor        the Siena slides' 2-4-3-1 sigmoid net, loss ‖o − y‖², full-batch gradient descent
             until the loss is below 1e-3; prints every layer's delta at the end
  housing    California Housing regression, MLP 8-64-32-1 (ReLU), MSE, Adam; test RMSE and R²
  mnist      MNIST digits, MLP 784-128-10 (ReLU), cross-entropy, Adam; test accuracy
  mnist-cnn  MNIST digits, the CNN of examples/mnist-cnn.ts: Conv2d 1→16 and 16→32 (5×5, padding 2),
             each with ReLU and 2×2 max pooling, then Linear 1568→10; cross-entropy, Adam; test accuracy
${shakespeareHelp.split('\n\n')[0]}

Options (defaults per example in brackets: xor / housing / mnist / mnist-cnn):
  --epochs N              passes over the training set [20000 / 100 / 5 / 3]
  --batch B               mini-batch size [8 (full) / 64 / 64 / 64]
  --lr η                  learning rate [1 / 0.001 / 0.001 / 0.001]
  --optimizer NAME        adam | sgd | momentum | rmsprop [sgd / adam / adam / adam]
  --hidden 128,64         hidden layer widths of the MLPs [4,3 / 64,32 / 128 / not for mnist-cnn]
  --batch-norm            batch normalisation in every hidden layer of the MLPs (not for mnist-cnn)
  --train-limit N         train on the first N training examples only [all]
  --test-limit N          evaluate on the first N test examples only [all; xor has no test set]
  --seed S                seed of the initial weights and the shuffling [0]
  --save model.json       write the trained parameters to a JSON file
  --plot loss.svg         draw the loss (and metrics) per epoch as an SVG chart
  --checkpoint DIR        save a checkpoint to DIR/checkpoint.json after every epoch, atomically
  --checkpoint-every N    ... after every N optimizer steps instead (and at the end)
  --resume DIR            continue the run saved in DIR exactly (give the same example and options;
                          --epochs may be raised); it goes on saving checkpoints there
${INIT_HELP}
  --pixels standard|unit  MNIST's pixels standardised (mean 0, deviation 1 over the training set) or
                          in [0, 1] as torchvision's ToTensor gives them (for PyTorch's weights) [standard]
  --quiet                 no progress bars, only the final metrics
  -h, --help              this text

${shakespeareHelp.split('\n\n')[1]}`;

/** How MNIST's pixels are scaled: standardised (the default) or to [0, 1] (as torchvision's ToTensor). */
export const PIXEL_SCALES = ['standard', 'unit'] as const;
export type PixelScale = (typeof PIXEL_SCALES)[number];

/** How many training and test examples to read (all when undefined). */
export interface Limits {
  train?: number;
  test?: number;
}

/** What every built-in example has: its data, loss, metrics and default hyper-parameters. */
interface PresetBase {
  /** The data; a loader that can read fewer examples takes the limits (train.ts applies them anyway). */
  load(limits?: Limits, pixels?: PixelScale): { train: Dataset; test?: Dataset };
  loss: Loss;
  metrics: MetricName[];
  epochs: number;
  batch: number | undefined;
  lr: number;
  optimizer: OptimizerName;
}

/** An example whose net is an MLP: --hidden and --batch-norm shape it, meta.mlp rebuilds it. */
export interface MlpPreset extends PresetBase {
  layers(hidden: number[]): number[];
  hidden: number[];
  activation: MLPOptions['hidden'];
  output: MLPOptions['output'];
  init?: string;
  model?: undefined;
}

/** An example with a fixed net (nn/zoo.ts): a saved model's meta.example names it to rebuild it. */
export interface FixedPreset extends PresetBase {
  /** The net with its initial weights for a seed. */
  model(seed: number): Module;
  /** What titles call the net. */
  net: string;
  /** The width of an input row (a saved model is traced on random rows of it). */
  inputs: number;
}

export type Preset = MlpPreset | FixedPreset;

export const PRESETS: Record<FitExample, Preset> = {
  xor: {
    load: () => {
      const { X, y } = xorDataset();
      return { train: { x: X, y } };
    },
    layers: (h) => [2, ...h, 1],
    hidden: [4, 3],
    activation: 'sigmoid',
    output: 'sigmoid',
    loss: new MSELoss('sum'),
    metrics: ['accuracy'],
    epochs: 20000,
    batch: undefined,
    lr: 1,
    optimizer: 'sgd',
    init: 'xavier',
  },
  housing: {
    load: () => loadCaliforniaHousing(),
    layers: (h) => [8, ...h, 1],
    hidden: [64, 32],
    activation: 'relu',
    output: 'identity',
    loss: new MSELoss('mean'),
    metrics: ['rmse', 'r2'],
    epochs: 100,
    batch: 64,
    lr: 1e-3,
    optimizer: 'adam',
  },
  mnist: {
    load: (limits, pixels) => loadMnist({ trainLimit: limits?.train, testLimit: limits?.test, normalize: pixels }),
    layers: (h) => [784, ...h, 10],
    hidden: [128],
    activation: 'relu',
    output: 'identity',
    loss: new CrossEntropyLoss(),
    metrics: ['accuracy'],
    epochs: 5,
    batch: 64,
    lr: 1e-3,
    optimizer: 'adam',
  },
  'mnist-cnn': {
    load: (limits, pixels) => loadMnist({ trainLimit: limits?.train, testLimit: limits?.test, normalize: pixels }),
    model: (seed) => mnistCnn(seed),
    net: 'CNN conv 1→16→32 (5×5) · Linear 1568→10',
    inputs: 784,
    loss: new CrossEntropyLoss(),
    metrics: ['accuracy'],
    epochs: 3,
    batch: 64,
    lr: 1e-3,
    optimizer: 'adam',
  },
};

/** A built-in example's net, what titles call it, and the meta --save writes so that graph can rebuild it. */
export interface PresetNet {
  model: Module;
  name: string;
  meta: { example: FitExample; mlp?: MLPOptions };
}

export function presetNet(example: FitExample, seed: number, hidden?: number[], batchNorm?: boolean): PresetNet {
  const preset = PRESETS[example];
  if (preset.model) return { model: preset.model(seed), name: preset.net, meta: { example } };
  const options: MLPOptions = {
    layers: preset.layers(hidden ?? preset.hidden),
    hidden: preset.activation,
    output: preset.output,
    seed,
    init: preset.init,
  };
  if (batchNorm !== undefined) options.batchNorm = batchNorm;
  return { model: new MLP(options), name: `MLP ${options.layers.join('-')}`, meta: { example, mlp: options } };
}

/** The first n rows of a data set (all of it when n is undefined or not smaller). */
function firstRows(data: Dataset, n: number | undefined): Dataset {
  if (n === undefined || n >= data.x.shape[0]!) return data;
  const rows = (t: Tensor) => new Tensor(t.data.slice(0, (t.size / t.shape[0]!) * n), [n, ...t.shape.slice(1)]);
  return { x: rows(data.x), y: rows(data.y) };
}

function makeOptimizer(name: OptimizerName, params: Tensor[], lr: number): Optimizer {
  switch (name) {
    case 'adam':
      return new Adam(params, { lr });
    case 'sgd':
      return new SGD(params, { lr });
    case 'momentum':
      return new SGD(params, { lr, momentum: 0.9 });
    case 'rmsprop':
      return new RMSProp(params, { lr });
  }
}

function formatMetrics(m: Partial<Record<MetricName, number>>): string {
  return Object.entries(m)
    .map(([k, v]) => (k === 'accuracy' ? `${k} ${(100 * v!).toFixed(2)}%` : `${k} ${v!.toFixed(4)}`))
    .join(', ');
}

export function trainCommand(argv: string[]): number {
  const { values, positionals } = parse('train', argv, {
    epochs: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    optimizer: { type: 'string' },
    hidden: { type: 'string' },
    'batch-norm': { type: 'boolean' },
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    seed: { type: 'string' },
    save: { type: 'string' },
    plot: { type: 'string' },
    quiet: { type: 'boolean' },
    checkpoint: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    resume: { type: 'string' },
    pixels: { type: 'string' },
    ...INIT_FLAG,
    ...SHAKESPEARE_FLAGS,
  });
  if (values.help) {
    console.log(trainHelp);
    return 0;
  }
  const example = positionals[0];
  if (positionals.length !== 1 || !EXAMPLES.includes(example as ExampleName)) {
    throw new UsageError(`train: expected one example, ${exampleList()}, got '${positionals.join(' ')}'`);
  }
  if (values.init !== undefined && values.resume !== undefined) {
    throw new UsageError('train: --init starts a new run from given weights; --resume continues a run with its own (give one of them)');
  }
  if (values.pixels !== undefined && example !== 'mnist' && example !== 'mnist-cnn') {
    throw new UsageError(`train: --pixels scales MNIST's images; ${example} has none (see deltagraph train --help)`);
  }
  if (example === 'shakespeare') return trainShakespeare(values, (trainer, options, flexible) => checkpointing(values, 'shakespeare', trainer, options, flexible));
  for (const flag of Object.keys(SHAKESPEARE_FLAGS) as Array<keyof typeof SHAKESPEARE_FLAGS>) {
    if (values[flag] !== undefined) throw new UsageError(`train: --${flag} is for shakespeare only (see deltagraph train --help)`);
  }
  const name = example as FitExample;
  const preset = PRESETS[name];
  if (preset.model) {
    for (const flag of ['hidden', 'batch-norm'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`train: --${flag} shapes the MLPs; ${name}'s net is fixed (see deltagraph train --help)`);
    }
  }
  const epochs = intFlag('train', 'epochs', values.epochs, preset.epochs);
  const batch = values.batch === undefined ? preset.batch : intFlag('train', 'batch', values.batch, 1);
  const lr = numberFlag('train', 'lr', values.lr, preset.lr);
  const optimizerName = choiceFlag('train', 'optimizer', values.optimizer, OPTIMIZERS, preset.optimizer);
  const hidden = listFlag('train', 'hidden', values.hidden);
  // Widths whose net cannot fit in the memory budget are a usage error, before any data is loaded.
  try {
    if (hidden !== undefined && !preset.model) checkMlpMemory('MLP', preset.layers(hidden), Boolean(values['batch-norm']));
  } catch (e) {
    throw e instanceof DeltaGraphError ? new UsageError(`train: --hidden ${values.hidden}: ${e.message}`) : e;
  }
  const limits: Limits = {
    train: values['train-limit'] === undefined ? undefined : intFlag('train', 'train-limit', values['train-limit'], 1),
    test: values['test-limit'] === undefined ? undefined : intFlag('train', 'test-limit', values['test-limit'], 1),
  };
  const seed = intFlag('train', 'seed', values.seed, 0, 0);
  const quiet = Boolean(values.quiet);
  const isMnist = name === 'mnist' || name === 'mnist-cnn';
  const pixels = choiceFlag('train', 'pixels', values.pixels, PIXEL_SCALES, 'standard');
  // What a checkpoint records of the command, by flag: --resume must give the same (--epochs may grow).
  const checkpoints = checkpointing(values, name, 'fit', {
    epochs,
    batch: batch ?? null,
    lr,
    optimizer: optimizerName,
    hidden: preset.model ? null : (hidden ?? preset.hidden),
    'batch-norm': preset.model ? null : Boolean(values['batch-norm']),
    'train-limit': limits.train ?? null,
    'test-limit': limits.test ?? null,
    seed,
    ...(isMnist ? { pixels } : {}),
  }, ['epochs']);

  const started = Date.now();
  const loaded = preset.load(limits, pixels);
  if (limits.test !== undefined && !loaded.test) throw new UsageError(`train: --test-limit: ${name} has no test set (it reports on its training set)`);
  const data = { train: firstRows(loaded.train, limits.train), test: loaded.test && firstRows(loaded.test, limits.test) };
  const net = presetNet(name, seed, hidden, preset.model ? undefined : Boolean(values['batch-norm']));
  const model = net.model;
  const init = loadInitialWeights('train', values, model);
  const optimizer = makeOptimizer(optimizerName, model.parameters(), lr);
  console.log(`${model.describe()}\n${model.parameterCount().toLocaleString('en-US')} parameters · ${optimizerName} lr ${lr} · batch ${batch ?? 'full'} · ${epochs} epoch${epochs === 1 ? '' : 's'} · seed ${seed}`);
  if (init !== null) console.log(init);
  if (checkpoints.note !== null) console.log(checkpoints.note);

  const isXor = name === 'xor';
  const history = fit(model, data.train, {
    loss: preset.loss,
    optimizer,
    epochs,
    batchSize: batch,
    seed,
    validation: data.test,
    // The built-in examples hold out only a test set: the per-epoch line says so.
    validationName: 'test',
    metrics: preset.metrics,
    // The XOR run is thousands of tiny epochs: report them as one, and stop at the slides' bar.
    progress: !quiet && !isXor,
    onEpoch: isXor ? (r) => (r.loss < 1e-3 ? 'stop' : undefined) : undefined,
    checkpoint: checkpoints.dir === null ? undefined : { dir: checkpoints.dir, every: checkpoints.every === null ? 'epoch' : { steps: checkpoints.every }, meta: checkpoints.meta },
    resume: checkpoints.resume as FitCheckpoint | undefined,
  });
  const last = history.epochs[history.epochs.length - 1]!;
  const seconds = (Date.now() - started) / 1000;
  if (isXor) {
    console.log(`loss ${last.loss.toExponential(3)} after ${last.epoch + 1} full-batch steps (${seconds.toFixed(2)} s)${last.loss < 1e-3 ? ' — below 1e-3' : ' — NOT below 1e-3'}`);
    const loss = preset.loss.forward(model.forward(data.train.x), data.train.y);
    const deltas = (model as MLP).deltas(backward(loss));
    deltas.forEach((d, l) => console.log(`\nΔ${l + 1} = ∂loss/∂A${l + 1}\n${formatTensor(d, { digits: 6 })}`));
  }
  const final = evaluate(model, data.test ?? data.train, preset.loss, preset.metrics);
  console.log(`\n${data.test ? 'test' : 'training set'}: loss ${final.loss.toPrecision(5)}, ${formatMetrics(final.metrics)} (${seconds.toFixed(1)} s)`);
  if (typeof values.save === 'string') {
    saveModel(model, values.save, net.meta);
    console.log(`saved the parameters to ${values.save}`);
  }
  if (typeof values.plot === 'string') {
    const title = `${name} · ${net.name} · ${optimizerName} lr ${lr} · ${preset.loss.name}`;
    try {
      writeFileSync(values.plot, historyChartSvg(history, { title }));
    } catch (e) {
      throw new DeltaGraphError(`train: cannot write the plot to ${values.plot}: ${(e as Error).message}`);
    }
    console.log(`drew the training curves in ${values.plot}`);
  }
  return 0;
}

/** What a checkpoint's meta holds: the command, the example, its options by flag, and the cadence. */
interface CheckpointMeta {
  command: 'train';
  example: ExampleName;
  options: Record<string, unknown>;
  /** --checkpoint-every, or null for every epoch. */
  every: number | null;
}

/** The checked checkpoint flags of a run. */
export interface Checkpointing {
  /** Where to save checkpoints, or null for nowhere. */
  dir: string | null;
  /** Every N steps (iterations), or null for every epoch (or the trainer's default). */
  every: number | null;
  /** The checkpoint to continue from. */
  resume: Checkpoint | undefined;
  meta: CheckpointMeta;
  /** A line saying where training resumes, or null. */
  note: string | null;
}

/** checkpointing for one example, as trainShakespeare receives it. */
export type CheckpointFlags = (trainer: Checkpoint['trainer'], options: Record<string, unknown>, flexible?: readonly string[]) => Checkpointing;

function showFlagValue(x: unknown): string {
  if (x === null || x === undefined) return '(not given)';
  if (x === false) return 'off';
  if (x === true) return 'on';
  return Array.isArray(x) ? x.join(',') : String(x);
}

/** Where a checkpoint stands, in words. */
function position(c: Checkpoint): string {
  if (c.trainer === 'trainGpt') return `after iteration ${c.iteration} of ${c.run.iterations}`;
  if (c.finished) return `finished after ${c.epoch} epoch${c.epoch === 1 ? '' : 's'} (step ${c.step})`;
  const batches = Math.ceil(c.run.rows / c.run.batchSize);
  return c.batch === 0 ? `after epoch ${c.epoch} of ${c.run.epochs} (step ${c.step})` : `in epoch ${c.epoch + 1} of ${c.run.epochs}, after batch ${c.batch} of ${batches} (step ${c.step})`;
}

/**
 * --checkpoint DIR, --checkpoint-every N and --resume DIR, checked: a checkpoint to resume must be
 * of this example with these options (those in `flexible` may differ), and a fresh run does not
 * overwrite a checkpoint it was not asked to resume.
 */
export function checkpointing(values: Record<string, string | boolean | undefined>, example: ExampleName, trainer: Checkpoint['trainer'], options: Record<string, unknown>, flexible: readonly string[] = []): Checkpointing {
  const dirFlag = (flag: 'checkpoint' | 'resume'): string | undefined => {
    const v = values[flag];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.length === 0) throw new UsageError(`train: --${flag} must be a directory, got '${String(v)}'`);
    return v;
  };
  const dir = dirFlag('checkpoint');
  const resumeDir = dirFlag('resume');
  let every = values['checkpoint-every'] === undefined ? null : intFlag('train', 'checkpoint-every', values['checkpoint-every'], 1);
  if (every !== null && dir === undefined && resumeDir === undefined) throw new UsageError('train: --checkpoint-every needs --checkpoint DIR (or --resume DIR)');
  let resume: Checkpoint | undefined;
  let note: string | null = null;
  if (resumeDir !== undefined) {
    try {
      resume = loadCheckpoint(resumeDir);
    } catch (e) {
      if (e instanceof DeltaGraphError) throw new UsageError(`train: --resume ${resumeDir}: ${e.message.replace(/^loadCheckpoint: /, '')}`);
      throw e;
    }
    const meta = resume.meta as Partial<CheckpointMeta> | undefined;
    const made = typeof meta === 'object' && meta !== null && meta.command === 'train' && typeof meta.example === 'string' ? meta : null;
    if (made === null || resume.trainer !== trainer) throw new UsageError(`train: --resume ${resumeDir}: the checkpoint was not saved by deltagraph train`);
    if (made.example !== example) throw new UsageError(`train: --resume ${resumeDir}: the checkpoint is of train ${made.example}, not of train ${example}`);
    const saved = (typeof made.options === 'object' && made.options !== null ? made.options : {}) as Record<string, unknown>;
    const differ = Object.keys(options).filter((k) => !flexible.includes(k) && JSON.stringify(saved[k] ?? null) !== JSON.stringify(options[k] ?? null));
    if (differ.length > 0) {
      const was = differ.map((k) => `--${k} ${showFlagValue(saved[k])}`).join(', ');
      const now = differ.map((k) => `--${k} ${showFlagValue(options[k])}`).join(', ');
      throw new UsageError(`train: --resume ${resumeDir}: the checkpoint was saved with ${was}, but this command has ${now}; give the options of the run that saved it`);
    }
    if (every === null && typeof made.every === 'number') every = made.every;
    note = `resuming from ${join(resumeDir, CHECKPOINT_FILE)}: ${position(resume)}`;
  } else if (dir !== undefined && existsSync(join(dir, CHECKPOINT_FILE))) {
    throw new UsageError(`train: --checkpoint ${dir} already holds a checkpoint; continue that run with --resume ${dir}, or give another directory`);
  }
  const target = dir ?? resumeDir ?? null;
  return { dir: target, every, resume, meta: { command: 'train', example, options, every }, note };
}
