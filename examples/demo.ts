/**
 * The first thing a new user runs (`npm start`): the Siena slides' XOR net built from ops — its
 * loss, its gradients and its layer deltas from one backward pass — then the property-based
 * gradient check of every op, as a table, and one short MNIST training run.
 */
import {
  Adam, CrossEntropyLoss, MLP, Tensor, add, backward, evaluate, fit, formatTensor, loadMnist, matmul, param, randn, rng,
  sigmoid, sub, sum, mul,
} from '../node';
import { checkOps, formatOpTable } from '../check';
import { xorDataset } from '../nn/datasets/xor';

const { X, y } = xorDataset();
const random = rng(7);
const layer = (fanIn: number, fanOut: number) => ({
  W: param(mul(randn([fanIn, fanOut], random), 1 / Math.sqrt(fanIn))),
  b: param(mul(randn([fanOut], random), 0.1)),
});
const layers = [layer(2, 4), layer(4, 3), layer(3, 1)];

// Forward: Aˡ = Oˡ⁻¹Wˡ + bˡ (rows are examples), Oˡ = σ(Aˡ), loss = ‖O³ − y‖².
const A: Tensor[] = [];
let O: Tensor = X;
for (const { W, b } of layers) {
  const a = add(matmul(O, W), b);
  A.push(a);
  O = sigmoid(a);
}
const diff = sub(O, y);
const loss = sum(mul(diff, diff));

// One backward pass gives every edge's gradient: the weights' and each layer's delta ∂loss/∂Aˡ.
const grads = backward(loss);

// Bold titles on a terminal only, and never when NO_COLOR is set (https://no-color.org).
const bold = process.stdout.isTTY === true && !process.env.NO_COLOR;
const title = (s: string) => console.log(bold ? `\n\x1b[1m${s}\x1b[0m` : `\n${s}`);
title('Siena XOR net (2-4-3-1, sigmoid), 8 examples, loss = ‖o − y‖²');
console.log(`loss = ${loss.item().toFixed(6)}`);
layers.forEach(({ W, b }, l) => {
  title(`layer ${l + 1}: ∂loss/∂W${l + 1} ${JSON.stringify(W.shape)} and ∂loss/∂b${l + 1}`);
  console.log(formatTensor(grads.get(W)));
  console.log(formatTensor(grads.get(b)));
});
A.forEach((a, l) => {
  title(`delta Δ${l + 1} = ∂loss/∂A${l + 1} ${JSON.stringify(a.shape)} (one row per example)`);
  console.log(formatTensor(grads.get(a)));
});

title('Property-based gradient check of every op (fast-check, float64 central differences, 1st and 2nd order)');
const started = Date.now();
const rows = checkOps([], {
  runs: 100,
  onRow: (row, i, total) => {
    if (process.stdout.isTTY) process.stdout.write(`\r  checking ${row.op.padEnd(20)} ${i + 1}/${total}`);
  },
});
if (process.stdout.isTTY) process.stdout.write('\r' + ' '.repeat(50) + '\r');
console.log(formatOpTable(rows));
const failed = rows.filter((r) => !r.pass);
console.log(`\n${rows.length - failed.length} of ${rows.length} ops pass (${((Date.now() - started) / 1000).toFixed(1)} s)`);
for (const r of failed) console.log(`\n${r.op}:\n${r.failure}`);

title('MNIST: an MLP 784-128-10 (ReLU), cross-entropy, Adam (lr 1e-3), batch 64, one epoch');
const mnist = loadMnist();
const net = new MLP({ layers: [784, 128, 10], seed: 0 });
const ce = new CrossEntropyLoss();
fit(net, mnist.train, { loss: ce, optimizer: new Adam(net.parameters(), { lr: 1e-3 }), epochs: 1, batchSize: 64 });
const test = evaluate(net, mnist.test, ce, ['accuracy']);
console.log(`test accuracy after one epoch: ${(100 * test.metrics.accuracy!).toFixed(2)}% (npx deltagraph train mnist runs the full five epochs)`);
process.exitCode = failed.length === 0 ? 0 : 1;
