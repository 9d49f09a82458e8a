/**
 * The functions a formula may call, by their deltagraph names. Each takes one or two tensors and
 * then, optionally, constant options written as numbers or strings in the formula: an axis, a
 * slope, the kind of norm, a loss reduction.
 */
import { AxisError, ShapeError, Tensor, fmtShape, kernels } from '../lib';
import {
  abs, bceWithLogits, binaryCrossEntropy, cos, crossEntropy, div, exp, leakyRelu, log, logSoftmax,
  logSumExp, max, maximum, mean, min, minimum, mseLoss, mT, mul, relu, sigmoid, sin, softmax,
  softplus, sqrt, sum, tanh, where,
} from '../ops';
import type { LossReduction } from '../ops';

/** A constant option as the formula writes it. */
export type Constant = number | string;

/**
 * The kinds of constant options: an axis counted from 1 (−1 is the last), any finite number,
 * the p of a norm (1, 2 or "fro"), a loss reduction ("mean", "sum" or "none").
 */
export type ConstantKind = 'axis' | 'number' | 'norm' | 'reduction';

/** One function of the formula language. */
export interface FunctionSpec {
  /** How many leading arguments are tensors (sub-formulas). */
  readonly tensors: number;
  /** The constant options that may follow them, in order, each one optional. */
  readonly constants: readonly ConstantKind[];
  /** The result; operands that do not fit throw a ShapeError or an AxisError. */
  apply(xs: readonly Tensor[], options: readonly (Constant | undefined)[]): Tensor;
}

/**
 * A formula's axis k, counted from 1 as in mathjs's expressions (−1 is the last axis), as
 * deltagraph's axis counted from 0.
 */
export function zeroBasedAxis(name: string, k: number, x: Tensor): number {
  const r = x.rank;
  if (!(k >= 1 && k <= r) && !(k <= -1 && k >= -r)) {
    const range = r === 0 ? 'a scalar has no axes' : `expected 1 … ${r} or −${r} … −1`;
    throw new AxisError(`${name}: axis ${k} is out of range for shape ${fmtShape(x.shape)} (axes count from 1; ${range})`);
  }
  return k > 0 ? k - 1 : k;
}

/** x' and transpose(x): a scalar or a vector unchanged (as in mathjs), the matrix transpose of the last two axes otherwise. */
export function transposeOf(x: Tensor): Tensor {
  return x.rank < 2 ? x : mT(x);
}

/** A tensor with at most one dimension above 1: a vector, a row or a column. */
function isVectorLike(x: Tensor): boolean {
  return x.shape.filter((d) => d > 1).length <= 1;
}

function checkVectorNorm(x: Tensor, p: Constant): void {
  if (!isVectorLike(x)) {
    throw new ShapeError(
      `norm(x, ${JSON.stringify(p)}) of a matrix is an operator norm in mathjs, which deltagraph does not compute; ` +
        'norm(X, "fro") is the Frobenius norm √(Σ X²)',
    );
  }
}

/**
 * ‖x‖²: Σ x² for p = 2 (a vector) or "fro" (any shape). Written without the square root, so it is
 * differentiable at x = 0 too (gradient 2x); the formula `norm(x)^2` is computed this way.
 */
export function normSquared(x: Tensor, p: Constant): Tensor {
  if (p !== 'fro') checkVectorNorm(x, p);
  return sum(mul(x, x));
}

/**
 * The least power of two above the largest |x| (at most 2¹⁰²³; 1 when x is all zeros or holds
 * ±∞): x divided by it is exact, with entries in (−1, 1) and the largest at least ½ in size, so
 * the squares neither overflow nor underflow, and the gradient's path through the scale is exact
 * for one nonzero entry even when it is subnormal.
 */
function scaleOf(x: Tensor): number {
  let m = 0;
  for (const v of x.data) {
    const a = Math.abs(v);
    if (a > m) m = a;
  }
  if (m === 0 || m === Infinity) return 1;
  let s = 2 ** Math.min(1023, Math.floor(Math.log2(m)) + 1);
  while (s <= m && s < 2 ** 1023) s *= 2;
  while (s / 2 > m) s /= 2;
  return s;
}

const ZERO = new Tensor(Float64Array.of(0), []);

/**
 * ‖x‖_p for p = 1 or 2 of a vector, and the Frobenius norm ("fro") of any tensor. The 2-norm is
 * s·√(Σ (x/s)²) with s a power of two just above max |x| (a constant: the value does not depend
 * on it), so entries of 1e300 or 5e−324 neither overflow nor vanish, and the bits are those of
 * √(Σ x²) wherever that is representable (the gradient of subnormal entries keeps only the bits
 * the subnormal range has). At x = 0 its gradient is 0, the subgradient
 * convention (as PyTorch's norm), not 0/0: the square root is read at 1 there. The 1-norm's
 * gradient is sign(x), 0 at 0.
 */
export function norm(x: Tensor, p: Constant): Tensor {
  if (p === 1) {
    checkVectorNorm(x, p);
    return sum(abs(x));
  }
  if (p !== 'fro') checkVectorNorm(x, p);
  const s = scaleOf(x);
  const y = s === 1 ? x : div(x, s);
  const squares = sum(mul(y, y));
  const zero = kernels.equal(squares, ZERO);
  const r = where(zero, 0, sqrt(where(zero, 1, squares)));
  return s === 1 ? r : mul(r, s);
}

const elementwise = (f: (x: Tensor) => Tensor): FunctionSpec => ({ tensors: 1, constants: [], apply: ([x]) => f(x!) });

const reduction = (name: string, f: (x: Tensor, axis?: number) => Tensor): FunctionSpec => ({
  tensors: 1,
  constants: ['axis'],
  apply: ([x], [k]) => (k === undefined ? f(x!) : f(x!, zeroBasedAxis(name, k as number, x!))),
});

const loss = (f: (a: Tensor, b: Tensor, o: { reduction: LossReduction }) => Tensor): FunctionSpec => ({
  tensors: 2,
  constants: ['reduction'],
  apply: ([a, b], [r]) => f(a!, b!, { reduction: (r ?? 'mean') as LossReduction }),
});

/** Every function a formula may call, by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ['exp', elementwise(exp)],
  ['log', elementwise(log)],
  ['sqrt', elementwise(sqrt)],
  ['abs', elementwise(abs)],
  ['sin', elementwise(sin)],
  ['cos', elementwise(cos)],
  ['tanh', elementwise(tanh)],
  ['sigmoid', elementwise(sigmoid)],
  ['relu', elementwise(relu)],
  ['softplus', elementwise(softplus)],
  ['leakyRelu', { tensors: 1, constants: ['number'], apply: ([x], [alpha]) => leakyRelu(x!, (alpha as number | undefined) ?? 0.01) }],
  ['transpose', elementwise(transposeOf)],
  ['sum', reduction('sum', (x, axis) => sum(x, axis))],
  ['mean', reduction('mean', (x, axis) => mean(x, axis))],
  ['max', reduction('max', (x, axis) => max(x, axis))],
  ['min', reduction('min', (x, axis) => min(x, axis))],
  ['logSumExp', reduction('logSumExp', (x, axis) => logSumExp(x, axis))],
  ['softmax', reduction('softmax', (x, axis) => softmax(x, axis))],
  ['logSoftmax', reduction('logSoftmax', (x, axis) => logSoftmax(x, axis))],
  ['norm', { tensors: 1, constants: ['norm'], apply: ([x], [p]) => norm(x!, p ?? 2) }],
  ['maximum', { tensors: 2, constants: [], apply: ([a, b]) => maximum(a!, b!) }],
  ['minimum', { tensors: 2, constants: [], apply: ([a, b]) => minimum(a!, b!) }],
  ['mseLoss', loss(mseLoss)],
  ['crossEntropy', loss(crossEntropy)],
  ['binaryCrossEntropy', loss(binaryCrossEntropy)],
  ['bceWithLogits', loss(bceWithLogits)],
]);
