/**
 * The forward formula and the vector-Jacobian product of each op a playground graph can hold,
 * written as the slides write them: Ḡ = ∂L/∂(output), x̄ = ∂L/∂x, shaped as x (denominator
 * layout). "sumTo" sums a broadcast gradient back to its input's shape (a bias's gradient sums
 * over the examples). These are what each op's vjp computes (see its file under ops/).
 */
export interface OpRule {
  forward: string;
  vjp: string;
}

const RULES: Record<string, OpRule> = {
  matmul: { forward: 'C = A · B', vjp: 'Ā = Ḡ · Bᵀ,  B̄ = Aᵀ · Ḡ' },
  add: { forward: 'c = a + b (broadcast)', vjp: 'ā = sumTo(Ḡ, a),  b̄ = sumTo(Ḡ, b)' },
  sub: { forward: 'c = a − b (broadcast)', vjp: 'ā = sumTo(Ḡ, a),  b̄ = −sumTo(Ḡ, b)' },
  mul: { forward: 'c = a ⊙ b (broadcast)', vjp: 'ā = sumTo(Ḡ ⊙ b, a),  b̄ = sumTo(Ḡ ⊙ a, b)' },
  div: { forward: 'c = a / b (broadcast)', vjp: 'ā = sumTo(Ḡ / b, a),  b̄ = −sumTo(Ḡ ⊙ a / b², b)' },
  pow: { forward: 'c = aᵇ', vjp: 'ā = Ḡ ⊙ b aᵇ⁻¹,  b̄ = Ḡ ⊙ aᵇ ln a' },
  neg: { forward: 'y = −x', vjp: 'x̄ = −Ḡ' },
  exp: { forward: 'y = eˣ', vjp: 'x̄ = Ḡ ⊙ y' },
  log: { forward: 'y = ln x', vjp: 'x̄ = Ḡ / x' },
  sqrt: { forward: 'y = √x', vjp: 'x̄ = Ḡ / (2y)' },
  sin: { forward: 'y = sin x', vjp: 'x̄ = Ḡ ⊙ cos x' },
  cos: { forward: 'y = cos x', vjp: 'x̄ = −Ḡ ⊙ sin x' },
  abs: { forward: 'y = |x|', vjp: 'x̄ = Ḡ ⊙ sign x' },
  tanh: { forward: 'y = tanh x', vjp: 'x̄ = Ḡ ⊙ (1 − y²)' },
  sigmoid: { forward: 'y = σ(x) = 1 / (1 + e⁻ˣ)', vjp: 'x̄ = Ḡ ⊙ y ⊙ (1 − y)' },
  relu: { forward: 'y = max(x, 0)', vjp: 'x̄ = Ḡ ⊙ [x > 0]' },
  leakyRelu: { forward: 'y = x if x > 0, else αx', vjp: 'x̄ = Ḡ ⊙ (1 if x > 0, else α)' },
  erf: { forward: 'y = erf x', vjp: 'x̄ = Ḡ ⊙ (2/√π) e^(−x²)' },
  softplus: { forward: 'y = ln(1 + eˣ)', vjp: 'x̄ = Ḡ ⊙ σ(x)' },
  bceWithLogits: { forward: 'l = softplus(z) − y z (each element)', vjp: 'z̄ = Ḡ ⊙ (σ(z) − y),  ȳ = −Ḡ ⊙ z' },
  sum: { forward: 's = Σ x (over the axes)', vjp: 'x̄ = Ḡ broadcast to the shape of x' },
  mean: { forward: 'm = Σ x / n', vjp: 'x̄ = Ḡ / n broadcast to the shape of x' },
  take: { forward: 'y = the rows of x at the indices', vjp: 'x̄ = Ḡ scattered back to those rows (added where an index repeats)' },
  transpose: { forward: 'y = xᵀ', vjp: 'x̄ = Ḡᵀ' },
  reshape: { forward: 'y = x in another shape', vjp: 'x̄ = Ḡ in the shape of x' },
};

/** The op's rule, or null for an op without one here. */
export function ruleOf(op: string): OpRule | null {
  return RULES[op] ?? null;
}
