import { Tensor, formatTensor, backward, MLP, MSELoss, xorDataset } from '../../node';
import { UsageError, intFlag, parse } from '../args';

export const deltasHelp = `Usage: deltagraph deltas xor [--seed S]

Builds the Siena slides' XOR net (8 examples, 2-4-3-1, sigmoid, loss ‖o − y‖²), runs one
forward and one backward pass, and prints each layer's delta Δˡ = ∂loss/∂Aˡ as the graph
computed it, next to the slides' closed-form formulas evaluated directly:
  Δ³ = σ′(A³) ⊙ 2(O³ − y),   Δˡ = σ′(Aˡ) ⊙ Δˡ⁺¹ (Wˡ⁺¹)ᵀ,
  ∂loss/∂Wˡ = (Oˡ⁻¹)ᵀ Δˡ,    ∂loss/∂bˡ = (Δˡ)ᵀ 1

Options:
  --seed S    seed of the initial weights (default 0)
  -h, --help  this text`;

/** Plain row-major matrices for the closed forms: nothing of the library's kernels is reused. */
type Rows = number[][];

const rowsOf = (t: Tensor): Rows => {
  const [r, c] = [t.shape[0]!, t.shape[1] ?? 1];
  return Array.from({ length: r }, (_, i) => Array.from(t.data.subarray(i * c, (i + 1) * c)));
};
const times = (a: Rows, b: Rows): Rows => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
const transposed = (a: Rows): Rows => a[0]!.map((_, j) => a.map((row) => row[j]!));
const sigma = (v: number) => 1 / (1 + Math.exp(-v));

/** The slides' compact formulas, from the pre-activations Aˡ and the weights, in plain loops. */
function closedForms(X: Tensor, y: Tensor, A: Tensor[], W: Tensor[]): { deltas: Rows[]; dW: Rows[]; db: Rows[] } {
  const a = A.map(rowsOf);
  const o = a.map((m) => m.map((row) => row.map(sigma)));
  const sigmaPrime = (m: Rows) => m.map((row) => row.map((v) => sigma(v) * (1 - sigma(v))));
  const L = a.length - 1;
  const deltas: Rows[] = new Array(a.length);
  const target = rowsOf(y);
  // Δᴸ = σ′(Aᴸ) ⊙ 2(Oᴸ − y)
  deltas[L] = sigmaPrime(a[L]!).map((row, i) => row.map((s, j) => s * 2 * (o[L]![i]![j]! - target[i]![j]!)));
  // Δˡ = σ′(Aˡ) ⊙ Δˡ⁺¹ (Wˡ⁺¹)ᵀ
  for (let l = L - 1; l >= 0; l--) {
    const back = times(deltas[l + 1]!, transposed(rowsOf(W[l + 1]!)));
    deltas[l] = sigmaPrime(a[l]!).map((row, i) => row.map((s, j) => s * back[i]![j]!));
  }
  // ∂loss/∂Wˡ = (Oˡ⁻¹)ᵀ Δˡ,  ∂loss/∂bˡ = (Δˡ)ᵀ 1
  const dW = deltas.map((d, l) => times(transposed(l === 0 ? rowsOf(X) : o[l - 1]!), d));
  const db = deltas.map((d) => [d[0]!.map((_, j) => d.reduce((s, row) => s + row[j]!, 0))]);
  return { deltas, dW, db };
}

function maxAbsDiff(t: Tensor, m: Rows): number {
  const flat = m.flat();
  let worst = 0;
  for (let i = 0; i < t.size; i++) worst = Math.max(worst, Math.abs(t.data[i]! - flat[i]!));
  return worst;
}

function sideBySide(left: string, right: string, gap = 4): string {
  const l = left.split('\n');
  const r = right.split('\n');
  const width = Math.max(...l.map((x) => x.length));
  return Array.from({ length: Math.max(l.length, r.length) }, (_, i) => (l[i] ?? '').padEnd(width + gap) + (r[i] ?? '')).join('\n');
}

export function deltasCommand(argv: string[]): number {
  const { values, positionals } = parse('deltas', argv, { seed: { type: 'string' } });
  if (values.help) {
    console.log(deltasHelp);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'xor') throw new UsageError(`deltas: expected the example name xor, got '${positionals.join(' ')}'`);
  const seed = intFlag('deltas', 'seed', values.seed, 0, 0);
  const { X, y } = xorDataset();
  const model = new MLP({ layers: [2, 4, 3, 1], hidden: 'sigmoid', output: 'sigmoid', init: 'xavier', seed });
  const loss = new MSELoss('sum').forward(model.forward(X), y);
  const grads = backward(loss);
  const A = model.preActivations();
  const graphDeltas = model.deltas(grads);
  const layers = model.linears();
  const closed = closedForms(X, y, A, layers.map((layer) => layer.W));

  console.log(`Siena XOR net 2-4-3-1, sigmoid, loss ‖o − y‖² = ${loss.item().toFixed(6)} (seed ${seed})\n`);
  let worst = 0;
  for (let l = 0; l < A.length; l++) {
    const g = graphDeltas[l]!;
    const c = new Tensor(Float64Array.from(closed.deltas[l]!.flat()), g.shape);
    const dW = maxAbsDiff(grads.get(layers[l]!.W), closed.dW[l]!);
    const db = maxAbsDiff(grads.get(layers[l]!.b!), closed.db[l]!);
    const dDelta = maxAbsDiff(g, closed.deltas[l]!);
    worst = Math.max(worst, dDelta, dW, db);
    console.log(`Δ${l + 1} = ∂loss/∂A${l + 1}  [${g.shape.join('×')}]`);
    console.log(sideBySide(`graph (backward)\n${formatTensor(g, { digits: 6 })}`, `closed form\n${formatTensor(c, { digits: 6 })}`));
    console.log(`max |graph − closed form|: Δ${l + 1} ${dDelta.toExponential(2)} · ∂loss/∂W${l + 1} ${dW.toExponential(2)} · ∂loss/∂b${l + 1} ${db.toExponential(2)}\n`);
  }
  const ok = worst <= 1e-12;
  console.log(ok ? `The graph's deltas and gradients equal the compact formulas (largest difference ${worst.toExponential(2)} ≤ 1e-12).` : `MISMATCH: largest difference ${worst.toExponential(2)}`);
  return ok ? 0 : 1;
}
