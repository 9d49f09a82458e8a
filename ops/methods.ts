/**
 * Tensor methods for the ops, so that `x.matmul(w).add(b).relu().sum()` and `x.T` read as in
 * PyTorch. lib/ imports nothing above it, so the methods are installed from here: when ops/ loads
 * (every entry loads it), each one is put on Tensor.prototype, non-enumerable like a class method,
 * and the declaration merging below types them for the sources and for the compiled package.
 *
 * A method is its free function with the tensor as the first argument, `x.m(...args)` =
 * `f(x, ...args)`: the same values, graph, gradients and errors. Errors name the free function
 * (`x.gt(y)` fails as `greater: ...`, `x.repeat(r)` as `tile: ...`). Names are PyTorch's where
 * PyTorch has the method, in this library's camelCase (logSoftmax, logSumExp), and the free
 * function's otherwise; arguments are always the free function's (keepDims, an axis list, the
 * indices before the axis in gather). Convolutions, pooling, losses, layerNorm, concat, stack and
 * oneHot stay free functions, as in torch.nn.functional.
 */
import { AxisError, fmtShape } from '../lib/errors';
import { Tensor } from '../lib/tensor';
import type { TensorLike } from '../lib/tensor';
import { add } from './add';
import { sub } from './sub';
import { mul } from './mul';
import { div } from './div';
import { pow } from './pow';
import { maximum } from './maximum';
import { minimum } from './minimum';
import { neg } from './neg';
import { exp } from './exp';
import { log } from './log';
import { sqrt } from './sqrt';
import { abs } from './abs';
import { sin } from './sin';
import { cos } from './cos';
import { tanh } from './tanh';
import { sigmoid } from './sigmoid';
import { relu } from './relu';
import { leakyRelu } from './leaky-relu';
import { softplus } from './softplus';
import { sum } from './sum';
import { mean } from './mean';
import { max } from './max';
import { min } from './min';
import { logSumExp } from './log-sum-exp';
import { reshape } from './reshape';
import { transpose, mT } from './transpose';
import { broadcastTo } from './broadcast-to';
import { sumTo } from './sum-to';
import { slice } from './slice';
import { pad } from './pad';
import { where } from './where';
import { matmul } from './matmul';
import { softmax } from './softmax';
import { logSoftmax } from './log-softmax';
import { square } from './activations/square';
import { erf } from './activations/erf';
import { silu } from './activations/silu';
import { logSigmoid } from './activations/log-sigmoid';
import { elu } from './activations/elu';
import { gelu } from './activations/gelu';
import type { GeluOptions } from './activations/gelu';
import { clamp } from './activations/clamp';
import { greater, less, greaterEqual, lessEqual, equal, notEqual } from './compare/comparisons';
import { cumsum } from './reduce/cumsum';
import { variance } from './reduce/variance';
import type { VarianceOptions } from './reduce/variance';
import { std } from './reduce/std';
import { triu } from './matrix/triu';
import { tril } from './matrix/tril';
import { split } from './shape/split';
import { squeeze } from './shape/squeeze';
import { unsqueeze } from './shape/unsqueeze';
import { flatten } from './shape/flatten';
import { tile } from './shape/tile';
import { flip } from './shape/flip';
import { take } from './indexing/take';
import { takeAlongAxis } from './indexing/take-along-axis';
import { argmax, argmin } from './indexing/argmax';

/**
 * The methods the ops put on every Tensor (merged into Tensor's type below). Each is its free
 * function with the tensor as the first argument.
 */
export interface TensorMethods {
  // Elementwise, two operands (broadcasting as NumPy).
  /** `add(this, other)`. */
  add(other: TensorLike): Tensor;
  /** `sub(this, other)`. */
  sub(other: TensorLike): Tensor;
  /** `mul(this, other)`. */
  mul(other: TensorLike): Tensor;
  /** `div(this, other)`. */
  div(other: TensorLike): Tensor;
  /** `pow(this, exponent)`. */
  pow(exponent: TensorLike): Tensor;
  /** `maximum(this, other)`. */
  maximum(other: TensorLike): Tensor;
  /** `minimum(this, other)`. */
  minimum(other: TensorLike): Tensor;
  /** `matmul(this, other)`. */
  matmul(other: TensorLike): Tensor;
  /** `where(condition, this, other)`: this where condition is nonzero, other elsewhere (torch's x.where(condition, y)). */
  where(condition: TensorLike, other: TensorLike): Tensor;
  // Comparisons: 0/1 constants, no gradient.
  /** `greater(this, other)`: [this > other]. */
  gt(other: TensorLike): Tensor;
  /** `less(this, other)`: [this < other]. */
  lt(other: TensorLike): Tensor;
  /** `greaterEqual(this, other)`: [this ≥ other]. */
  ge(other: TensorLike): Tensor;
  /** `lessEqual(this, other)`: [this ≤ other]. */
  le(other: TensorLike): Tensor;
  /** `equal(this, other)`: [this = other] elementwise (torch's x.eq, not x.equal). */
  eq(other: TensorLike): Tensor;
  /** `notEqual(this, other)`: [this ≠ other]. */
  ne(other: TensorLike): Tensor;
  // Elementwise, one operand.
  /** `neg(this)`. */
  neg(): Tensor;
  /** `exp(this)`. */
  exp(): Tensor;
  /** `log(this)`. */
  log(): Tensor;
  /** `sqrt(this)`. */
  sqrt(): Tensor;
  /** `abs(this)`. */
  abs(): Tensor;
  /** `sin(this)`. */
  sin(): Tensor;
  /** `cos(this)`. */
  cos(): Tensor;
  /** `tanh(this)`. */
  tanh(): Tensor;
  /** `sigmoid(this)`. */
  sigmoid(): Tensor;
  /** `relu(this)`. */
  relu(): Tensor;
  /** `square(this)`. */
  square(): Tensor;
  /** `erf(this)`. */
  erf(): Tensor;
  /** `softplus(this)`. */
  softplus(): Tensor;
  /** `silu(this)`. */
  silu(): Tensor;
  /** `logSigmoid(this)`. */
  logSigmoid(): Tensor;
  /** `leakyRelu(this, alpha)`. */
  leakyRelu(alpha?: number): Tensor;
  /** `elu(this, alpha)`. */
  elu(alpha?: number): Tensor;
  /** `gelu(this, options)`. */
  gelu(options?: GeluOptions): Tensor;
  /** `clamp(this, min, max)`. */
  clamp(min?: number | null, max?: number | null): Tensor;
  // Reductions and scans.
  /** `sum(this, axes, keepDims)`: over all axes by default. */
  sum(axes?: number | readonly number[], keepDims?: boolean): Tensor;
  /** `mean(this, axes, keepDims)`. */
  mean(axes?: number | readonly number[], keepDims?: boolean): Tensor;
  /** `max(this, axes, keepDims)`: the values only (torch's amax), not torch.max's (values, indices). */
  max(axes?: number | readonly number[], keepDims?: boolean): Tensor;
  /** `min(this, axes, keepDims)`: the values only (torch's amin). */
  min(axes?: number | readonly number[], keepDims?: boolean): Tensor;
  /** `logSumExp(this, axes, keepDims)` (torch's x.logsumexp). */
  logSumExp(axes?: number | readonly number[], keepDims?: boolean): Tensor;
  /** `variance(this, axes, keepDims, options)`: correction 0 by default, unlike torch's x.var. */
  var(axes?: number | readonly number[], keepDims?: boolean, options?: VarianceOptions): Tensor;
  /** `std(this, axes, keepDims, options)`: correction 0 by default, unlike torch's x.std. */
  std(axes?: number | readonly number[], keepDims?: boolean, options?: VarianceOptions): Tensor;
  /** `cumsum(this, axis)`. */
  cumsum(axis: number): Tensor;
  /** `argmax(this, axis, keepDims)`. */
  argmax(axis?: number, keepDims?: boolean): Tensor;
  /** `argmin(this, axis, keepDims)`. */
  argmin(axis?: number, keepDims?: boolean): Tensor;
  /** `softmax(this, axis)`: along the last axis by default. */
  softmax(axis?: number): Tensor;
  /** `logSoftmax(this, axis)`. */
  logSoftmax(axis?: number): Tensor;
  // Shapes and layout.
  /** `reshape(this, shape)`: one dimension may be −1. */
  reshape(shape: readonly number[]): Tensor;
  /** `transpose(this, perm)`: a permutation of the axes, all reversed by default (not torch's transpose(dim0, dim1)). */
  transpose(perm?: readonly number[]): Tensor;
  /** `transpose(this, perm)` under PyTorch's name for it. */
  permute(perm: readonly number[]): Tensor;
  /**
   * The transpose of a tensor of rank ≤ 2, `transpose(this)` (its axes reversed: a matrix's
   * transpose; a vector or a scalar unchanged in shape). Rank ≥ 3 is an AxisError, where
   * PyTorch's .T is deprecated: use `x.mT` for a batch of matrices or `x.transpose()` to
   * reverse every axis.
   */
  readonly T: Tensor;
  /** `mT(this)`: the last two axes swapped, the transpose of each matrix of a batch (rank ≥ 2). */
  readonly mT: Tensor;
  /** `flatten(this, startAxis, endAxis)`. */
  flatten(startAxis?: number, endAxis?: number): Tensor;
  /** `squeeze(this, axes)`. */
  squeeze(axes?: number | readonly number[]): Tensor;
  /** `unsqueeze(this, axis)`. */
  unsqueeze(axis: number): Tensor;
  /** `flip(this, axes)`. */
  flip(axes?: number | readonly number[]): Tensor;
  /** `tile(this, reps)` under PyTorch's name for it (torch's x.repeat). */
  repeat(reps: number | readonly number[]): Tensor;
  /** `broadcastTo(this, shape)`. */
  broadcastTo(shape: readonly number[]): Tensor;
  /** `sumTo(this, shape)`. */
  sumTo(shape: readonly number[]): Tensor;
  /** `slice(this, begin, size)`. */
  slice(begin: readonly number[], size?: readonly number[]): Tensor;
  /** `pad(this, shape, begin)`. */
  pad(shape: readonly number[], begin: readonly number[]): Tensor;
  /** `split(this, sizes, axis)`. */
  split(sizes: number | readonly number[], axis?: number): Tensor[];
  /** `triu(this, k)`. */
  triu(k?: number): Tensor;
  /** `tril(this, k)`. */
  tril(k?: number): Tensor;
  // Indexing.
  /** `take(this, indices, axis)`: whole slices along an axis (np.take, torch's index_select), not torch's flat x.take. */
  take(indices: TensorLike | Int32Array, axis?: number): Tensor;
  /** `takeAlongAxis(this, indices, axis)` under PyTorch's name (torch's x.gather(dim, index), arguments in the free function's order). */
  gather(indices: TensorLike | Int32Array, axis: number): Tensor;
}

declare module '../lib/tensor.js' {
  // Declaration merging: the class Tensor gets TensorMethods' members, for the sources and in the
  // emitted .d.ts of the package. The specifier has its extension because the build rewrites
  // import specifiers only, and the ES-module declarations (dist/esm) need it under nodenext.
  interface Tensor extends TensorMethods {}
}

/** The methods proper (the getters T and mT are installed apart). */
type MethodName = Exclude<keyof TensorMethods, 'T' | 'mT'>;

type Implementations = {
  [K in MethodName]: (this: Tensor, ...args: Parameters<TensorMethods[K]>) => ReturnType<TensorMethods[K]>;
};

// Each method forwards its arguments unchanged (…args), so defaults, `undefined` and the free
// function's own checks apply exactly as in a direct call.
const implementations: Implementations = {
  add(...args) { return add(this, ...args); },
  sub(...args) { return sub(this, ...args); },
  mul(...args) { return mul(this, ...args); },
  div(...args) { return div(this, ...args); },
  pow(...args) { return pow(this, ...args); },
  maximum(...args) { return maximum(this, ...args); },
  minimum(...args) { return minimum(this, ...args); },
  matmul(...args) { return matmul(this, ...args); },
  where(condition, other) { return where(condition, this, other); },
  gt(...args) { return greater(this, ...args); },
  lt(...args) { return less(this, ...args); },
  ge(...args) { return greaterEqual(this, ...args); },
  le(...args) { return lessEqual(this, ...args); },
  eq(...args) { return equal(this, ...args); },
  ne(...args) { return notEqual(this, ...args); },
  neg() { return neg(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  sqrt() { return sqrt(this); },
  abs() { return abs(this); },
  sin() { return sin(this); },
  cos() { return cos(this); },
  tanh() { return tanh(this); },
  sigmoid() { return sigmoid(this); },
  relu() { return relu(this); },
  square() { return square(this); },
  erf() { return erf(this); },
  softplus() { return softplus(this); },
  silu() { return silu(this); },
  logSigmoid() { return logSigmoid(this); },
  leakyRelu(...args) { return leakyRelu(this, ...args); },
  elu(...args) { return elu(this, ...args); },
  gelu(...args) { return gelu(this, ...args); },
  clamp(...args) { return clamp(this, ...args); },
  sum(...args) { return sum(this, ...args); },
  mean(...args) { return mean(this, ...args); },
  max(...args) { return max(this, ...args); },
  min(...args) { return min(this, ...args); },
  logSumExp(...args) { return logSumExp(this, ...args); },
  var(...args) { return variance(this, ...args); },
  std(...args) { return std(this, ...args); },
  cumsum(...args) { return cumsum(this, ...args); },
  argmax(...args) { return argmax(this, ...args); },
  argmin(...args) { return argmin(this, ...args); },
  softmax(...args) { return softmax(this, ...args); },
  logSoftmax(...args) { return logSoftmax(this, ...args); },
  reshape(...args) { return reshape(this, ...args); },
  transpose(...args) { return transpose(this, ...args); },
  permute(...args) { return transpose(this, ...args); },
  flatten(...args) { return flatten(this, ...args); },
  squeeze(...args) { return squeeze(this, ...args); },
  unsqueeze(...args) { return unsqueeze(this, ...args); },
  flip(...args) { return flip(this, ...args); },
  repeat(...args) { return tile(this, ...args); },
  broadcastTo(...args) { return broadcastTo(this, ...args); },
  sumTo(...args) { return sumTo(this, ...args); },
  slice(...args) { return slice(this, ...args); },
  pad(...args) { return pad(this, ...args); },
  split(...args) { return split(this, ...args); },
  triu(...args) { return triu(this, ...args); },
  tril(...args) { return tril(this, ...args); },
  take(...args) { return take(this, ...args); },
  gather(...args) { return takeAlongAxis(this, ...args); },
};

/** x.T: transpose(x) for rank ≤ 2; rank ≥ 3 is refused, as PyTorch deprecates it there. */
function transposeT(this: Tensor): Tensor {
  if (this.rank > 2) {
    throw new AxisError(
      `Tensor.T: defined for rank ≤ 2, got shape ${fmtShape(this.shape)}: use x.mT to transpose each matrix of a batch or x.transpose() to reverse every axis`,
    );
  }
  return transpose(this);
}

function matrixTranspose(this: Tensor): Tensor {
  return mT(this);
}

/**
 * The names of the methods the ops put on Tensor, the getters T and mT included (what the spec
 * checks, and a value for ops/index.ts to export, so that loading ops/ loads this module).
 */
export const tensorMethodNames: readonly string[] = Object.freeze([...Object.keys(implementations), 'T', 'mT']);

for (const [name, fn] of Object.entries(implementations)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
Object.defineProperty(Tensor.prototype, 'T', { get: transposeT, configurable: true, enumerable: false });
Object.defineProperty(Tensor.prototype, 'mT', { get: matrixTranspose, configurable: true, enumerable: false });
