/**
 * Row family "xor": the Siena slides' XOR net — xorDataset() (8 examples), 2-4-3-1 with a sigmoid
 * on every layer, loss ‖O − y‖² summed — trained by 10,000 steps of full-batch gradient descent
 * (learning rate 1), in seconds per run. Tiny tensors and many steps: this measures the cost of
 * a small training step end to end.
 *
 * Every run starts from the same initial weights (deltagraph's MLP with seed 0, copied into tfjs
 * variables). Before timing, each peer must reproduce deltagraph's loss at the initial weights
 * and after one step; after timing, the final losses of the runs must agree too.
 */
import { MLP, MSELoss, SGD, backward, noGrad, xorDataset } from '../node';
import { CheckRecord, expectClose } from './check';
import { LOSS_TOLERANCE } from './mlp';
import { Context, Profile } from './profile';
import { Row, fillRow } from './report';
import { Measurement, msSince, now, summarize } from './timing';
import { PEERS, f32, onPeer, tf } from './tfjs';

const LAYERS = [2, 4, 3, 1];
const LEARNING_RATE = 1;
const SEED = 0;

/**
 * Relative tolerance of the final loss after 10,000 steps. The loss falls from about 2 to about
 * 1e-4, and float32 rounding in every step moves the trajectory a little, so the bound is looser
 * than the one-step checks'.
 */
export const FINAL_LOSS_TOLERANCE = 2e-2;

/** One implementation of the XOR training run. */
interface XorTrainer {
  /** Puts the initial weights back. */
  reset(): void;
  /** `steps` steps of full-batch gradient descent. */
  train(steps: number): void;
  /** The loss at the current weights. */
  loss(): number;
  dispose(): void;
}

interface XorWeights {
  W: Float64Array;
  b: Float64Array;
  shape: [number, number];
}

function deltagraphXor(): { trainer: XorTrainer; initial: XorWeights[] } {
  const { X, y } = xorDataset();
  const model = new MLP({ layers: LAYERS, hidden: 'sigmoid', output: 'sigmoid', seed: SEED });
  const params = model.parameters();
  const start = params.map((p) => p.data.slice());
  const lossFn = new MSELoss('sum');
  const optimizer = new SGD(params, { lr: LEARNING_RATE });
  const initial = model.linears().map((l) => ({ W: l.W.data.slice(), b: l.b!.data.slice(), shape: [l.inFeatures, l.outFeatures] as [number, number] }));
  const trainer: XorTrainer = {
    reset: () => params.forEach((p, i) => p.data.set(start[i]!)),
    train: (steps) => {
      for (let s = 0; s < steps; s++) {
        const loss = lossFn.forward(model.forward(X), y);
        optimizer.step(backward(loss, { wrt: params }));
      }
    },
    loss: () => noGrad(() => lossFn.forward(model.forward(X), y).item()),
    dispose: () => undefined,
  };
  return { trainer, initial };
}

function tfjsXor(initial: readonly XorWeights[]): XorTrainer {
  const { X, y } = xorDataset();
  const xs = tf.tensor2d(f32(X.data), X.shape as [number, number]);
  const ys = tf.tensor2d(f32(y.data), y.shape as [number, number]);
  const start = initial.map((w) => ({ W: tf.tensor2d(f32(w.W), w.shape), b: tf.tensor1d(f32(w.b)) }));
  const vars = tf.tidy(() => start.map((w) => ({ W: tf.variable(w.W.clone()), b: tf.variable(w.b.clone()) })));
  const varList = vars.flatMap((v) => [v.W, v.b]);
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const lossFn = (): tf.Scalar => {
    let h: tf.Tensor = xs;
    for (const v of vars) h = tf.sigmoid(tf.add(tf.matMul(h, v.W), v.b));
    return tf.sum(tf.square(tf.sub(h, ys)));
  };
  return {
    reset: () =>
      vars.forEach((v, i) => {
        v.W.assign(start[i]!.W);
        v.b.assign(start[i]!.b);
      }),
    train: (steps) => {
      for (let s = 0; s < steps; s++) optimizer.minimize(lossFn, false, varList);
    },
    loss: () => {
      const l = tf.tidy(lossFn);
      const value = l.dataSync()[0]!;
      l.dispose();
      return value;
    },
    dispose: () => {
      optimizer.dispose();
      for (const t of [xs, ys, ...varList, ...start.flatMap((w) => [w.W, w.b])]) t.dispose();
    },
  };
}

/** Loss at the initial weights and after one step. */
function firstLosses(trainer: XorTrainer): { before: number; after: number } {
  trainer.reset();
  const before = trainer.loss();
  trainer.train(1);
  return { before, after: trainer.loss() };
}

/** A warm-up run, then whole timed runs from the initial weights; the final loss of each run. */
function timeRuns(trainer: XorTrainer, options: Profile['xor']): { measurement: Measurement; finalLosses: number[] } {
  trainer.reset();
  trainer.train(options.warmupSteps);
  const samples: number[] = [];
  const finalLosses: number[] = [];
  const start = now();
  while (samples.length < options.maxSamples && (samples.length < options.minSamples || msSince(start) < options.budgetMs)) {
    trainer.reset();
    const t0 = now();
    trainer.train(options.steps);
    samples.push(msSince(t0));
    finalLosses.push(trainer.loss());
  }
  return { measurement: summarize(samples, 1, 1), finalLosses };
}

export async function runXor(ctx: Context): Promise<Row[]> {
  const options = ctx.profile.xor;
  const row: Row = {
    family: 'xor',
    id: 'xor-siena',
    label: `XOR 2-4-3-1, ${options.steps.toLocaleString('en-US')} GD steps`,
    unit: 's',
    better: 'lower',
    cells: {},
    checks: [],
  };
  return [
    await fillRow(row, async () => {
      const dg = deltagraphXor();
      ctx.log('xor: deltagraph');
      const reference = firstLosses(dg.trainer);
      const ref = timeRuns(dg.trainer, options);
      const referenceFinal = ref.finalLosses[0]!;
      row.cells.deltagraph = { value: ref.measurement.median / 1000, measurement: ref.measurement, extra: { firstLosses: reference, finalLosses: ref.finalLosses } };

      for (const peer of PEERS) {
        ctx.log(`xor: ${peer}`);
        row.cells[peer] = await onPeer(peer, () => {
          const trainer = tfjsXor(dg.initial);
          try {
            const first = firstLosses(trainer);
            const checks: CheckRecord[] = [
              expectClose(`XOR ${peer} against deltagraph: loss at the initial weights`, first.before, reference.before, LOSS_TOLERANCE),
              expectClose(`XOR ${peer} against deltagraph: loss after one step`, first.after, reference.after, LOSS_TOLERANCE),
            ];
            const t = timeRuns(trainer, options);
            for (const final of t.finalLosses) {
              checks.push(expectClose(`XOR ${peer} against deltagraph: loss after ${options.steps} steps`, final, referenceFinal, FINAL_LOSS_TOLERANCE));
            }
            row.checks.push(...checks);
            return { value: t.measurement.median / 1000, measurement: t.measurement, extra: { firstLosses: first, finalLosses: t.finalLosses } };
          } finally {
            trainer.dispose();
          }
        });
      }
      row.note = `final loss after ${options.steps.toLocaleString('en-US')} steps: ${PEERS.map((p) => `${p} ${fmtLoss(row.cells[p]?.extra?.finalLosses)}`).join(', ')}, deltagraph ${referenceFinal.toExponential(3)}`;
    }),
  ];
}

function fmtLoss(losses: unknown): string {
  return Array.isArray(losses) && typeof losses[0] === 'number' ? losses[0].toExponential(3) : '?';
}
