/**
 * One training run: the data set, the net [2, ...hidden, 1], its loss and optimizer, built from a
 * configuration. A step draws a minibatch (or takes the whole set), records the forward pass and
 * the loss, runs backward for the parameters and updates them. Predictions over the plot's grid
 * run without recording.
 */
import { Adam, BCELoss, Loss, MLP, MSELoss, Optimizer, RMSProp, Rng, SGD, Tensor, backward, noGrad, rng, sigmoid, take, tensor } from 'deltagraph';
import { PlaygroundConfig, widthsOf } from './config';
import { Points, makeDataset } from './datasets';
import type { LossGraph, Session } from './host';

function lossFor(config: PlaygroundConfig, classification: boolean): Loss {
  // A regression curve has real targets: cross-entropy does not apply to it.
  return config.loss === 'bce' && classification ? new BCELoss({ logits: true }) : new MSELoss();
}

function optimizerFor(config: PlaygroundConfig, params: Tensor[]): Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr: config.lr });
    case 'rmsprop':
      return new RMSProp(params, { lr: config.lr });
    default:
      return new Adam(params, { lr: config.lr });
  }
}

export class TrainingSession implements Session {
  readonly model: MLP;
  readonly X: Tensor;
  readonly y: Tensor;
  readonly classification: boolean;
  readonly loss: Loss;
  private readonly optimizer: Optimizer;
  private readonly batches: Rng;
  /** The loss of every step taken, in order. */
  readonly history: number[] = [];

  constructor(readonly config: PlaygroundConfig) {
    const data: Points = makeDataset(config.dataset, config.noise, config.seed);
    this.X = data.X;
    this.y = data.y;
    this.classification = data.classification;
    this.model = new MLP({ layers: widthsOf(config), hidden: config.activation, output: 'identity', seed: config.seed });
    this.loss = lossFor(config, data.classification);
    this.optimizer = optimizerFor(config, this.model.parameters());
    this.batches = rng(config.seed + 1);
  }

  get steps(): number {
    return this.history.length;
  }

  /** Whether the loss works on logits, so that predictions are σ(output). */
  get logits(): boolean {
    return this.loss instanceof BCELoss;
  }

  /** The rows of one step: all of them, or batchSize drawn without replacement. */
  private batch(): { X: Tensor; y: Tensor } {
    const n = this.X.shape[0]!;
    const size = this.config.batchSize;
    if (size <= 0 || size >= n) return { X: this.X, y: this.y };
    const rows = tensor(Float64Array.from(this.batches.permutation(n).subarray(0, size)), [size]);
    return { X: take(this.X, rows, 0), y: take(this.y, rows, 0) };
  }

  /** One optimizer step; returns the minibatch loss before the update. */
  step(): number {
    const { X, y } = this.batch();
    const loss = this.loss.forward(this.model.forward(X), y);
    const grads = backward(loss, { wrt: this.model.parameters() });
    this.optimizer.step(grads);
    const value = loss.data[0]!;
    this.history.push(value);
    return value;
  }

  lossGraph(): LossGraph {
    const output = this.model.forward(this.X);
    return { X: this.X, y: this.y, output, loss: this.loss.forward(output, this.y) };
  }

  /** The loss over the whole training set, without recording. */
  fullLoss(): number {
    return noGrad(() => this.loss.forward(this.model.forward(this.X), this.y).data[0]!);
  }

  /**
   * The net's prediction at each row of `points` [m, 2]: a probability of class 1 for a
   * classifier on logits, the output itself otherwise.
   */
  predict(points: Tensor): Float64Array {
    return noGrad(() => {
      const out = this.model.forward(points);
      return (this.logits ? sigmoid(out) : out).data;
    });
  }
}
