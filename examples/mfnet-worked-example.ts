/**
 * Reproduces the worked example of document 000 (mfnet), §3.3: a 3-layer network with identity
 * activations, columns as examples and the bias folded into augmented matrices (row 0 of every
 * activation is the constant "bias feature" 1). It runs the document's forward pass, backward pass
 * and one gradient-descent update with η = 4 through deltagraph, with the loss the document states,
 * J = (1/m) Σᵢ ‖Ŷᵢ − Ỹᵢ‖² (MSELoss('exampleMean') over the m = 4 columns), and prints every
 * quantity next to the number the document prints and next to the document's own formula evaluated
 * on its own printed inputs. Every place where they disagree is flagged:
 *   - the printed Z¹ is not W¹A⁰;
 *   - ∂J/∂Ŷ is written (2/m)(Ŷ − Ỹ) but evaluated as (1/m)(Ŷ − Ỹ), so every printed gradient after it
 *     is half the true one (central differences confirm the true one);
 *   - the printed ∂J/∂W¹ is twice Δ¹A⁰ᵀ of the printed Δ¹ (by accident it equals the true gradient);
 *   - the printed ∂J/∂A⁰ (marked "unused") is not W¹ᵀΔ¹ in its second row;
 *   - the resulting updates of W³ and W² are not those of the true gradient.
 *
 * The document continues its forward pass from its printed Z¹, so, to compare like with like, the
 * graph does the same: Z¹ = W¹A⁰ + C with the constant C = (printed Z¹ − W¹A⁰). The forward values
 * are then the printed ones while ∂Z¹/∂W¹ stays that of W¹A⁰. The last section recomputes the whole
 * example end to end from its inputs (Z¹ = W¹A⁰), as a reader reproducing it would get it.
 *
 * Run: npx ts-node --transpile-only examples/mfnet-worked-example.ts   (npm run example:mfnet)
 */
import {
  MSELoss,
  SGD,
  Tensor,
  add,
  backward,
  concat,
  gradcheck,
  matmul,
  mul,
  noGrad,
  ones,
  param,
  slice,
  sub,
  tensor,
  transpose,
} from '../index';

import { A0, ETA, M, Matrix, PRINTED, W1, W2, W3, X, Y, Ytilde } from './mfnet-printed';

export type { Matrix };

export type Quantity = keyof typeof PRINTED;

// ---- The network as a graph. ----

/** mfnet's identity activation: row 0 (the bias feature) is pinned to 1, the feature rows pass. Its
 * exact gradient is zero on row 0, which is the document's "set the first row to zero" (eq. 3.8). */
const activation = (z: Tensor): Tensor => concat([ones([1, z.shape[1]!]), slice(z, [1, 0])], 0);

/** J = (1/m) Σᵢ ‖Ŷᵢ − Ỹᵢ‖² over the columns: MSELoss('exampleMean') on the transposed (rows = examples). */
const loss = (yhat: Tensor, target: Tensor): Tensor => new MSELoss('exampleMean').forward(transpose(yhat), transpose(target));

/** Forward pass; `correction` (a constant) is added to W¹A⁰ to continue from the printed Z¹. */
function forward(w1: Tensor, w2: Tensor, w3: Tensor, a0: Tensor, correction: Tensor | null) {
  const w1a0 = matmul(w1, a0);
  const z1 = correction ? add(w1a0, correction) : w1a0;
  const a1 = activation(z1);
  const z2 = matmul(w2, a1);
  const a2 = activation(z2);
  const z3 = matmul(w3, a2);
  const yhat = activation(z3);
  const J = loss(yhat, tensor(Ytilde));
  return { z1, a1, z2, a2, z3, yhat, J };
}

// ---- Small matrix helpers for printing and comparing. ----

const asMatrix = (t: Tensor): Matrix => {
  const rows = t.rank === 0 ? 1 : t.shape[0]!;
  const cols = t.rank < 2 ? 1 : t.shape[1]!;
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => t.data[i * cols + j]! + 0));
};
const same = (a: Matrix, b: Matrix, tol = 1e-12): boolean =>
  a.length === b.length && a.every((r, i) => r.length === b[i]!.length && r.every((v, j) => Math.abs(v - b[i]![j]!) <= tol));
const scaled = (a: Matrix, c: number): Matrix => a.map((r) => r.map((v) => v * c));
const differing = (a: Matrix, b: Matrix): number => a.reduce((n, r, i) => n + r.filter((v, j) => Math.abs(v - b[i]![j]!) > 1e-12).length, 0);

/**
 * How `printed` relates to `reference`: 'equal', 'half' or 'twice' of it, or else which rows are
 * equal, half, twice or different ("differs in k entries (row 0 half, row 1 differs, row 2 half)").
 */
export function relation(printed: Matrix, reference: Matrix): string {
  const whole = (a: Matrix, b: Matrix): string | null =>
    same(a, b) ? 'equal' : same(a, scaled(b, 0.5)) ? 'half' : same(a, scaled(b, 2)) ? 'twice' : null;
  const overall = whole(printed, reference);
  if (overall !== null) return overall;
  const rows = printed.map((r, i) => `row ${i} ${whole([r], [reference[i]!]) ?? 'differs'}`);
  return `differs in ${differing(printed, reference)} entries (${rows.join(', ')})`;
}

/** A matrix as lines; when every entry is a multiple of ¼ but not all integers, as "¼ ×" integers. */
function render(a: Matrix): string[] {
  const allInt = a.every((r) => r.every((v) => Number.isInteger(v)));
  const quarters = !allInt && a.every((r) => r.every((v) => Number.isInteger(v * 4)));
  const cells = a.map((r) => r.map((v) => (quarters ? String(v * 4 + 0) : Number.isInteger(v) ? String(v + 0) : v.toFixed(4))));
  const width = Math.max(...cells.flat().map((c) => c.length));
  const prefix = quarters ? '¼ × ' : '';
  return cells.map((r, i) => (i === 0 ? prefix : ' '.repeat(prefix.length)) + '[' + r.map((c) => c.padStart(width)).join(' ') + ']');
}

/** Matrices side by side under their headings. */
function sideBySide(blocks: Array<[string, Matrix]>): string[] {
  const rendered = blocks.map(([title, m]) => [title, ...render(m)]);
  const widths = rendered.map((lines) => Math.max(...lines.map((l) => [...l].length)));
  const height = Math.max(...rendered.map((l) => l.length));
  return Array.from({ length: height }, (_, i) =>
    '    ' + rendered.map((lines, k) => (lines[i] ?? '').padEnd(widths[k]! + ([...(lines[i] ?? '')].length - (lines[i] ?? '').length))).join('   │   ').trimEnd(),
  );
}

export interface Comparison {
  quantity: Quantity;
  label: string;
  /** The document's formula for it, as it writes it. */
  formula: string;
  printed: Matrix;
  /** The document's formula evaluated (by deltagraph ops) on the document's own printed inputs. */
  ownFormula: Matrix;
  /** The true value, from deltagraph's forward and backward pass. */
  computed: Matrix;
  /** printed vs computed, printed vs ownFormula: 'equal' | 'half' | 'twice' | 'differs in k entries'. */
  vsComputed: string;
  vsOwnFormula: string;
}

export interface Disagreement {
  quantity: Quantity;
  label: string;
  message: string;
}

export interface MfnetResult {
  comparisons: Comparison[];
  disagreements: Disagreement[];
  /** The true gradients (continuing from the printed Z¹), the updated weights and the loss. */
  loss: number;
  gradients: { dYhat: Matrix; Delta3: Matrix; dW3: Matrix; dA2: Matrix; Delta2: Matrix; dW2: Matrix; dA1: Matrix; Delta1: Matrix; dW1: Matrix; dA0: Matrix };
  updated: { W1: Matrix; W2: Matrix; W3: Matrix };
  /** W¹A⁰ for the printed W¹ and A⁰. */
  w1a0: Matrix;
  /** Central differences agree with the graph's gradients of J (both runs). */
  gradcheckOk: boolean;
  /** The example recomputed end to end from its inputs (Z¹ = W¹A⁰). */
  endToEnd: { Z1: Matrix; Yhat: Matrix; loss: number; dW1: Matrix; dW2: Matrix; dW3: Matrix; updated: { W1: Matrix; W2: Matrix; W3: Matrix } };
}

export interface MfnetOptions {
  log?: (line: string) => void;
}

export function main(options: MfnetOptions = {}): MfnetResult {
  const log = options.log ?? ((line: string) => console.log(line));
  const heading = (s: string): void => log(`\n── ${s} ${'─'.repeat(Math.max(0, 92 - s.length))}`);

  // ---- The graph, continuing from the printed Z¹. ----
  const w1 = param(tensor(W1));
  const w2 = param(tensor(W2));
  const w3 = param(tensor(W3));
  const a0 = param(tensor(A0)); // a leaf too, so that ∂J/∂A⁰ (printed, "unused") can be compared
  const w1a0 = asMatrix(noGrad(() => matmul(tensor(W1), tensor(A0))));
  const correction = tensor(PRINTED.Z1.map((r, i) => r.map((v, j) => v - w1a0[i]![j]!)));
  const f = forward(w1, w2, w3, a0, correction);
  const grads = backward(f.J, { wrt: [w1, w2, w3, a0, f.z1, f.a1, f.z2, f.a2, f.z3, f.yhat] });
  const g = (t: Tensor): Matrix => asMatrix(grads.get(t));
  const gradients = {
    dYhat: g(f.yhat), Delta3: g(f.z3), dW3: g(w3), dA2: g(f.a2), Delta2: g(f.z2), dW2: g(w2),
    dA1: g(f.a1), Delta1: g(f.z1), dW1: g(w1), dA0: g(a0),
  };
  // One step of gradient descent with the true gradients: W ← W − η ∂J/∂W.
  new SGD([w1, w2, w3], { lr: ETA }).step(grads);
  const updated = { W1: asMatrix(w1), W2: asMatrix(w2), W3: asMatrix(w3) };

  // ---- The document's formulas on its own printed inputs (no graph needed: plain ops). ----
  const own = noGrad(() => {
    const P = (k: Quantity): Tensor => tensor(PRINTED[k]);
    const mask = (t: Tensor): Tensor => concat([mul(ones([1, t.shape[1]!]), 0), slice(t, [1, 0])], 0);
    const T = (t: Tensor): Tensor => transpose(t);
    const r = sub(P('Yhat'), tensor(Ytilde));
    return {
      Z1: matmul(tensor(W1), tensor(A0)),
      A1: activation(P('Z1')),
      Z2: matmul(tensor(W2), P('A1')),
      A2: activation(P('Z2')),
      Z3: matmul(tensor(W3), P('A2')),
      Yhat: activation(P('Z3')),
      J: loss(P('Yhat'), tensor(Ytilde)),
      dYhat: mul(r, 2 / M),
      Delta3: mask(P('dYhat')),
      dW3: matmul(P('Delta3'), T(P('A2'))),
      dA2: matmul(T(tensor(W3)), P('Delta3')),
      Delta2: mask(P('dA2')),
      dW2: matmul(P('Delta2'), T(P('A1'))),
      dA1: matmul(T(tensor(W2)), P('Delta2')),
      Delta1: mask(P('dA1')),
      dW1: matmul(P('Delta1'), T(tensor(A0))),
      dA0: matmul(T(tensor(W1)), P('Delta1')),
      W3new: sub(tensor(W3), mul(P('dW3'), ETA)),
      W2new: sub(tensor(W2), mul(P('dW2'), ETA)),
      W1new: sub(tensor(W1), mul(P('dW1'), ETA)),
    } satisfies Record<Quantity, Tensor>;
  });

  const computed: Record<Quantity, Matrix> = {
    Z1: w1a0, A1: asMatrix(f.a1), Z2: asMatrix(f.z2), A2: asMatrix(f.a2), Z3: asMatrix(f.z3), Yhat: asMatrix(f.yhat), J: [[f.J.item()]],
    ...gradients,
    W3new: updated.W3, W2new: updated.W2, W1new: updated.W1,
  };

  const ROWS: Array<[Quantity, string, string]> = [
    ['Z1', 'Z¹', 'W¹A⁰ (eq. 3.4)'],
    ['A1', 'A¹', 'g(Z¹), row 0 kept at 1'],
    ['Z2', 'Z²', 'W²A¹'],
    ['A2', 'A²', 'g(Z²)'],
    ['Z3', 'Z³', 'W³A²'],
    ['Yhat', 'Ŷ = A³', 'g(Z³)'],
    ['J', 'J', '(1/m) Σᵢ ‖Ŷᵢ − Ỹᵢ‖²'],
    ['dYhat', '∂J/∂Ŷ', '(2/m)(Ŷ − Ỹ)'],
    ['Delta3', 'Δ³', '∂J/∂A³ ⊙ g′(Z³), row 0 zeroed (eq. 3.8)'],
    ['dW3', '∂J/∂W³', 'Δ³A²ᵀ (eq. 3.5)'],
    ['dA2', '∂J/∂A²', 'W³ᵀΔ³ (eq. 3.6)'],
    ['Delta2', 'Δ²', '∂J/∂A² ⊙ g′(Z²), row 0 zeroed'],
    ['dW2', '∂J/∂W²', 'Δ²A¹ᵀ'],
    ['dA1', '∂J/∂A¹', 'W²ᵀΔ²'],
    ['Delta1', 'Δ¹', '∂J/∂A¹ ⊙ g′(Z¹), row 0 zeroed'],
    ['dW1', '∂J/∂W¹', 'Δ¹A⁰ᵀ'],
    ['dA0', '∂J/∂A⁰ ("unused")', 'W¹ᵀΔ¹'],
    ['W3new', 'W³ after the update', 'W³ − η ∂J/∂W³, η = 4'],
    ['W2new', 'W² after the update', 'W² − η ∂J/∂W²'],
    ['W1new', 'W¹ after the update', 'W¹ − η ∂J/∂W¹'],
  ];
  const comparisons: Comparison[] = ROWS.map(([quantity, label, formula]) => {
    const printed = PRINTED[quantity];
    const ownFormula = asMatrix(own[quantity]);
    return {
      quantity, label, formula, printed, ownFormula, computed: computed[quantity],
      vsComputed: relation(printed, computed[quantity]),
      vsOwnFormula: relation(printed, ownFormula),
    };
  });

  // ---- Central differences: the arbiter between the conventions. ----
  const fd = gradcheck((a: Tensor, b: Tensor, c: Tensor) => forward(a, b, c, tensor(A0), correction).J, [tensor(W1), tensor(W2), tensor(W3)], {
    name: 'mfnet §3.3 (from the printed Z¹)', mode: 'full', atol: 1e-7, rtol: 1e-7, raise: false,
  });
  const fdEnd = gradcheck((a: Tensor, b: Tensor, c: Tensor) => forward(a, b, c, tensor(A0), null).J, [tensor(W1), tensor(W2), tensor(W3)], {
    name: 'mfnet §3.3 (end to end)', mode: 'full', atol: 1e-7, rtol: 1e-7, raise: false,
  });

  // ---- End to end from the inputs, Z¹ = W¹A⁰. ----
  const e1 = param(tensor(W1));
  const e2 = param(tensor(W2));
  const e3 = param(tensor(W3));
  const e = forward(e1, e2, e3, tensor(A0), null);
  const eg = backward(e.J, { wrt: [e1, e2, e3] });
  const endGrads = { dW1: asMatrix(eg.get(e1)), dW2: asMatrix(eg.get(e2)), dW3: asMatrix(eg.get(e3)) };
  const endLoss = e.J.item();
  const endZ1 = asMatrix(e.z1);
  const endYhat = asMatrix(e.yhat);
  new SGD([e1, e2, e3], { lr: ETA }).step(eg);
  const endToEnd = { Z1: endZ1, Yhat: endYhat, loss: endLoss, ...endGrads, updated: { W1: asMatrix(e1), W2: asMatrix(e2), W3: asMatrix(e3) } };

  // ---- Disagreements, each stated from what the comparison found. ----
  const disagreements: Disagreement[] = [];
  const phrase = (rel: string): string => (rel === 'half' ? 'printed is half of it' : rel === 'twice' ? 'printed is twice it' : `printed ${rel}`);
  for (const c of comparisons) {
    const parts: string[] = [];
    if (c.quantity === 'Z1') {
      if (c.vsComputed !== 'equal') parts.push(`the printed Z¹ is not W¹A⁰: ${c.vsComputed}; the document continues from the printed Z¹`);
    } else {
      if (c.vsOwnFormula !== 'equal') parts.push(`vs its own formula ${c.formula} on the printed values: ${phrase(c.vsOwnFormula)}`);
      if (c.vsComputed !== 'equal') parts.push(`vs the true value: ${phrase(c.vsComputed)}`);
      else if (parts.length > 0) parts.push('it equals the true value (by accident)');
      if (c.quantity.endsWith('new') && c.vsOwnFormula === 'equal' && c.vsComputed !== 'equal') {
        parts.push('the step is applied correctly, but to a printed gradient that is not the true one');
      }
    }
    if (parts.length > 0) disagreements.push({ quantity: c.quantity, label: c.label, message: parts.join('; ') });
  }

  // ---- Output. ----
  log('Document 000 (mfnet) §3.3 — the worked example, recomputed by deltagraph');
  log('3-layer net, identity activations, columns are examples, row 0 of every activation is the bias feature 1.');
  log(`Loss as the document states it: J = (1/m) Σᵢ ‖Ŷᵢ − Ỹᵢ‖², m = ${M} (MSELoss('exampleMean') over the columns). η = ${ETA}.`);
  heading('Inputs (as printed)');
  for (const line of sideBySide([['A⁰ = [1; X]', A0], ['Ỹ = [1; Y]', Ytilde], ['W¹', W1], ['W²', W2], ['W³', W3]])) log(line);

  const show = (c: Comparison): void => {
    log(`\n  ${c.label}   — document's formula: ${c.formula}`);
    for (const line of sideBySide([['printed', c.printed], ["its formula on the printed inputs", c.ownFormula], ['deltagraph (true)', c.computed]])) log(line);
    const ok = c.vsComputed === 'equal' && c.vsOwnFormula === 'equal';
    const d = disagreements.find((x) => x.quantity === c.quantity);
    log(`    ${ok ? '✓ agrees' : `✗ DISAGREES: ${d?.message ?? ''}`}`);
  };
  heading('Forward pass');
  show(comparisons[0]!);
  log('\n    From here on the graph continues from the printed Z¹, as the document does:');
  log('    Z¹ = W¹A⁰ + C with the constant C = (printed Z¹ − W¹A⁰), so ∂Z¹/∂W¹ is still that of W¹A⁰.');
  for (const c of comparisons.slice(1, 7)) show(c);
  heading('Backward pass (one call of backward(J); Δˡ = ∂J/∂Zˡ read from the same Gradients)');
  for (const c of comparisons.slice(7, 17)) show(c);
  log(`\n  Central differences (gradcheck, full Jacobian) confirm the graph's ∂J/∂W¹, ∂J/∂W², ∂J/∂W³: ${fd.ok ? 'yes' : 'NO'} (worst error/tolerance ${fd.worstRatio.toExponential(2)})`);
  heading(`Weight update W ← W − η ∂J/∂W with η = ${ETA} (SGD, true gradients)`);
  for (const c of comparisons.slice(17)) show(c);

  heading('End to end from the inputs (Z¹ = W¹A⁰, no correction): what the example would have printed');
  for (const line of sideBySide([['Z¹ = W¹A⁰', endToEnd.Z1], ['Ŷ', endToEnd.Yhat]])) log(line);
  log(`    J = ${endToEnd.loss}`);
  for (const line of sideBySide([['∂J/∂W¹', endToEnd.dW1], ['∂J/∂W²', endToEnd.dW2], ['∂J/∂W³', endToEnd.dW3]])) log(line);
  for (const line of sideBySide([['W¹ updated', endToEnd.updated.W1], ['W² updated', endToEnd.updated.W2], ['W³ updated', endToEnd.updated.W3]])) log(line);
  log(`    Central differences confirm these gradients: ${fdEnd.ok ? 'yes' : 'NO'} (worst error/tolerance ${fdEnd.worstRatio.toExponential(2)})`);

  heading(`Summary: ${disagreements.length} printed quantities disagree with the computation`);
  disagreements.forEach((d, i) => log(`  ${String(i + 1).padStart(2)}. ${d.label}: ${d.message}`));
  const byName = (q: Quantity): Comparison => comparisons.find((c) => c.quantity === q)!;
  const causes: string[] = [];
  if (byName('Z1').vsComputed !== 'equal') causes.push('Z¹ is not W¹A⁰; everything printed after it is computed from the printed Z¹.');
  if (byName('dYhat').vsOwnFormula === 'half' && byName('dYhat').vsComputed === 'half') {
    const halved = comparisons.filter((c) => c.vsComputed === 'half' && c.quantity !== 'dYhat').map((c) => c.label);
    causes.push(`∂J/∂Ŷ is evaluated with 1/m although 2/m is written (and is right); it halves ${halved.join(', ')}.`);
  }
  if (byName('dW1').vsOwnFormula === 'twice' && byName('dW1').vsComputed === 'equal') {
    causes.push('∂J/∂W¹ is doubled relative to eq. 3.5, which cancels the halving for W¹ only: its update is the true one, those of W² and W³ take half the true step.');
  }
  if (byName('dA0').vsOwnFormula !== 'equal') causes.push('∂J/∂A⁰ (not used by the update) has a wrong second row besides the halving.');
  log('\n  Root causes:');
  causes.forEach((c) => log(`   • ${c}`));
  const agreeing = comparisons.filter((c) => !disagreements.some((d) => d.quantity === c.quantity)).map((c) => c.label);
  log(`  Agreeing: ${agreeing.join(', ')}.`);

  return { comparisons, disagreements, loss: f.J.item(), gradients, updated, w1a0, gradcheckOk: fd.ok && fdEnd.ok, endToEnd };
}

if (require.main === module) main();
