/**
 * Reproduces the XOR network of the Siena backpropagation slides (document 004): 8 two-dimensional
 * examples (xorDataset(), 4 per class), a 2-4-3-1 net with a sigmoid on every layer, rows as
 * examples (Aˡ = Oˡ⁻¹Wˡ + bˡ, Oˡ = σ(Aˡ)) and the loss ‖O³ − y‖² (MSELoss('sum')). It trains the net
 * with full-batch gradient descent until the loss is below 1e-3, then reads every layer's delta
 * Δˡ = ∂loss/∂Aˡ from one backward pass (model.deltas(backward(loss))) and compares them with the
 * slides' compact formulas, evaluated independently with plain loops over Float64Arrays:
 *   Δᴸ = σ′(Aᴸ) ⊙ 2(Oᴸ − y),   Δˡ = σ′(Aˡ) ⊙ Δˡ⁺¹(Wˡ⁺¹)ᵀ,
 *   ∂loss/∂Wˡ = (Oˡ⁻¹)ᵀΔˡ,    ∂loss/∂bˡ = (Δˡ)ᵀ1.
 * The comparison is made at the initial weights (large deltas) and after training.
 *
 * Run: npx ts-node --transpile-only examples/siena-xor.ts   (npm run example:xor)
 */
import { MLP, MSELoss, SGD, Tensor, backward, formatTensor, xorDataset } from '../index';

export interface XorOptions {
  /** Learning rate of gradient descent (default 1). */
  lr?: number;
  /** Seed of the initial weights (default 0). */
  seed?: number;
  /** Stop when the loss is below this (default 1e-3). */
  target?: number;
  /** Give up after this many steps (default 100,000). */
  maxSteps?: number;
  /** Print the loss every this many steps (default 200). */
  every?: number;
  log?: (line: string) => void;
}

export interface LayerCheck {
  layer: number;
  /** Largest |Δ| of the layer, for scale. */
  maxAbsDelta: number;
  /** max |graph − formula| for Δˡ, ∂loss/∂Wˡ and ∂loss/∂bˡ. */
  delta: number;
  weight: number;
  bias: number;
}

export interface XorResult {
  /** Gradient-descent steps taken until the loss went below the target. */
  steps: number;
  finalLoss: number;
  reachedTarget: boolean;
  history: Array<{ step: number; loss: number }>;
  predictions: number[];
  /** Deltas vs the slides' formulas at the initial weights and after training. */
  atStart: LayerCheck[];
  atEnd: LayerCheck[];
  /** The largest of all differences in both checks. */
  maxDifference: number;
  seconds: number;
}

const sigma = (v: number): number => 1 / (1 + Math.exp(-v));

/** A plain row-major matrix for the reference computation. */
interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

function matmulRef(a: Mat, b: Mat): Mat {
  const c: Mat = { rows: a.rows, cols: b.cols, data: new Float64Array(a.rows * b.cols) };
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
      c.data[i * c.cols + j] = s;
    }
  }
  return c;
}

function transposeRef(a: Mat): Mat {
  const t: Mat = { rows: a.cols, cols: a.rows, data: new Float64Array(a.data.length) };
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}

const fromTensor = (t: Tensor): Mat => ({ rows: t.shape[0]!, cols: t.rank > 1 ? t.shape[1]! : 1, data: t.data.slice() });
const maxAbsDiff = (a: Float64Array, b: Float64Array): number => a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k]!)), 0);

/**
 * The slides' backward pass with loops, from the weights and the data alone:
 * forward Aˡ = Oˡ⁻¹Wˡ + 1bˡᵀ, Oˡ = σ(Aˡ); then Δᴸ = σ′(Aᴸ) ⊙ 2(Oᴸ − y), Δˡ = σ′(Aˡ) ⊙ Δˡ⁺¹(Wˡ⁺¹)ᵀ.
 */
function slidesBackward(X: Mat, y: Float64Array, W: Mat[], b: Float64Array[]): { delta: Mat[]; dW: Mat[]; db: Float64Array[] } {
  const A: Mat[] = [];
  const O: Mat[] = [X];
  for (let l = 0; l < W.length; l++) {
    const a = matmulRef(O[l]!, W[l]!);
    for (let k = 0; k < a.data.length; k++) a.data[k] = a.data[k]! + b[l]![k % a.cols]!;
    A.push(a);
    O.push({ rows: a.rows, cols: a.cols, data: a.data.map(sigma) });
  }
  const L = W.length;
  const sigmaPrime = (a: Mat, k: number): number => sigma(a.data[k]!) * (1 - sigma(a.data[k]!));
  const delta: Mat[] = new Array<Mat>(L);
  const out = O[L]!;
  delta[L - 1] = { rows: out.rows, cols: out.cols, data: out.data.map((o, k) => sigmaPrime(A[L - 1]!, k) * 2 * (o - y[k]!)) };
  for (let l = L - 2; l >= 0; l--) {
    const back = matmulRef(delta[l + 1]!, transposeRef(W[l + 1]!));
    delta[l] = { rows: back.rows, cols: back.cols, data: back.data.map((v, k) => sigmaPrime(A[l]!, k) * v) };
  }
  const dW = delta.map((d, l) => matmulRef(transposeRef(O[l]!), d));
  const db = delta.map((d) => {
    const s = new Float64Array(d.cols);
    for (let i = 0; i < d.rows; i++) for (let j = 0; j < d.cols; j++) s[j] = s[j]! + d.data[i * d.cols + j]!;
    return s;
  });
  return { delta, dW, db };
}

/** One forward and backward pass of the model, its deltas against the slides' formulas. */
function checkDeltas(model: MLP, X: Tensor, y: Tensor, lossFn: MSELoss): { checks: LayerCheck[]; deltas: Tensor[]; loss: number } {
  const loss = lossFn.forward(model.forward(X), y);
  const grads = backward(loss);
  const deltas = model.deltas(grads);
  const linears = model.linears();
  const W = linears.map((lin) => fromTensor(lin.W));
  const b = linears.map((lin) => lin.b!.data.slice());
  const ref = slidesBackward(fromTensor(X), y.data, W, b);
  const checks = deltas.map((d, l) => ({
    layer: l + 1,
    maxAbsDelta: d.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
    delta: maxAbsDiff(d.data, ref.delta[l]!.data),
    weight: maxAbsDiff(grads.get(linears[l]!.W).data, ref.dW[l]!.data),
    bias: maxAbsDiff(grads.get(linears[l]!.b!).data, ref.db[l]!),
  }));
  return { checks, deltas, loss: loss.item() };
}

export function main(options: XorOptions = {}): XorResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const lr = options.lr ?? 1;
  const seed = options.seed ?? 0;
  const target = options.target ?? 1e-3;
  const maxSteps = options.maxSteps ?? 100_000;
  const every = options.every ?? 200;
  const started = Date.now();

  const { X, y } = xorDataset();
  const model = new MLP({ layers: [2, 4, 3, 1], hidden: 'sigmoid', output: 'sigmoid', seed });
  const lossFn = new MSELoss('sum');
  const optimizer = new SGD(model.parameters(), { lr });

  log("Siena slides' XOR net: 8 examples, 2-4-3-1, sigmoid on every layer, loss = ‖O³ − y‖² (MSELoss('sum'))");
  log(model.describe());
  log(`\nFull-batch gradient descent, η = ${lr}, seed ${seed}, until the loss is below ${target}:`);

  const start = checkDeltas(model, X, y, lossFn);
  const history: Array<{ step: number; loss: number }> = [];
  let step = 0;
  let loss = Infinity;
  for (;;) {
    const l = lossFn.forward(model.forward(X), y);
    loss = l.item();
    const done = loss < target || step >= maxSteps;
    if (step % every === 0 || done) {
      history.push({ step, loss });
      log(`  step ${String(step).padStart(6)}   loss ${loss.toExponential(4)}`);
    }
    if (done) break;
    optimizer.step(backward(l, { wrt: model.parameters() }));
    step++;
  }
  const reachedTarget = loss < target;
  log(reachedTarget ? `Loss below ${target} after ${step} steps.` : `Loss still ${loss.toExponential(3)} after ${step} steps.`);

  const end = checkDeltas(model, X, y, lossFn);
  const predictions = Array.from(model.forward(X).data);
  log('\nPredictions O³ after training (target in brackets):');
  for (let i = 0; i < predictions.length; i++) {
    log(`  x = (${X.data[2 * i]!.toFixed(1)}, ${X.data[2 * i + 1]!.toFixed(1)})   o = ${predictions[i]!.toFixed(4)}   [${y.data[i]}]`);
  }

  log('\nDeltas Δˡ = ∂loss/∂Aˡ after training, from model.deltas(backward(loss)) (one row per example):');
  end.deltas.forEach((d, l) => {
    log(`  Δ${l + 1} ${JSON.stringify(d.shape)}:`);
    for (const line of formatTensor(d, { digits: 8 }).split('\n')) log(`    ${line}`);
  });

  const table = (title: string, checks: LayerCheck[]): void => {
    log(`\n${title}`);
    const headers = ['layer', 'max |Δˡ|', 'max |Δˡ − formula|', 'max |∂W − (Oˡ⁻¹)ᵀΔˡ|', 'max |∂b − (Δˡ)ᵀ1|'];
    log(`  ${headers.join('   ')}`);
    for (const c of checks) {
      const cells = [String(c.layer), ...[c.maxAbsDelta, c.delta, c.weight, c.bias].map((v) => v.toExponential(3))];
      log(`  ${cells.map((cell, i) => cell.padStart(headers[i]!.length)).join('   ')}`);
    }
  };
  log("\nThe slides' compact formulas, evaluated with plain loops from the weights and the data:");
  log('  Δᴸ = σ′(Aᴸ) ⊙ 2(Oᴸ − y),  Δˡ = σ′(Aˡ) ⊙ Δˡ⁺¹(Wˡ⁺¹)ᵀ,  ∂loss/∂Wˡ = (Oˡ⁻¹)ᵀΔˡ,  ∂loss/∂bˡ = (Δˡ)ᵀ1');
  table('At the initial weights:', start.checks);
  table('After training:', end.checks);
  const maxDifference = Math.max(...[...start.checks, ...end.checks].flatMap((c) => [c.delta, c.weight, c.bias]));
  const ok = maxDifference <= 1e-12;
  log(`\nLargest difference between the graph and the formulas: ${maxDifference.toExponential(3)} ${ok ? '≤' : '>'} 1e-12 → ${ok ? 'they agree' : 'THEY DISAGREE'}.`);
  const seconds = (Date.now() - started) / 1000;
  log(`(${seconds.toFixed(2)} s)`);

  return { steps: step, finalLoss: loss, reachedTarget, history, predictions, atStart: start.checks, atEnd: end.checks, maxDifference, seconds };
}

if (require.main === module) main();
