/**
 * The playground's whole state: what the controls show, and what the URL carries (see url-state.ts).
 * Everything a user can set is here; the trained weights are not (they are exported as files).
 */
import type { ActivationName } from 'deltagraph';

export type DatasetName = 'xor' | 'circles' | 'spirals' | 'blobs' | 'regression';
export type LossName = 'bce' | 'mse';
export type OptimizerName = 'sgd' | 'adam' | 'rmsprop';
export type HiddenActivation = Extract<ActivationName, 'tanh' | 'sigmoid' | 'relu' | 'leakyRelu' | 'gelu' | 'silu'>;

export const DATASETS: readonly DatasetName[] = ['xor', 'circles', 'spirals', 'blobs', 'regression'];
export const LOSSES: readonly LossName[] = ['bce', 'mse'];
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam', 'rmsprop'];
export const SPEEDS: readonly number[] = [1, 5, 25, 0];
export const HIDDEN_ACTIVATIONS: readonly HiddenActivation[] = ['tanh', 'sigmoid', 'relu', 'leakyRelu', 'gelu', 'silu'];

export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Standard deviation of the noise added to the generated points (XOR's 8 points have none). */
  noise: number;
  /** Widths of the hidden layers, input to output: [8, 8] is the net 2-8-8-1. */
  hidden: number[];
  activation: HiddenActivation;
  /** Binary cross-entropy on logits (classification) or mean squared error. Regression uses mse. */
  loss: LossName;
  optimizer: OptimizerName;
  lr: number;
  /** Examples per step; 0 means the whole training set (full-batch gradient descent). */
  batchSize: number;
  /** Optimizer steps per animation frame; 0 takes as many as fit in the frame's step budget. */
  speed: number;
  /** Seed of the data and of the initial weights. */
  seed: number;
  /** The formula box's text (fromExpression's syntax). */
  formula: string;
}

export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'xor',
  noise: 0.1,
  hidden: [8, 8],
  activation: 'tanh',
  loss: 'bce',
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 0,
  speed: 5,
  seed: 1,
  formula: 'sigmoid(X * W + b)',
};

/** The net's widths, input to output: [2, ...hidden, 1]. */
export function widthsOf(config: PlaygroundConfig): number[] {
  return [2, ...config.hidden, 1];
}
