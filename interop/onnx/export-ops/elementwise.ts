/**
 * The elementwise ops of the ONNX export: arithmetic, the unary functions and activations, the
 * losses of one elementwise formula. ONNX's binary operators broadcast as NumPy does, as
 * deltagraph's do, so operands pass as they are.
 */
import { MappingTable, OpContext, OpMapping, float } from './context';

const unary = (opType: string): OpMapping => (c) => c.node(opType, [c.inputs[0]!]);
const binary = (opType: string): OpMapping => (c) => c.node(opType, [c.inputs[0]!, c.inputs[1]!]);

/**
 * log(1 + e) for e ≥ 0 without losing small e (ONNX has no Log1p): with u = 1 + e rounded,
 * log1p(e) = e where u = 1, else log(u) · e / (u − 1), which cancels the rounding of u
 * (Goldberg's correction; a few ulp).
 */
export function log1p(c: OpContext, e: string): string {
  const one = c.scalar(1);
  const u = c.node('Add', [e, one]);
  const corrected = c.node('Div', [c.node('Mul', [c.node('Log', [u]), e]), c.node('Sub', [u, one])]);
  return c.node('Where', [c.node('Equal', [u, one]), e, corrected]);
}

/** softplus(x) = max(x, 0) + log1p(e^−|x|), deltagraph's stable form. */
function softplusOf(c: OpContext, x: string): string {
  return c.node('Add', [c.node('Relu', [x]), log1p(c, c.node('Exp', [c.node('Neg', [c.node('Abs', [x])])]))]);
}

/** x where x > 0, else `otherwise` (the piecewise activations' formula). */
function positiveElse(c: OpContext, x: string, otherwise: string): string {
  return c.node('Where', [c.node('Greater', [x, c.scalar(0)]), x, otherwise]);
}

export const ELEMENTWISE: MappingTable = {
  /** c = a + b → Add (NumPy broadcasting, as deltagraph's). */
  add: binary('Add'),
  /** c = a − b → Sub. */
  sub: binary('Sub'),
  /** c = a ⊙ b → Mul. */
  mul: binary('Mul'),
  /** c = a / b → Div (IEEE: ±∞ or NaN at b = 0, in ONNX Runtime as here). */
  div: binary('Div'),
  /** c = a^b → Pow. */
  pow: binary('Pow'),
  /** c = max(a, b) → Max (two inputs, broadcasting). */
  maximum: binary('Max'),
  /** c = min(a, b) → Min. */
  minimum: binary('Min'),
  /** The engine's gradient sum c = a + b → Add. */
  accumulate: binary('Add'),
  /** The engine's fresh edge y = x → Identity. */
  identity: unary('Identity'),
  /** y = −x → Neg. */
  neg: unary('Neg'),
  /** y = eˣ → Exp. */
  exp: unary('Exp'),
  /** y = ln x → Log. */
  log: unary('Log'),
  /** y = √x → Sqrt. */
  sqrt: unary('Sqrt'),
  /** y = |x| → Abs. */
  abs: unary('Abs'),
  /** y = sin x → Sin. */
  sin: unary('Sin'),
  /** y = cos x → Cos. */
  cos: unary('Cos'),
  /** y = tanh x → Tanh. */
  tanh: unary('Tanh'),
  /** y = σ(x) → Sigmoid. */
  sigmoid: unary('Sigmoid'),
  /** y = max(x, 0) → Relu. */
  relu: unary('Relu'),
  /** y = erf(x) → Erf. */
  erf: unary('Erf'),
  /** z = g ⊙ (1 − y²), tanh's VJP through its output (a recorded gradient) → Mul(g, Sub(1, Mul(y, y))). */
  tanhBackward: (c) => {
    const [g, y] = c.inputs as [string, string];
    return c.node('Mul', [g, c.node('Sub', [c.scalar(1), c.node('Mul', [y, y])])]);
  },
  /** z = g ⊙ y ⊙ (1 − y), sigmoid's VJP through its output → Mul(Mul(g, y), Sub(1, y)). */
  sigmoidBackward: (c) => {
    const [g, y] = c.inputs as [string, string];
    return c.node('Mul', [c.node('Mul', [g, y]), c.node('Sub', [c.scalar(1), y])]);
  },
  /** y = x² → Mul(x, x). */
  square: (c) => c.node('Mul', [c.inputs[0]!, c.inputs[0]!]),
  /**
   * y = x for x > 0, αx otherwise → LeakyRelu(alpha) in float32; in float64 Where(x > 0, x, α·x),
   * since an ONNX attribute holds α as a float32 and would round it.
   */
  leakyRelu: (c) => {
    const alpha = c.attrs as number;
    if (c.dtype === 'float32') return c.node('LeakyRelu', [c.inputs[0]!], { alpha: float(alpha) });
    return positiveElse(c, c.inputs[0]!, c.node('Mul', [c.inputs[0]!, c.scalar(alpha)]));
  },
  /**
   * y = x for x > 0, α(eˣ − 1) otherwise → Elu(alpha) in float32; in float64
   * Where(x > 0, x, α·(Exp(x) − 1)) (α exact, as for leakyRelu).
   */
  elu: (c) => {
    const alpha = c.attrs as number;
    if (c.dtype === 'float32') return c.node('Elu', [c.inputs[0]!], { alpha: float(alpha) });
    const x = c.inputs[0]!;
    return positiveElse(c, x, c.node('Mul', [c.node('Sub', [c.node('Exp', [x]), c.scalar(1)]), c.scalar(alpha)]));
  },
  /**
   * y = log(1 + eˣ) → Relu(x) + log1p(Exp(−|x|)), the stable form deltagraph computes (ONNX's
   * Softplus is log(eˣ + 1), which overflows for large x and has no double kernel in ONNX Runtime).
   */
  softplus: (c) => softplusOf(c, c.inputs[0]!),
  /**
   * y = min(max(x, lo), hi) → Clip(x, lo, hi), an infinite bound left out (its input empty).
   * As in deltagraph, lo > hi gives hi everywhere (ONNX Runtime's Clip is min(max(x, lo), hi)).
   */
  clamp: (c) => {
    const { lo, hi } = c.attrs as { lo: number; hi: number };
    const inputs = [c.inputs[0]!, lo === -Infinity ? '' : c.scalar(lo), hi === Infinity ? '' : c.scalar(hi)];
    while (inputs[inputs.length - 1] === '') inputs.pop();
    return c.node('Clip', inputs);
  },
  /**
   * l = softplus(z) − y z elementwise → (Relu(z) − y·z) + log1p(Exp(−|z|)): deltagraph's shifted
   * form, so large |z| neither overflows nor cancels.
   */
  bceWithLogits: (c) => {
    const [z, y] = c.inputs as [string, string];
    const linear = c.node('Sub', [c.node('Relu', [z]), c.node('Mul', [y, z])]);
    return c.node('Add', [linear, log1p(c, c.node('Exp', [c.node('Neg', [c.node('Abs', [z])])]))]);
  },
};
