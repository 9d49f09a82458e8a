/**
 * The ONNX operators that move values without computing new ones (opsets 13–17): Shape and Size,
 * Reshape, Flatten, Transpose, Squeeze, Unsqueeze, Concat, Split, Slice, Gather, GatherElements,
 * ScatterElements, ScatterND, NonZero, Trilu, DepthToSpace, SpaceToDepth, Expand, Tile, Pad, and the
 * makers of constants (Constant, ConstantOfShape, Range). On floating-point data they
 * are deltagraph's reshape, transpose, concat, split, slice, take, broadcastTo, tile and pad, whose
 * VJPs route the gradient back exactly. On integer data (the shape arithmetic an exporter writes
 * around Reshape and Expand) the same ops run on constants and record nothing; the shapes, axes,
 * starts and pads they are given are integer constants read as plain numbers.
 */
import { Tensor, broadcastShapes, checkSize, fmtShape } from '../../../lib';
import { checkTensorBytes } from '../../../lib/memory';
import { add, broadcastTo, concat, mul, pad, reshape, scatterAddAt, slice, split, take, takeAlongAxis, tile, transpose, tril, triu } from '../../../ops';
import { DataType } from '../data-types';
import {
  Inputs, OnnxNode, OpCompiler, axesIn, axisIn, finiteInts, floatAttr, floatsAttr, intAttr, intChoice, intsAttr, intsOf, need,
  nodeError, optionalInts, refuseAttrs, stringChoice, tensorAttr,
} from './node';
import { Value, constant, isFloatType, typeName, valueOf } from './tensor-data';

/** The value with a new tensor of the same element type (constants stay constants). */
function same(v: Value, t: Tensor): Value {
  return isFloatType(v.type) ? valueOf(t, v.type) : constant(t.data, t.shape.slice(), v.type);
}

/** An INT64 vector constant. */
function int64Vector(values: readonly number[]): Value {
  return constant(Float64Array.from(values), [values.length], DataType.INT64);
}

/** The integers of a required integer input, finite. */
function intsInput(n: OnnxNode, inputs: Inputs, i: number, what: string): number[] {
  return finiteInts(n, intsOf(n, need(n, inputs, i, what), what), what);
}

/** A shape checked to be a valid deltagraph shape. */
function checkedShape(n: OnnxNode, shape: number[], what: string): number[] {
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw nodeError(n, `${what} ${fmtShape(shape)} must hold non-negative integers`);
  checkSize(`${n.opType} ${what}`, shape);
  return shape;
}

/**
 * Shape: the dimensions of the input as an INT64 vector (opset 15's start and end select a range
 * of them, negative counting from the end, clamped to the rank). Only the shape is read, so it is
 * a constant: known at load time for initializers and constants, per call for the inputs.
 */
const shapeOp: OpCompiler = (n) => {
  const start = intAttr(n, 'start', 0);
  const end = n.attributes.has('end') ? intAttr(n, 'end', 0) : undefined;
  return (inputs) => {
    const dims = need(n, inputs, 0, 'data').t.shape;
    const r = dims.length;
    const clampAxis = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
    return [int64Vector(dims.slice(clampAxis(start), end === undefined ? r : clampAxis(end)))];
  };
};

/** Size: the number of elements of the input, an INT64 scalar. */
const sizeOp: OpCompiler = (n) => (inputs) => [constant(Float64Array.of(need(n, inputs, 0, 'data').t.size), [], DataType.INT64)];

/**
 * Reshape: data under the shape given by the input `shape`, where −1 (at most once) is inferred
 * from the size and 0 copies the input's dimension at that index (allowzero 0, the default; with
 * allowzero 1 a 0 is a zero dimension).
 */
const reshapeOp: OpCompiler = (n) => {
  const allowZero = intChoice(n, 'allowzero', [0, 1], 0) === 1;
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const spec = intsInput(n, inputs, 1, 'shape');
    const shape = spec.map((d, i) => {
      if (d === 0 && !allowZero) {
        if (i >= x.t.rank) throw nodeError(n, `shape ${fmtShape(spec)} copies dimension ${i} (a 0) of the input of shape ${fmtShape(x.t.shape)}, which has no such dimension`);
        return x.t.shape[i]!;
      }
      return d;
    });
    const infer = shape.filter((d) => d === -1).length;
    if (infer > 1 || shape.some((d) => d < -1)) throw nodeError(n, `shape ${fmtShape(spec)} may hold one −1 and no other negative dimension`);
    if (infer === 1) {
      const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
      if (known === 0 || x.t.size % known !== 0) throw nodeError(n, `cannot reshape the input of shape ${fmtShape(x.t.shape)} (${x.t.size} elements) to ${fmtShape(spec)}`);
      shape[shape.indexOf(-1)] = x.t.size / known;
    }
    return [same(x, reshape(x.t, checkedShape(n, shape, 'shape')))];
  };
};

/**
 * Flatten: the input as a matrix [d₀⋯d_(axis−1), d_axis⋯d_(r−1)] (axis default 1, negative
 * counting from the end, 0 giving [1, size]).
 */
const flattenOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', 1);
  return (inputs) => {
    const x = need(n, inputs, 0, 'input');
    const r = x.t.rank;
    if (axisAttr < -r || axisAttr > r) throw nodeError(n, `axis ${axisAttr} is outside [${-r}, ${r}] for an input of shape ${fmtShape(x.t.shape)}`);
    const axis = axisAttr < 0 ? axisAttr + r : axisAttr;
    const outer = x.t.shape.slice(0, axis).reduce((p, d) => p * d, 1);
    const inner = x.t.shape.slice(axis).reduce((p, d) => p * d, 1);
    return [same(x, reshape(x.t, [outer, inner]))];
  };
};

/** Transpose: y.shape[k] = x.shape[perm[k]] (perm default: the axes reversed). */
const transposeOp: OpCompiler = (n) => {
  const perm = intsAttr(n, 'perm');
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const p = perm ?? Array.from({ length: x.t.rank }, (_, i) => x.t.rank - 1 - i);
    if (p.length !== x.t.rank) throw nodeError(n, `perm ${fmtShape(p)} must list the ${x.t.rank} axes of the input of shape ${fmtShape(x.t.shape)}`);
    return [same(x, transpose(x.t, axesIn(n, p, x.t.rank, 'perm')))];
  };
};

/** Squeeze (opset 13): the axes listed by the optional input `axes` (each of extent 1) removed; without it, every axis of extent 1. */
const squeezeOp: OpCompiler = (n) => {
  refuseAttrs(n, ['axes']); // an attribute until opset 11; an input from 13
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const given = optionalInts(n, inputs, 1, 'axes');
    const axes = given === undefined ? x.t.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : axesIn(n, given, x.t.rank);
    for (const a of axes) if (x.t.shape[a] !== 1) throw nodeError(n, `cannot squeeze axis ${a} of extent ${x.t.shape[a]} (input of shape ${fmtShape(x.t.shape)})`);
    return [same(x, reshape(x.t, x.t.shape.filter((_, i) => !axes.includes(i))))];
  };
};

/** Unsqueeze (opset 13): 1s inserted at the axes given by the input `axes`, axes of the result (negative counting from its end). */
const unsqueezeOp: OpCompiler = (n) => {
  refuseAttrs(n, ['axes']);
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const given = intsInput(n, inputs, 1, 'axes');
    const rank = x.t.rank + given.length;
    const axes = axesIn(n, given, rank);
    const shape: number[] = [];
    let k = 0;
    for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : x.t.shape[k++]!);
    return [same(x, reshape(x.t, shape))];
  };
};

/** Concat: the inputs joined along `axis` (required; negative counting from the end). */
const concatOp: OpCompiler = (n) => {
  if (!n.attributes.has('axis')) throw nodeError(n, 'attribute axis is required');
  const axisAttr = intAttr(n, 'axis', 0);
  return (inputs) => {
    const parts = inputs.map((v, i) => need(n, inputs, i, `inputs[${i}]`));
    if (parts.length === 0) throw nodeError(n, 'needs at least one input');
    const axis = axisIn(n, axisAttr, parts[0]!.t.rank);
    return [same(parts[0]!, parts.length === 1 ? parts[0]!.t : concat(parts.map((p) => p.t), axis))];
  };
};

/**
 * Split (opset 13): the input cut along `axis` (default 0) into pieces of the sizes the optional
 * input `split` gives (summing to the axis's extent), or into as many equal pieces as the node
 * has outputs.
 */
const splitOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', 0);
  refuseAttrs(n, ['num_outputs', 'split']); // opset 18's, and the attribute of opsets before 13
  return (inputs) => {
    const x = need(n, inputs, 0, 'input');
    const axis = axisIn(n, axisAttr, x.t.rank);
    const extent = x.t.shape[axis]!;
    const given = optionalInts(n, inputs, 1, 'split');
    let sizes: number[];
    if (given !== undefined) {
      sizes = finiteInts(n, given, 'split');
      if (sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== extent) throw nodeError(n, `split ${fmtShape(sizes)} must be non-negative sizes summing to ${extent}, the extent of axis ${axis}`);
    } else {
      const k = n.outputs.length;
      if (extent % k !== 0) throw nodeError(n, `axis ${axis} of extent ${extent} does not split into ${k} equal pieces`);
      sizes = new Array<number>(k).fill(extent / k);
    }
    if (sizes.length !== n.outputs.length) throw nodeError(n, `split gives ${sizes.length} pieces for ${n.outputs.length} outputs`);
    return split(x.t, sizes, axis).map((t) => same(x, t));
  };
};

/**
 * Slice (opset 13): along each of `axes` (default all, in order), the elements start, start +
 * step, … before end. Negative starts and ends count from the end of the axis; then, as ONNX
 * prescribes, for a positive step start and end are clamped to [0, d], for a negative one start
 * to [0, d − 1] and end to [−1, d − 1] (so INT64_MAX and INT64_MIN mean "to the end"). Step 1 is
 * deltagraph's slice; other steps (negative ones included) take the chosen indices with take.
 */
const sliceOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'data');
  const starts = intsOf(n, need(n, inputs, 1, 'starts'), 'starts');
  const ends = intsOf(n, need(n, inputs, 2, 'ends'), 'ends');
  const r = x.t.rank;
  const axes = axesIn(n, finiteInts(n, optionalInts(n, inputs, 3, 'axes') ?? starts.map((_, i) => i), 'axes'), r);
  const steps = finiteInts(n, optionalInts(n, inputs, 4, 'steps') ?? starts.map(() => 1), 'steps');
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
    throw nodeError(n, `starts, ends, axes and steps must have one length, got ${starts.length}, ${ends.length}, ${axes.length} and ${steps.length}`);
  }
  const begin = new Array<number>(r).fill(0);
  const size = x.t.shape.slice();
  const strided: Array<[number, number[]]> = [];
  starts.forEach((s0, i) => {
    const a = axes[i]!;
    const d = x.t.shape[a]!;
    const k = steps[i]!;
    if (k === 0) throw nodeError(n, `steps must not be 0 (axis ${a})`);
    if (Number.isNaN(s0) || Number.isNaN(ends[i]!)) throw nodeError(n, 'starts and ends must be integers');
    let s = s0 < 0 ? s0 + d : s0;
    let e = ends[i]! < 0 ? ends[i]! + d : ends[i]!;
    if (k > 0) {
      s = Math.min(Math.max(s, 0), d);
      e = Math.min(Math.max(e, 0), d);
    } else {
      s = Math.min(Math.max(s, 0), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
    }
    const count = Math.max(0, Math.ceil((e - s) / k));
    if (k === 1 || count === 0) {
      begin[a] = count === 0 ? 0 : s;
      size[a] = count;
    } else {
      strided.push([a, Array.from({ length: count }, (_, j) => s + j * k)]);
    }
  });
  let y = slice(x.t, begin, size);
  for (const [a, idx] of strided) y = take(y, new Int32Array(idx), a);
  return [same(x, y)];
};

/**
 * Gather: y = data indexed along `axis` (default 0) by `indices` (integers, negative counting
 * from the end): y.shape = data.shape[:axis] + indices.shape + data.shape[axis+1:]. On float data
 * (an embedding lookup) it is take, whose gradient scatters back and adds up at repeated indices;
 * on a shape it is a constant.
 */
const gatherOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', 0);
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const idx = need(n, inputs, 1, 'indices');
    if (isFloatType(idx.type)) throw nodeError(n, `indices must be an integer tensor, got ${typeName(idx.type)}`);
    const axis = axisIn(n, axisAttr, x.t.rank);
    return [same(x, take(x.t, idx.t, axis))];
  };
};

/**
 * GatherElements: y[…, j, …] = data[…, indices[…, j, …], …] along `axis` (default 0): y is shaped
 * like indices, which has data's rank and at most data's extent on the other axes (negative
 * indices count from the end). takeAlongAxis (after slicing data to the indices' extents), whose
 * gradient scatters back and adds up at repeated indices.
 */
const gatherElementsOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', 0);
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const idx = need(n, inputs, 1, 'indices');
    if (isFloatType(idx.type)) throw nodeError(n, `indices must be an integer tensor, got ${typeName(idx.type)}`);
    const axis = axisIn(n, axisAttr, x.t.rank);
    if (idx.t.rank !== x.t.rank || idx.t.shape.some((d, k) => k !== axis && d > x.t.shape[k]!)) {
      throw nodeError(n, `indices of shape ${fmtShape(idx.t.shape)} must have the rank of data of shape ${fmtShape(x.t.shape)} and no larger extents off axis ${axis}`);
    }
    const size = x.t.shape.map((d, k) => (k === axis ? d : idx.t.shape[k]!));
    const data = size.every((d, k) => d === x.t.shape[k]) ? x.t : slice(x.t, size.map(() => 0), size);
    return [same(x, takeAlongAxis(data, idx.t, axis))];
  };
};

/**
 * Trilu (opset 14): the upper (upper = 1, the default: j − i ≥ k) or lower (j − i ≤ k) triangle
 * of the last two axes, the rest 0, k the optional scalar input (default 0): triu or tril.
 */
const triluOp: OpCompiler = (n) => {
  const upper = intChoice(n, 'upper', [0, 1], 1) === 1;
  return (inputs) => {
    const x = need(n, inputs, 0, 'input');
    if (x.t.rank < 2) throw nodeError(n, `input must have rank ≥ 2, got shape ${fmtShape(x.t.shape)}`);
    const k = inputs[1] === undefined ? 0 : finiteInts(n, intsOf(n, inputs[1], 'k'), 'k');
    if (Array.isArray(k) && k.length !== 1) throw nodeError(n, `k must be a scalar, got ${k.length} values`);
    const kk = Array.isArray(k) ? k[0]! : k;
    return [same(x, upper ? triu(x.t, kk) : tril(x.t, kk))];
  };
};

/**
 * DepthToSpace: [N, C, H, W] → [N, C/b², H·b, W·b], blocks of b = blocksize channels moved into
 * space, in mode DCR (the default: depth, column, row, as TensorFlow) or CRD (column, row, depth,
 * as PyTorch's PixelShuffle): reshape, transpose, reshape.
 */
const depthToSpaceOp: OpCompiler = (n) => {
  const b = intAttr(n, 'blocksize', 0);
  if (b < 1) throw nodeError(n, `attribute blocksize must be an integer ≥ 1, got ${b}`);
  const mode = stringChoice(n, 'mode', ['DCR', 'CRD'], 'DCR');
  return (inputs) => {
    const x = need(n, inputs, 0, 'input');
    if (x.t.rank !== 4 || x.t.shape[1]! % (b * b) !== 0) throw nodeError(n, `input must be [N, C, H, W] with C divisible by ${b * b}, got shape ${fmtShape(x.t.shape)}`);
    const [N, C, H, W] = x.t.shape as [number, number, number, number];
    const c = C / (b * b);
    const y = mode === 'DCR'
      ? transpose(reshape(x.t, [N, b, b, c, H, W]), [0, 3, 4, 1, 5, 2])
      : transpose(reshape(x.t, [N, c, b, b, H, W]), [0, 1, 4, 2, 5, 3]);
    return [same(x, reshape(y, [N, c, H * b, W * b]))];
  };
};

/** SpaceToDepth: [N, C, H, W] → [N, C·b², H/b, W/b], the inverse of DepthToSpace in mode DCR. */
const spaceToDepthOp: OpCompiler = (n) => {
  const b = intAttr(n, 'blocksize', 0);
  if (b < 1) throw nodeError(n, `attribute blocksize must be an integer ≥ 1, got ${b}`);
  return (inputs) => {
    const x = need(n, inputs, 0, 'input');
    if (x.t.rank !== 4 || x.t.shape[2]! % b !== 0 || x.t.shape[3]! % b !== 0) throw nodeError(n, `input must be [N, C, H, W] with H and W divisible by ${b}, got shape ${fmtShape(x.t.shape)}`);
    const [N, C, H, W] = x.t.shape as [number, number, number, number];
    const y = transpose(reshape(x.t, [N, C, H / b, b, W / b, b]), [0, 3, 5, 1, 2, 4]);
    return [same(x, reshape(y, [N, C * b * b, H / b, W / b]))];
  };
};

/**
 * The result of a scatter: data with the updates written at the flat positions `targets` (one per
 * element of updates), replacing (reduction 'none': data ⊙ the constant mask of the untouched
 * positions + scatterAddAt(updates)) or adding ('add': data + scatterAddAt(updates)); the gradient
 * of data is g where it survives, that of updates g gathered at the targets.
 */
function scattered(n: OnnxNode, data: Value, updates: Value, targets: Int32Array, reduction: string): Value[] {
  const size = data.t.size;
  if (reduction === 'none') {
    const keep = new Float64Array(size).fill(1);
    for (const k of targets) {
      if (keep[k] === 0) throw nodeError(n, `writes position ${k} twice, which reduction 'none' leaves undefined`);
      keep[k] = 0;
    }
    const y = add(mul(data.t, new Tensor(keep, data.t.shape.slice())), scatterAddAt(updates.t, targets, data.t.shape));
    return [same(data, y)];
  }
  return [same(data, add(data.t, scatterAddAt(updates.t, targets, data.t.shape)))];
}

/**
 * ScatterElements: data with updates[p] written at p with p[axis] replaced by indices[p] (indices
 * and updates of one shape, data's rank; negative indices count from the end), reduction 'none'
 * (the default) or 'add'.
 */
const scatterElementsOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', 0);
  const reduction = stringChoice(n, 'reduction', ['none', 'add'], 'none');
  return (inputs) => {
    const data = need(n, inputs, 0, 'data');
    const idx = need(n, inputs, 1, 'indices');
    const updates = need(n, inputs, 2, 'updates');
    const r = data.t.rank;
    const axis = axisIn(n, axisAttr, r);
    const ishape = idx.t.shape;
    if (idx.t.rank !== r || updates.t.shape.some((d, k) => d !== ishape[k]) || updates.t.rank !== r || ishape.some((d, k) => k !== axis && d > data.t.shape[k]!)) {
      throw nodeError(n, `indices ${fmtShape(ishape)} and updates ${fmtShape(updates.t.shape)} must have one shape, of data's rank (data ${fmtShape(data.t.shape)})`);
    }
    const strides = data.t.shape.map((_, a) => data.t.shape.slice(a + 1).reduce((p, d) => p * d, 1));
    const targets = new Int32Array(idx.t.size);
    const at = new Array<number>(r).fill(0);
    const extent = data.t.shape[axis]!;
    for (let k = 0; k < targets.length; k++) {
      const j = idx.t.data[k]!;
      if (!Number.isInteger(j) || j < -extent || j >= extent) throw nodeError(n, `index ${j} is outside [${-extent}, ${extent - 1}] on axis ${axis}`);
      let flat = 0;
      for (let a = 0; a < r; a++) flat += (a === axis ? (j < 0 ? j + extent : j) : at[a]!) * strides[a]!;
      targets[k] = flat;
      for (let a = r - 1; a >= 0; a--) {
        if (++at[a]! < ishape[a]!) break;
        at[a] = 0;
      }
    }
    return scattered(n, data, updates, targets, reduction);
  };
};

/**
 * ScatterND: data with the slices updates[j] written at data[indices[j]], indices [..., k] naming
 * the first k coordinates (negative counting from the end) and updates shaped indices.shape[:-1] +
 * data.shape[k:]; reduction 'none' (the default) or 'add'.
 */
const scatterNDOp: OpCompiler = (n) => {
  const reduction = stringChoice(n, 'reduction', ['none', 'add'], 'none');
  return (inputs) => {
    const data = need(n, inputs, 0, 'data');
    const idx = need(n, inputs, 1, 'indices');
    const updates = need(n, inputs, 2, 'updates');
    const ishape = idx.t.shape;
    const k = ishape[ishape.length - 1];
    if (k === undefined || k < 1 || k > data.t.rank) throw nodeError(n, `indices of shape ${fmtShape(ishape)} must end in a coordinate count in [1, ${data.t.rank}]`);
    const expected = [...ishape.slice(0, -1), ...data.t.shape.slice(k)];
    if (updates.t.rank !== expected.length || updates.t.shape.some((d, a) => d !== expected[a])) throw nodeError(n, `updates must have shape ${fmtShape(expected)}, got ${fmtShape(updates.t.shape)}`);
    const strides = data.t.shape.map((_, a) => data.t.shape.slice(a + 1).reduce((p, d) => p * d, 1));
    const slice = data.t.shape.slice(k).reduce((p, d) => p * d, 1);
    const count = idx.t.size / k;
    const targets = new Int32Array(count * slice);
    for (let j = 0; j < count; j++) {
      let base = 0;
      for (let a = 0; a < k; a++) {
        const v = idx.t.data[j * k + a]!;
        const d = data.t.shape[a]!;
        if (!Number.isInteger(v) || v < -d || v >= d) throw nodeError(n, `index ${v} is outside [${-d}, ${d - 1}] on axis ${a}`);
        base += (v < 0 ? v + d : v) * strides[a]!;
      }
      for (let e = 0; e < slice; e++) targets[j * slice + e] = base + e;
    }
    return scattered(n, data, updates, targets, reduction);
  };
};

/**
 * NonZero: the indices of the nonzero elements in row-major order, as an INT64 [rank, count]
 * constant (its extent depends on the values, so it is known only once they are).
 */
const nonZeroOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'X').t;
  const strides = x.shape.map((_, a) => x.shape.slice(a + 1).reduce((p, d) => p * d, 1));
  const hits: number[] = [];
  for (let k = 0; k < x.size; k++) if (x.data[k] !== 0) hits.push(k);
  const r = x.rank === 0 ? 1 : x.rank;
  const out = new Float64Array(r * hits.length);
  hits.forEach((flat, j) => {
    for (let a = 0; a < x.rank; a++) out[a * hits.length + j] = Math.floor(flat / strides[a]!) % x.shape[a]!;
  });
  return [constant(out, [r, hits.length], DataType.INT64)];
};

/** Expand: the input broadcast with `shape` (bidirectionally, as numpy: the result has the larger extent of each pair). */
const expandOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'input');
  const shape = checkedShape(n, intsInput(n, inputs, 1, 'shape'), 'shape');
  const target = broadcastShapes(n.opType, x.t.shape, shape);
  return [same(x, broadcastTo(x.t, target))];
};

/** Tile: the input repeated repeats[k] times along each axis k (deltagraph's tile). */
const tileOp: OpCompiler = (n) => (inputs) => {
  const x = need(n, inputs, 0, 'input');
  const reps = intsInput(n, inputs, 1, 'repeats');
  if (reps.length !== x.t.rank || reps.some((k) => k < 0)) throw nodeError(n, `repeats ${fmtShape(reps)} must hold one non-negative count per axis of the input of shape ${fmtShape(x.t.shape)}`);
  return [same(x, tile(x.t, reps))];
};

/** For one axis of extent d padded by (before, after): the source index of each output position (−1: padding). */
function sourceIndices(d: number, before: number, after: number, mode: string): number[] {
  const out: number[] = [];
  for (let i = -before; i < d + after; i++) {
    if (i >= 0 && i < d) out.push(i);
    else if (mode === 'edge') out.push(i < 0 ? 0 : d - 1);
    else {
      // reflect: mirror about the first and last elements, without repeating them.
      const period = 2 * (d - 1);
      let j = period === 0 ? 0 : ((i % period) + period) % period;
      if (j >= d) j = period - j;
      out.push(j);
    }
  }
  return out;
}

/**
 * Pad (opset 13): pads = [b₀, b₁, …, e₀, e₁, …] elements before and after each axis (negative
 * values crop). mode 'constant' (the default) fills with constant_value (default 0): crops are
 * slice, padding is deltagraph's pad, and a nonzero value adds value × the constant mask of the
 * padding (so a constant_value that is part of the graph gets its gradient too); 'reflect' and
 * 'edge' take the mirrored or repeated indices along each axis.
 */
const padOp: OpCompiler = (n) => {
  const mode = stringChoice(n, 'mode', ['constant', 'reflect', 'edge'], 'constant');
  return (inputs) => {
    const x = need(n, inputs, 0, 'data');
    const r = x.t.rank;
    const pads = intsInput(n, inputs, 1, 'pads');
    if (inputs[3] !== undefined) throw nodeError(n, 'input axes (opset 18) is not supported');
    if (pads.length !== 2 * r) throw nodeError(n, `pads must hold ${2 * r} values (before and after each axis of the input of shape ${fmtShape(x.t.shape)}), got ${pads.length}`);
    const before = pads.slice(0, r);
    const after = pads.slice(r);
    const out = x.t.shape.map((d, i) => d + before[i]! + after[i]!);
    if (out.some((d) => d < 0)) throw nodeError(n, `pads ${fmtShape(pads)} crop more than the input of shape ${fmtShape(x.t.shape)} holds`);
    checkSize(`${n.opType}`, out);
    checkTensorBytes(n.opType, out);
    if (mode !== 'constant') {
      let y = x.t;
      for (let a = 0; a < r; a++) {
        if (before[a] === 0 && after[a] === 0) continue;
        const d = y.shape[a]!;
        if (d === 0 || (mode === 'reflect' && (before[a]! >= d || after[a]! >= d))) throw nodeError(n, `${mode} padding of ${before[a]} and ${after[a]} needs an axis ${a} longer than that, got ${d}`);
        y = take(y, new Int32Array(sourceIndices(d, Math.max(before[a]!, -d), after[a]!, mode)), a);
      }
      return [same(x, y)];
    }
    // Crop the negative pads, then pad the positive ones with zeros.
    const cropBegin = before.map((b) => Math.max(-b, 0));
    const kept = x.t.shape.map((d, i) => d - cropBegin[i]! - Math.max(-after[i]!, 0));
    let y = cropBegin.some((c) => c > 0) || kept.some((k, i) => k !== x.t.shape[i]) ? slice(x.t, cropBegin, kept) : x.t;
    const padBegin = before.map((b) => Math.max(b, 0));
    if (out.some((d, i) => d !== kept[i])) y = pad(y, out, padBegin);
    const c = inputs[2];
    if (c !== undefined && c.t.size !== 1) throw nodeError(n, `constant_value must be a scalar, got ${c.t.size} values`);
    if (c !== undefined && (c.t.data[0] !== 0 || c.t.requiresGrad) && out.some((d, i) => d !== kept[i])) {
      checkTensorBytes(n.opType, out);
      // 1 in the padding, 0 where x lands: one minus x's footprint.
      const footprint = pad(new Tensor(new Float64Array(kept.reduce((p, d) => p * d, 1)).fill(1), kept), out, padBegin).data;
      const holes = new Float64Array(footprint.length);
      for (let i = 0; i < holes.length; i++) holes[i] = 1 - footprint[i]!;
      y = add(y, mul(reshape(c.t, []), new Tensor(holes, out)));
    }
    return [same(x, y)];
  };
};

/** A Constant node's attribute as a value. */
function constantValue(n: OnnxNode): Value {
  refuseAttrs(n, ['sparse_value', 'value_string', 'value_strings']);
  const given = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'].filter((k) => n.attributes.has(k));
  if (given.length !== 1) throw nodeError(n, `needs exactly one of the attributes value, value_float, value_floats, value_int, value_ints, got ${given.length === 0 ? 'none' : given.join(', ')}`);
  switch (given[0]) {
    case 'value': return tensorAttr(n, 'value')!;
    case 'value_float': return constant(Float64Array.of(floatAttr(n, 'value_float', 0)), [], DataType.FLOAT);
    case 'value_floats': { const v = floatsAttr(n, 'value_floats')!; return constant(Float64Array.from(v), [v.length], DataType.FLOAT); }
    case 'value_int': return constant(Float64Array.of(intAttr(n, 'value_int', 0)), [], DataType.INT64);
    default: { const v = intsAttr(n, 'value_ints')!; return int64Vector(v); }
  }
}

/** Constant: the tensor its attribute holds (value, or value_float(s), value_int(s)): a constant, not a parameter. */
const constantOp: OpCompiler = (n) => {
  const v = constantValue(n);
  return () => [v];
};

/** ConstantOfShape: a tensor of the given shape filled with `value` (a one-element tensor; default FLOAT 0), a constant. */
const constantOfShapeOp: OpCompiler = (n) => {
  const v = tensorAttr(n, 'value');
  if (v !== undefined && v.t.size !== 1) throw nodeError(n, `attribute value must hold one element, got ${v.t.size}`);
  const fill = v === undefined ? 0 : v.t.data[0]!;
  const type = v === undefined ? DataType.FLOAT : v.type;
  return (inputs) => {
    const shape = checkedShape(n, intsInput(n, inputs, 0, 'input'), 'shape');
    checkTensorBytes(n.opType, shape);
    return [constant(new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(fill), shape, type)];
  };
};

/** Range: start, start + delta, … before limit (scalars; ⌈(limit − start)/delta⌉ elements, none if negative), a constant of start's type. */
const rangeOp: OpCompiler = (n) => (inputs) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => {
    const v = need(n, inputs, i, ['start', 'limit', 'delta'][i]!);
    if (v.t.size !== 1) throw nodeError(n, `input ${i} must be a scalar, got shape ${fmtShape(v.t.shape)}`);
    return v;
  }) as [Value, Value, Value];
  const s = start.t.data[0]!;
  const d = delta.t.data[0]!;
  if (d === 0 || !Number.isFinite(d) || !Number.isFinite(s) || Number.isNaN(limit.t.data[0]!)) throw nodeError(n, `start ${s} and delta ${d} must be finite and delta nonzero`);
  const count = Math.max(Math.ceil((limit.t.data[0]! - s) / d), 0);
  if (!Number.isSafeInteger(count)) throw nodeError(n, 'the range is too long');
  checkSize(n.opType, [count]);
  checkTensorBytes(n.opType, [count]);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = s + i * d;
  return [constant(data, [count], start.type)];
};

/** The operators of this file by name. */
export const SHAPE_OPS: Record<string, OpCompiler> = {
  Shape: shapeOp,
  Size: sizeOp,
  Reshape: reshapeOp,
  Flatten: flattenOp,
  Transpose: transposeOp,
  Squeeze: squeezeOp,
  Unsqueeze: unsqueezeOp,
  Concat: concatOp,
  Split: splitOp,
  Slice: sliceOp,
  Gather: gatherOp,
  GatherElements: gatherElementsOp,
  Trilu: triluOp,
  NonZero: nonZeroOp,
  ScatterElements: scatterElementsOp,
  ScatterND: scatterNDOp,
  DepthToSpace: depthToSpaceOp,
  SpaceToDepth: spaceToDepthOp,
  Expand: expandOp,
  Tile: tileOp,
  Pad: padOp,
  Constant: constantOp,
  ConstantOfShape: constantOfShapeOp,
  Range: rangeOp,
};
