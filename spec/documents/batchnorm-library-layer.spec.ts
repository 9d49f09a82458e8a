/**
 * Document 001's fully connected layer z = W ā + b (columns are examples): its backward writes
 * dā = dWᵀ dz. Central differences show the input gradient is Wᵀ dz, and that dWᵀ dz — with
 * dW = dz āᵀ, so dWᵀ dz = ā (dzᵀ dz) — is not it.
 */
import fc from 'fast-check';
import { Tensor, add, matmul, mul, numericJacobian, sum, tensor } from '../../index';

const entries = (n: number) => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n });

describe("document 001: the layer's input gradient", () => {
  it('is Wᵀ dz (central differences agree), not dWᵀ dz', () => {
    // W [3, 2], ā [2, 1] (one example), b [3, 1], loss L = Σ v ⊙ z, so dz = v.
    fc.assert(
      fc.property(entries(6), entries(2), entries(3), entries(3), (w, a, b, v) => {
        const W = tensor(w, [3, 2]);
        const B = tensor(b, [3, 1]);
        const V = tensor(v, [3, 1]);
        const loss = (A: Tensor) => sum(mul(add(matmul(W, A), B), V));
        const numeric = numericJacobian(loss, [tensor(a, [2, 1])], 0, 1e-6);
        // Wᵀ dz, in plain arithmetic
        const wTdz = [0, 1].map((j) => v.reduce((s, vi, i) => s + w[i * 2 + j]! * vi, 0));
        // dWᵀ dz with dW = dz āᵀ: ā (dzᵀ dz)
        const dzdz = v.reduce((s, vi) => s + vi * vi, 0);
        const documents = a.map((ai) => ai * dzdz);
        wTdz.forEach((g, j) => expect(numeric[j]).toBeCloseTo(g, 6));
        // Wherever the two formulas differ, the document's is the one central differences reject.
        const gap = Math.max(...wTdz.map((g, j) => Math.abs(g - documents[j]!)));
        if (gap > 1e-3) expect(Math.max(...documents.map((d, j) => Math.abs(d - numeric[j]!)))).toBeGreaterThan(1e-4);
      }),
    );
  });
});
