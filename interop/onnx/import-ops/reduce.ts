/**
 * The ONNX reductions of opsets 13–17: ReduceSum takes its axes as an optional input (from opset
 * 13); ReduceMean, ReduceMax, ReduceMin, ReduceSumSquare, ReduceL1, ReduceL2 and
 * ReduceLogSumExp take them as the attribute `axes` (until opset 18). Also ArgMax, ArgMin, TopK
 * and CumSum. Without axes every axis is
 * reduced (ReduceSum with noop_with_empty_axes 1 then passes its input through); keepdims
 * (default 1) keeps the reduced axes as 1s. Each is deltagraph's sum, mean, max, min or
 * logSumExp (with square, abs, sqrt), so the gradients are theirs: max and min share the
 * gradient among tied extrema.
 */
import { Tensor } from '../../../lib';
import { abs, argmax, argmin, cumsum, flip, logSumExp, max, mean, min, sqrt, square, sub, sum, takeAlongAxis } from '../../../ops';
import { DataType } from '../data-types';
import { OpCompiler, axesIn, axisIn, finiteInts, intAttr, intChoice, intsAttr, intsOf, need, nodeError } from './node';
import { Value, constant, isFloatType, typeName, valueOf } from './tensor-data';

type Reducer = (x: Tensor, axes: number[], keepDims: boolean) => Tensor;

function reduction(f: Reducer, axesFromInput: boolean, floatOnly: boolean): OpCompiler {
  return (n) => {
    const keepDims = intChoice(n, 'keepdims', [0, 1], 1) === 1;
    const noop = intChoice(n, 'noop_with_empty_axes', [0, 1], 0) === 1;
    const attrAxes = axesFromInput ? undefined : intsAttr(n, 'axes');
    if (axesFromInput && n.attributes.has('axes')) throw nodeError(n, 'takes its axes as an input from opset 13, not as an attribute');
    if (!axesFromInput && (n.inputs[1] ?? '') !== '') throw nodeError(n, 'takes its axes as the attribute axes until opset 18, not as an input');
    return (inputs) => {
      const x: Value = need(n, inputs, 0, 'data');
      if (floatOnly && !isFloatType(x.type)) throw nodeError(n, `input data must be a floating-point tensor, got ${typeName(x.type)}`);
      const given = axesFromInput ? (inputs[1] === undefined ? undefined : finiteInts(n, intsOf(n, inputs[1], 'axes'), 'axes')) : attrAxes;
      if ((given === undefined || given.length === 0) && noop) return [x];
      const axes = given === undefined || given.length === 0 ? x.t.shape.map((_, i) => i) : axesIn(n, given, x.t.rank);
      const y = f(x.t, axes, keepDims);
      return [isFloatType(x.type) ? valueOf(y, x.type) : constant(y.data, y.shape.slice(), x.type)];
    };
  };
}

/**
 * ArgMax and ArgMin: the position of the first extremum along `axis` (default 0), keepdims
 * (default 1) keeping the axis as 1; an INT64 constant (no gradient). select_last_index 1 is not
 * supported.
 */
function argExtremum(f: typeof argmax): OpCompiler {
  return (n) => {
    const axisAttr = intAttr(n, 'axis', 0);
    const keepDims = intChoice(n, 'keepdims', [0, 1], 1) === 1;
    intChoice(n, 'select_last_index', [0], 0);
    return (inputs) => {
      const x = need(n, inputs, 0, 'data');
      const y = f(x.t, axisIn(n, axisAttr, x.t.rank), keepDims);
      return [constant(y.data, y.shape.slice(), DataType.INT64)];
    };
  };
}

/**
 * CumSum: running sums of x along the axis given by the scalar input `axis`; reverse 1 sums from
 * the end (flip, cumsum, flip), exclusive 1 leaves each element out of its own sum (cumsum − x).
 */
const cumSumOp: OpCompiler = (n) => {
  const exclusive = intChoice(n, 'exclusive', [0, 1], 0) === 1;
  const reverse = intChoice(n, 'reverse', [0, 1], 0) === 1;
  return (inputs) => {
    const x = need(n, inputs, 0, 'x');
    const given = finiteInts(n, intsOf(n, need(n, inputs, 1, 'axis'), 'axis'), 'axis');
    if (given.length !== 1) throw nodeError(n, `axis must be a scalar, got ${given.length} values`);
    const axis = axisIn(n, given[0]!, x.t.rank);
    const t = reverse ? flip(x.t, axis) : x.t;
    let y = cumsum(t, axis);
    if (exclusive) y = sub(y, t);
    if (reverse) y = flip(y, axis);
    return [isFloatType(x.type) ? valueOf(y, x.type) : constant(y.data, y.shape.slice(), x.type)];
  };
};

/**
 * TopK: the k largest (largest 1, the default) or smallest entries along `axis` (default −1),
 * k the INT64 input K, sorted from the first; equal values keep their order (the lower index
 * first, as ONNX prescribes). Values = takeAlongAxis of the chosen indices, so the gradient goes
 * back to the entries chosen; Indices are an INT64 constant.
 */
const topKOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', -1);
  const largest = intChoice(n, 'largest', [0, 1], 1) === 1;
  intChoice(n, 'sorted', [0, 1], 1);
  return (inputs) => {
    const x = need(n, inputs, 0, 'X');
    const ks = finiteInts(n, intsOf(n, need(n, inputs, 1, 'K'), 'K'), 'K');
    const axis = axisIn(n, axisAttr, x.t.rank);
    const d = x.t.shape[axis]!;
    if (ks.length !== 1 || ks[0]! < 0 || ks[0]! > d) throw nodeError(n, `K must be one integer in [0, ${d}] (the extent of axis ${axis}), got ${ks.length === 1 ? ks[0] : `${ks.length} values`}`);
    const k = ks[0]!;
    const inner = x.t.shape.slice(axis + 1).reduce((p, e) => p * e, 1);
    const outer = x.t.shape.slice(0, axis).reduce((p, e) => p * e, 1);
    const data = x.t.data;
    const idx = new Float64Array(outer * k * inner);
    const order = Array.from({ length: d }, (_, j) => j);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const at = (j: number) => data[(o * d + j) * inner + i]!;
        order.sort((a, b) => (at(a) === at(b) ? a - b : largest ? at(b) - at(a) : at(a) - at(b)));
        for (let j = 0; j < k; j++) idx[(o * k + j) * inner + i] = order[j]!;
        for (let j = 0; j < d; j++) order[j] = j;
      }
    }
    const shape = x.t.shape.map((e, a) => (a === axis ? k : e));
    const indices = new Tensor(idx, shape);
    const values = takeAlongAxis(x.t, indices, axis);
    return [isFloatType(x.type) ? valueOf(values, x.type) : constant(values.data, shape, x.type), constant(idx, shape, DataType.INT64)];
  };
};

/** The reductions by name. */
export const REDUCE_OPS: Record<string, OpCompiler> = {
  /** ReduceSum: Σ over the axes (an input); sum. */
  ReduceSum: reduction((x, a, k) => sum(x, a, k), true, false),
  /** ReduceMean: the mean over the axes (the attribute); mean. */
  ReduceMean: reduction((x, a, k) => mean(x, a, k), false, true),
  /** ReduceMax: the maximum over the axes; max (tied maxima share the gradient). */
  ReduceMax: reduction((x, a, k) => max(x, a, k), false, false),
  /** ReduceMin: the minimum over the axes; min (tied minima share the gradient). */
  ReduceMin: reduction((x, a, k) => min(x, a, k), false, false),
  /** ReduceSumSquare: Σ x² over the axes. */
  ReduceSumSquare: reduction((x, a, k) => sum(square(x), a, k), false, true),
  /** ReduceL1: Σ |x| over the axes. */
  ReduceL1: reduction((x, a, k) => sum(abs(x), a, k), false, true),
  /** ReduceL2: √(Σ x²) over the axes. */
  ReduceL2: reduction((x, a, k) => sqrt(sum(square(x), a, k)), false, true),
  /** ReduceLogSumExp: log Σ eˣ over the axes, the stable logSumExp. */
  ReduceLogSumExp: reduction((x, a, k) => logSumExp(x, a, k), false, true),
  ArgMax: argExtremum(argmax),
  ArgMin: argExtremum(argmin),
  CumSum: cumSumOp,
  TopK: topKOp,
};

