/**
 * Every op of the registry at the edges of float64: ±0, the smallest subnormal 5e−324, ±1e300 and
 * the boundaries of its domain (its kinks, poles and clamps), with values and gradients compared
 * against closed forms derived by hand (docs/vjp-contract.md lists the conventions at the
 * non-differentiable points). EDGES has one entry per registry op, and the suite fails for an op
 * without one, or whose cases leave out one of the edge values, or a point its domain avoids: a new
 * op has to bring its own edge cases. The cases marked "regression" were wrong before (NaN, or
 * digits lost); the properties at the end draw arbitrary finite logits and shrink any failure to
 * a small case, and the ones they found are regression cases here.
 */
import fc from 'fast-check';
import { Tensor, TensorLike, tensor, vjp } from '../../index';
import {
  abs, add, avgPool2d, bceWithLogits, binaryCrossEntropy, broadcastTo, clamp, concat, conv1d,
  conv2d, convTranspose2d, cos, crossEntropy, cumsum, div, einsum, elu, erf, exp, flatten, flip,
  fold, gatherAt, gelu, layerNorm, leakyRelu, log, logSigmoid, logSoftmax, logSumExp, matmul, max,
  maxPool2d, maximum, mean, min, minimum, mseLoss, mul, neg, pad, pow, registry, relu, reshape,
  scatterAddAt, sigmoid, sigmoidBackward, silu, sin, slice, softmax, softplus, split, sqrt, square,
  squeeze, stack, std, sub, sum, sumTo, take, takeAlongAxis, takeAlongAxisBackward, takeBackward,
  tanh, tanhBackward, tile, transpose, tril, triu, unfold, unsqueeze, variance, where,
} from '../../ops';

const S = 5e-324; // the smallest subnormal, 2⁻¹⁰⁷⁴
const B = 1e300;
const MAX = Number.MAX_VALUE;
const LN2 = Math.LN2; // 0.6931471805599453
const INF = Infinity;
const TWO_OVER_SQRT_PI = 1.1283791670955126; // erf′(0) = 2/√π

/** Expected flat values: numbers (NaN included), 'finite' (any finite numbers) or 'any' (not checked). */
type Expect = readonly number[] | 'finite' | 'any';

interface EdgeCase {
  /** What the case shows; "regression" when the op got it wrong before. */
  name: string;
  /** The differentiated inputs (every one gets a gradient). */
  inputs: readonly TensorLike[];
  /** The call (the op with its other arguments). */
  f: (...xs: Tensor[]) => Tensor;
  /** The output, flat. */
  value: Expect;
  /** The cotangent, flat (default all ones). */
  seed?: readonly number[];
  /** The gradient of each input, flat. */
  grads: readonly Expect[];
  /** Compare the signs of zeros too (Object.is). */
  signs?: boolean;
  /** Relative tolerance in units of 2⁻⁵² (default 0: exact). */
  ulps?: number;
}

/** One elementwise op at the points xs: its values ys and derivatives dys (the seed is ones). */
function pointwise(name: string, f: (x: Tensor) => Tensor, xs: number[], ys: Expect, dys: Expect, more: Partial<EdgeCase> = {}): EdgeCase {
  return { name, inputs: [xs], f, value: ys, grads: [dys], ...more };
}

const EDGES: Record<string, readonly EdgeCase[]> = {
  add: [{
    name: 'signed zeros, subnormals, ±1e300',
    inputs: [[0, -0, -0, S, B, B, -B], [-0, 0, -0, S, B, -B, 1]],
    f: add,
    value: [0, 0, -0, 2 * S, 2 * B, 0, -B],
    grads: [[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]],
    signs: true,
  }],
  sub: [{
    name: 'signed zeros, subnormals, ±1e300',
    inputs: [[0, -0, 0, S, B, -B], [0, 0, -0, S, -B, B]],
    f: sub,
    value: [0, -0, 0, 0, 2 * B, -2 * B],
    grads: [[1, 1, 1, 1, 1, 1], [-1, -1, -1, -1, -1, -1]],
    signs: true,
  }],
  mul: [{
    name: 'signed zeros, underflow to 0, overflow to ∞',
    inputs: [[0, -0, S, S, B, B, -B], [-0, -0, 0.5, 2, B, 0.5, S]],
    f: mul,
    value: [-0, 0, 0, 2 * S, INF, B / 2, -B * S],
    grads: [[-0, -0, 0.5, 2, B, 0.5, S], [0, -0, S, S, B, B, -B]],
    signs: true,
  }],
  div: [{
    name: 'division by ±0 (the pole), subnormals, ±1e300',
    inputs: [[1, -1, S, B, 1, B], [0, -0, 2, S, B, B]],
    f: div,
    value: [INF, INF, 0, INF, 1 / B, 1],
    // ā = 1/b, b̄ = −c/b
    grads: [[INF, -INF, 0.5, INF, 1 / B, 1 / B], [-INF, INF, -0, -INF, -(1 / B) / B, -1 / B]],
  }, {
    name: '0/0 is NaN with NaN gradients (no number to give)',
    inputs: [[0], [0]],
    f: div,
    value: [NaN],
    grads: [[INF], [NaN]],
  }],
  pow: [{
    name: 'a = 0 (regression: b̄ of 0^−1 was NaN; it is −∞, PyTorch\'s limit), a = 5e−324 with b = 0 (regression: ā was 0·∞ = NaN), ±1e300',
    inputs: [[0, 0, 0, 0, S, -0, B, B, 2, 0.5, 2], [-1, 0, 2, 0.5, 0, 2, 2, -1, B, B, S]],
    f: pow,
    value: [INF, 1, 0, 0, 1, 0, INF, 1 / B, INF, 0, 1],
    // ā = b·a^(b−1) (0 where b = 0), b̄ = c·log a (0 where a = 0, b ≥ 0; −∞ where a = 0, b < 0)
    grads: [
      [-INF, 0, 0, INF, 0, -0, 2 * B, -0, INF, 0, 0],
      [-INF, 0, 0, 0, -1074 * LN2, 0, INF, (1 / B) * (300 * Math.LN10), INF, -0, LN2],
    ],
    ulps: 4,
  }, {
    name: 'a < 0: b̄ is NaN (a^b is not real off the integers), ā and c as the real power',
    inputs: [[-B, -1], [2, 3]],
    f: pow,
    value: [INF, -1],
    grads: [[-2 * B, 3], [NaN, NaN]],
  }],
  maximum: [{
    name: 'ties (−0 = 0 included) split ½–½',
    inputs: [[0, -0, S, B, -B, 1], [-0, 0, 0, -B, -B, 1]],
    f: maximum,
    value: [0, 0, S, B, -B, 1],
    grads: [[0.5, 0.5, 1, 1, 0.5, 0.5], [0.5, 0.5, 0, 0, 0.5, 0.5]],
  }],
  minimum: [{
    name: 'ties (−0 = 0 included) split ½–½',
    inputs: [[0, -0, -S, B, -B, 1], [-0, 0, 0, -B, -B, 1]],
    f: minimum,
    value: [-0, -0, -S, -B, -B, 1],
    grads: [[0.5, 0.5, 1, 0, 0.5, 0.5], [0.5, 0.5, 0, 1, 0.5, 0.5]],
  }],
  neg: [pointwise('signed zeros, subnormals, ±1e300', neg, [0, -0, S, -S, B, -B], [-0, 0, -S, S, -B, B], [-1, -1, -1, -1, -1, -1], { signs: true })],
  exp: [pointwise('e^±0 = e^5e−324 = 1, overflow at 1e300, 0 at −1e300', exp, [0, -0, S, -S, B, -B], [1, 1, 1, 1, INF, 0], [1, 1, 1, 1, INF, 0])],
  log: [pointwise(
    'the boundary 0 (−∞, gradient ±∞), subnormal, 1e300, below the domain (NaN)',
    log, [0, -0, S, 1, B, -1],
    [-INF, -INF, -1074 * LN2, 0, 300 * Math.LN10, NaN],
    [INF, -INF, INF, 1, 1 / B, -1],
    { ulps: 2 },
  )],
  sqrt: [pointwise(
    'the boundary 0 (gradient +∞, −∞ at −0: no subgradient), √5e−324 = 2⁻⁵³⁷, 1e300, below the domain',
    sqrt, [0, -0, S, 4, B, -1],
    [0, -0, 2 ** -537, 2, Math.sqrt(B), NaN],
    [INF, -INF, 2 ** 536, 0.25, 1 / (2 * Math.sqrt(B)), NaN],
    { signs: true },
  )],
  abs: [pointwise('abs′(±0) = 0 (the kink), subnormals, ±1e300', abs, [0, -0, S, -S, B, -B], [0, 0, S, S, B, B], [0, -0, 1, -1, 1, -1], { signs: true })],
  sin: [pointwise('sin at ±0 and ±5e−324 is exact, at ±1e300 reduced exactly', sin, [0, -0, S, -S, B, -B], [0, -0, S, -S, Math.sin(B), -Math.sin(B)], [1, 1, 1, 1, Math.cos(B), Math.cos(B)], { signs: true, ulps: 1 })],
  cos: [pointwise('cos at ±0, ±5e−324, ±1e300', cos, [0, -0, S, -S, B, -B], [1, 1, 1, 1, Math.cos(B), Math.cos(B)], [-0, 0, -S, S, -Math.sin(B), Math.sin(B)], { ulps: 1 })],
  tanh: [pointwise('tanh at ±0, ±5e−324, and saturated at ±1e300 with gradient 0', tanh, [0, -0, S, -S, B, -B], [0, -0, S, -S, 1, -1], [1, 1, 1, 1, 0, 0], { signs: true })],
  tanhBackward: [{
    name: 'z = g(1 − y²) at the range\'s boundary y = ±1 and g = ±1e300, 5e−324',
    inputs: [[B, -B, S, 1, 0, 1, -0], [0, 0, 0, 1, 1, -1, -0]],
    f: tanhBackward,
    value: [B, -B, S, 0, 0, 0, -0],
    // ḡ = 1 − y², ȳ = −2 z̄ g y
    grads: [[1, 1, 1, 0, 0, 0, 1], [-0, 0, -0, -2, -0, 2, 0]],
  }],
  sigmoid: [pointwise('σ(±0) = σ(5e−324) = ½, saturated at ±1e300 with gradient 0', sigmoid, [0, -0, S, B, -B], [0.5, 0.5, 0.5, 1, 0], [0.25, 0.25, 0.25, 0, 0])],
  sigmoidBackward: [{
    name: 'z = g y (1 − y) at the range\'s boundaries y = 0, 1 and g = 1e300, 5e−324, −0',
    inputs: [[B, S, -0, 1, 1], [0.5, 0.5, 0.5, 0, 1]],
    f: sigmoidBackward,
    value: [B / 4, 0, -0, 0, 0],
    // ḡ = y(1 − y), ȳ = z̄ g (1 − 2y)
    grads: [[0.25, 0.25, 0.25, 0, 0], [0, 0, 0, 1, -1]],
  }],
  relu: [pointwise('ReLU′(±0) = 0 (the kink), subnormals, ±1e300', relu, [0, -0, S, -S, B, -B], [0, 0, S, 0, B, 0], [0, 0, 1, 0, 1, 0])],
  leakyRelu: [pointwise(
    'the derivative at ±0 is α, α·(−5e−324) underflows to −0',
    (x) => leakyRelu(x, 0.2), [0, -0, S, -S, B, -B],
    [0, -0, S, -0, B, -B * 0.2], [0.2, 0.2, 1, 0.2, 1, 0.2], { signs: true },
  )],
  softplus: [pointwise(
    'softplus(±0) = softplus(5e−324) = ln 2, 1e300 (no overflow), −1e300, 40',
    softplus, [0, -0, S, B, -B, 40], [LN2, LN2, LN2, B, 0, 40], [0.5, 0.5, 0.5, 1, 0, 1],
  )],
  sum: [{
    name: '1e300 + 1e300, overflow to ∞ past MAX, cancellation leaving 5e−324, signed zeros',
    inputs: [[B, B], [MAX, MAX], [B, -B, S], [-0, 0]],
    f: (...xs) => concat(xs.map((x) => reshape(sum(x), [1]))),
    value: [2 * B, INF, S, 0],
    grads: [[1, 1], [1, 1], [1, 1, 1], [1, 1]],
  }],
  mean: [{
    name: '±1e300 means, a subnormal mean rounding to 0',
    inputs: [[B, B], [B, -B, S], [-0, 0]],
    f: (a, b, c) => concat([reshape(mean(a), [1]), reshape(mean(b), [1]), reshape(mean(c), [1])]),
    value: [B, S / 3, 0],
    grads: [[0.5, 0.5], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5]],
  }],
  max: [{
    name: 'a single maximum among signed zeros and −1e300',
    inputs: [[-0, 0, S, -B]],
    f: (x) => max(x),
    value: [S],
    grads: [[0, 0, 1, 0]],
  }, {
    name: 'ties share the gradient evenly (as torch.amax), −0 = 0 a tie',
    inputs: [[B, B, -B], [-0, 0]],
    f: (x, y) => concat([reshape(max(x), [1]), reshape(max(y), [1])]),
    value: [B, 0],
    grads: [[0.5, 0.5, 0], [0.5, 0.5]],
  }],
  min: [{
    name: 'a single minimum among signed zeros and 1e300',
    inputs: [[-0, 0, -S, B]],
    f: (x) => min(x),
    value: [-S],
    grads: [[0, 0, 1, 0]],
  }, {
    name: 'ties share the gradient evenly (as torch.amin), −0 = 0 a tie',
    inputs: [[-B, -B, B], [0, -0]],
    f: (x, y) => concat([reshape(min(x), [1]), reshape(min(y), [1])]),
    value: [-B, 0],
    grads: [[0.5, 0.5, 0], [0.5, 0.5]],
  }],
  logSumExp: [{
    name: 'equal entries of any magnitude: m + ln 2, with the softmax ½, ½ as gradient',
    inputs: [[B, B], [1e15, 1e15], [-B, -B], [S, 0], [-0, 0], [MAX, MAX]],
    f: (...xs) => concat(xs.map((x) => reshape(logSumExp(x), [1]))),
    value: [B, 1e15 + LN2, -B, LN2, LN2, MAX],
    grads: [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]],
  }, {
    name: '±∞ as PyTorch: +∞ gives +∞, all −∞ gives −∞ (NaN gradients where the value is infinite), a −∞ entry is exact',
    inputs: [[INF, 1], [-INF, -INF], [-INF, 0]],
    f: (...xs) => concat(xs.map((x) => reshape(logSumExp(x), [1]))),
    value: [INF, -INF, 0],
    grads: [[NaN, 0], [NaN, NaN], [0, 1]],
  }],
  reshape: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[[-0, S], [B, 0]]],
    f: (x) => reshape(x, [4]),
    value: [-0, S, B, 0],
    seed: [S, -0, -B, B],
    grads: [[S, -0, -B, B]],
    signs: true,
  }],
  transpose: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[[-0, S], [B, 0]]],
    f: (x) => transpose(x),
    value: [-0, B, S, 0],
    seed: [S, -0, B, 0],
    grads: [[S, B, -0, 0]],
    signs: true,
  }],
  broadcastTo: [{
    name: 'copies pass bit for bit, the gradient sums the copies (1e300 + 1e300, 1e300 − 1e300)',
    inputs: [[-0, S, B, 0]],
    f: (x) => broadcastTo(x, [2, 4]),
    value: [-0, S, B, 0, -0, S, B, 0],
    seed: [B, B, S, 1, B, -0, -B, -1],
    grads: [[2 * B, B, -B, 0]],
    signs: true,
  }],
  sumTo: [{
    name: 'sums of 1e300s and 5e−324, the gradient copied back bit for bit',
    inputs: [[[B, S, 0], [B, -0, 0]]],
    f: (x) => sumTo(x, [3]),
    value: [2 * B, S, 0],
    seed: [-0, S, 1],
    grads: [[-0, S, 1, -0, S, 1]],
    signs: true,
  }],
  concat: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[-0, S], [B, 0]],
    f: (a, b) => concat([a, b]),
    value: [-0, S, B, 0],
    seed: [S, -0, -B, 0],
    grads: [[S, -0], [-B, 0]],
    signs: true,
  }],
  slice: [{
    name: 'the slice passes bit for bit, the rest of the gradient is 0',
    inputs: [[-0, S, B, -B, 0]],
    f: (x) => slice(x, [1], [3]),
    value: [S, B, -B],
    seed: [-B, -0, S],
    grads: [[0, -B, -0, S, 0]],
    signs: true,
  }],
  pad: [{
    name: 'the input passes bit for bit into zeros, the gradient is the slice back',
    inputs: [[-0, S, B, 0]],
    f: (x) => pad(x, [6], [1]),
    value: [0, -0, S, B, 0, 0],
    seed: [B, -0, S, -B, 1, 2],
    grads: [[-0, S, -B, 1]],
    signs: true,
  }],
  where: [{
    name: 'the branch not taken gets exactly 0, even where it is ±∞ or NaN; cond gets nothing',
    inputs: [[-0, B, INF, S], [NaN, -B, S, 0]],
    f: (a, b) => where([1, 0, 1, 0], a, b),
    value: [-0, -B, INF, 0],
    seed: [S, B, -0, 1],
    grads: [[S, 0, -0, 0], [0, B, 0, 1]],
    signs: true,
  }],
  matmul: [{
    name: '1e300 − 1e300 = 0, 5e−324 kept, ½·5e−324 underflowing to 0',
    inputs: [[[B, -B], [S, 0]], [[1, 0.5], [1, -0]]],
    f: matmul,
    value: [0, B / 2, S, 0],
    // Ā = G Wᵀ, W̄ = Aᵀ G with G all ones
    grads: [[1.5, 1, 1.5, 1], [B, B, -B, -B]],
  }],
  softmax: [{
    name: 'regression: equal logits 1e16 gave [1, 1]; n equal logits of any magnitude give exactly 1/n',
    inputs: [[1e16, 1e16], [B, B, B], [-B, -B, -B, -B]],
    f: (a, b, c) => concat([softmax(a), softmax(b), softmax(c)]),
    value: [0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 0.25, 0.25, 0.25, 0.25],
    seed: [1, 0, 1, 0, 0, 1, 0, 0, 0],
    // x̄ = y ⊙ (g − Σ g ⊙ y)
    grads: [[0.25, -0.25], [(1 / 3) * (1 - 1 / 3), -(1 / 3) * (1 / 3), -(1 / 3) * (1 / 3)], [0.1875, -0.0625, -0.0625, -0.0625]],
    ulps: 1,
  }, {
    name: 'regression (shrunk by the equal-logits property below): softmax([0, 0, 0]) was 0.33333333333333337, e^(−log 3)',
    inputs: [[0, -0, 0]],
    f: (x) => softmax(x),
    value: [1 / 3, 1 / 3, 1 / 3],
    grads: [[0, 0, 0]],
  }, {
    name: '±1e308 gives 1 and 0 with gradient 0; ±0 and 5e−324 give ½, ½; a −∞ entry gives 0',
    inputs: [[1e308, -1e308], [S, 0], [-0, 0], [-INF, 0]],
    f: (...xs) => concat(xs.map((x) => softmax(x))),
    value: [1, 0, 0.5, 0.5, 0.5, 0.5, 0, 1],
    seed: [1, 0, 1, 0, 1, 0, 1, 0],
    grads: [[0, 0], [0.25, -0.25], [0.25, -0.25], [0, 0]],
  }, {
    name: 'along axis 0 (the strided kernel): equal columns of 1e300',
    inputs: [[[B, -B], [B, -B]]],
    f: (x) => softmax(x, 0),
    value: [0.5, 0.5, 0.5, 0.5],
    seed: [1, 0, 0, 1],
    grads: [[0.25, -0.25, -0.25, 0.25]],
  }, {
    name: 'as PyTorch: a +∞ logit or an all −∞ row is NaN',
    inputs: [[INF, 0], [-INF, -INF]],
    f: (a, b) => concat([softmax(a), softmax(b)]),
    value: [NaN, NaN, NaN, NaN],
    grads: ['any', 'any'],
  }],
  logSoftmax: [{
    name: 'regression: logSoftmax([1e15, 1e15]) was −0.75; equal logits give exactly −log n',
    inputs: [[1e15, 1e15], [B, B, B], [S, -S], [-0, 0]],
    f: (...xs) => concat(xs.map((x) => logSoftmax(x))),
    value: [-LN2, -LN2, -Math.log(3), -Math.log(3), -Math.log(3), -LN2, -LN2, -LN2, -LN2],
    seed: [1, 0, 1, 0, 0, 1, 0, 0, 1],
    // x̄ = g − eʸ Σ g
    grads: [[0.5, -0.5], [1 - Math.exp(-Math.log(3)), -Math.exp(-Math.log(3)), -Math.exp(-Math.log(3))], [0.5, -0.5], [-0.5, 0.5]],
    ulps: 2,
  }, {
    name: '±1e308 gives 0 and −∞ (±1e300: 0 and −2e300) with gradient 0; a −∞ entry stays −∞ with gradient g',
    inputs: [[1e308, -1e308], [B, -B], [-INF, 0]],
    f: (...xs) => concat(xs.map((x) => logSoftmax(x))),
    value: [0, -INF, 0, -2 * B, -INF, 0],
    seed: [1, 0, 1, 0, 1, 0],
    grads: [[0, 0], [0, 0], [1, -1]],
  }, {
    name: 'along axis 0 (the strided kernel): equal columns of ±1e300',
    inputs: [[[B, -B], [B, -B]]],
    f: (x) => logSoftmax(x, 0),
    value: [-LN2, -LN2, -LN2, -LN2],
    seed: [1, 0, 0, 1],
    grads: [[0.5, -0.5, -0.5, 0.5]],
  }, {
    name: 'as PyTorch: a +∞ logit or an all −∞ row is NaN',
    inputs: [[INF, 0], [-INF, -INF]],
    f: (a, b) => concat([logSoftmax(a), logSoftmax(b)]),
    value: [NaN, NaN, NaN, NaN],
    grads: ['any', 'any'],
  }],
  mseLoss: [{
    name: 'a 1e300 error overflows the square, its gradient 4e300 does not; a 5e−324 error\'s square underflows',
    inputs: [[B, S, -0], [-B, 0, 0]],
    f: (p, y) => mseLoss(p, y, { reduction: 'sum' }),
    value: [INF],
    grads: [[4 * B, 2 * S, -0], [-4 * B, -2 * S, 0]],
  }],
  crossEntropy: [{
    name: 'regression: [[1e308, −1e308]] with label 0 was NaN; it is 0 with gradient [[0, 0]]; the wrong label gives ∞ with gradient softmax − one-hot',
    inputs: [[[1e308, -1e308]], [[-1e308, 1e308]], [[1e308, -1e308]]],
    f: (a, b, c) => concat([reshape(crossEntropy(a, [0]), [1]), reshape(crossEntropy(b, [1]), [1]), reshape(crossEntropy(c, [1]), [1])]),
    value: [0, 0, INF],
    grads: [[0, 0], [0, 0], [1, -1]],
  }, {
    name: 'regression (shrunk by the labels property below): a logit of −3e293 beside 1.8e308 made 0 · (−∞) = NaN',
    inputs: [[[-3.0935524797788157e293, 1.7976931348623127e308, 0, 0], [0, 0, 0, 0], [0, -0, 0, 0]]],
    f: (z) => crossEntropy(z, [1, 2, 3]),
    value: [(2 * Math.log(4)) / 3],
    grads: [[0, 0, 0, 0, 0.25 / 3, 0.25 / 3, -0.75 / 3, 0.25 / 3, 0.25 / 3, 0.25 / 3, 0.25 / 3, -0.75 / 3]],
    ulps: 2,
  }, {
    name: 'one-hot target rows: 0 · log 0 counts as 0, so ±1e308 gives 0 there too',
    inputs: [[[1e308, -1e308], [-0, S]]],
    f: (z) => crossEntropy(z, [[1, 0], [0, 1]], { reduction: 'sum' }),
    value: [LN2],
    grads: [[0, 0, 0.5, -0.5]],
  }, {
    name: 'equal logits of 1e300 and 1e15 give exactly log c',
    inputs: [[[B, B]], [[1e15, 1e15, 1e15, 1e15]]],
    f: (a, b) => concat([reshape(crossEntropy(a, [0]), [1]), reshape(crossEntropy(b, [2]), [1])]),
    value: [LN2, 2 * LN2],
    grads: [[-0.5, 0.5], [0.25, 0.25, -0.75, 0.25]],
    ulps: 1,
  }, {
    name: 'a −∞ logit: 0 loss for the other label, ∞ for its own, finite gradients',
    inputs: [[[-INF, 0]], [[-INF, 0]]],
    f: (a, b) => concat([reshape(crossEntropy(a, [1]), [1]), reshape(crossEntropy(b, [0]), [1])]),
    value: [0, INF],
    grads: [[0, 0], [-1, 1]],
  }],
  binaryCrossEntropy: [{
    name: 'regression: the gradient at p = 0 and p = 1 was NaN; it is the clamped loss\'s, (1 − y) at 0 and −y at 1',
    inputs: [[0, 0, 1, 1, -0, S, S]],
    f: (p) => binaryCrossEntropy(p, [1, 0, 0, 1, 1, 1, 0], { reduction: 'sum' }),
    value: [100 + 0 + 100 + 0 + 100 + 100 + 0],
    grads: [[0, 1, 0, -1, 0, 0, 1]],
  }, {
    name: 'probabilities outside [0, 1] (1e300) give NaN, as they are not probabilities',
    inputs: [[B]],
    f: (p) => binaryCrossEntropy(p, [1]),
    value: [NaN],
    grads: ['any'],
  }],
  bceWithLogits: [{
    name: 'regression: z = 40, y = 1 lost its loss e^−40 to rounding; ±1e308 and ±1e300 give 0 or |z|',
    inputs: [[40, 1e308, -1e308, B, -B, 0, -0, S], [1, 1, 0, 0, 1, 0.5, 1, 0]],
    f: (z, y) => bceWithLogits(z, y, { reduction: 'none' }),
    value: [Math.exp(-40), 0, 0, B, B, LN2, LN2, LN2],
    // z̄ = σ(z) − y, ȳ = −z
    grads: [[-Math.exp(-40), 0, 0, 1, -1, 0, -0.5, 0.5], [-40, -1e308, 1e308, -B, B, -0, 0, -S]],
    ulps: 2,
  }, {
    name: 'as PyTorch: z = +∞ with y = 1 is ∞ − ∞ = NaN',
    inputs: [[INF], [1]],
    f: (z, y) => bceWithLogits(z, y),
    value: [NaN],
    grads: ['any', 'any'],
  }],
  square: [pointwise('x² underflows at 5e−324 (gradient 1e−323) and overflows at ±1e300 (gradient ±2e300)', square, [0, -0, S, B, -B], [0, 0, 0, INF, INF], [0, -0, 2 * S, 2 * B, -2 * B])],
  erf: [pointwise(
    'erf(±0) = ±0, erf(5e−324) = 5e−324, saturated at ±1e300 with gradient 0',
    erf, [0, -0, S, -S, B, -B], [0, -0, S, -S, 1, -1],
    [TWO_OVER_SQRT_PI, TWO_OVER_SQRT_PI, TWO_OVER_SQRT_PI, TWO_OVER_SQRT_PI, 0, 0], { signs: true },
  )],
  silu: [pointwise('x σ(x) at ±0, 5e−324 (½·5e−324 rounds to 0), ±1e300', silu, [0, -0, S, B, -B], [0, -0, 0, B, -0], [0.5, 0.5, 0.5, 1, 0])],
  logSigmoid: [pointwise('log σ at ±0 and 5e−324 is −ln 2, 0 at 1e300, −1e300 at −1e300 (no overflow)', logSigmoid, [0, -0, S, B, -B], [-LN2, -LN2, -LN2, -0, -B], [0.5, 0.5, 0.5, 0, 1])],
  elu: [pointwise('elu′(±0) = α (the branch x ≤ 0), e^x − 1 exact at −5e−324, −1 at −1e300', elu, [0, -0, S, -S, B, -B], [0, -0, S, -S, B, -1], [1, 1, 1, 1, 1, 0], { signs: true })],
  gelu: [pointwise(
    'the exact form at ±0, 5e−324 and ±1e300',
    gelu, [0, -0, S, B, -B], [0, -0, 0, B, -0], [0.5, 0.5, 0.5, 1, 0],
  ), pointwise(
    'regression: the tanh form\'s gradient at ±1e300 was NaN (x³ overflowed); it is 1 and 0, also at the clamp ±10',
    (x) => gelu(x, { approximate: 'tanh' }), [0, -0, S, B, -B, 10, -10], [0, -0, 0, B, -0, 10, -0], [0.5, 0.5, 0.5, 1, 0, 1, 0],
  )],
  clamp: [pointwise(
    'the gradient passes at the bounds ±1 and ±2, is 0 beyond them (±1e300)',
    (x) => clamp(x, -1, 1), [0, -0, S, -1, 1, B, -B], [0, -0, S, -1, 1, 1, -1], [1, 1, 1, 1, 1, 0, 0], { signs: true },
  ), pointwise('bounds ±2', (x) => clamp(x, -2, 2), [-2, 2, -2.5], [-2, 2, -2], [1, 1, 0]),
  pointwise('min > max: every value is max, the gradient 0 everywhere', (x) => clamp(x, 1, -1), [0, B, -B], [-1, -1, -1], [0, 0, 0])],
  cumsum: [{
    name: 'running sums through 2e300 and back, 5e−324 lost beside 1e300',
    inputs: [[B, B, -B, S]],
    f: (x) => cumsum(x, 0),
    value: [B, 2 * B, B, B],
    grads: [[4, 3, 2, 1]],
  }, {
    name: 'signed zeros',
    inputs: [[-0, 0]],
    f: (x) => cumsum(x, 0),
    value: [0, 0],
    grads: [[2, 1]],
  }],
  variance: [{
    name: 'deviations of ±1e300 overflow the variance (1e600), the gradient 2(x − mean)/N does not; subnormal and zero variances',
    inputs: [[B, -B], [S, S], [-0, 0], [B, B]],
    f: (...xs) => concat(xs.map((x) => reshape(variance(x), [1]))),
    value: [INF, 0, 0, 0],
    grads: [[B, -B], [0, 0], [0, 0], [0, 0]],
  }],
  std: [{
    name: 'regression: the gradient at zero variance was NaN (0·∞); it is 0, the subgradient (PyTorch\'s std_backward)',
    inputs: [[B, B], [S, S], [-0, 0], [S, 0]],
    f: (...xs) => concat(xs.map((x) => reshape(std(x), [1]))),
    value: [0, 0, 0, 0],
    grads: [[0, 0], [0, 0], [0, 0], [0, 0]],
  }, {
    name: 'deviations of ±1e300 overflow the variance: ∞ (as PyTorch), gradient 0',
    inputs: [[B, -B]],
    f: (x) => std(x),
    value: [INF],
    grads: [[0, 0]],
  }],
  layerNorm: [{
    name: 'a constant row of 1e300 normalises to 0 with gradient (g − mean g)/√eps',
    inputs: [[B, B]],
    f: (x) => layerNorm(x, [2]),
    value: [0, 0],
    seed: [1, 0],
    grads: [[0.5 / Math.sqrt(1e-5), -0.5 / Math.sqrt(1e-5)]],
    ulps: 4,
  }, {
    name: 'a 5e−324 deviation, far below √eps: (x − mean)/√eps; ±0',
    inputs: [[S, 0], [-0, 0]],
    f: (a, b) => concat([layerNorm(a, [2]), layerNorm(b, [2])]),
    value: [S / Math.sqrt(1e-5), 0, 0, 0],
    seed: [1, 0, 1, 0],
    grads: ['finite', [0.5 / Math.sqrt(1e-5), -0.5 / Math.sqrt(1e-5)]],
    ulps: 4,
  }, {
    name: 'deviations of ±1e300 overflow the variance: the output is 0 (as PyTorch), the gradient finite',
    inputs: [[B, -B]],
    f: (x) => layerNorm(x, [2]),
    value: [0, 0],
    grads: ['finite'],
  }, {
    name: 'eps = 0 on a constant row is 0/0: NaN, as PyTorch',
    inputs: [[1, 1]],
    f: (x) => layerNorm(x, [2], null, null, 0),
    value: [NaN, NaN],
    grads: ['any'],
  }],
  triu: [{
    name: 'kept values and gradients pass bit for bit, the rest is 0',
    inputs: [[[-0, S], [B, 0]]],
    f: (x) => triu(x),
    value: [-0, S, 0, 0],
    seed: [S, B, B, -0],
    grads: [[S, B, 0, -0]],
    signs: true,
  }],
  tril: [{
    name: 'kept values and gradients pass bit for bit, the rest is 0',
    inputs: [[[-0, S], [B, 0]]],
    f: (x) => tril(x),
    value: [-0, 0, B, 0],
    seed: [S, B, B, -0],
    grads: [[S, 0, B, -0]],
    signs: true,
  }],
  einsum: [{
    name: 'a trace of 1e300s overflows no further than 2e300, the off-diagonal gets 0',
    inputs: [[[B, S], [-0, B]]],
    f: (x) => einsum('ii->', x),
    value: [2 * B],
    grads: [[1, 0, 0, 1]],
  }, {
    name: 'as matmul: 1e300 − 1e300 = 0, 5e−324 kept',
    inputs: [[[B, -B], [S, 0]], [[1, 0.5], [1, -0]]],
    f: (a, b) => einsum('ij,jk->ik', a, b),
    value: [0, B / 2, S, 0],
    grads: [[1.5, 1, 1.5, 1], [B, B, -B, -B]],
  }],
  stack: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[-0, S], [B, 0]],
    f: (a, b) => stack([a, b]),
    value: [-0, S, B, 0],
    seed: [S, -0, -B, 0],
    grads: [[S, -0], [-B, 0]],
    signs: true,
  }],
  split: [{
    name: 'pieces and their gradients pass bit for bit',
    inputs: [[-0, S, B, 0]],
    f: (x) => { const [a, b] = split(x, 2); return concat([b!, a!]); },
    value: [B, 0, -0, S],
    seed: [-B, S, -0, 1],
    grads: [[-0, 1, -B, S]],
  }],
  squeeze: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[[-0, S, B, 0]]],
    f: (x) => squeeze(x),
    value: [-0, S, B, 0],
    seed: [S, -0, -B, 0],
    grads: [[S, -0, -B, 0]],
    signs: true,
  }],
  unsqueeze: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[-0, S, B, 0]],
    f: (x) => unsqueeze(x, 0),
    value: [-0, S, B, 0],
    seed: [S, -0, -B, 0],
    grads: [[S, -0, -B, 0]],
    signs: true,
  }],
  flatten: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[[-0, S], [B, 0]]],
    f: (x) => flatten(x),
    value: [-0, S, B, 0],
    seed: [S, -0, -B, 0],
    grads: [[S, -0, -B, 0]],
    signs: true,
  }],
  tile: [{
    name: 'copies pass bit for bit, the gradient sums them (2e300, 5e−324 + −0, 1 − 1)',
    inputs: [[-0, S, B, 0]],
    f: (x) => tile(x, 2),
    value: [-0, S, B, 0, -0, S, B, 0],
    seed: [B, S, 1, 2, B, -0, -1, -2],
    grads: [[2 * B, S, 0, 0]],
    signs: true,
  }],
  flip: [{
    name: 'values and gradients pass bit for bit',
    inputs: [[-0, S, B, 0]],
    f: (x) => flip(x),
    value: [0, B, S, -0],
    seed: [S, -0, -B, 0],
    grads: [[0, -B, -0, S]],
    signs: true,
  }],
  take: [{
    name: 'picked values pass bit for bit, repeated picks add up (2e300)',
    inputs: [[-0, S, B, 0]],
    f: (x) => take(x, [2, 0, 2, 1]),
    value: [B, -0, B, S],
    seed: [B, S, B, -0],
    grads: [[S, 0, 2 * B, 0]],
    signs: true,
  }],
  takeBackward: [{
    name: 'scattered values add up (2e300), the gradient is picked back bit for bit',
    inputs: [[B, B, S, -0, 0]],
    f: (g) => takeBackward(g, [0, 0, 1, 2, 2], 0, 3),
    value: [2 * B, S, 0],
    seed: [-0, S, 1],
    grads: [[-0, -0, S, 1, 1]],
  }],
  takeAlongAxis: [{
    name: 'picked values pass bit for bit, repeated picks add up (2e300)',
    inputs: [[[-0, S, B, 0]]],
    f: (x) => takeAlongAxis(x, [[2, 2, 0, 1]], 1),
    value: [B, B, -0, S],
    seed: [B, B, S, -0],
    grads: [[S, 0, 2 * B, 0]],
    signs: true,
  }],
  takeAlongAxisBackward: [{
    name: 'scattered values add up (2e300), the gradient is picked back bit for bit',
    inputs: [[[B, B, S, -0, 0]]],
    f: (g) => takeAlongAxisBackward(g, [[0, 0, 1, 2, 2]], 1, 3),
    value: [2 * B, S, 0],
    seed: [-0, S, 1],
    grads: [[-0, -0, S, 1, 1]],
  }],
  unfold: [{
    name: 'one 2×2 window passes bit for bit, and its gradient back',
    inputs: [[[[[-0, S], [B, 0]]]]],
    f: (x) => unfold(x, 2),
    value: [-0, S, B, 0],
    seed: [S, 1, -B, 0],
    grads: [[S, 1, -B, 0]],
    signs: true,
  }, {
    name: 'overlapping windows: a pixel read twice gets both gradients (1e300 + 1e300)',
    inputs: [[[[[-0, B, S]]]]],
    f: (x) => unfold(x, [1, 2]),
    value: [-0, B, B, S],
    seed: [1, B, B, -0],
    grads: [[1, 2 * B, -0]],
  }],
  fold: [{
    name: 'overlapping windows sum (1e300 + 0, −0 alone), the gradient is unfolded bit for bit',
    inputs: [[[[-0, B], [0, S]]]],
    f: (x) => fold(x, [1, 3], [1, 2]),
    value: [0, B, S],
    seed: [S, -0, B],
    grads: [[S, -0, -0, B]],
  }],
  conv1d: [{
    name: '1e300 − 1e300 = 0 in a window, 5e−324 beside −1e300',
    inputs: [[[[B, -B, S]]], [[[1, 1]]]],
    f: (x, w) => conv1d(x, w),
    value: [0, -B],
    // x̄ = Σ of w over the windows that read x, w̄_k = Σ_p x[p + k]
    grads: [[1, 2, 1], [0, -B]],
  }, {
    name: 'signed zeros',
    inputs: [[[[-0, 0]]], [[[-0]]]],
    f: (x, w) => conv1d(x, w),
    value: [0, -0],
    grads: [[-0, -0], [0]],
  }],
  conv2d: [{
    name: 'a 2×2 kernel on 1e300, 5e−324 and −0',
    inputs: [[[[[B, S], [-0, 1]]]], [[[[1, 0.5], [2, 0]]]]],
    f: (x, w) => conv2d(x, w),
    value: [B],
    grads: [[1, 0.5, 2, 0], [B, S, -0, 1]],
  }],
  convTranspose2d: [{
    name: 'one 1e300 pixel scattered by a kernel of 5e−324, −0, 0 and ½',
    inputs: [[[[[B]]]], [[[[S, -0], [0, 0.5]]]]],
    f: (x, w) => convTranspose2d(x, w),
    value: [B * S, -0, 0, B / 2],
    grads: [[0.5], [B, B, B, B]],
  }],
  maxPool2d: [{
    name: 'the maximum 5e−324 among signed zeros and −1e300',
    inputs: [[[[[-0, 0], [-B, S]]]]],
    f: (x) => maxPool2d(x, 2),
    value: [S],
    grads: [[0, 0, 0, 1]],
  }, {
    name: 'ties go to the first maximum in the window (as PyTorch\'s max_pool2d)',
    inputs: [[[[[B, B], [-0, 0]]]]],
    f: (x) => maxPool2d(x, 2),
    value: [B],
    grads: [[1, 0, 0, 0]],
  }],
  avgPool2d: [{
    name: 'means of 1e300s, of 5e−324 and signed zeros (5e−324/4 rounds to 0)',
    inputs: [[[[[B, B, 0, S], [S, -0, -0, 0]]]]],
    f: (x) => avgPool2d(x, 2),
    value: [B / 2, 0],
    grads: [[0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]],
  }],
  gatherAt: [{
    name: 'gathered values pass bit for bit, repeated indices add up (2e300)',
    inputs: [[-0, S, B, 0]],
    f: (x) => gatherAt(x, [2, 2, 0, 1], [4]),
    value: [B, B, -0, S],
    seed: [B, B, S, -0],
    grads: [[S, 0, 2 * B, 0]],
    signs: true,
  }],
  scatterAddAt: [{
    name: 'scattered values add up (2e300), the gradient is gathered back bit for bit',
    inputs: [[B, B, S, -0, 0]],
    f: (x) => scatterAddAt(x, [0, 0, 1, 2, 2], [3]),
    value: [2 * B, S, 0],
    seed: [-0, S, 1],
    grads: [[-0, -0, S, 1, 1]],
  }],
};

/** |a − e| within `ulps` units of 2⁻⁵² relative to e (exact when 0), NaN only for NaN, signs of zeros when asked. */
function close(a: number, e: number, ulps: number, signs: boolean): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (Number.isNaN(a)) return false;
  if (a === e) return !signs || Object.is(a, e);
  if (!Number.isFinite(e) || !Number.isFinite(a)) return false;
  return Math.abs(a - e) <= ulps * 2 ** -52 * Math.abs(e);
}

function check(what: string, actual: ArrayLike<number>, expected: Expect, ulps: number, signs: boolean): void {
  const got = Array.from(actual);
  if (expected === 'any') return;
  if (expected === 'finite') {
    if (!got.every(Number.isFinite)) throw new Error(`${what}: expected finite values, got [${got.join(', ')}]`);
    return;
  }
  const bad = got.length !== expected.length || got.some((a, i) => !close(a, expected[i]!, ulps, signs));
  if (bad) {
    const show = (xs: readonly number[]) => `[${xs.map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(', ')}]`;
    throw new Error(`${what}:\n  expected ${show(expected)}\n  got      ${show(got)}`);
  }
}

let assertions = 0;

function run(op: string, c: EdgeCase): void {
  const xs = c.inputs.map((x) => tensor(x as number[]));
  const [out, pullback] = vjp(c.f, ...xs);
  const ulps = c.ulps ?? 0;
  const signs = c.signs ?? false;
  check(`${op} (${c.name}) value`, out.data, c.value, ulps, signs);
  assertions += out.size;
  const seed = c.seed === undefined ? new Tensor(new Float64Array(out.size).fill(1), out.shape) : new Tensor(Float64Array.from(c.seed), out.shape);
  const grads = pullback(seed);
  expect(grads).toHaveLength(c.grads.length);
  grads.forEach((g, i) => {
    expect(g.shape).toEqual(xs[i]!.shape);
    check(`${op} (${c.name}) gradient of input ${i}`, g.data, c.grads[i]!, ulps, signs);
    assertions += g.size;
  });
}

/** Every value the cases of an op feed it. */
function inputValues(cases: readonly EdgeCase[]): number[] {
  return cases.flatMap((c) => c.inputs.flatMap((x) => Array.from(tensor(x as number[]).data)));
}

describe('numeric edges', () => {
  it('every registry op has edge cases, and no entry names an op the registry lacks', () => {
    const names = registry.map((e) => e.name);
    expect(names.filter((n) => !(n in EDGES) || EDGES[n]!.length === 0)).toEqual([]);
    expect(Object.keys(EDGES).filter((n) => !names.includes(n))).toEqual([]);
  });

  it('the cases of every op feed it ±0, 5e−324 and a magnitude of at least 1e300, and each point its domain avoids', () => {
    const missing: string[] = [];
    for (const entry of registry) {
      const values = inputValues(EDGES[entry.name] ?? []);
      const has = (p: (v: number) => boolean) => values.some(p);
      if (!has((v) => Object.is(v, 0))) missing.push(`${entry.name}: +0`);
      if (!has((v) => Object.is(v, -0))) missing.push(`${entry.name}: −0`);
      if (!has((v) => Math.abs(v) === S)) missing.push(`${entry.name}: ±5e−324`);
      if (!has((v) => Math.abs(v) >= B && Number.isFinite(v))) missing.push(`${entry.name}: ±1e300`);
      const ranges = Array.isArray(entry.domain.values) ? entry.domain.values : [entry.domain.values];
      for (const r of ranges) for (const p of r.avoid ?? []) if (!has((v) => v === p)) missing.push(`${entry.name}: its kink or pole ${p}`);
    }
    expect(missing).toEqual([]);
  });

  describe.each(registry.map((e) => [e.name] as const))('%s', (name) => {
    it.each((EDGES[name] ?? []).map((c) => [c.name, c] as const))('%s', (_, c) => run(name, c));
  });

  afterAll(() => {
    const cases = Object.values(EDGES).reduce((n, cs) => n + cs.length, 0);
    const inputs = Object.values(EDGES).reduce((n, cs) => n + inputValues(cs).length, 0);
    // One line for the record: ops covered, edge cases, edge input values, values and gradients compared.
    process.stdout.write(`numeric edges: ${registry.length} ops, ${cases} cases, ${inputs} edge inputs, ${assertions} values and gradients compared\n`);
  });
});

/** Rows of finite doubles, any magnitude (subnormals, ±0 and ±MAX included). */
const finiteRows = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }))
  .chain(([n, c]) => fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: c, maxLength: c }), { minLength: n, maxLength: n }));

describe('the softmax family on arbitrary finite logits', () => {
  const runs = { numRuns: 200, seed: 10 };

  it('equal logits v of any magnitude give exactly log c + v, −log c and 1/c', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 7 }), (v, c) => {
        const row = new Array<number>(c).fill(v);
        const unsigned = (xs: ArrayLike<number>) => Array.from(xs, (x) => x + 0); // −0 as 0 (c = 1 gives ±0)
        expect(logSumExp(row).item()).toBe(Math.log(c) + v);
        expect(unsigned(logSoftmax(row).data)).toEqual(new Array<number>(c).fill(-Math.log(c) + 0));
        expect(Array.from(softmax(row).data)).toEqual(new Array<number>(c).fill(1 / c));
        expect(unsigned(crossEntropy([row], [c - 1]).data)).toEqual([Math.log(c)]);
      }),
      runs,
    );
  });

  it('no NaN: softmax in [0, 1] summing to 1, logSoftmax ≤ 0, logSumExp within [max, max + log c], finite gradients', () => {
    fc.assert(
      fc.property(finiteRows, (rows) => {
        const x = tensor(rows);
        const c = rows[0]!.length;
        const sm = softmax(x).toArray() as number[][];
        const ls = logSoftmax(x).toArray() as number[][];
        const lse = logSumExp(x, 1).toArray() as number[];
        rows.forEach((row, i) => {
          const m = Math.max(...row);
          expect(sm[i]!.every((p) => p >= 0 && p <= 1)).toBe(true);
          expect(Math.abs(sm[i]!.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(c * 2 ** -52);
          expect(ls[i]!.every((l) => l <= 0)).toBe(true);
          expect(ls[i]![row.indexOf(m)]).toBeGreaterThanOrEqual(-Math.log(c) * (1 + 2 ** -50));
          expect(lse[i]).toBeGreaterThanOrEqual(m);
          expect(lse[i]).toBeLessThanOrEqual(m + Math.log(c) + Math.abs(m) * 2 ** -52 + 1e-300);
        });
        const [, pullSm] = vjp((t: Tensor) => softmax(t), x);
        const [, pullLs] = vjp((t: Tensor) => logSoftmax(t), x);
        const [, pullLse] = vjp((t: Tensor) => logSumExp(t, 1), x);
        const ones = new Tensor(new Float64Array(x.size).fill(1), x.shape);
        for (const g of [pullSm(ones)[0]!, pullLs(ones)[0]!, pullLse(tensor(lse.map(() => 1)))[0]!]) {
          expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('crossEntropy with labels and bceWithLogits: non-negative, never NaN, gradients bounded by 1/N', () => {
    fc.assert(
      fc.property(finiteRows, fc.nat(), (rows, k) => {
        const n = rows.length;
        const c = rows[0]!.length;
        const labels = rows.map((_, i) => (k + i) % c);
        const [ce, pullCe] = vjp((z: Tensor) => crossEntropy(z, labels), tensor(rows));
        expect(ce.item()).toBeGreaterThanOrEqual(0);
        const gz = pullCe(1)[0]!.toArray() as number[][];
        gz.forEach((row) => {
          expect(row.every((v) => Number.isFinite(v) && Math.abs(v) <= 1 / n)).toBe(true);
          expect(Math.abs(row.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual((c + 1) * 2 ** -52);
        });
        const z = rows.flat();
        const y = z.map((_, i) => ((k >> i) & 1 ? 1 : i % 3 === 0 ? 0.25 : 0));
        const [l, pullL] = vjp((t: Tensor) => bceWithLogits(t, y), tensor(z));
        expect(l.item()).toBeGreaterThanOrEqual(0);
        expect(Array.from(pullL(1)[0]!.data).every((v) => Number.isFinite(v) && Math.abs(v) <= 1 / z.length)).toBe(true);
      }),
      runs,
    );
  });
});
