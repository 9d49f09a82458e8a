/**
 * What the function transforms cost, outside the benchmark table (run on its own):
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/transforms.ts [--quick]
 *
 * 1. Forward mode against a plain forward pass: an MLP (784 → 256 → 256 → 10, tanh, batch 128),
 *    timed as f(x) alone, as jvp with respect to the input, as jvp with respect to every
 *    parameter, as one more call of a linearisation's function (the recorded pullback reused),
 *    and, for scale, as valueAndGrad of a scalar loss. Then the second order of the loss Σ f:
 *    hvp (reverse over reverse) against jvp of grad (forward over reverse), both with respect to
 *    every parameter, and one training step's forward and backward pass inside detectAnomaly.
 *    Times are medians; each ratio is the median over pairs of runs (the forward pass, then the
 *    transform) of the transform's time over the forward pass's.
 * 2. checkpoint's memory: a deep MLP (50 tanh layers of width 256, batch 256) trained one step,
 *    every layer plain or checkpointed. Reported: the bytes of values the recorded graph keeps
 *    alive for the backward pass (every distinct Float64Array an unreleased node holds), and the
 *    peak of live ArrayBuffer memory during the backward pass (process.memoryUsage().arrayBuffers
 *    after a full garbage collection, sampled at every layer by an identity whose VJP reads it).
 * 3. The same for the shakespeare GPT (GPT.checkpointBlocks): what its graph keeps and the live
 *    memory after the forward pass, each block plain or checkpointed.
 */
import {
  Tensor, add, ancestors, backward, checkpoint, gpt, customVjp, detectAnomaly, grad, hvp, jvp, linearize, matmul, param, randn, rng, sum, tanh,
  valueAndGrad,
} from '../node';
import { median, timeOnce } from './timing';

const quick = process.argv.includes('--quick');
const gc = (globalThis as { gc?: () => void }).gc;
const MiB = 2 ** 20;

/**
 * Times fn against the forward pass `base` in pairs (base, then fn, repeated), so that a machine
 * whose load changes during the run slows both alike: the median time of each, and the median of
 * the per-pair ratios.
 */
function timing(label: string, fn: () => unknown, base?: () => unknown): void {
  const pairs = quick ? 8 : 30;
  for (let i = 0; i < 3; i++) {
    base?.();
    fn();
  }
  const times: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const b = base === undefined ? 0 : timeOnce(base);
    const t = timeOnce(fn);
    times.push(t);
    if (base !== undefined) ratios.push(t / b);
  }
  console.log(`  ${label.padEnd(50)} ${median(times).toFixed(2).padStart(8)} ms${base === undefined ? '' : `   ×${median(ratios).toFixed(2)}`}`);
}

function forwardMode(): void {
  const r = rng(1);
  const widths = [784, 256, 256, 10];
  const params: Tensor[] = [];
  for (let l = 1; l < widths.length; l++) params.push(param(randn([widths[l - 1]!, widths[l]!], r).mul(1 / Math.sqrt(widths[l - 1]!))), param(randn([widths[l]!], r).mul(0.1)));
  const x = randn([128, 784], r);
  const mlp = (input: Tensor, ...ps: Tensor[]): Tensor => {
    let h = input;
    for (let l = 0; l < ps.length; l += 2) {
      h = add(matmul(h, ps[l]!), ps[l + 1]!);
      if (l + 2 < ps.length) h = tanh(h);
    }
    return h;
  };
  const tx = randn(x.shape, r);
  const tps = params.map((p) => randn(p.shape, r));
  console.log('forward mode, MLP 784 → 256 → 256 → 10 (tanh), batch 128:');
  const base = () => mlp(x, ...params);
  timing('forward f(x) (recorded)', base);
  timing('jvp with respect to x', () => jvp((z: Tensor) => mlp(z, ...params), [x], [tx]), base);
  timing('jvp with respect to all 6 parameters', () => jvp((...ps: Tensor[]) => mlp(x, ...ps), params, tps), base);
  const [, fJvp] = linearize((...ps: Tensor[]) => mlp(x, ...ps), ...params);
  timing('linearize: one more call of fJvp', () => fJvp(...tps), base);
  const all = [0, 1, 2, 3, 4, 5];
  const loss = (...ps: Tensor[]) => sum(tanh(mlp(x, ...ps)));
  timing('valueAndGrad of sum(f) (reverse mode)', () => valueAndGrad((...ps: Tensor[]) => sum(mlp(x, ...ps)), all)(...params), base);
  timing('hvp of Σ tanh(f) (reverse over reverse)', () => hvp(loss, params, tps), base);
  timing('jvp of grad of Σ tanh(f) (forward over reverse)', () => jvp(grad(loss, all), params, tps), base);
  const step = () => backward(sum(mlp(x, ...params)), { wrt: params });
  timing('forward + backward', step, base);
  timing('forward + backward inside detectAnomaly', () => detectAnomaly(step), base);
}

/** Bytes of the distinct value arrays that the graph behind `out` keeps for its backward pass. */
function graphBytes(out: Tensor): number {
  const arrays = new Set<Float64Array>();
  for (const node of ancestors(out, 'bench', '')) {
    arrays.add(node.output.data);
    for (const x of node.inputs!) arrays.add(x.data);
  }
  let bytes = 0;
  for (const a of arrays) bytes += a.byteLength;
  return bytes;
}

function checkpointMemory(): void {
  const depth = quick ? 20 : 50;
  const width = 256;
  const batch = 256;
  const r = rng(2);
  const Ws = Array.from({ length: depth }, () => param(randn([width, width], r).mul(1 / Math.sqrt(width))));
  const bs = Array.from({ length: depth }, () => param(randn([width], r).mul(0.1)));
  const x = randn([batch, width], r);
  let peak = 0;
  const sample = () => {
    gc?.();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  };
  /** The identity, whose VJP samples live memory: one probe per layer boundary. */
  const probe = customVjp(function probe(h: Tensor) { return h; }, (g) => {
    sample();
    return [g];
  });
  const layer = (h: Tensor, W: Tensor, b: Tensor) => tanh(add(matmul(h, W), b));
  const run = (checkpointed: boolean) => {
    const block = checkpointed ? checkpoint(layer) : layer;
    let h = x;
    for (let l = 0; l < depth; l++) h = probe(block(h, Ws[l]!, bs[l]!));
    const loss = sum(h);
    const kept = graphBytes(loss);
    gc?.();
    const afterForward = process.memoryUsage().arrayBuffers;
    peak = afterForward;
    const grads = backward(loss, { wrt: [...Ws, ...bs] });
    const gradient = grads.get(Ws[0]!).data[0]!;
    return { kept, afterForward, peak, gradient };
  };
  const parameters = depth * (width * width + width) * 8;
  console.log(`checkpoint, ${depth} tanh layers of width ${width}, batch ${batch} (parameters ${(parameters / MiB).toFixed(1)} MiB, one activation ${(batch * width * 8 / MiB).toFixed(2)} MiB)${gc ? '' : ' — run with --expose-gc for the live-memory columns'}:`);
  const rows = [['plain', run(false)], ['checkpoint per layer', run(true)]] as const;
  for (const [label, m] of rows) {
    console.log(`  ${label.padEnd(22)} graph keeps ${(m.kept / MiB).toFixed(1).padStart(6)} MiB   live after forward ${(m.afterForward / MiB).toFixed(1).padStart(6)} MiB   peak in backward ${(m.peak / MiB).toFixed(1).padStart(6)} MiB`);
  }
  if (rows[0][1].gradient !== rows[1][1].gradient) throw new Error('checkpoint changed the gradient');
}

/**
 * The same for the character GPT of `train shakespeare` (4 blocks, width 128, context 64), one
 * batch of 12 windows: its blocks plain or checkpointed (GPT.checkpointBlocks).
 */
function gptCheckpointMemory(): void {
  const data = Array.from({ length: 12 * 65 }, (_, i) => (i * 7919) % 65);
  const ids = new Tensor(Float64Array.from(data.slice(0, 12 * 64)), [12, 64]);
  const targets = new Tensor(Float64Array.from(data.slice(1, 12 * 64 + 1)), [12, 64]);
  const model = gpt({ vocabSize: 65, layers: quick ? 2 : 4, heads: 4, embedding: 128, context: 64 }, 0);
  const run = (checkpointed: boolean) => {
    model.checkpointBlocks = checkpointed;
    const loss = model.loss(ids, targets);
    const kept = graphBytes(loss);
    gc?.();
    const afterForward = process.memoryUsage().arrayBuffers;
    const grads = backward(loss);
    return { kept, afterForward, gradient: grads.get(model.parameters()[0]!).data[0]! };
  };
  console.log(`checkpoint, the shakespeare GPT (${model.config.layers} blocks, width 128, context 64), 12 windows:`);
  const rows = [['plain', run(false)], ['checkpoint per block', run(true)]] as const;
  for (const [label, m] of rows) {
    console.log(`  ${label.padEnd(22)} graph keeps ${(m.kept / MiB).toFixed(1).padStart(6)} MiB   live after forward ${(m.afterForward / MiB).toFixed(1).padStart(6)} MiB`);
  }
  if (rows[0][1].gradient !== rows[1][1].gradient) throw new Error('checkpoint changed the gradient');
}

forwardMode();
checkpointMemory();
gptCheckpointMemory();
