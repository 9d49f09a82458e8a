/**
 * The elementwise ONNX operators (opsets 13–17): arithmetic, the unary functions and activations,
 * comparisons and logic, Where, Cast, and the identities (Identity, Dropout at inference). Each
 * maps onto deltagraph ops, so gradients are those ops' exact VJPs; numpy-style broadcasting is
 * the ops' own. On integer and boolean values (shape arithmetic) the same ops run on constants,
 * which record nothing; integer Div truncates toward zero, as ONNX Runtime's.
 */
import { Tensor, broadcastShapes } from '../../../lib';
import {
  abs, add, broadcastTo, clamp, cos, div, elu, equal, erf, exp, gelu, greater, greaterEqual, leakyRelu, less, lessEqual, log, maximum,
  minimum, mul, neg, pow, relu, sigmoid, sin, softplus, sqrt, sub, tanh, where,
} from '../../../ops';
import { DataType } from '../data-types';
import { Inputs, OnnxNode, OpCompiler, floatAttr, intChoice, need, nodeError, refuseAttrs } from './node';
import { Value, constant, isFloatType, isIntType, typeName, valueOf } from './tensor-data';

/** A constant with f applied to every value of t. */
function mapped(t: Tensor, f: (v: number) => number, type: number): Value {
  const data = new Float64Array(t.size);
  const src = t.data;
  for (let i = 0; i < data.length; i++) data[i] = f(src[i]!);
  return constant(data, t.shape.slice(), type);
}

/** The result of an op on values: a float result keeps its history, any other is a constant of the type. */
function result(t: Tensor, type: number): Value {
  return isFloatType(type) ? valueOf(t, type) : constant(t.data, t.shape.slice(), type);
}

/** A binary arithmetic op (broadcasting); on integers its constants give exact results up to 2⁵³. */
function binary(f: (a: Tensor, b: Tensor) => Tensor): OpCompiler {
  return (n) => (inputs) => {
    const a = need(n, inputs, 0, 'A');
    const b = need(n, inputs, 1, 'B');
    return [result(f(a.t, b.t), a.type)];
  };
}

/**
 * Div: C = A / B (broadcasting). On integers the quotient is truncated toward zero, as ONNX
 * Runtime's C++ division.
 */
const divOp: OpCompiler = (n) => (inputs) => {
  const a = need(n, inputs, 0, 'A');
  const b = need(n, inputs, 1, 'B');
  const q = div(a.t, b.t);
  return [isIntType(a.type) ? mapped(q, (v) => Math.trunc(v) + 0, a.type) : result(q, a.type)];
};

/** Pow: Z = X ^ Y (broadcasting); Y may be of another numeric type than X (opset 13+). */
const powOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'X');
  const y = need(n, inputs, 1, 'Y');
  const z = pow(x.t, y.t);
  return [isIntType(x.type) ? mapped(z, (v) => Math.trunc(v) + 0, x.type) : result(z, x.type)];
};

/** A unary op on floating-point inputs (the activations and transcendental functions). */
function unaryFloat(f: (x: Tensor) => Tensor): OpCompiler {
  return (n) => (inputs) => {
    const x = need(n, inputs, 0, 'X');
    if (!isFloatType(x.type)) throw nodeError(n, `input X must be a floating-point tensor, got ${typeName(x.type)}`);
    return [valueOf(f(x.t), x.type)];
  };
}

/** A unary op defined on every numeric type (Neg, Abs, Relu). */
function unaryAny(f: (x: Tensor) => Tensor): OpCompiler {
  return (n) => (inputs) => {
    const x = need(n, inputs, 0, 'X');
    return [result(f(x.t), x.type)];
  };
}

/**
 * A piecewise-constant unary function (Floor, Ceil, Round, Sign): its derivative is 0 wherever
 * it exists, so its result is a constant and sends no gradient back.
 */
function stepwise(f: (v: number) => number): OpCompiler {
  return (n) => (inputs) => {
    const x = need(n, inputs, 0, 'X');
    return [mapped(x.t, f, x.type)];
  };
}

/** Round half to even, as ONNX's Round. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A comparison: a BOOL constant, 1 where it holds (broadcasting). */
function comparison(f: (a: Tensor, b: Tensor) => Tensor): OpCompiler {
  return (n) => (inputs) => [result(f(need(n, inputs, 0, 'A').t, need(n, inputs, 1, 'B').t), DataType.BOOL)];
}

/** A logical operator on BOOL values (nonzero = true): a BOOL constant (broadcasting). */
function logical(f: (a: boolean, b: boolean) => boolean): OpCompiler {
  return (n) => (inputs) => {
    const a = where(need(n, inputs, 0, 'A').t, 1, 0);
    const b = where(need(n, inputs, 1, 'B').t, 1, 0);
    // 2a + b in 0…3 encodes the pair, broadcast to the result's shape.
    return [mapped(add(mul(a, 2), b), (v) => (f(v >= 2, v % 2 === 1) ? 1 : 0), DataType.BOOL)];
  };
}

/** IsNaN: [x is NaN], a BOOL constant. */
const isNaNOp: OpCompiler = (n) => (inputs) => [mapped(need(n, inputs, 0, 'X').t, (v) => (Number.isNaN(v) ? 1 : 0), DataType.BOOL)];

/** IsInf: [x = +∞] (detect_positive, default 1) or [x = −∞] (detect_negative, default 1), a BOOL constant. */
const isInfOp: OpCompiler = (n) => {
  const positive = intChoice(n, 'detect_positive', [0, 1], 1) === 1;
  const negative = intChoice(n, 'detect_negative', [0, 1], 1) === 1;
  return (inputs) => [mapped(need(n, inputs, 0, 'X').t, (v) => ((positive && v === Infinity) || (negative && v === -Infinity) ? 1 : 0), DataType.BOOL)];
};

/** Not: Y = ¬X for BOOL X. */
const notOp: OpCompiler = (n) => (inputs) => [mapped(need(n, inputs, 0, 'X').t, (v) => (v === 0 ? 1 : 0), DataType.BOOL)];

/**
 * Where: output = condition ? X : Y elementwise, all three broadcast (deltagraph's where; the
 * condition is a constant mask and the branch not taken gets exactly 0 gradient).
 */
const whereOp: OpCompiler = (n) => (inputs) => {
  const c = need(n, inputs, 0, 'condition');
  const x = need(n, inputs, 1, 'X');
  const y = need(n, inputs, 2, 'Y');
  return [result(where(c.t, x.t, y.t), x.type)];
};

/** The element types Cast may convert to. */
const CAST_TARGETS: readonly number[] = [
  DataType.FLOAT, DataType.DOUBLE, DataType.FLOAT16, DataType.BFLOAT16, DataType.INT8, DataType.UINT8, DataType.INT16,
  DataType.UINT16, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64, DataType.BOOL,
];

/**
 * Cast: the input converted to the type `to`. Between floating-point types the values (computed in
 * float64 throughout) and their history are kept: the cast is an identity, differentiable. To an
 * integer type a float is truncated toward zero, and to BOOL any nonzero value is true: both are
 * constants (no gradient). From an integer or BOOL to a float the values become a constant float.
 */
const castOp: OpCompiler = (n) => {
  const to = n.attributes.get('to');
  if (to === undefined || to.kind !== 'int') throw nodeError(n, 'attribute to (the target element type) is required and must be an int');
  if (!CAST_TARGETS.includes(to.value)) throw nodeError(n, `casting to ${typeName(to.value)} is not supported (supported: ${CAST_TARGETS.map(typeName).join(', ')})`);
  const target = to.value;
  return (inputs) => {
    const x = need(n, inputs, 0, 'input');
    if (isFloatType(target) && isFloatType(x.type)) return [valueOf(x.t, target)];
    if (target === DataType.BOOL) return [mapped(x.t, (v) => (v === 0 ? 0 : 1), target)];
    if (isFloatType(target)) return [mapped(x.t, (v) => v, target)];
    return [mapped(x.t, isFloatType(x.type) ? (v) => Math.trunc(v) + 0 : (v) => v, target)];
  };
};

/** Identity: the input itself (the same tensor, so its gradient is the output's). */
const identityOp: OpCompiler = (n) => (inputs) => [need(n, inputs, 0, 'input')];

/**
 * Dropout at inference: output = data, and the optional mask output all true. A training_mode
 * input that is a constant true is refused (an imported graph runs as exported, in inference).
 */
const dropoutOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'data');
  const training = inputs[2];
  if (training !== undefined && training.t.data.some((v) => v !== 0)) throw nodeError(n, 'training_mode true is not supported: Dropout is imported for inference (the identity)');
  const out: Value[] = [x];
  if (n.outputs.length > 1) out.push(constant(new Float64Array(x.t.size).fill(1), x.t.shape.slice(), DataType.BOOL));
  return out;
};

/** LeakyRelu: y = x for x > 0, alpha·x otherwise (alpha default 0.01). */
const leakyReluOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 0.01);
  return unaryFloat((x) => leakyRelu(x, alpha))(n);
};

/** Elu: y = x for x > 0, alpha·(eˣ − 1) otherwise (alpha default 1). */
const eluOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 1);
  return unaryFloat((x) => elu(x, alpha))(n);
};

/**
 * Gelu of ONNX Runtime's com.microsoft domain: y = x Φ(x) = x/2 (1 + erf(x/√2)), gelu. (The
 * default domain has Gelu from opset 20 only; PyTorch writes it for opsets ≤ 17 as Div, Erf, Add
 * and Mul, which import as they are.)
 */
const geluOp: OpCompiler = unaryFloat((x) => gelu(x));

/**
 * FastGelu of ONNX Runtime's com.microsoft domain: y = gelu(x + bias) in the tanh form,
 * x/2 (1 + tanh(√(2/π)(x + 0.044715x³))), the bias an optional input.
 */
const fastGeluOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'X');
  if (!isFloatType(x.type)) throw nodeError(n, `input X must be a floating-point tensor, got ${typeName(x.type)}`);
  const b = inputs[1];
  return [valueOf(gelu(b === undefined ? x.t : add(x.t, b.t), { approximate: 'tanh' }), x.type)];
};

/** HardSigmoid: y = max(0, min(1, alpha·x + beta)) (alpha 0.2, beta 0.5 by default): clamp. */
const hardSigmoidOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 0.2);
  const beta = floatAttr(n, 'beta', 0.5);
  return unaryFloat((x) => clamp(add(mul(x, alpha), beta), 0, 1))(n);
};

/** HardSwish: y = x · max(0, min(1, x/6 + 1/2)). */
const hardSwishOp: OpCompiler = unaryFloat((x) => mul(x, clamp(add(mul(x, 1 / 6), 0.5), 0, 1)));

/** Selu: y = gamma · (x for x > 0, alpha (eˣ − 1) otherwise), ONNX's default alpha and gamma: gamma · elu(x, alpha). */
const seluOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 1.67326319217681884765625);
  const gamma = floatAttr(n, 'gamma', 1.05070102214813232421875);
  return unaryFloat((x) => mul(elu(x, alpha), gamma))(n);
};

/**
 * PRelu: y = x for x > 0, slope · x otherwise, slope broadcast to x (a parameter, usually per
 * channel): relu(x) − slope ⊙ relu(−x), so the slope gets its gradient too.
 */
const preluOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'X');
  const slope = need(n, inputs, 1, 'slope');
  if (!isFloatType(x.type)) throw nodeError(n, `input X must be a floating-point tensor, got ${typeName(x.type)}`);
  return [valueOf(sub(relu(x.t), mul(slope.t, relu(neg(x.t)))), x.type)];
};

/** Softsign: y = x / (1 + |x|). */
const softsignOp: OpCompiler = unaryFloat((x) => div(x, add(abs(x), 1)));

/** Celu: y = max(0, x) + min(0, alpha (e^(x/alpha) − 1)) (alpha default 1), i.e. alpha · elu(x / alpha). */
const celuOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 1);
  if (!(alpha !== 0)) throw nodeError(n, `alpha must be nonzero, got ${alpha}`);
  return unaryFloat((x) => mul(elu(div(x, alpha), 1), alpha))(n);
};

/** ThresholdedRelu: y = x where x > alpha (default 1), 0 elsewhere: x times the constant mask. */
const thresholdedReluOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 1);
  return unaryFloat((x) => mul(x, greater(x, alpha)))(n);
};

/**
 * Mod on integers (shape arithmetic): the remainder with the divisor's sign (fmod 0, the default)
 * or the dividend's (fmod 1, C's fmod); a constant. Mod of floating-point values is not supported.
 */
const modOp: OpCompiler = (n) => {
  const fmod = intChoice(n, 'fmod', [0, 1], 0) === 1;
  return (inputs) => {
    const a = need(n, inputs, 0, 'A');
    const b = need(n, inputs, 1, 'B');
    if (!isIntType(a.type) || !isIntType(b.type)) throw nodeError(n, `supports integer inputs only, got ${typeName(a.type)} and ${typeName(b.type)}`);
    // Both broadcast to the result (constants), then the remainder element by element.
    const shape = broadcastShapes(n.opType, a.t.shape, b.t.shape);
    const x = broadcastTo(a.t, shape).data;
    const y = broadcastTo(b.t, shape).data;
    const out = new Float64Array(x.length);
    for (let k = 0; k < out.length; k++) {
      const r = x[k]! % y[k]!;
      out[k] = (fmod || r === 0 || Math.sign(r) === Math.sign(y[k]!) ? r : r + y[k]!) + 0;
    }
    return [constant(out, shape, a.type)];
  };
};

/**
 * Clip (opset 13): y = min(max(x, min), max), the optional inputs min and max scalars (absent:
 * unbounded). Constant bounds use clamp (gradient 1 between them, bounds included); bounds that
 * are part of the graph use maximum and minimum, so that they get their gradients too.
 */
const clipOp: OpCompiler = (n) => {
  refuseAttrs(n, ['min', 'max']); // the attributes of opsets before 11; inputs from then on
  return (inputs) => clip(n, inputs);
};

function clip(n: OnnxNode, inputs: Inputs): Value[] {
  const x = need(n, inputs, 0, 'input');
  const lo = inputs[1];
  const hi = inputs[2];
  for (const [b, what] of [[lo, 'min'], [hi, 'max']] as const) {
    if (b !== undefined && b.t.size !== 1) throw nodeError(n, `input ${what} must be a scalar, got ${b.t.size} values`);
  }
  if (lo?.t.requiresGrad || hi?.t.requiresGrad) {
    let y = x.t;
    if (lo !== undefined) y = maximum(y, lo.t);
    if (hi !== undefined) y = minimum(y, hi.t);
    return [result(y, x.type)];
  }
  return [result(clamp(x.t, lo === undefined ? null : lo.t.data[0]!, hi === undefined ? null : hi.t.data[0]!), x.type)];
}

/** A variadic elementwise operator (Max, Min, Sum, Mean): the inputs folded left to right, broadcasting. */
function variadic(f: (a: Tensor, b: Tensor) => Tensor, meanOf = false): OpCompiler {
  return (n) => {
    if (n.inputs.length === 0) throw nodeError(n, 'needs at least one input');
    return (inputs) => {
      const first = need(n, inputs, 0, 'data_0');
      let y = first.t;
      for (let i = 1; i < inputs.length; i++) y = f(y, need(n, inputs, i, `data_${i}`).t);
      if (meanOf) y = div(y, inputs.length);
      return [result(y, first.type)];
    };
  };
}

/** Reciprocal: y = 1 / x. */
const reciprocal = unaryFloat((x) => div(1, x));

/** The operators of ONNX Runtime's com.microsoft domain that import. */
export const MICROSOFT_ELEMENTWISE_OPS: Record<string, OpCompiler> = { Gelu: geluOp, FastGelu: fastGeluOp };

/** The elementwise operators by name. */
export const ELEMENTWISE_OPS: Record<string, OpCompiler> = {
  /** Add: C = A + B (broadcasting); add. */
  Add: binary(add),
  /** Sub: C = A − B (broadcasting); sub. */
  Sub: binary(sub),
  /** Mul: C = A ⊙ B (broadcasting); mul. */
  Mul: binary(mul),
  Div: divOp,
  Pow: powOp,
  /** Sqrt: y = √x (NaN below 0); sqrt. */
  Sqrt: unaryFloat(sqrt),
  /** Exp: y = eˣ; exp. */
  Exp: unaryFloat(exp),
  /** Log: y = ln x; log. */
  Log: unaryFloat(log),
  /** Erf: y = erf(x); erf. */
  Erf: unaryFloat(erf),
  /** Sin: y = sin x. */
  Sin: unaryFloat(sin),
  /** Cos: y = cos x. */
  Cos: unaryFloat(cos),
  /** Tanh: y = tanh x. */
  Tanh: unaryFloat(tanh),
  /** Sigmoid: y = 1 / (1 + e⁻ˣ). */
  Sigmoid: unaryFloat(sigmoid),
  /** Softplus: y = ln(1 + eˣ), computed stably. */
  Softplus: unaryFloat(softplus),
  /** Reciprocal: y = 1 / x; div. */
  Reciprocal: reciprocal,
  /** Neg: y = −x (any numeric type). */
  Neg: unaryAny(neg),
  /** Abs: y = |x| (any numeric type; gradient sign(x), 0 at 0). */
  Abs: unaryAny(abs),
  /** Relu: y = max(x, 0) (gradient 0 at 0). */
  Relu: unaryAny(relu),
  LeakyRelu: leakyReluOp,
  Elu: eluOp,
  HardSigmoid: hardSigmoidOp,
  HardSwish: hardSwishOp,
  Selu: seluOp,
  PRelu: preluOp,
  Softsign: softsignOp,
  Celu: celuOp,
  ThresholdedRelu: thresholdedReluOp,
  Mod: modOp,
  /** Floor: y = ⌊x⌋, a constant (no gradient). */
  Floor: stepwise(Math.floor),
  /** Ceil: y = ⌈x⌉, a constant (no gradient). */
  Ceil: stepwise(Math.ceil),
  /** Round: y = x rounded to the nearest integer, halves to even; a constant (no gradient). */
  Round: stepwise(roundHalfEven),
  /** Sign: y = −1, 0 or 1; a constant (no gradient). */
  Sign: stepwise((v) => (v > 0 ? 1 : v < 0 ? -1 : 0)),
  Clip: clipOp,
  /** Max: the elementwise maximum of the inputs (broadcasting; ties share the gradient). */
  Max: variadic(maximum),
  /** Min: the elementwise minimum of the inputs (broadcasting; ties share the gradient). */
  Min: variadic(minimum),
  /** Sum: the elementwise sum of the inputs (broadcasting). */
  Sum: variadic(add),
  /** Mean: the elementwise mean of the inputs (broadcasting). */
  Mean: variadic(add, true),
  /** Equal: [A = B] (BOOL, broadcasting). */
  Equal: comparison(equal),
  /** Less: [A < B] (BOOL, broadcasting). */
  Less: comparison(less),
  /** Greater: [A > B] (BOOL, broadcasting). */
  Greater: comparison(greater),
  /** LessOrEqual: [A ≤ B] (BOOL, broadcasting). */
  LessOrEqual: comparison(lessEqual),
  /** GreaterOrEqual: [A ≥ B] (BOOL, broadcasting). */
  GreaterOrEqual: comparison(greaterEqual),
  Not: notOp,
  IsNaN: isNaNOp,
  IsInf: isInfOp,
  /** And: A ∧ B (BOOL, broadcasting). */
  And: logical((a, b) => a && b),
  /** Or: A ∨ B (BOOL, broadcasting). */
  Or: logical((a, b) => a || b),
  /** Xor: A ⊕ B (BOOL, broadcasting). */
  Xor: logical((a, b) => a !== b),
  Where: whereOp,
  Cast: castOp,
  Identity: identityOp,
  Dropout: dropoutOp,
};
