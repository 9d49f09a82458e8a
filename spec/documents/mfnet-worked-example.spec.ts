/**
 * Document 000 (mfnet), §3.3: the worked forward/backward example of a 3-layer net with identity
 * activations, columns as examples, and the bias folded in as a first row of ones. Its printed
 * numbers are transcribed below and checked against the library:
 *   - the printed Z¹ is not W¹A⁰ for the printed W¹ and A⁰;
 *   - from the printed Z¹ on, the printed Z², Z³ and the loss J = 1 are consistent;
 *   - ∂J/∂Ŷ is written (2/m)(Ŷ − Ỹ) but the printed matrix is (1/m)(Ŷ − Ỹ); the printed Δ³, ∂J/∂W³,
 *     Δ², ∂J/∂W² and Δ¹ are all half of the true gradients of the printed J (which central differences
 *     confirm), while the printed ∂J/∂W¹ is twice Δ¹A⁰ᵀ of the printed Δ¹ — the one printed weight
 *     gradient that matches the true J.
 */
import {
  Tensor,
  add,
  backward,
  concat,
  div,
  gradcheck,
  matmul,
  mul,
  noGrad,
  ones,
  param,
  slice,
  sub,
  sum,
  tensor,
} from '../../index';

import { A0, M as m, Matrix, PRINTED, W1, W2, W3, X, Y, Ytilde } from '../../examples/mfnet-printed';

// ---- The printed numbers of §3.3, as transcribed in examples/mfnet-printed.ts. ----
const { Z1, Z2, Z3, Delta3, Delta2, Delta1 } = PRINTED;
const J_PRINTED = PRINTED.J[0]![0]!;
const dJdYhat = PRINTED.dYhat;
const dJdW3 = PRINTED.dW3;
const dJdW2 = PRINTED.dW2;
const dJdA1 = PRINTED.dA1;
const dJdW1 = PRINTED.dW1;

// ---- Plain-loop helpers for the independent checks (`+ 0` turns −0 into 0 for exact comparisons). ----
const mm = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0) + 0));
const tr = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));
const scale = (a: Matrix, c: number): Matrix => a.map((r) => r.map((v) => v * c + 0));
const minus = (a: Matrix, b: Matrix): Matrix => a.map((r, i) => r.map((v, j) => v - b[i]![j]! + 0));
const maskBiasRow = (a: Matrix): Matrix => a.map((r, i) => (i === 0 ? r.map(() => 0) : r));
const asMatrix = (t: Tensor): Matrix => (t.toArray() as Matrix).map((r) => r.map((v) => v + 0));

/** The identity activation of mfnet: row 0 (the bias feature) is replaced by ones, the rest passes. */
const activation = (z: Tensor): Tensor => concat([ones([1, z.shape[1]!]), slice(z, [1, 0])], 0);

/**
 * The net as a graph. Z¹ = W¹A⁰ + C where the constant C = (printed Z¹ − W¹A⁰) makes the forward pass
 * reproduce the printed Z¹ while ∂Z¹/∂W¹ stays that of W¹A⁰, so every gradient is the one the
 * document's backward pass is meant to compute from its printed intermediate values.
 */
function net(w1: Tensor, w2: Tensor, w3: Tensor) {
  const correction = tensor(minus(Z1, mm(W1, A0)));
  const z1 = add(matmul(w1, tensor(A0)), correction);
  const z2 = matmul(w2, activation(z1));
  const z3 = matmul(w3, activation(z2));
  const yhat = activation(z3);
  const r = sub(yhat, tensor(Ytilde));
  const J = div(sum(mul(r, r)), m); // (1/m) Σᵢ ‖Ŷᵢ − Ỹᵢ‖², the document's loss
  return { z1, z2, z3, yhat, J };
}

describe('document 000 §3.3, the worked example', () => {
  it('the transcription is self-consistent where the document is: A⁰ = [1; X], Ỹ = [1; Y]', () => {
    expect(A0).toEqual([[1, 1, 1, 1], ...X]);
    expect(Ytilde).toEqual([[1, 1, 1, 1], ...Y]);
  });

  it('the printed Z¹ is not W¹A⁰', () => {
    const computed = asMatrix(matmul(W1, A0));
    expect(computed).toEqual(mm(W1, A0));
    expect(computed).not.toEqual(Z1);
    const wrong = Z1.flatMap((r, i) => r.map((v, j) => [i, j, v, computed[i]![j]!] as const)).filter(([, , p, c]) => p !== c);
    // The bias row agrees; entries of all three feature rows do not.
    expect(wrong.every(([i]) => i > 0)).toBe(true);
    expect(new Set(wrong.map(([i]) => i))).toEqual(new Set([1, 2, 3]));
  });

  it('from the printed Z¹ on, the printed Z², Z³ and J = 1 are consistent', () => {
    expect(asMatrix(matmul(W2, activation(tensor(Z1))))).toEqual(Z2);
    expect(asMatrix(matmul(W3, activation(tensor(Z2))))).toEqual(Z3);
    const { z1, z2, z3, J } = noGrad(() => net(tensor(W1), tensor(W2), tensor(W3)));
    expect(asMatrix(z1)).toEqual(Z1);
    expect(asMatrix(z2)).toEqual(Z2);
    expect(asMatrix(z3)).toEqual(Z3);
    expect(J.item()).toBe(J_PRINTED);
  });

  it('∂J/∂Ŷ is written (2/m)(Ŷ − Ỹ), but the printed matrix is (1/m)(Ŷ − Ỹ); the true one is the 2/m', () => {
    const yhat = param(tensor(Z3)); // identity activation: Ŷ = A³ = Z³ (bias row already ones)
    const r = sub(yhat, tensor(Ytilde));
    const g = backward(div(sum(mul(r, r)), m), { wrt: [yhat] }).get(yhat);
    const residual = minus(Z3, Ytilde);
    expect(dJdYhat).toEqual(scale(residual, 1 / m));
    expect(dJdYhat).not.toEqual(scale(residual, 2 / m));
    expect(asMatrix(g)).toEqual(scale(residual, 2 / m));
  });

  it('the printed backward pass follows eqs. 3.5, 3.6 and 3.8 from its own ∂J/∂Ŷ, except ∂J/∂W¹', () => {
    expect(Delta3).toEqual(maskBiasRow(dJdYhat));
    expect(dJdW3).toEqual(mm(Delta3, tr(Z2)));
    expect(Delta2).toEqual(maskBiasRow(mm(tr(W3), Delta3)));
    expect(dJdW2).toEqual(mm(Delta2, tr(Z1)));
    expect(dJdA1).toEqual(mm(tr(W2), Delta2));
    expect(Delta1).toEqual(maskBiasRow(dJdA1));
    // Eq. 3.5 applied to the printed Δ¹ and A⁰ gives half of what is printed for ∂J/∂W¹.
    expect(dJdW1).not.toEqual(mm(Delta1, tr(A0)));
    expect(dJdW1).toEqual(scale(mm(Delta1, tr(A0)), 2));
  });

  it("the graph's true gradients of J: Δ³, ∂J/∂W³, Δ², ∂J/∂W², Δ¹ are twice the printed ones; ∂J/∂W¹ equals the printed one", () => {
    const w1 = param(tensor(W1));
    const w2 = param(tensor(W2));
    const w3 = param(tensor(W3));
    const { z1, z2, z3, J } = net(w1, w2, w3);
    const g = backward(J, { wrt: [w1, w2, w3, z1, z2, z3] });
    expect(asMatrix(g.get(z3))).toEqual(scale(Delta3, 2));
    expect(asMatrix(g.get(w3))).toEqual(scale(dJdW3, 2));
    expect(asMatrix(g.get(z2))).toEqual(scale(Delta2, 2));
    expect(asMatrix(g.get(w2))).toEqual(scale(dJdW2, 2));
    expect(asMatrix(g.get(z1))).toEqual(scale(Delta1, 2));
    expect(asMatrix(g.get(w1))).toEqual(dJdW1);
  });

  it("central differences confirm the graph's gradients of J (the arbiter between the conventions)", () => {
    const f = (w1: Tensor, w2: Tensor, w3: Tensor): Tensor => net(w1, w2, w3).J;
    const result = gradcheck(f, [tensor(W1), tensor(W2), tensor(W3)], { name: 'mfnet-3.3', mode: 'full', atol: 1e-7, rtol: 1e-7 });
    expect(result.ok).toBe(true);
  });
});
