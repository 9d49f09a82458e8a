/**
 * The layout and indexing ops of the ONNX export: reshape, transpose, broadcasting and its
 * adjoint, joins, slices, padding, selection, gathers. With a dynamic batch, a target shape that
 * holds the batch size is never written as a number: see Emitter.reshapeTo and shapeOf.
 */
import { Tensor } from '../../../lib';
import { Dim, MappingTable, OpContext, addDims, allStatic, fixed, int, ints, isStatic, sameDim, subDims } from './context';

/** An end that stands for "to the end of the axis" in Slice (ends are clamped to the extent). */
const TO_END = 2 ** 53;

/** Int64 list from dims: a constant when static, else computed (shapeOf). */
function dimList(c: OpContext, dims: readonly Dim[]): string {
  return allStatic(dims) ? c.int64s(dims.map((d) => d.b)) : c.shapeOf(dims);
}

/** An attribute array of the node must hold the same values in both traces: it is written as a constant. */
function sameConstant(c: OpContext, a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length || Array.prototype.some.call(a, (v: number, i: number) => !Object.is(v, b[i]))) {
    c.fail(`the values of its ${what} change ${c.dynamic ? 'with the batch size' : 'with the input values'}, so they cannot be a constant of the model (a value computed from an input without recording, such as a comparison's mask, or a random draw is not part of the graph)`);
  }
}

export const SHAPE: MappingTable = {
  /** y = reshape(x, s) → Reshape(x, s), with −1 for the one batch-dependent dimension of s. */
  reshape: (c) => c.reshapeTo(c.inputs[0]!, c.outDims),
  /** y = transpose(x, p) → Transpose(perm = p). */
  transpose: (c) => c.node('Transpose', [c.inputs[0]!], { perm: ints(c.attrs as number[]) }),
  /**
   * y = broadcastTo(x, s) → Expand(x, s′), s′ = s with 1 wherever x already has that dimension
   * (Expand broadcasts both ways), so a batch dimension that x carries is not written.
   */
  broadcastTo: (c) => {
    const xd = c.dims(0);
    const lead = c.outDims.length - xd.length;
    const target = c.outDims.map((d, i) => (i >= lead && sameDim(xd[i - lead]!, d) ? fixed(1) : d));
    return c.node('Expand', [c.inputs[0]!, dimList(c, target)]);
  },
  /**
   * y = sumTo(x, s) → ReduceSum(x, axes, keepdims = 1) over the axes broadcasting s to x.shape
   * creates (leading ones and those where s has 1), then Reshape to s when leading axes go.
   */
  sumTo: (c) => {
    const x = c.tensors[0]!;
    const shape = c.recorded.output.shape;
    const lead = x.rank - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < x.rank; i++) if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
    const reduced = axes.length === 0 ? c.inputs[0]! : c.node('ReduceSum', [c.inputs[0]!, c.int64s(axes)], { keepdims: int(1) });
    return lead === 0 ? reduced : c.reshapeTo(reduced, c.outDims);
  },
  /** y = [x₁ | x₂ | …] along an axis → Concat(axis). */
  concat: (c) => c.node('Concat', c.inputs, { axis: int(c.attrs as number) }),
  /**
   * y = x[begin : begin + size] → Slice(x, starts, ends, axes) over the axes that are cut; an end
   * at the end of a batch-dependent axis is written as 2⁵³ (clamped to the extent).
   */
  slice: (c) => {
    const { begin } = c.attrs as { begin: readonly number[]; size: readonly number[] };
    const xd = c.dims(0);
    const axes: number[] = [];
    const starts: number[] = [];
    const ends: Dim[] = [];
    for (let i = 0; i < xd.length; i++) {
      const end = addDims(fixed(begin[i]!), c.outDims[i]!);
      if (begin[i] === 0 && sameDim(end, xd[i]!)) continue;
      axes.push(i);
      starts.push(begin[i]!);
      ends.push(sameDim(end, xd[i]!) ? fixed(TO_END) : end);
    }
    if (axes.length === 0) return c.node('Identity', [c.inputs[0]!]);
    return c.node('Slice', [c.inputs[0]!, c.int64s(starts), dimList(c, ends), c.int64s(axes)]);
  },
  /**
   * y = zeros(shape) with x at begin → Pad(x, pads = [begin…, shape − begin − x.shape…]) with
   * constant 0 (mode 'constant', the default).
   */
  pad: (c) => {
    const { begin } = c.attrs as { shape: readonly number[]; begin: readonly number[] };
    const xd = c.dims(0);
    const after = c.outDims.map((d, i) => subDims(subDims(d, fixed(begin[i]!)), xd[i]!));
    return c.node('Pad', [c.inputs[0]!, dimList(c, [...begin.map(fixed), ...after])]);
  },
  /** c = cond ? a : b → Where(cond, a, b), cond (a constant of the trace) a BOOL initializer. */
  where: (c) => {
    const cond = c.attrs as Tensor;
    const other = c.partnerAttrs as Tensor;
    if (cond.shape.length !== other.shape.length || cond.shape.some((d, i) => d !== other.shape[i])) {
      c.fail(`its condition (shape [${cond.shape.join(', ')}]) changes shape ${c.dynamic ? 'with the batch size' : 'with the input values'}; a condition must be a constant of the model`);
    }
    sameConstant(c, cond.data, other.data, 'condition');
    return c.node('Where', [c.bools(cond.data, cond.shape), c.inputs[0]!, c.inputs[1]!]);
  },
  /** y = x reversed along axes → Slice(x, starts −1, ends −2⁵³, axes, steps −1). */
  flip: (c) => {
    const axes = c.attrs as number[];
    if (axes.length === 0) return c.node('Identity', [c.inputs[0]!]);
    return c.node('Slice', [c.inputs[0]!, c.int64s(axes.map(() => -1)), c.int64s(axes.map(() => -TO_END)), c.int64s(axes), c.int64s(axes.map(() => -1))]);
  },
  /** y = x where j − i ≥ k, 0 below → Where(mask, x, 0) with a constant [rows, cols] mask (exact, any opset). */
  triu: (c) => triangle(c, true),
  /** y = x where j − i ≤ k, 0 above → Where(mask, x, 0) as triu. */
  tril: (c) => triangle(c, false),
  /**
   * y = take(x, idx, axis) → Gather(x, idx, axis). idx is a constant INT64 initializer (the
   * trace's indices), unless a graph input holds exactly those values: then that input, cast to
   * INT64, so that ids fed at run time are looked up (an embedding).
   */
  take: (c) => {
    const { indices, indexShape, axis } = c.attrs as { indices: Int32Array; indexShape: readonly number[]; axis: number };
    const other = c.partnerAttrs as { indices: Int32Array; indexShape: readonly number[] };
    // The indices' dimensions: those of the output at the index axes.
    const dims = c.outDims.slice(axis, axis + indexShape.length);
    const fromInput = c.indicesInput(indices, dims, c.tensors[0]!.shape[axis]!, other.indices);
    if (fromInput === null) sameConstant(c, indices, other.indices, 'indices (not a graph input)');
    const idx = fromInput ?? c.int64s(Array.from(indices), indexShape);
    return c.node('Gather', [c.inputs[0]!, idx], { axis: int(axis) });
  },
  /**
   * y[o, j, i] = x[o, idx[o, j, i], i] → GatherElements(x, idx, axis), idx a constant INT64
   * initializer, or a graph input holding exactly those values (crossEntropy's labels), cast to
   * INT64 and reshaped to idx's shape.
   */
  takeAlongAxis: (c) => {
    const { indices, m, axis } = c.attrs as { indices: Int32Array; m: number; axis: number };
    const other = c.partnerAttrs as { indices: Int32Array };
    const dims = c.outDims;
    const fromInput = c.indicesInput(indices, dims, c.tensors[0]!.shape[axis]!, other.indices);
    if (fromInput === null) sameConstant(c, indices, other.indices, 'indices (not a graph input)');
    const shape = c.tensors[0]!.shape.map((d, i) => (i === axis ? m : d));
    return c.node('GatherElements', [c.inputs[0]!, fromInput ?? c.int64s(Array.from(indices), shape)], { axis: int(axis) });
  },
  /** y = cumulative sums along an axis → CumSum(x, axis, reverse). */
  cumsum: (c) => {
    const { axis, reverse } = c.attrs as { axis: number; reverse: boolean };
    return c.node('CumSum', [c.inputs[0]!, c.int64s([axis], [])], { reverse: int(reverse ? 1 : 0) });
  },
};

function triangle(c: OpContext, upper: boolean): string {
  const k = c.attrs as number;
  const x = c.tensors[0]!;
  const [rows, cols] = [x.shape[x.rank - 2]!, x.shape[x.rank - 1]!];
  const xd = c.dims(0);
  if (!isStatic(xd[xd.length - 1]!) || !isStatic(xd[xd.length - 2]!)) c.fail('its last two axes depend on the batch size');
  const mask = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mask[i * cols + j] = upper ? Number(j - i >= k) : Number(j - i <= k);
  return c.node('Where', [c.bools(mask, [rows, cols]), c.inputs[0]!, c.scalar(0)]);
}
