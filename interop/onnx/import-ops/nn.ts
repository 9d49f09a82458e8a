/**
 * The ONNX operators of neural-network layers (opsets 13–17): Gemm and MatMul (and Einsum),
 * Conv and ConvTranspose, MaxPool, AveragePool and the global pools, BatchNormalization
 * (inference), InstanceNormalization and LayerNormalization, Softmax and LogSoftmax, and Resize. Each is written with deltagraph's
 * ops (matmul, conv1d, conv2d, convTranspose2d, maxPool2d, avgPool2d, layerNorm, softmax, …), so
 * the gradients of inputs and weights are those ops' exact VJPs. Where ONNX allows what an op does
 * not take in one call (pads that differ before and after, ceil_mode), the input is padded first
 * (zeros for convolutions and average pooling, −∞ for max pooling) and the op runs unpadded.
 * Convolutions and pools take one or two spatial axes (a 1-D input runs as an image of height 1).
 */
import { Tensor, checkSize, fmtShape, kernels } from '../../../lib';
import { checkTensorBytes } from '../../../lib/memory';
import {
  add, avgPool2d, conv1d, conv2d, convTranspose2d, div, einsum, layerNorm, logSoftmax, matmul, max, maxPool2d, mean, mT, mul,
  pad, reshape, slice, softmax, sqrt, sub, take,
} from '../../../ops';
import {
  Inputs, OnnxNode, OpCompiler, axisIn, floatAttr, floatInput, intAttr, intChoice, intsAttr, need, nodeError, stringAttr,
  stringChoice,
} from './node';
import { Value, valueOf } from './tensor-data';

/** The output value: the first input's element type with a new (recorded) tensor. */
function out(like: Value, t: Tensor): Value[] {
  return [valueOf(t, like.type)];
}

/** Refuses optional outputs a node asks for that are not computed (named, not left empty). */
function onlyFirstOutput(n: OnnxNode, what: string): void {
  if (n.outputs.slice(1).some((o) => o !== '')) throw nodeError(n, `only the first output is supported (${what} are not computed)`);
}

/**
 * Gemm: Y = alpha · A′ B′ + beta · C, A′ = Aᵀ when transA, B′ = Bᵀ when transB (A, B matrices),
 * C optional and broadcast to [M, N]. matmul, mul and add.
 */
const gemmOp: OpCompiler = (n) => {
  const alpha = floatAttr(n, 'alpha', 1);
  const beta = floatAttr(n, 'beta', 1);
  const transA = intChoice(n, 'transA', [0, 1], 0) === 1;
  const transB = intChoice(n, 'transB', [0, 1], 0) === 1;
  return (inputs) => {
    const a = floatInput(n, inputs, 0, 'A');
    const b = floatInput(n, inputs, 1, 'B');
    if (a.rank !== 2 || b.rank !== 2) throw nodeError(n, `A and B must be matrices, got shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
    let y = matmul(transA ? mT(a) : a, transB ? mT(b) : b);
    if (alpha !== 1) y = mul(y, alpha);
    const c = inputs[2];
    if (c !== undefined && beta !== 0) y = add(y, beta === 1 ? c.t : mul(c.t, beta));
    return out(inputs[0]!, y);
  };
};

/** MatMul: numpy's matmul (batch axes broadcast; a 1-D operand is a vector whose axis is dropped). */
const matmulOp: OpCompiler = (n) => (inputs) => out(need(n, inputs, 0, 'A'), matmul(need(n, inputs, 0, 'A').t, need(n, inputs, 1, 'B').t));

/** Einsum: deltagraph's einsum of the equation (letters, '...', '->'). */
const einsumOp: OpCompiler = (n) => {
  const equation = stringAttr(n, 'equation', '');
  if (equation === '') throw nodeError(n, 'attribute equation is required');
  return (inputs) => out(need(n, inputs, 0, 'Inputs'), einsum(equation, ...inputs.map((v, i) => need(n, inputs, i, `Inputs[${i}]`).t)));
};

/** The window geometry of a convolution or pool on one input: per spatial axis. */
interface Geometry {
  kernel: number[];
  strides: number[];
  dilations: number[];
  /** Elements added before and after each spatial axis (ceil_mode's extra included in `after`). */
  before: number[];
  after: number[];
}

/** The window attributes of a node, read (and their kinds checked) at load time. */
interface WindowAttrs {
  kernel: number[] | undefined;
  strides: number[] | undefined;
  dilations: number[] | undefined;
  pads: number[] | undefined;
  autoPad: string;
}

function windowAttrsOf(n: OnnxNode): WindowAttrs {
  return {
    kernel: intsAttr(n, 'kernel_shape'),
    strides: intsAttr(n, 'strides'),
    dilations: intsAttr(n, 'dilations'),
    pads: intsAttr(n, 'pads'),
    autoPad: stringChoice(n, 'auto_pad', ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'], 'NOTSET'),
  };
}

/**
 * The per-axis window of a node on an input: kernel_shape (or the weight's), strides and
 * dilations (default 1), and the pads from auto_pad: NOTSET (pads, default 0), VALID (none),
 * SAME_UPPER or SAME_LOWER (the output ⌈in / stride⌉, the odd element after or before).
 */
function geometryOf(n: OnnxNode, a: WindowAttrs, spatial: readonly number[], kernelFromWeight: readonly number[] | null): Geometry {
  const r = spatial.length;
  const kernel = a.kernel ?? kernelFromWeight?.slice();
  if (kernel === undefined) throw nodeError(n, 'attribute kernel_shape is required');
  const strides = a.strides ?? new Array<number>(r).fill(1);
  const dilations = a.dilations ?? new Array<number>(r).fill(1);
  for (const [name, v, min] of [['kernel_shape', kernel, 1], ['strides', strides, 1], ['dilations', dilations, 1]] as const) {
    if (v.length !== r || v.some((x) => x < min)) throw nodeError(n, `${name} ${fmtShape(v)} must hold ${r} integers ≥ ${min} (one per spatial axis of the input)`);
  }
  if (kernelFromWeight !== null && kernel.some((k, i) => k !== kernelFromWeight[i])) throw nodeError(n, `kernel_shape ${fmtShape(kernel)} differs from the weight's ${fmtShape(kernelFromWeight)}`);
  let before = new Array<number>(r).fill(0);
  let after = new Array<number>(r).fill(0);
  if (a.autoPad === 'NOTSET') {
    if (a.pads !== undefined) {
      if (a.pads.length !== 2 * r || a.pads.some((p) => p < 0)) throw nodeError(n, `pads ${fmtShape(a.pads)} must hold ${2 * r} non-negative integers`);
      before = a.pads.slice(0, r);
      after = a.pads.slice(r);
    }
  } else if (a.autoPad !== 'VALID') {
    spatial.forEach((d, i) => {
      const outSize = Math.ceil(d / strides[i]!);
      const total = Math.max(0, (outSize - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - d);
      const small = Math.floor(total / 2);
      before[i] = a.autoPad === 'SAME_UPPER' ? small : total - small;
      after[i] = total - before[i]!;
    });
  }
  return { kernel, strides, dilations, before, after };
}

/**
 * Adds ceil_mode's extra padding at the end of each axis: the output is ⌈(in + pads − span) /
 * stride⌉ + 1 windows, less one when the last would start in the end padding (as PyTorch and
 * ONNX Runtime count).
 */
function withCeilMode(g: Geometry, spatial: readonly number[]): Geometry {
  const after = g.after.slice();
  spatial.forEach((d, i) => {
    const span = (g.kernel[i]! - 1) * g.dilations[i]! + 1;
    const padded = d + g.before[i]! + g.after[i]!;
    let count = Math.ceil((padded - span) / g.strides[i]!) + 1;
    if ((count - 1) * g.strides[i]! >= d + g.before[i]!) count--;
    after[i] = after[i]! + Math.max(0, (count - 1) * g.strides[i]! + span - padded);
  });
  return { ...g, after };
}

/** The spatial axes of x (rank 3 or 4: one or two of them), or an error naming the node. */
function spatialOf(n: OnnxNode, x: Tensor): number[] {
  if (x.rank !== 3 && x.rank !== 4) throw nodeError(n, `supports inputs [N, C, L] and [N, C, H, W] (one or two spatial axes), got shape ${fmtShape(x.shape)}`);
  return x.shape.slice(2);
}

/** x [N, C, ...] with `before`/`after` elements added on its spatial axes (zeros). */
function padSpatial(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  if (before.every((p) => p === 0) && after.every((p) => p === 0)) return x;
  const shape = x.shape.map((d, i) => (i < 2 ? d : d + before[i - 2]! + after[i - 2]!));
  return pad(x, shape, [0, 0, ...before]);
}

/** A constant of `shape` that is `inside` on the block [begin, begin + size) and `outside` elsewhere. */
function blockMask(shape: readonly number[], begin: readonly number[], size: readonly number[], inside: number, outside: number): Tensor {
  checkTensorBytes('padding mask', shape);
  const data = new Float64Array(shape.reduce((p, d) => p * d, 1)).fill(outside);
  const count = size.reduce((p, d) => p * d, 1);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
  const at = new Array<number>(size.length).fill(0);
  for (let k = 0; k < count; k++) {
    let flat = 0;
    for (let a = 0; a < at.length; a++) flat += (begin[a]! + at[a]!) * strides[a]!;
    data[flat] = inside;
    for (let a = at.length - 1; a >= 0; a--) {
      if (++at[a]! < size[a]!) break;
      at[a] = 0;
    }
  }
  return new Tensor(data, shape.slice());
}

/** Rank-3 tensors as images of height 1 (and back). */
function asImage(x: Tensor): Tensor {
  return x.rank === 3 ? reshape(x, [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!]) : x;
}

function fromImage(y: Tensor, rank: number): Tensor {
  return rank === 3 ? reshape(y, [y.shape[0]!, y.shape[1]!, y.shape[3]!]) : y;
}

/** 1-D geometry lifted to 2-D (a height of 1), 2-D as it is: [h, w] pairs. */
function pairs(g: Geometry): { kernel: [number, number]; strides: [number, number]; dilations: [number, number]; before: [number, number]; after: [number, number] } {
  const lift = (v: number[], one: number): [number, number] => (v.length === 1 ? [one, v[0]!] : [v[0]!, v[1]!]);
  return { kernel: lift(g.kernel, 1), strides: lift(g.strides, 1), dilations: lift(g.dilations, 1), before: lift(g.before, 0), after: lift(g.after, 0) };
}

/**
 * Conv: Y = X ⋆ W + B (cross-correlation) for X [N, C, …], W [M, C/group, k…], B [M] optional,
 * with strides, dilations, group and pads (or auto_pad): conv1d or conv2d, after padding X
 * with zeros when the pads before and after an axis differ.
 */
const convOp: OpCompiler = (n) => {
  const group = intAttr(n, 'group', 1);
  if (group < 1) throw nodeError(n, `group must be ≥ 1, got ${group}`);
  const attrs = windowAttrsOf(n);
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    const w = floatInput(n, inputs, 1, 'W');
    const spatial = spatialOf(n, x);
    if (w.rank !== x.rank) throw nodeError(n, `W of shape ${fmtShape(w.shape)} must have the rank of X of shape ${fmtShape(x.shape)}`);
    const g = geometryOf(n, attrs, spatial, w.shape.slice(2));
    const symmetric = g.before.every((p, i) => p === g.after[i]);
    const xp = symmetric ? x : padSpatial(x, g.before, g.after);
    const padding = symmetric ? g.before : g.before.map(() => 0);
    let y = x.rank === 3
      ? conv1d(xp, w, { stride: g.strides[0]!, padding: padding[0]!, dilation: g.dilations[0]!, groups: group })
      : conv2d(xp, w, { stride: [g.strides[0]!, g.strides[1]!], padding: [padding[0]!, padding[1]!], dilation: [g.dilations[0]!, g.dilations[1]!], groups: group });
    const b = inputs[2];
    if (b !== undefined) y = add(y, reshape(b.t, [1, b.t.size, ...spatial.map(() => 1)]));
    return out(inputs[0]!, y);
  };
};

/**
 * ConvTranspose (2-D): the adjoint of Conv in X, for X [N, C, H, W], W [C, M/group, kH, kW] and
 * B [M] optional: out = stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − pads, or the
 * pads that give output_shape. convTranspose2d when the pads are symmetric and output_padding is
 * below the stride; otherwise convTranspose2d unpadded, then the result cropped (slice) and
 * extended with zeros (pad) to the ONNX output.
 */
const convTransposeOp: OpCompiler = (n) => {
  const group = intAttr(n, 'group', 1);
  if (group < 1) throw nodeError(n, `group must be ≥ 1, got ${group}`);
  const outputShape = intsAttr(n, 'output_shape');
  const attrs = windowAttrsOf(n);
  const outputPadding = intsAttr(n, 'output_padding');
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    const w = floatInput(n, inputs, 1, 'W');
    if (x.rank !== 4 || w.rank !== 4) throw nodeError(n, `supports 2-D inputs X [N, C, H, W] and W [C, M/group, kH, kW], got shapes ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
    const spatial = x.shape.slice(2);
    const autoPad = attrs.autoPad;
    const kernel = attrs.kernel ?? w.shape.slice(2);
    const strides = attrs.strides ?? [1, 1];
    const dilations = attrs.dilations ?? [1, 1];
    const outPad = outputPadding ?? [0, 0];
    for (const [name, v, min] of [['kernel_shape', kernel, 1], ['strides', strides, 1], ['dilations', dilations, 1], ['output_padding', outPad, 0]] as const) {
      if (v.length !== 2 || v.some((d) => d < min)) throw nodeError(n, `${name} ${fmtShape(v)} must hold 2 integers ≥ ${min}`);
    }
    if (kernel.some((k, i) => k !== w.shape[2 + i])) throw nodeError(n, `kernel_shape ${fmtShape(kernel)} differs from the weight's ${fmtShape(w.shape.slice(2))}`);
    const full = spatial.map((d, i) => strides[i]! * (d - 1) + outPad[i]! + (kernel[i]! - 1) * dilations[i]! + 1);
    let before = [0, 0];
    let after = [0, 0];
    if (outputShape !== undefined || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const target = outputShape ?? spatial.map((d, i) => d * strides[i]!);
      if (target.length !== 2) throw nodeError(n, `output_shape ${fmtShape(target)} must hold the 2 spatial extents`);
      spatial.forEach((_, i) => {
        const total = full[i]! - target[i]!;
        const half = Math.floor(total / 2);
        before[i] = autoPad === 'SAME_UPPER' ? half : total - half;
        after[i] = total - before[i]!;
      });
    } else if (autoPad === 'NOTSET') {
      const pads = attrs.pads ?? [0, 0, 0, 0];
      if (pads.length !== 4 || pads.some((p) => p < 0)) throw nodeError(n, `pads ${fmtShape(pads)} must hold 4 non-negative integers`);
      before = pads.slice(0, 2);
      after = pads.slice(2);
    }
    const size = full.map((d, i) => d - before[i]! - after[i]!);
    if (size.some((d) => d < 1)) throw nodeError(n, `the output would have spatial shape ${fmtShape(size)}`);
    const options = { stride: [strides[0]!, strides[1]!] as [number, number], dilation: [dilations[0]!, dilations[1]!] as [number, number], groups: group };
    let y: Tensor;
    if (before.every((p, i) => p === after[i]) && outPad.every((p, i) => p < strides[i]!)) {
      y = convTranspose2d(x, w, { ...options, padding: [before[0]!, before[1]!], outputPadding: [outPad[0]!, outPad[1]!] });
    } else {
      // Unpadded, the result has full − output_padding rows; output_padding adds zeros at the end, the pads crop.
      let z = convTranspose2d(x, w, options);
      const grown = z.shape.map((d, i) => (i < 2 ? d : full[i - 2]!));
      if (outPad.some((p) => p > 0)) z = pad(z, grown, [0, 0, 0, 0]);
      const negative = before.map((p) => Math.max(-p, 0));
      if (negative.some((p) => p > 0) || after.some((p) => p < 0)) {
        // Negative pads (output_shape beyond the full extent) grow the output with zeros.
        z = pad(z, [z.shape[0]!, z.shape[1]!, ...full.map((d, i) => d + negative[i]! + Math.max(-after[i]!, 0))], [0, 0, ...negative]);
      }
      y = slice(z, [0, 0, ...before.map((p) => Math.max(p, 0))], [z.shape[0]!, z.shape[1]!, ...size]);
    }
    const b = inputs[2];
    if (b !== undefined) y = add(y, reshape(b.t, [1, b.t.size, 1, 1]));
    return out(inputs[0]!, y);
  };
};

/**
 * MaxPool: y = the maximum of each window (kernel_shape, strides default 1, dilations, pads or
 * auto_pad, ceil_mode 0 or 1; padding counts as −∞), maxPool2d: the gradient goes to each window's
 * first maximum. The optional Indices output and storage_order 1 are not supported.
 */
const maxPoolOp: OpCompiler = (n) => {
  const ceil = intChoice(n, 'ceil_mode', [0, 1], 0) === 1;
  intChoice(n, 'storage_order', [0], 0);
  onlyFirstOutput(n, 'Indices');
  const attrs = windowAttrsOf(n);
  if (attrs.kernel === undefined) throw nodeError(n, 'attribute kernel_shape is required');
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    const spatial = spatialOf(n, x);
    let g = geometryOf(n, attrs, spatial, null);
    if (ceil) g = withCeilMode(g, spatial);
    const p = pairs(g);
    const image = asImage(x);
    const symmetric = p.before.every((v, i) => v === p.after[i] && 2 * v <= p.kernel[i]!);
    let y: Tensor;
    if (symmetric) {
      y = maxPool2d(image, p.kernel, { stride: p.strides, padding: p.before, dilation: p.dilations });
    } else {
      const padded = padSpatial(image, p.before, p.after);
      const hole = blockMask(padded.shape, [0, 0, ...p.before], image.shape, 0, -Infinity);
      y = maxPool2d(add(padded, hole), p.kernel, { stride: p.strides, dilation: p.dilations });
    }
    return out(inputs[0]!, fromImage(y, x.rank));
  };
};

/**
 * AveragePool: y = the mean of each window (kernel_shape, strides default 1, pads or auto_pad,
 * ceil_mode 0 or 1), dividing by the taps inside X (count_include_pad 0, the default) or inside X
 * and its pads (count_include_pad 1). avgPool2d; when the pads differ before and after, or
 * ceil_mode extends the input, X is padded with zeros first and each window's sum is divided by
 * its own count, a constant.
 */
const averagePoolOp: OpCompiler = (n) => {
  const ceil = intChoice(n, 'ceil_mode', [0, 1], 0) === 1;
  const includePad = intChoice(n, 'count_include_pad', [0, 1], 0) === 1;
  if (n.attributes.has('dilations')) throw nodeError(n, 'attribute dilations (opset 19) is not supported');
  const attrs = windowAttrsOf(n);
  if (attrs.kernel === undefined) throw nodeError(n, 'attribute kernel_shape is required');
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    const spatial = spatialOf(n, x);
    const explicit = geometryOf(n, attrs, spatial, null);
    const g = ceil ? withCeilMode(explicit, spatial) : explicit;
    const p = pairs(g);
    const image = asImage(x);
    const plain = p.before.every((v, i) => v === p.after[i] && 2 * v <= p.kernel[i]!);
    if (plain) return out(inputs[0]!, fromImage(avgPool2d(image, p.kernel, { stride: p.strides, padding: p.before, countIncludePad: includePad }), x.rank));
    const padded = padSpatial(image, p.before, p.after);
    const taps = p.kernel[0] * p.kernel[1];
    const sums = avgPool2d(padded, p.kernel, { stride: p.strides });
    // The counted region: X itself, or X with its explicit pads (not ceil_mode's extra).
    const e = pairs(explicit);
    const H = image.shape[2]!;
    const W = image.shape[3]!;
    const begin = includePad ? [0, 0, 0, 0] : [0, 0, p.before[0], p.before[1]];
    const extent = includePad ? [1, 1, H + e.before[0] + e.after[0], W + e.before[1] + e.after[1]] : [1, 1, H, W];
    const region = blockMask([1, 1, padded.shape[2]!, padded.shape[3]!], begin, extent, 1, 0);
    const count = kernels.mul(avgPool2d(region, p.kernel, { stride: p.strides }), new Tensor(Float64Array.of(taps), []));
    const scale = kernels.div(new Tensor(Float64Array.of(taps), []), count);
    return out(inputs[0]!, fromImage(mul(sums, scale), x.rank));
  };
};

/** GlobalAveragePool: the mean over every spatial axis, kept as 1s ([N, C, 1, …]). */
const globalAveragePoolOp: OpCompiler = (n) => (inputs) => {
  const x = floatInput(n, inputs, 0, 'X');
  if (x.rank < 3) throw nodeError(n, `X must have rank ≥ 3 ([N, C, …]), got shape ${fmtShape(x.shape)}`);
  return out(inputs[0]!, mean(x, x.shape.slice(2).map((_, i) => i + 2), true));
};

/** GlobalMaxPool: the maximum over every spatial axis, kept as 1s (ties share the gradient, as deltagraph's max). */
const globalMaxPoolOp: OpCompiler = (n) => (inputs) => {
  const x = floatInput(n, inputs, 0, 'X');
  if (x.rank < 3) throw nodeError(n, `X must have rank ≥ 3 ([N, C, …]), got shape ${fmtShape(x.shape)}`);
  return out(inputs[0]!, max(x, x.shape.slice(2).map((_, i) => i + 2), true));
};

/**
 * BatchNormalization (inference): Y = (X − mean) / √(var + epsilon) ⊙ scale + B, the four [C]
 * vectors broadcast along axis 1 (epsilon default 1e-5; momentum is unused at inference).
 * training_mode 1 and the running-statistics outputs are not supported.
 */
const batchNormOp: OpCompiler = (n) => {
  const eps = floatAttr(n, 'epsilon', 1e-5);
  intChoice(n, 'training_mode', [0], 0);
  onlyFirstOutput(n, 'the running mean and variance');
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    if (x.rank < 2) throw nodeError(n, `X must have rank ≥ 2 ([N, C, …]), got shape ${fmtShape(x.shape)}`);
    const C = x.shape[1]!;
    const [scale, bias, mu, variance] = [1, 2, 3, 4].map((i) => {
      const v = floatInput(n, inputs, i, ['scale', 'B', 'input_mean', 'input_var'][i - 1]!);
      if (v.size !== C) throw nodeError(n, `input ${i} must hold ${C} values (one per channel), got shape ${fmtShape(v.shape)}`);
      return reshape(v, [1, C, ...x.shape.slice(2).map(() => 1)]);
    }) as [Tensor, Tensor, Tensor, Tensor];
    return out(inputs[0]!, add(mul(div(sub(x, mu), sqrt(add(variance, eps))), scale), bias));
  };
};

/**
 * LayerNormalization (opset 17): Y = (X − mean) / √(var + epsilon) ⊙ Scale + B, mean and biased
 * variance over the axes from `axis` (default −1) to the last; layerNorm (Scale and B
 * broadcast to those axes when they are not shaped like them). The Mean and InvStdDev outputs are
 * not supported.
 */
const layerNormOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', -1);
  const eps = floatAttr(n, 'epsilon', 1e-5);
  onlyFirstOutput(n, 'Mean and InvStdDev');
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    const axis = axisIn(n, axisAttr, x.rank);
    const normalized = x.shape.slice(axis);
    const scale = floatInput(n, inputs, 1, 'Scale');
    const b = inputs[2]?.t;
    const fits = (t: Tensor) => t.rank === normalized.length && t.shape.every((d, i) => d === normalized[i]);
    if (fits(scale) && (b === undefined || fits(b))) return out(inputs[0]!, layerNorm(x, normalized, scale, b ?? null, eps));
    let y = mul(layerNorm(x, normalized, null, null, eps), scale);
    if (b !== undefined) y = add(y, b);
    return out(inputs[0]!, y);
  };
};

/**
 * InstanceNormalization: Y = (X − mean) / √(var + epsilon) ⊙ scale + B, mean and biased variance
 * over the spatial axes of each example and channel, scale and B [C] along axis 1 (epsilon
 * default 1e-5): mean, sub, square, sqrt, div, mul and add.
 */
const instanceNormOp: OpCompiler = (n) => {
  const eps = floatAttr(n, 'epsilon', 1e-5);
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'input');
    if (x.rank < 3) throw nodeError(n, `input must have rank ≥ 3 ([N, C, …]), got shape ${fmtShape(x.shape)}`);
    const C = x.shape[1]!;
    const [scale, bias] = [1, 2].map((i) => {
      const v = floatInput(n, inputs, i, i === 1 ? 'scale' : 'B');
      if (v.size !== C) throw nodeError(n, `input ${i} must hold ${C} values (one per channel), got shape ${fmtShape(v.shape)}`);
      return reshape(v, [1, C, ...x.shape.slice(2).map(() => 1)]);
    }) as [Tensor, Tensor];
    const axes = x.shape.slice(2).map((_, i) => i + 2);
    const centred = sub(x, mean(x, axes, true));
    const normal = div(centred, sqrt(add(mean(mul(centred, centred), axes, true), eps)));
    return out(inputs[0]!, add(mul(normal, scale), bias));
  };
};

/** Where output position o of an axis reads the input, by coordinate_transformation_mode. */
function sourceCoordinate(mode: string, o: number, scale: number, inSize: number, outSize: number): number {
  switch (mode) {
    case 'asymmetric': return o / scale;
    case 'align_corners': return outSize === 1 ? 0 : (o * (inSize - 1)) / (outSize - 1);
    case 'pytorch_half_pixel': return outSize > 1 ? (o + 0.5) / scale - 0.5 : 0;
    default: return (o + 0.5) / scale - 0.5; // half_pixel
  }
}

/** The nearest input index to a source coordinate, by nearest_mode. */
function nearestIndex(mode: string, x: number): number {
  switch (mode) {
    case 'floor': return Math.floor(x);
    case 'ceil': return Math.ceil(x);
    case 'round_prefer_ceil': return Math.floor(x + 0.5);
    default: return x - Math.floor(x) === 0.5 ? Math.floor(x) : Math.round(x); // round_prefer_floor
  }
}

/**
 * Resize (opset 13): X resampled to the output extents given by the input `sizes`, or by
 * ⌊in · scale⌋ from `scales` (one per axis), with mode 'nearest' (nearest_mode round_prefer_floor,
 * round_prefer_ceil, floor or ceil) or 'linear' (separable: along each resized axis the two
 * neighbours weighted by the fractional position, clamped to the input), and
 * coordinate_transformation_mode half_pixel, pytorch_half_pixel, align_corners or asymmetric.
 * Each resized axis is a take of the chosen indices (and for linear a constant-weighted sum of
 * two), so the gradient scatters back exactly. 'cubic', tf_crop_and_resize and the roi are not
 * supported.
 */
const resizeOp: OpCompiler = (n) => {
  const mode = stringChoice(n, 'mode', ['nearest', 'linear'], 'nearest');
  const transform = stringChoice(n, 'coordinate_transformation_mode', ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'], 'half_pixel');
  const nearest = stringChoice(n, 'nearest_mode', ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'], 'round_prefer_floor');
  intChoice(n, 'exclude_outside', [0], 0);
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'X');
    const scalesIn = inputs[2];
    const sizesIn = inputs[3];
    const given = (v: Value | undefined) => v !== undefined && v.t.size > 0;
    if (given(scalesIn) === given(sizesIn)) throw nodeError(n, 'needs exactly one of the inputs scales and sizes');
    let scales: number[];
    let sizes: number[];
    if (given(sizesIn)) {
      sizes = Array.from(sizesIn!.t.data);
      if (sizes.length !== x.rank || sizes.some((d) => !Number.isSafeInteger(d) || d < 1)) throw nodeError(n, `sizes ${fmtShape(sizes)} must hold one positive extent per axis of X of shape ${fmtShape(x.shape)}`);
      scales = sizes.map((d, i) => d / x.shape[i]!);
    } else {
      scales = Array.from(scalesIn!.t.data);
      if (scales.length !== x.rank || scales.some((v) => !(v > 0) || !Number.isFinite(v))) throw nodeError(n, `scales ${fmtShape(scales)} must hold one positive factor per axis of X of shape ${fmtShape(x.shape)}`);
      sizes = scales.map((v, i) => Math.floor(x.shape[i]! * v));
      if (sizes.some((d) => d < 1)) throw nodeError(n, `scales ${fmtShape(scales)} leave an empty axis of X of shape ${fmtShape(x.shape)}`);
    }
    checkSize(n.opType, sizes);
    checkTensorBytes(n.opType, sizes);
    let y = x;
    for (let a = 0; a < x.rank; a++) {
      const inSize = x.shape[a]!;
      const outSize = sizes[a]!;
      if (outSize === inSize && scales[a] === 1) continue;
      const coords = Array.from({ length: outSize }, (_, o) => sourceCoordinate(transform, o, scales[a]!, inSize, outSize));
      const clampIndex = (i: number) => Math.min(Math.max(i, 0), inSize - 1);
      if (mode === 'nearest') {
        y = take(y, new Int32Array(coords.map((c) => clampIndex(nearestIndex(nearest, c)))), a);
        continue;
      }
      const c = coords.map((v) => Math.min(Math.max(v, 0), inSize - 1));
      const lo = c.map((v) => Math.floor(v));
      const hi = lo.map((i) => Math.min(i + 1, inSize - 1));
      const shape = y.shape.map((d, k) => (k === a ? outSize : 1));
      const wHi = new Tensor(Float64Array.from(c.map((v, k) => v - lo[k]!)), shape);
      const wLo = new Tensor(Float64Array.from(c.map((v, k) => 1 - (v - lo[k]!))), shape);
      y = add(mul(take(y, new Int32Array(lo), a), wLo), mul(take(y, new Int32Array(hi), a), wHi));
    }
    return out(inputs[0]!, y);
  };
};

/** Softmax (opset 13): along the one axis `axis` (default −1). */
const softmaxOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', -1);
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'input');
    return out(inputs[0]!, softmax(x, axisIn(n, axisAttr, x.rank)));
  };
};

/** LogSoftmax (opset 13): along the one axis `axis` (default −1), the stable logSoftmax. */
const logSoftmaxOp: OpCompiler = (n) => {
  const axisAttr = intAttr(n, 'axis', -1);
  return (inputs) => {
    const x = floatInput(n, inputs, 0, 'input');
    return out(inputs[0]!, logSoftmax(x, axisIn(n, axisAttr, x.rank)));
  };
};

/** The operators of this file by name. */
export const NN_OPS: Record<string, OpCompiler> = {
  Gemm: gemmOp,
  MatMul: matmulOp,
  Einsum: einsumOp,
  Conv: convOp,
  ConvTranspose: convTransposeOp,
  MaxPool: maxPoolOp,
  AveragePool: averagePoolOp,
  GlobalAveragePool: globalAveragePoolOp,
  GlobalMaxPool: globalMaxPoolOp,
  BatchNormalization: batchNormOp,
  InstanceNormalization: instanceNormOp,
  LayerNormalization: layerNormOp,
  Softmax: softmaxOp,
  LogSoftmax: logSoftmaxOp,
  Resize: resizeOp,
};

export type { Inputs };
