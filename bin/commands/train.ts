import {
  Adam, CrossEntropyLoss, Dataset, Loss, MLP, MLPOptions, MSELoss, MetricName, Optimizer, RMSProp, SGD, Tensor,
  fit, evaluate, loadCaliforniaHousing, loadMnist, saveModel, xorDataset, formatTensor, backward, historyChartSvg, DeltaGraphError,
} from '../../node';
import { writeFileSync } from 'fs';
import { UsageError, choiceFlag, intFlag, listFlag, numberFlag, parse } from '../args';

const OPTIMIZERS = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;
type OptimizerName = (typeof OPTIMIZERS)[number];
export const EXAMPLES = ['xor', 'housing', 'mnist'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export const trainHelp = `Usage: deltagraph train xor|housing|mnist [options]

Trains a built-in example and prints progress and the final test metrics.
  xor      the Siena slides' 2-4-3-1 sigmoid net, loss ‖o − y‖², full-batch gradient descent
           until the loss is below 1e-3; prints every layer's delta at the end
  housing  California Housing regression, MLP 8-64-32-1 (ReLU), MSE, Adam; test RMSE and R²
  mnist    MNIST digits, MLP 784-128-10 (ReLU), cross-entropy, Adam; test accuracy

Options (defaults per example in brackets: xor / housing / mnist):
  --epochs N              passes over the training set [20000 / 100 / 5]
  --batch B               mini-batch size [8 (full) / 64 / 64]
  --lr η                  learning rate [1 / 0.001 / 0.001]
  --optimizer NAME        adam | sgd | momentum | rmsprop [sgd / adam / adam]
  --hidden 128,64         hidden layer widths [4,3 / 64,32 / 128]
  --batch-norm            batch normalisation in every hidden layer
  --seed S                seed of the initial weights and the shuffling [0]
  --save model.json       write the trained parameters to a JSON file
  --plot loss.svg         draw the loss (and metrics) per epoch as an SVG chart
  --quiet                 no progress bars, only the final metrics
  -h, --help              this text`;

/** How a built-in example is trained: its data, net, loss, metrics and default hyper-parameters. */
export interface Preset {
  load(): { train: Dataset; test?: Dataset };
  layers(hidden: number[]): number[];
  hidden: number[];
  activation: MLPOptions['hidden'];
  output: MLPOptions['output'];
  loss: Loss;
  metrics: MetricName[];
  epochs: number;
  batch: number | undefined;
  lr: number;
  optimizer: OptimizerName;
  init?: string;
}

export const PRESETS: Record<ExampleName, Preset> = {
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
    load: () => loadMnist(),
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
};

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
    seed: { type: 'string' },
    save: { type: 'string' },
    plot: { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (values.help) {
    console.log(trainHelp);
    return 0;
  }
  const example = positionals[0];
  if (positionals.length !== 1 || !EXAMPLES.includes(example as (typeof EXAMPLES)[number])) {
    throw new UsageError(`train: expected one example, xor, housing or mnist, got '${positionals.join(' ')}'`);
  }
  const preset = PRESETS[example as (typeof EXAMPLES)[number]];
  const epochs = intFlag('train', 'epochs', values.epochs, preset.epochs);
  const batch = values.batch === undefined ? preset.batch : intFlag('train', 'batch', values.batch, 1);
  const lr = numberFlag('train', 'lr', values.lr, preset.lr);
  const optimizerName = choiceFlag('train', 'optimizer', values.optimizer, OPTIMIZERS, preset.optimizer);
  const hidden = listFlag('train', 'hidden', values.hidden) ?? preset.hidden;
  const seed = intFlag('train', 'seed', values.seed, 0, 0);
  const quiet = Boolean(values.quiet);

  const started = Date.now();
  const data = preset.load();
  const options: MLPOptions = {
    layers: preset.layers(hidden),
    hidden: preset.activation,
    output: preset.output,
    seed,
    init: preset.init,
    batchNorm: Boolean(values['batch-norm']),
  };
  const model = new MLP(options);
  const optimizer = makeOptimizer(optimizerName, model.parameters(), lr);
  console.log(`${model.describe()}\n${model.parameterCount().toLocaleString('en-US')} parameters · ${optimizerName} lr ${lr} · batch ${batch ?? 'full'} · ${epochs} epoch${epochs === 1 ? '' : 's'} · seed ${seed}`);

  const isXor = example === 'xor';
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
  });
  const last = history.epochs[history.epochs.length - 1]!;
  const seconds = (Date.now() - started) / 1000;
  if (isXor) {
    console.log(`loss ${last.loss.toExponential(3)} after ${last.epoch + 1} full-batch steps (${seconds.toFixed(2)} s)${last.loss < 1e-3 ? ' — below 1e-3' : ' — NOT below 1e-3'}`);
    const loss = preset.loss.forward(model.forward(data.train.x), data.train.y);
    const deltas = model.deltas(backward(loss));
    deltas.forEach((d, l) => console.log(`\nΔ${l + 1} = ∂loss/∂A${l + 1}\n${formatTensor(d, { digits: 6 })}`));
  }
  const final = evaluate(model, data.test ?? data.train, preset.loss, preset.metrics);
  console.log(`\n${data.test ? 'test' : 'training set'}: loss ${final.loss.toPrecision(5)}, ${formatMetrics(final.metrics)} (${seconds.toFixed(1)} s)`);
  if (typeof values.save === 'string') {
    saveModel(model, values.save, { example, mlp: options });
    console.log(`saved the parameters to ${values.save}`);
  }
  if (typeof values.plot === 'string') {
    const title = `${example} · MLP ${options.layers.join('-')} · ${optimizerName} lr ${lr} · ${preset.loss.name}`;
    try {
      writeFileSync(values.plot, historyChartSvg(history, { title }));
    } catch (e) {
      throw new DeltaGraphError(`train: cannot write the plot to ${values.plot}: ${(e as Error).message}`);
    }
    console.log(`drew the training curves in ${values.plot}`);
  }
  return 0;
}
