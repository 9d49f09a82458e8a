/**
 * The network ops of the ONNX export: matrix products, reductions, softmax, and the window ops
 * that convolutions and pooling are made of (deltagraph's conv2d, conv1d, convTranspose2d and
 * avgPool2d are composites of unfold or fold, matmul and reshapes; maxPool2d records a gatherAt).
 */
import { Tensor } from '../../../lib';
import { Window2d, maxPool } from '../../../lib/kernels';
import { MappingTable, OpContext, int, ints, isStatic, windowAttrs } from './context';

type Window = Window2d;

/** The one-hot kernel [C·kH·kW, 1, kH, kW] that copies tap (i, j) of channel c into channel (c·kH + i)·kW + j. */
function tapKernel(c: OpContext, channels: number, w: Window): string {
  const taps = w.kH * w.kW;
  const values = new Float64Array(channels * taps * taps);
  for (let ch = 0; ch < channels; ch++) for (let t = 0; t < taps; t++) values[(ch * taps + t) * taps + t] = 1;
  return c.floats(values, [channels * taps, 1, w.kH, w.kW]);
}

/** The last two axes of x swapped (matmul's transpose flags). */
function swapLast(c: OpContext, x: string, rank: number): string {
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return c.node('Transpose', [x], { perm: ints(perm) });
}

/** Reduction attributes: the axes (an empty list reduces nothing here, so the node is an Identity). */
function reduceOf(c: OpContext): { axes: readonly number[]; keepDims: boolean } {
  return c.attrs as { axes: readonly number[]; keepDims: boolean };
}

/** ReduceMax or ReduceMin over axes: an attribute before opset 18, an input from 18 on. */
function extremum(c: OpContext, opType: 'ReduceMax' | 'ReduceMin', x: string, axes: readonly number[], keepDims: boolean): string {
  if (axes.length === 0) return c.node('Identity', [x]);
  const keepdims = int(keepDims ? 1 : 0);
  return c.opset >= 18 ? c.node(opType, [x, c.int64s(axes)], { keepdims }) : c.node(opType, [x], { axes: ints(axes), keepdims });
}

export const NN: MappingTable = {
  /**
   * C = op(A) op(B) over the last two axes, batch axes broadcast → MatMul (NumPy's matmul
   * broadcasting, as deltagraph's), a transposed operand first through Transpose.
   */
  matmul: (c) => {
    const { a, b } = c.attrs as { a: boolean; b: boolean };
    const x = a ? swapLast(c, c.inputs[0]!, c.tensors[0]!.rank) : c.inputs[0]!;
    const y = b ? swapLast(c, c.inputs[1]!, c.tensors[1]!.rank) : c.inputs[1]!;
    return c.node('MatMul', [x, y]);
  },
  /** y = Σ_axes x → ReduceSum(x, axes, keepdims) (opset 13: the axes are an input). */
  sum: (c) => {
    const { axes, keepDims } = reduceOf(c);
    if (axes.length === 0) return c.node('Identity', [c.inputs[0]!]);
    return c.node('ReduceSum', [c.inputs[0]!, c.int64s(axes)], { keepdims: int(keepDims ? 1 : 0) });
  },
  /** y = max_axes x → ReduceMax(axes, keepdims) (the axes an attribute before opset 18, an input from 18). */
  max: (c) => extremum(c, 'ReduceMax', c.inputs[0]!, reduceOf(c).axes, reduceOf(c).keepDims),
  /** y = min_axes x → ReduceMin(axes, keepdims), as max. */
  min: (c) => extremum(c, 'ReduceMin', c.inputs[0]!, reduceOf(c).axes, reduceOf(c).keepDims),
  /**
   * y = log Σ_axes eˣ → m + Log(ReduceSum(Exp(x − m))) with m = ReduceMax(x) kept as 1s (the
   * shifted form deltagraph computes), then Squeeze of the axes unless keepDims.
   */
  logSumExp: (c) => {
    const { axes, keepDims } = reduceOf(c);
    if (axes.length === 0) return c.node('Identity', [c.inputs[0]!]);
    const x = c.inputs[0]!;
    const m = extremum(c, 'ReduceMax', x, axes, true);
    const total = c.node('ReduceSum', [c.node('Exp', [c.node('Sub', [x, m])]), c.int64s(axes)], { keepdims: int(1) });
    const kept = c.node('Add', [c.node('Log', [total]), m]);
    return keepDims ? kept : c.node('Squeeze', [kept, c.int64s(axes)]);
  },
  /** y = softmax along an axis → Softmax(axis) (opset 13: along that one axis). */
  softmax: (c) => c.node('Softmax', [c.inputs[0]!], { axis: int(c.attrs as number) }),
  /** y = log softmax along an axis → LogSoftmax(axis). */
  logSoftmax: (c) => c.node('LogSoftmax', [c.inputs[0]!], { axis: int(c.attrs as number) }),
  /**
   * y [N, C·kH·kW, L] = the windows of x [N, C, H, W] (im2col) → Conv(x, K, group = C) with the
   * one-hot kernel K [C·kH·kW, 1, kH, kW] that copies each tap into its own channel (exact: one
   * product by 1 per output), then Reshape to [N, C·kH·kW, L]; with positionsFirst, Transpose and
   * Reshape to [N·L, C·kH·kW]. Padding is zeros (a nonzero pad value with padding is refused).
   */
  unfold: (c) => {
    const { window, outH, outW, padValue, positionsFirst } = c.attrs as { window: Window; outH: number; outW: number; padValue: number; positionsFirst?: boolean };
    if (padValue !== 0 && (window.pH > 0 || window.pW > 0)) c.fail(`its padding holds ${padValue}, and ONNX's Conv pads with zeros`);
    const C = c.tensors[0]!.shape[1]!;
    const taps = C * window.kH * window.kW;
    const N = c.dims(0)[0]!;
    const conv = c.node('Conv', [c.inputs[0]!, tapKernel(c, C, window)], { ...windowAttrs(window), group: int(C) });
    const cols = c.reshapeTo(conv, [N, { a: 0, b: taps }, { a: 0, b: outH * outW }]);
    if (!positionsFirst) return cols;
    return c.reshapeTo(c.node('Transpose', [cols], { perm: ints([0, 2, 1]) }), c.outDims);
  },
  /**
   * y [N, C, H, W] = col2im of x [N, C·kH·kW, L] (each pixel sums the taps that cover it) →
   * Reshape to [N, C·kH·kW, Ho, Wo] (from [N·L, C·kH·kW] through Transpose with positionsFirst),
   * then ConvTranspose with the one-hot kernel of unfold and group = C, output_padding making the
   * output H × W.
   */
  fold: (c) => {
    const { window, outH, outW, channels, height, width, positionsFirst } = c.attrs as {
      window: Window; outH: number; outW: number; channels: number; height: number; width: number; positionsFirst?: boolean;
    };
    const taps = channels * window.kH * window.kW;
    const N = c.outDims[0]!;
    let x = c.inputs[0]!;
    if (positionsFirst) x = c.node('Transpose', [c.reshapeTo(x, [N, { a: 0, b: outH * outW }, { a: 0, b: taps }])], { perm: ints([0, 2, 1]) });
    const grid = c.reshapeTo(x, [N, { a: 0, b: taps }, { a: 0, b: outH }, { a: 0, b: outW }]);
    const base = (n: number, o: number, k: number, s: number, p: number, d: number) => s * (o - 1) + d * (k - 1) + 1 - 2 * p;
    const extra = [height - base(height, outH, window.kH, window.sH, window.pH, window.dH), width - base(width, outW, window.kW, window.sW, window.pW, window.dW)];
    return c.node('ConvTranspose', [grid, tapKernel(c, channels, window)], { ...windowAttrs(window), group: int(channels), output_padding: ints(extra) });
  },
  /**
   * y = x at flat indices → MaxPool(kernel_shape, strides, pads, dilations) when the indices are
   * those of max pooling x [N, C, H, W] with some window (what maxPool2d records: each window's
   * first maximum), found among the windows that give the output's size, simplest first (stride =
   * kernel, no padding, no dilation), and checked on every output of both traces (so an example
   * whose windows hold equal values, where several windows fit, is resolved by the other trace or
   * by that order); otherwise Gather of the flattened x at the constant indices (refused when the
   * indices change between the traces).
   */
  gatherAt: (c) => {
    const { indices, shape } = c.attrs as { indices: Int32Array; shape: readonly number[] };
    const x = c.tensors[0]!;
    // The window must also give the second trace's indices, if there is one.
    const seen: Array<[Tensor, Int32Array]> = [[x, indices]];
    if (c.partner !== null && c.partner.inputs !== null) seen.push([c.partner.inputs[0]!, (c.partnerAttrs as { indices: Int32Array }).indices]);
    const window = x.rank === 4 && shape.length === 4 && shape[0] === x.shape[0] && shape[1] === x.shape[1] ? poolWindow(seen, shape[2]!, shape[3]!) : null;
    if (window !== null) return c.node('MaxPool', [c.inputs[0]!], windowAttrs(window));
    if (c.dynamic && !c.dims(0).every(isStatic)) c.fail('its flat indices are not those of max pooling, and constant flat indices cannot follow a dynamic batch');
    const other = (c.partnerAttrs as { indices: Int32Array }).indices;
    if (other.length !== indices.length || other.some((v, i) => v !== indices[i])) c.fail('its flat indices are not those of max pooling and change with the input values');
    const flat = c.node('Reshape', [c.inputs[0]!, c.int64s([-1])]);
    const picked = c.node('Gather', [flat, c.int64s(Array.from(indices))], { axis: int(0) });
    return c.node('Reshape', [picked, c.int64s(shape)]);
  },
};

/** The candidate windows of one axis of extent n giving `out` positions, simplest first. */
function axisWindows(n: number, out: number): Array<[k: number, s: number, p: number, d: number]> {
  const found: Array<[number, number, number, number, number]> = [];
  for (let d = 1; d <= 3; d++) {
    for (let k = 1; k <= Math.min(2 * n + 1, 16); k++) {
      for (let p = 0; 2 * p <= k; p++) {
        if (d * (k - 1) + 1 > n + 2 * p) continue;
        for (let s = 1; s <= Math.max(k, 1) + 2; s++) {
          if (Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1 !== out) continue;
          // Rank: the default stride (= kernel), then no padding, no dilation, small kernels.
          found.push([k, s, p, d, (s === k ? 0 : 1000) + p * 100 + (d - 1) * 10 + k]);
        }
      }
    }
  }
  return found.sort((x, y) => x[4] - y[4]).map(([k, s, p, d]) => [k, s, p, d]);
}

/** The pooling window whose first maxima are exactly the indices of every (x, indices) pair, or null. */
function poolWindow(seen: ReadonlyArray<readonly [Tensor, Int32Array]>, outH: number, outW: number): Window | null {
  const [, , H, W] = seen[0]![0].shape as [number, number, number, number];
  const rows = axisWindows(H, outH);
  const cols = axisWindows(W, outW);
  // Square windows first, then every pair in rank order.
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < cols.length; j++) pairs.push([i, j]);
  pairs.sort((p, q) => Math.max(p[0], p[1]) - Math.max(q[0], q[1]) || p[0] + p[1] - q[0] - q[1]);
  let tried = 0;
  for (const [i, j] of pairs) {
    if (++tried > 400) break;
    const [kH, sH, pH, dH] = rows[i]!;
    const [kW, sW, pW, dW] = cols[j]!;
    const w = { kH, kW, sH, sW, pH, pW, dH, dW };
    if (seen.every(([x, indices]) => x.rank === 4 && firstMaxima(x, w, outH, outW, indices))) return w;
  }
  return null;
}

/** Whether the first maximum of every window (row-major within it, NaN winning) is at `indices`: the max-pooling kernel's own positions. */
function firstMaxima(x: Tensor, w: Window, outH: number, outW: number, indices: Int32Array): boolean {
  const { argmax } = maxPool(x, w, outH, outW);
  return argmax.length === indices.length && argmax.every((at, o) => at === indices[o]);
}
