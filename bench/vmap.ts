/**
 * Per-example gradients: vmap(grad(loss)) against a loop of grad over the examples, for an MLP
 * (784 → 128 → 10, tanh, cross-entropy on one-hot targets, batch 64). Run on its own:
 *
 *   node -r ts-node/register/transpile-only bench/vmap.ts [--quick]
 *
 * Both give a [64, ...] gradient per parameter (checked equal first); times are medians over
 * pairs of runs (the loop, then vmap), and the ratio is the median of the per-pair ratios
 * loop / vmap.
 */
import { Tensor, add, crossEntropy, grad, matmul, randn, rng, softmax, stack, tanh, vmap } from '../node';
import { median, timeOnce } from './timing';

const quick = process.argv.includes('--quick');
const r = rng(1);
const batch = 64;
const W1 = randn([784, 128], r).mul(0.05);
const b1 = randn([128], r).mul(0.05);
const W2 = randn([128, 10], r).mul(0.05);
const b2 = randn([10], r).mul(0.05);
const xs = randn([batch, 784], r);
const ys = softmax(randn([batch, 10], r).mul(10), -1);

const loss = (w1: Tensor, c1: Tensor, w2: Tensor, c2: Tensor, x: Tensor, y: Tensor) =>
  crossEntropy(add(matmul(tanh(add(matmul(x.reshape([1, 784]), w1), c1)), w2), c2), y.reshape([1, 10]));
const params = [0, 1, 2, 3];
const perExample = vmap(grad(loss, params), { inAxes: [null, null, null, null, 0, 0] });

const rows = (t: Tensor) => Array.from({ length: batch }, (_, b) => new Tensor(t.data.subarray(b * (t.size / batch), (b + 1) * (t.size / batch)), t.shape.slice(1)));
const xRows = rows(xs);
const yRows = rows(ys);
const looped = (): Tensor[] => {
  const each = xRows.map((x, b) => grad(loss, params)(W1, b1, W2, b2, x, yRows[b]!) as Tensor[]);
  return params.map((k) => stack(each.map((g) => g[k]!)));
};
const batched = (): Tensor[] => perExample(W1, b1, W2, b2, xs, ys) as Tensor[];

// Same gradients.
const a = looped();
const b = batched();
let worst = 0;
a.forEach((g, k) => g.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[k]!.data[i]!)))));
console.log(`per-example gradients: shapes ${b.map((g) => `[${g.shape.join(', ')}]`).join(' ')}, largest difference from the loop ${worst.toExponential(2)}`);

const pairs = quick ? 5 : 15;
for (let i = 0; i < 2; i++) {
  looped();
  batched();
}
const loopTimes: number[] = [];
const vmapTimes: number[] = [];
const ratios: number[] = [];
for (let i = 0; i < pairs; i++) {
  const l = timeOnce(looped);
  const v = timeOnce(batched);
  loopTimes.push(l);
  vmapTimes.push(v);
  ratios.push(l / v);
}
console.log(`loop of grad: ${median(loopTimes).toFixed(1)} ms, vmap(grad): ${median(vmapTimes).toFixed(1)} ms, loop / vmap: ${median(ratios).toFixed(2)}×`);
