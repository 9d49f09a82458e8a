/**
 * Row family "cnn": convolution, forward and backward.
 *   conv2d row: one conv2d of the MNIST CNN's second layer (x [64, 16, 14, 14], w [32, 16, 5, 5],
 *     padding 2) and its gradients with respect to x and w, in milliseconds.
 *   cnn row: training steps per second of the MNIST CNN (Conv2d 1→16 5×5 · ReLU · MaxPool2d 2 ·
 *     Conv2d 16→32 5×5 · ReLU · MaxPool2d 2 · Flatten · Linear 1568→10, cross-entropy), batch 64,
 *     plain SGD with learning rate 0.01: forward, backward for every parameter, update.
 * tfjs computes in NHWC with HWIO filters, from the same values transposed; before anything is
 * timed it must reproduce deltagraph's output and gradients (conv2d) or its loss before and after
 * one step (cnn), to float32 accuracy.
 */
import { Conv2d, CrossEntropyLoss, Flatten, Linear, MaxPool2d, ReLU, SGD, Sequential, Tensor, Unflatten, backward, conv2d, kernels, mul, param, rand, rng, sum, tidy } from '../node';
import { expectAllClose } from './check';
import { LOSS_TOLERANCE, checkLosses, lossPair } from './mlp';
import { Trainer } from './mlp-model';
import { Context } from './profile';
import { Row, fillRow } from './report';
import { measure } from './timing';
import { PEERS, f32, onPeer, tf } from './tfjs';

const BATCH = 64;

/**
 * Runs one peer's cell; a peer that lacks a kernel (tfjs-wasm 4.22 has no Conv2DBackpropFilter,
 * so it cannot train a convolution) gets no cell and a note under the table instead.
 */
async function peerCell<T>(row: Row, peer: (typeof PEERS)[number], fn: () => T): Promise<T | undefined> {
  try {
    return await onPeer(peer, fn);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!/not registered for backend/.test(message)) throw e;
    row.note = `${row.note ? `${row.note}; ` : ''}${peer}: ${message}`;
    return undefined;
  }
}

/** x [N, C, H, W] as NHWC float32 (or w [O, I, kH, kW] as HWIO). */
function nhwc(t: Tensor, perm: number[]): Float32Array {
  return f32(kernels.transpose(t, perm).data);
}

function conv2dRow(ctx: Context): Promise<Row> {
  const row: Row = { family: 'cnn', id: 'conv2d', label: 'conv2d 16→32 5×5, 64×14×14, fwd+bwd', unit: 'ms', better: 'lower', cells: {}, checks: [] };
  return fillRow(row, async () => {
    const random = rng(11);
    const x = param(rand([BATCH, 16, 14, 14], random, -1, 1));
    const w = param(rand([32, 16, 5, 5], random, -0.1, 0.1));
    const v = rand([BATCH, 32, 14, 14], random, -1, 1);
    const run = () => tidy(() => {
      const y = conv2d(x, w, { padding: 2 });
      const g = backward(sum(mul(y, v)), { wrt: [x, w] });
      return { y: y.data.slice(), gx: g.get(x).data.slice(), gw: g.get(w).data.slice() };
    });
    ctx.log('cnn: conv2d deltagraph');
    const reference = run();
    const m = measure(run, ctx.profile.cnn);
    row.cells.deltagraph = { value: m.median, measurement: m };
    for (const peer of PEERS) {
      ctx.log(`cnn: conv2d ${peer}`);
      const cell = await peerCell(row, peer, () => {
        const tx = tf.tensor4d(nhwc(x, [0, 2, 3, 1]), [BATCH, 14, 14, 16]);
        const tw = tf.tensor4d(nhwc(w, [2, 3, 1, 0]), [5, 5, 16, 32]);
        const tv = tf.tensor4d(nhwc(v, [0, 2, 3, 1]), [BATCH, 14, 14, 32]);
        const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.sum(tf.mul(tf.conv2d(a, b, 1, 'same'), tv));
        const grads = tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor);
        const once = () => tf.tidy(() => {
          const [gx, gw] = grads([tx, tw]);
          return [tf.conv2d(tx, tw, 1, 'same').dataSync(), gx!.dataSync(), gw!.dataSync()];
        });
        try {
          const [y, gx, gw] = once();
          // deltagraph's values in tfjs's layouts, for the comparison.
          const asNhwc = (data: Float64Array, shape: number[], perm: number[]) => kernels.transpose(new Tensor(data, shape), perm).data;
          row.checks.push(
            expectAllClose(`conv2d ${peer}: output`, y!, asNhwc(reference.y, [BATCH, 32, 14, 14], [0, 2, 3, 1]), 1e-5),
            expectAllClose(`conv2d ${peer}: ∂/∂x`, gx!, asNhwc(reference.gx, [BATCH, 16, 14, 14], [0, 2, 3, 1]), 1e-5),
            expectAllClose(`conv2d ${peer}: ∂/∂w`, gw!, asNhwc(reference.gw, [32, 16, 5, 5], [2, 3, 1, 0]), 1e-5),
          );
          const t = measure(once, ctx.profile.cnn);
          return { value: t.median, measurement: t };
        } finally {
          tx.dispose();
          tw.dispose();
          tv.dispose();
        }
      });
      if (cell) row.cells[peer] = cell;
    }
  });
}

/** The MNIST CNN in deltagraph, on a batch of random images and labels. */
function deltagraphCnn(images: Tensor, labels: Tensor): { net: Sequential; trainer: Trainer } {
  const net = new Sequential(
    new Unflatten(1, [1, 28, 28]),
    new Conv2d(1, 16, 5, { padding: 2, rng: 1 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(16, 32, 5, { padding: 2, rng: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(1568, 10, { rng: 3 }),
  );
  const optimizer = new SGD(net.parameters(), { lr: 0.01 });
  const loss = new CrossEntropyLoss();
  return {
    net,
    trainer: {
      loss: () => tidy(() => loss.forward(net.forward(images), labels).item()),
      step: () => tidy(() => optimizer.step(backward(loss.forward(net.forward(images), labels), { wrt: net.parameters() }))),
      dispose: () => undefined,
    },
  };
}

/** The same CNN in tfjs (NHWC), from deltagraph's initial weights, on the same batch. */
function tfjsCnn(net: Sequential, images: Tensor, labels: Tensor): Trainer {
  const [c1, c2, lin] = [net.layers[1] as Conv2d, net.layers[4] as Conv2d, net.layers[8] as Linear];
  const vars = tf.tidy(() => ({
    w1: tf.variable(tf.tensor4d(nhwc(c1.W, [2, 3, 1, 0]), [5, 5, 1, 16])),
    b1: tf.variable(tf.tensor1d(f32(c1.b!.data))),
    w2: tf.variable(tf.tensor4d(nhwc(c2.W, [2, 3, 1, 0]), [5, 5, 16, 32])),
    b2: tf.variable(tf.tensor1d(f32(c2.b!.data))),
    W: tf.variable(tf.tensor2d(f32(lin.W.data), [1568, 10])),
    b: tf.variable(tf.tensor1d(f32(lin.b!.data))),
  }));
  const list = Object.values(vars);
  const x = tf.tensor4d(f32(images.data), [BATCH, 28, 28, 1]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(labels.data), 'int32'), 10);
  const optimizer = tf.train.sgd(0.01);
  const lossFn = (): tf.Scalar => {
    const layer = (h: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w, 1, 'same'), b)) as tf.Tensor4D, 2, 2, 'valid') as tf.Tensor4D;
    const h = layer(layer(x, vars.w1, vars.b1), vars.w2, vars.b2);
    // Flatten in deltagraph's (NCHW) order, so that the Linear weights mean the same.
    const flat = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [BATCH, 1568]);
    return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(flat, vars.W), vars.b)) as tf.Scalar;
  };
  return {
    loss: () => {
      const l = tf.tidy(lossFn);
      const value = l.dataSync()[0]!;
      l.dispose();
      return value;
    },
    step: () => {
      optimizer.minimize(lossFn, false, list);
    },
    dispose: () => {
      optimizer.dispose();
      for (const v of list) v.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

function cnnRow(ctx: Context): Promise<Row> {
  const row: Row = { family: 'cnn', id: 'cnn-step', label: `MNIST CNN step, batch ${BATCH}`, unit: 'steps/s', better: 'higher', cells: {}, checks: [] };
  return fillRow(row, async () => {
    const random = rng(12);
    const images = rand([BATCH, 784], random);
    const labels = new Tensor(Float64Array.from({ length: BATCH }, (_, i) => (i * 7) % 10), [BATCH]);
    const dg = deltagraphCnn(images, labels);
    const initial = deltagraphCnn(images, labels).net; // the same seeds: the initial weights for the peers
    ctx.log('cnn: step deltagraph');
    const reference = lossPair(dg.trainer);
    const m = measure(() => dg.trainer.step(), ctx.profile.cnn);
    row.cells.deltagraph = { value: 1000 / m.median, measurement: m, extra: { losses: reference } };
    for (const peer of PEERS) {
      ctx.log(`cnn: step ${peer}`);
      const cell = await peerCell(row, peer, () => {
        const trainer = tfjsCnn(initial, images, labels);
        try {
          const losses = lossPair(trainer);
          row.checks.push(...checkLosses(`CNN ${peer} against deltagraph`, losses, reference, LOSS_TOLERANCE));
          const t = measure(() => trainer.step(), ctx.profile.cnn);
          return { value: 1000 / t.median, measurement: t, extra: { losses } };
        } finally {
          trainer.dispose();
        }
      });
      if (cell) row.cells[peer] = cell;
    }
  });
}

export async function runCnn(ctx: Context): Promise<Row[]> {
  return [await conv2dRow(ctx), await cnnRow(ctx)];
}
