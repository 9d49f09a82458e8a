/**
 * What the panels see of the app (main.ts implements it): the current training session and the
 * configuration. A panel is mounted once into its element and refreshed when the session changes
 * in a way it should show (a step while paused, a new net, or every few hundred milliseconds while
 * training) — never once per animation frame, so that drawing a graph does not slow training.
 */
import type { MLP, Tensor } from 'deltagraph';
import type { PlaygroundConfig } from './config';

/** One recorded forward pass of the current net over the whole training set. */
export interface LossGraph {
  /** The inputs [n, 2] and targets [n, 1] (leaves; X named 'X', y named 'y'). */
  X: Tensor;
  y: Tensor;
  /** The net's output [n, 1]: logits for bce, predictions for mse. */
  output: Tensor;
  /** The scalar loss; its graph is kept until the next call (backward with { retainGraph: true } to reuse it). */
  loss: Tensor;
}

export interface Session {
  readonly config: PlaygroundConfig;
  readonly model: MLP;
  /** Training set: X [n, 2], y [n, 1]. */
  readonly X: Tensor;
  readonly y: Tensor;
  /** True when the loss is cross-entropy on logits (the output is a logit); false for squared error. */
  readonly logits: boolean;
  /** Optimizer steps taken so far. */
  readonly steps: number;
  /** Records a fresh forward pass and loss over the whole training set with the current weights. */
  lossGraph(): LossGraph;
}

export interface PlaygroundHost {
  session(): Session;
  config(): PlaygroundConfig;
  /** Changes part of the configuration (and the URL); a change of data or net starts a new session. */
  setConfig(patch: Partial<PlaygroundConfig>): void;
  /** Stops training (the step-through and the gradient check pause it first). */
  pause(): void;
  /** Shows a short message in the status line. */
  status(message: string): void;
}

export interface Panel {
  refresh(session: Session): void | Promise<void>;
}
