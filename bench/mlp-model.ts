/**
 * The deltagraph side of the MLP rows: the network 784-128-64-10 (ReLU hidden layers, logits out,
 * softmax cross-entropy), a synthetic batch of 128 from a seeded generator, and one SGD training
 * step. It imports deltagraph only (not tfjs), so the memory row's child process measures
 * deltagraph alone.
 */
import { Tensor, randn, rng, tidy } from '../lib';
import { backward, noGrad } from '../graph';
import { CrossEntropyLoss, MLP, SGD } from '../nn';

export interface MlpConfig {
  /** Widths from input to output. */
  layers: number[];
  /** Examples per batch. */
  batch: number;
  /** SGD learning rate. */
  lr: number;
  /** Seed of the initial weights and of the batch. */
  seed: number;
}

export const MLP_CONFIG: MlpConfig = { layers: [784, 128, 64, 10], batch: 128, lr: 0.01, seed: 7 };

/** Inputs [batch, in] of standard normal values and one-hot targets [batch, classes]. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

export function syntheticBatch(config: MlpConfig): Batch {
  const random = rng(config.seed + 1);
  const inputs = config.layers[0]!;
  const classes = config.layers[config.layers.length - 1]!;
  const x = randn([config.batch, inputs], random);
  const y = new Float64Array(config.batch * classes);
  for (let i = 0; i < config.batch; i++) y[i * classes + random.int(classes)] = 1;
  return { x, y: new Tensor(y, [config.batch, classes]) };
}

/** One layer's weights [in, out] and biases [out], as plain values (to copy into tfjs). */
export interface LayerWeights {
  W: Float64Array;
  b: Float64Array;
  shape: [number, number];
}

/** A training step and a loss evaluation on one fixed batch: what the agreement checks compare. */
export interface Trainer {
  /** The loss on the batch at the current weights (nothing recorded, nothing changed). */
  loss(): number;
  /** One SGD step: forward, backward, update. */
  step(): void;
  /** Frees what the trainer holds (tfjs tensors); a no-op for deltagraph. */
  dispose(): void;
}

export interface DeltagraphMlp {
  model: MLP;
  trainer: Trainer;
  /** A copy of the weights as they are now (call before training for the initial weights). */
  weights(): LayerWeights[];
}

export function deltagraphMlp(config: MlpConfig, batch: Batch): DeltagraphMlp {
  const model = new MLP({ layers: config.layers, seed: config.seed });
  const params = model.parameters();
  const lossFn = new CrossEntropyLoss();
  const optimizer = new SGD(params, { lr: config.lr });
  const trainer: Trainer = {
    loss: () => tidy(() => noGrad(() => lossFn.forward(model.forward(batch.x), batch.y).item())),
    // A step in a tidy scope, as fit runs it: after the first, it reuses its buffers.
    step: () =>
      tidy(() => {
        const loss = lossFn.forward(model.forward(batch.x), batch.y);
        optimizer.step(backward(loss, { wrt: params }));
      }),
    dispose: () => undefined,
  };
  const weights = (): LayerWeights[] =>
    model.linears().map((layer) => {
      if (layer.b === null) throw new Error('deltagraphMlp: every layer is expected to have a bias');
      return { W: layer.W.data.slice(), b: layer.b.data.slice(), shape: [layer.inFeatures, layer.outFeatures] };
    });
  return { model, trainer, weights };
}
