/**
 * Row family "mlp": training steps per second of the MLP 784-128-64-10 (ReLU, softmax
 * cross-entropy on the logits) on a batch of 128, plain SGD with learning rate 0.01. A step is a
 * forward pass, a backward pass for the parameters and an update.
 *
 * tfjs builds the same network from tf.variable weights copied from the deltagraph model, trains
 * with tf.train.sgd and optimizer.minimize of tf.losses.softmaxCrossEntropy, on the same batch.
 * Before anything is timed, each peer must reproduce deltagraph's loss at the initial weights and
 * again after one SGD step.
 */
import { expectClose, CheckRecord } from './check';
import { Batch, LayerWeights, MLP_CONFIG, MlpConfig, Trainer, deltagraphMlp, syntheticBatch } from './mlp-model';
import { Context } from './profile';
import { Row, fillRow } from './report';
import { measure } from './timing';
import { PEERS, f32, onPeer, tf } from './tfjs';

/** Relative tolerance of a float32 loss against the float64 one. */
export const LOSS_TOLERANCE = 1e-4;

/** The same network in tfjs, starting from the given weights, on the same batch. */
export function tfjsMlp(config: MlpConfig, weights: readonly LayerWeights[], batch: Batch): Trainer {
  // Inside tidy, so that the tensors the variables are made from are freed (variables are kept).
  const vars = tf.tidy(() =>
    weights.map((w, l) => ({
      W: tf.variable(tf.tensor2d(f32(w.W), w.shape), true, `W${l}`),
      b: tf.variable(tf.tensor1d(f32(w.b)), true, `b${l}`),
    })),
  );
  const varList = vars.flatMap((v) => [v.W, v.b]);
  const x = tf.tensor2d(f32(batch.x.data), batch.x.shape as [number, number]);
  const y = tf.tensor2d(f32(batch.y.data), batch.y.shape as [number, number]);
  const optimizer = tf.train.sgd(config.lr);

  const forward = (): tf.Tensor => {
    let h: tf.Tensor = x;
    vars.forEach((v, l) => {
      h = tf.add(tf.matMul(h, v.W), v.b);
      if (l < vars.length - 1) h = tf.relu(h);
    });
    return h;
  };
  // Mean over the batch of −Σ_c y log softmax(z): the default reduction with no weights.
  const lossFn = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, forward()) as tf.Scalar;

  return {
    loss: () => {
      const l = tf.tidy(lossFn);
      const value = l.dataSync()[0]!;
      l.dispose();
      return value;
    },
    step: () => {
      optimizer.minimize(lossFn, false, varList);
    },
    dispose: () => {
      optimizer.dispose();
      for (const v of varList) v.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

/** The reference numbers a peer must reproduce: the loss before and after one step. */
export interface LossPair {
  before: number;
  after: number;
}

/** Loss, one step, loss again. */
export function lossPair(trainer: Trainer): LossPair {
  const before = trainer.loss();
  trainer.step();
  return { before, after: trainer.loss() };
}

/** Throws a CheckError unless `peer` reproduces the reference losses. */
export function checkLosses(what: string, peer: LossPair, reference: LossPair, tolerance = LOSS_TOLERANCE): CheckRecord[] {
  return [
    expectClose(`${what}: loss at the initial weights`, peer.before, reference.before, tolerance),
    expectClose(`${what}: loss after one SGD step`, peer.after, reference.after, tolerance),
  ];
}

export async function runMlp(ctx: Context): Promise<Row[]> {
  const config = MLP_CONFIG;
  const row: Row = {
    family: 'mlp',
    id: 'mlp-step',
    label: `MLP ${config.layers.join('-')} step, batch ${config.batch}`,
    unit: 'steps/s',
    better: 'higher',
    cells: {},
    checks: [],
  };
  return [
    await fillRow(row, async () => {
      const batch = syntheticBatch(config);
      const dg = deltagraphMlp(config, batch);
      const initial = dg.weights();

      ctx.log('mlp: deltagraph');
      const reference = lossPair(dg.trainer);
      const m = measure(() => dg.trainer.step(), ctx.profile.mlp);
      row.cells.deltagraph = { value: 1000 / m.median, measurement: m, extra: { losses: reference } };

      for (const peer of PEERS) {
        ctx.log(`mlp: ${peer}`);
        row.cells[peer] = await onPeer(peer, () => {
          const trainer = tfjsMlp(config, initial, batch);
          try {
            const losses = lossPair(trainer);
            row.checks.push(...checkLosses(`MLP ${peer} against deltagraph`, losses, reference));
            const t = measure(() => trainer.step(), ctx.profile.mlp);
            return { value: 1000 / t.median, measurement: t, extra: { losses } };
          } finally {
            trainer.dispose();
          }
        });
      }
    }),
  ];
}
