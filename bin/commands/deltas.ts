import { Tensor, formatTensor, kernels, noGrad, backward, MLP, MSELoss, xorDataset } from '../../index';
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

function maxAbsDiff(a: Tensor, b: Tensor): number {
  let m = 0;
  for (let i = 0; i < a.size; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

function sideBySide(left: string, right: string, gap = 4): string {
  const l = left.split('\n');
  const r = right.split('\n');
  const width = Math.max(...l.map((s) => s.length));
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

  // The slides' compact formulas, evaluated with kernels only (no graph, no VJPs).
  const closed = noGrad(() => {
    const sigmaPrime = (a: Tensor) => {
      const s = kernels.sigmoid(a);
      return kernels.mul(s, kernels.sub(new Tensor(Float64Array.of(1), []), s));
    };
    const O = A.map((a) => kernels.sigmoid(a));
    const deltas: Tensor[] = new Array(A.length);
    const L = A.length - 1;
    deltas[L] = kernels.mul(sigmaPrime(A[L]!), kernels.scale(kernels.sub(O[L]!, y), 2));
    for (let l = L - 1; l >= 0; l--) {
      deltas[l] = kernels.mul(sigmaPrime(A[l]!), kernels.matmul(deltas[l + 1]!, kernels.transpose(layers[l + 1]!.W, [1, 0])));
    }
    const dW = deltas.map((d, l) => kernels.matmul(kernels.transpose(l === 0 ? X : O[l - 1]!, [1, 0]), d));
    return { deltas, dW };
  });

  console.log(`Siena XOR net 2-4-3-1, sigmoid, loss ‖o − y‖² = ${loss.item().toFixed(6)} (seed ${seed})\n`);
  let worst = 0;
  for (let l = 0; l < A.length; l++) {
    const g = graphDeltas[l]!;
    const c = closed.deltas[l]!;
    const dW = grads.get(layers[l]!.W);
    worst = Math.max(worst, maxAbsDiff(g, c), maxAbsDiff(dW, closed.dW[l]!));
    console.log(`Δ${l + 1} = ∂loss/∂A${l + 1}  [${g.shape.join('×')}]`);
    console.log(sideBySide(`graph (backward)\n${formatTensor(g, { digits: 6 })}`, `closed form\n${formatTensor(c, { digits: 6 })}`));
    console.log(`max |graph − closed form| = ${maxAbsDiff(g, c).toExponential(2)};  ∂loss/∂W${l + 1}: ${maxAbsDiff(dW, closed.dW[l]!).toExponential(2)}\n`);
  }
  console.log(worst <= 1e-12 ? `The graph's deltas equal the compact formulas (largest difference ${worst.toExponential(2)} ≤ 1e-12).` : `MISMATCH: largest difference ${worst.toExponential(2)}`);
  return worst <= 1e-12 ? 0 : 1;
}
