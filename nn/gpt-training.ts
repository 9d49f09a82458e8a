/**
 * Training a GPT on a character data set, as nanoGPT's shakespeare_char recipe: windows of
 * `context` characters drawn at random from the training ids, cross-entropy at every position,
 * AdamW with weight decay on matrices only, a linear warm-up then a cosine decay of the learning
 * rate per iteration, and the gradients clipped to a norm. The validation loss is the mean
 * cross-entropy over every non-overlapping window of the validation ids. Shared by
 * examples/shakespeare-gpt.ts and `deltagraph train shakespeare`.
 */
import { ArgumentError, DeltaGraphError, RngState, Tensor, describe, tidy, within } from '../lib';
import { backward, noGrad } from '../graph';
import { boolIn, functionIn, isRecord, numberIn, optionsIn, sizeIn } from './args';
import type { CharDataset } from './datasets/char-dataset';
import { sampleWindows, windows } from './datasets/char-dataset';
import { AdamW } from './optim/adamw';
import { clipGradNorm } from './optim/clip';
import { WarmupCosineLR } from './optim/warmup-cosine';
import { ProgressBar, ProgressOptions } from './progress';
import { GPT, GPTConfig } from './zoo';
import { OptimizerState } from './optim/optimizer';
import { ScheduleState } from './optim/schedules';
import { SavedFloat, decodeFloat, encodeFloat, encodeFloats, isSavedFloat } from './optim/state';
import { SavedModel, stateDict } from './serialize';
import { CheckpointOptions, NonFiniteError, checkSameRun, checkpointOf, checkpointPlanOf, generatorPlan, generatorStates, loadTrainingState } from './train';

function gptIn(who: string, model: unknown): GPT {
  if (!(model instanceof GPT)) throw new ArgumentError(`${who}: model must be a GPT (nn/zoo.ts's gpt), got ${describe(model)}`);
  return model;
}

/**
 * The mean cross-entropy of the model over every non-overlapping window of `context` ids (the
 * targets shifted by one), under noGrad, `chunk` windows at a time.
 */
export function windowLoss(model: GPT, ids: Int32Array, chunk = 64): number {
  gptIn('windowLoss', model);
  sizeIn('windowLoss', 'chunk', chunk);
  const { x, y } = within('windowLoss', null, () => windows(ids, model.config.context));
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

/** What trainGpt reports after each iteration. */
export interface GPTIteration {
  /** Iterations done, counted from 1. */
  iteration: number;
  /** The batch's training loss. */
  loss: number;
  /** The learning rate the step used. */
  lr: number;
  /** Seconds spent in training steps so far (evaluations excluded). */
  trainSeconds: number;
}

export interface GPTTrainingOptions {
  /** Training iterations, and the length of the learning-rate schedule (default 2,000). */
  iterations?: number;
  /** Windows per batch (default 12). */
  batch?: number;
  /** Peak learning rate (default 1e-3). */
  lr?: number;
  /** The learning rate the cosine ends at (default 1e-4). */
  minLr?: number;
  /** Warm-up iterations (default 100, or iterations − 1 when that is fewer). */
  warmup?: number;
  /** AdamW's β₁, β₂ (default 0.9, 0.99). */
  betas?: readonly [number, number];
  /** Decoupled weight decay on parameters of rank ≥ 2 (default 0.1). */
  weightDecay?: number;
  /** Clip the gradients to this global norm (default 1). */
  clip?: number;
  /** Also evaluate the validation loss every K iterations (default 0: only at the end). */
  evalEvery?: number;
  /** Stop training after this many seconds (the schedule still spans `iterations`). */
  timeLimit?: number;
  /** Draw a progress bar (default true: a bar on a terminal, one line at the end elsewhere). */
  progress?: boolean | ProgressOptions;
  /** Called after every iteration. */
  onIteration?: (record: GPTIteration) => void;
  /** Called after every evaluation with the iteration, the validation loss and its seconds. */
  onEvaluation?: (iteration: number, loss: number, seconds: number) => void;
  /**
   * Save a checkpoint every N iterations (every: { steps: N }, default 100), when the time limit
   * stops training and after the last iteration: to a directory (`dir`, in Node) or to a function
   * of yours (`save`).
   */
  checkpoint?: CheckpointOptions<GptCheckpoint>;
  /** Continue bit for bit from a checkpoint of a run with the same options and data. */
  resume?: GptCheckpoint;
}

/** What a GPT checkpoint records of the run that made it; a resumed run must agree. */
export interface GptRun {
  iterations: number;
  batch: number;
  lr: number;
  minLr: number;
  warmup: number;
  betas: [number, number];
  weightDecay: number;
  clip: number;
  evalEvery: number;
  config: GPTConfig;
  trainCharacters: number;
  validationCharacters: number;
}

/** Everything trainGpt needs to continue a run exactly, as plain JSON. */
export interface GptCheckpoint {
  format: 'deltagraph-checkpoint';
  version: 1;
  trainer: 'trainGpt';
  /** Iterations done. */
  iteration: number;
  /** Every iteration is done (only the final evaluation is left). */
  finished: boolean;
  run: GptRun;
  model: SavedModel;
  optimizer: OptimizerState;
  schedule: ScheduleState;
  /** The global generator (which draws the batches) and any a layer holds. */
  rng: { global: RngState; shuffle: null; modules: Record<string, RngState> };
  /** The training loss of every iteration done. */
  losses: SavedFloat[];
  /** [iteration, validation loss] of the evaluations so far. */
  validation: Array<[number, SavedFloat]>;
  trainSeconds: number;
  meta?: unknown;
}

export interface GPTTrainingResult {
  /** Training loss of every iteration run. */
  losses: number[];
  /** [iteration, validation loss] at each evaluation, the last at the end. */
  validation: Array<[number, number]>;
  /** Iterations run (fewer than asked when the time limit stopped training). */
  iterations: number;
  secondsPerIteration: number;
}

/**
 * Trains `model` on `data.train` and evaluates it on `data.validation`. The batches come from the
 * global generator (gpt(config, seed) seeds it), so a run is reproducible from its seed. Each step
 * runs in a tidy scope, so memory stays flat.
 */
export function trainGpt(model: GPT, data: CharDataset, options: GPTTrainingOptions = {}): GPTTrainingResult {
  const who = 'trainGpt';
  gptIn(who, model);
  const o = optionsIn(who, options);
  const iterations = numberIn(who, 'iterations', o.iterations, { min: 1, integer: true }, 2000);
  const batch = numberIn(who, 'batch', o.batch, { min: 1, integer: true }, 12);
  const lr = numberIn(who, 'lr', o.lr, { min: 0, minOpen: true }, 1e-3);
  const minLr = numberIn(who, 'minLr', o.minLr, { min: 0 }, 1e-4);
  const warmup = numberIn(who, 'warmup', o.warmup, { min: 0, max: iterations - 1, integer: true }, Math.min(100, iterations - 1));
  const weightDecay = numberIn(who, 'weightDecay', o.weightDecay, { min: 0 }, 0.1);
  const clip = numberIn(who, 'clip', o.clip, { min: 0, minOpen: true }, 1);
  const evalEvery = numberIn(who, 'evalEvery', o.evalEvery, { min: 0, integer: true }, 0);
  const timeLimit = o.timeLimit === undefined ? Infinity : numberIn(who, 'timeLimit', o.timeLimit, { min: 0 });
  const onIteration = o.onIteration === undefined ? undefined : functionIn<(r: GPTIteration) => void>(who, 'onIteration', o.onIteration);
  const onEvaluation = o.onEvaluation === undefined ? undefined : functionIn<(t: number, v: number, s: number) => void>(who, 'onEvaluation', o.onEvaluation);
  const showProgress = typeof o.progress === 'object' || boolIn(who, 'progress', o.progress, true);
  const progressOptions = typeof o.progress === 'object' && o.progress !== null ? (o.progress as ProgressOptions) : {};
  const context = model.config.context;
  // Checked before training starts, not when the validation loss is first wanted.
  if (!isRecord(data)) throw new ArgumentError(`${who}: data must be a character data set { train, validation, … } (what charDataset gives), got ${describe(data)}`);
  for (const part of ['train', 'validation'] as const) {
    const ids: unknown = data[part];
    if (!(ids instanceof Int32Array) && !Array.isArray(ids)) throw new ArgumentError(`${who}: data.${part} must be an Int32Array of ids, got ${describe(ids)}`);
    if (ids.length <= context) throw new ArgumentError(`${who}: data.${part} has ${ids.length} ids, expected more than the model's context ${context}`);
  }
  const plan = checkpointPlanOf<GptCheckpoint>(who, o.checkpoint, false, 100);
  const resume = o.resume === undefined ? undefined : checkpointOf(who, o.resume, 'trainGpt');

  // Weight decay on matrices only (embeddings and linear weights), as nanoGPT: not on LayerNorm weights.
  const betas = (o.betas as readonly [number, number] | undefined) ?? [0.9, 0.99];
  const optimizer = new AdamW(model.namedParameters(), { lr, betas, weightDecay, decay: (p) => p.rank >= 2 });
  const schedule = new WarmupCosineLR(optimizer, { warmup, total: iterations, minLr });
  const params = model.parameters();

  let losses: number[] = [];
  let validation: Array<[number, number]> = [];
  let trainSeconds = 0;
  let done = 0;
  const run: GptRun = {
    iterations, batch, lr, minLr, warmup, betas: [betas[0], betas[1]], weightDecay, clip, evalEvery,
    config: { ...model.config },
    trainCharacters: data.train.length,
    validationCharacters: data.validation.length,
  };
  if (resume !== undefined) {
    const r = `${who}: resume`;
    checkSameRun(r, resume.run, run as unknown as Record<string, unknown>);
    const iteration = numberIn(who, "the checkpoint's iteration", resume.iteration, { min: 0, max: iterations, integer: true });
    const saved = resume.losses;
    if (!Array.isArray(saved) || saved.length !== iteration || !saved.every(isSavedFloat)) {
      throw new ArgumentError(`${r}: losses must hold the ${iteration} training losses of the iterations done, got ${describe(saved)}`);
    }
    const evals = resume.validation;
    if (!Array.isArray(evals) || !evals.every((e: unknown) => Array.isArray(e) && e.length === 2 && Number.isInteger(e[0]) && e[0] >= 1 && e[0] <= iteration && isSavedFloat(e[1]))) {
      throw new ArgumentError(`${r}: validation must be [iteration, loss] pairs of iterations done, got ${describe(evals)}`);
    }
    const seconds = numberIn(who, "the checkpoint's trainSeconds", resume.trainSeconds, { min: 0 });
    const rngPlan = generatorPlan(r, model, null, resume.rng);
    loadTrainingState(who, model, optimizer, schedule, resume);
    for (const [g, state] of rngPlan) g.setState(state);
    losses = (saved as SavedFloat[]).map(decodeFloat);
    validation = (evals as Array<[number, SavedFloat]>).map(([t, v]) => [t, decodeFloat(v)]);
    trainSeconds = seconds;
    done = iteration;
  }
  const start = done;
  const save = () => {
    if (plan === null) return;
    const checkpoint: GptCheckpoint = {
      format: 'deltagraph-checkpoint',
      version: 1,
      trainer: 'trainGpt',
      iteration: done,
      finished: done === iterations,
      run,
      model: stateDict(model),
      optimizer: optimizer.stateDict(),
      schedule: schedule.stateDict(),
      rng: { ...generatorStates(model, null), shuffle: null },
      losses: encodeFloats(losses),
      validation: validation.map(([t, v]) => [t, encodeFloat(v)]),
      trainSeconds,
    };
    if (plan.meta !== undefined) checkpoint.meta = plan.meta;
    try {
      plan.write(checkpoint);
    } catch (e) {
      if (e instanceof DeltaGraphError && !e.message.startsWith(`${who}: `)) e.message = `${who}: the checkpoint after iteration ${done}: ${e.message}`;
      throw e;
    }
  };
  const bar = showProgress ? new ProgressBar('training', iterations, progressOptions) : null;
  if (bar && start > 0) bar.update(start, 'resumed');
  const started = Date.now();
  const evaluate = () => {
    const t0 = Date.now();
    const v = within(who, 'validation', () => windowLoss(model, data.validation));
    validation.push([done, v]);
    onEvaluation?.(done, v, (Date.now() - t0) / 1000);
  };
  for (let t = start; t < iterations; t++) {
    const t0 = Date.now();
    schedule.apply(t);
    const loss = tidy(() => {
      const { x, y } = within(who, 'data.train', () => sampleWindows(data.train, { batch, context }));
      const l = model.loss(x, y);
      const value = l.item();
      if (!Number.isFinite(value)) {
        throw new NonFiniteError(`${who}: the loss is ${value} at iteration ${t + 1}/${iterations}; the optimizer did not take the step`, 1, t + 1, t + 1, value);
      }
      const grads = backward(l, { wrt: params });
      optimizer.step(clipGradNorm(grads, params, clip).grads);
      return value;
    });
    losses.push(loss);
    done = t + 1;
    trainSeconds += (Date.now() - t0) / 1000;
    onIteration?.({ iteration: done, loss, lr: optimizer.lr, trainSeconds });
    if (bar) {
      const recent = losses.slice(-100);
      bar.update(done, `loss ${(recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(4)} · ${(trainSeconds / done).toFixed(3)} s/iteration`);
    }
    if (evalEvery > 0 && done % evalEvery === 0 && done < iterations) evaluate();
    const outOfTime = (Date.now() - started) / 1000 >= timeLimit && done < iterations;
    if (plan !== null && (done % plan.everySteps! === 0 || done === iterations || outOfTime)) save();
    if (outOfTime) break;
  }
  const secondsPerIteration = done === 0 ? 0 : trainSeconds / done;
  bar?.finish(`${done} of ${iterations} iterations, ${trainSeconds.toFixed(0)} s (${secondsPerIteration.toFixed(3)} s per iteration)`);
  evaluate();
  return { losses, validation, iterations: done, secondsPerIteration };
}
