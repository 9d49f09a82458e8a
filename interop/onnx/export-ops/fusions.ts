/**
 * Patterns of recorded nodes that the ONNX export writes as one ONNX operator: deltagraph's
 * composites record the primitives they are made of (conv2d records unfold, matmul, transposes and
 * reshapes; layerNorm records sums, divisions, a square and a square root), and ONNX has the
 * composite itself. A pattern is fused only when the values inside it are used by nothing else
 * (no other node, no graph output), so the fused operator computes exactly what the nodes would;
 * otherwise each node is mapped on its own (export-ops' one-node mappings, always correct).
 */
import { Tensor } from '../../../lib';
import type { Node } from '../../../graph/node';
import type { Window2d } from '../../../lib/kernels';
import { Emitter, float, int, ints, text, windowAttrs } from './context';

/** What a fused pattern's emitter needs beyond the Emitter: the ONNX name of a tensor the pattern reads. */
export interface FusionContext extends Emitter {
  name(t: Tensor): string;
}

export interface Fusion {
  /** The last node of the pattern: its output is the fused operator's. */
  root: Node;
  /** The other nodes of the pattern, which are not mapped. */
  interior: Node[];
  /** Emits the fused operator and returns the name of its output. */
  emit(c: FusionContext): string;
}

type Window = Window2d;

const producerOf = (t: Tensor | undefined): Node | null => (t === undefined ? null : ((t.producer as Node | null) ?? null));
const sameList = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const isOp = (n: Node | null, name: string): n is Node => n !== null && n.op.name === name && n.inputs !== null;

/** A constant scalar leaf (a number an op was given), or null. */
function scalarLeaf(t: Tensor): number | null {
  return t.producer === null && t.size === 1 && t.rank === 0 ? t.data[0]! : null;
}

/**
 * conv2d with one group: reshape(transpose(reshape(matmul(unfold(x, positionsFirst),
 * transpose(reshape(w, [O, C·kH·kW]), [1, 0])), [N, L, O]), [0, 2, 1]), [N, O, Ho, Wo]) →
 * Conv(x, w, kernel_shape, strides, pads, dilations). The weight's reshape and transpose join
 * the pattern when nothing else reads them.
 */
function conv(root: Node, uses: (t: Tensor) => number): Fusion | null {
  const t = producerOf(root.inputs![0]);
  if (!isOp(t, 'transpose') || !sameList(t.attrs as number[], [0, 2, 1])) return null;
  const r1 = producerOf(t.inputs![0]);
  if (!isOp(r1, 'reshape')) return null;
  const mm = producerOf(r1.inputs![0]);
  if (!isOp(mm, 'matmul')) return null;
  const flags = mm.attrs as { a: boolean; b: boolean };
  if (flags.a || flags.b) return null;
  const unfold = producerOf(mm.inputs![0]);
  const wt = producerOf(mm.inputs![1]);
  if (!isOp(unfold, 'unfold') || !isOp(wt, 'transpose') || !sameList(wt.attrs as number[], [1, 0])) return null;
  const { window, padValue, positionsFirst, outH, outW } = unfold.attrs as { window: Window; padValue: number; positionsFirst?: boolean; outH: number; outW: number };
  if (!positionsFirst || padValue !== 0) return null;
  const wr = producerOf(wt.inputs![0]);
  if (!isOp(wr, 'reshape')) return null;
  const x = unfold.inputs![0]!;
  const w = wr.inputs![0]!;
  const [N, C] = x.shape as [number, number];
  const [O] = w.shape as [number];
  if (w.rank !== 4 || !sameList(w.shape, [O, C, window.kH, window.kW]) || !sameList(root.output.shape, [N, O, outH, outW])) return null;
  const interior = [t, r1, mm, unfold];
  if ([t, r1, mm, unfold].some((n) => uses(n.output) !== 1)) return null;
  const weightInside = uses(wt.output) === 1 && uses(wr.output) === 1;
  if (weightInside) interior.push(wt, wr);
  return {
    root,
    interior,
    emit: (c) => c.node('Conv', [c.name(x), c.name(w)], { ...windowAttrs(window), group: int(1) }),
  };
}

/**
 * conv2d with g > 1 groups: reshape(matmul(reshape(w, [g, O/g, C/g·kH·kW]), reshape(unfold(x),
 * [N, g, C/g·kH·kW, L])), [N, O, Ho, Wo]) → Conv(x, w, group = g, …).
 */
function groupedConv(root: Node, uses: (t: Tensor) => number): Fusion | null {
  const mm = producerOf(root.inputs![0]);
  if (!isOp(mm, 'matmul')) return null;
  const flags = mm.attrs as { a: boolean; b: boolean };
  if (flags.a || flags.b) return null;
  const wr = producerOf(mm.inputs![0]);
  const cr = producerOf(mm.inputs![1]);
  if (!isOp(wr, 'reshape') || !isOp(cr, 'reshape')) return null;
  const unfold = producerOf(cr.inputs![0]);
  if (!isOp(unfold, 'unfold')) return null;
  const { window, padValue, positionsFirst, outH, outW } = unfold.attrs as { window: Window; padValue: number; positionsFirst?: boolean; outH: number; outW: number };
  if (positionsFirst || padValue !== 0) return null;
  const x = unfold.inputs![0]!;
  const w = wr.inputs![0]!;
  const [N, C] = x.shape as [number, number];
  const [O, Cg] = w.shape as [number, number];
  if (w.rank !== 4 || Cg === 0 || C % Cg !== 0) return null;
  const g = C / Cg;
  const taps = Cg * window.kH * window.kW;
  if (!sameList(w.shape, [O, Cg, window.kH, window.kW]) || !sameList(wr.output.shape, [g, O / g, taps]) || !sameList(root.output.shape, [N, O, outH, outW])) return null;
  if (!sameList(cr.output.shape.slice(1), [g, taps, outH * outW])) return null;
  if ([mm, cr, unfold].some((n) => uses(n.output) !== 1)) return null;
  const interior = [mm, cr, unfold];
  if (uses(wr.output) === 1) interior.push(wr);
  return { root, interior, emit: (c) => c.node('Conv', [c.name(x), c.name(w)], { ...windowAttrs(window), group: int(g) }) };
}

/**
 * convTranspose2d: fold(reshape(matmul(transpose(reshape(w, [g, C/g, O/g·kH·kW])), reshape(x,
 * [N, g, C/g, H·W])), [N, O·kH·kW, H·W])) → ConvTranspose(x, w, group = g, strides, pads,
 * dilations, output_padding).
 */
function convTranspose(root: Node, uses: (t: Tensor) => number): Fusion | null {
  const { window, outH, outW, channels, height, width, positionsFirst } = root.attrs as { window: Window; outH: number; outW: number; channels: number; height: number; width: number; positionsFirst?: boolean };
  if (positionsFirst) return null;
  const r = producerOf(root.inputs![0]);
  if (!isOp(r, 'reshape')) return null;
  const mm = producerOf(r.inputs![0]);
  if (!isOp(mm, 'matmul')) return null;
  const flags = mm.attrs as { a: boolean; b: boolean };
  if (flags.a || flags.b) return null;
  const wt = producerOf(mm.inputs![0]);
  const xr = producerOf(mm.inputs![1]);
  if (!isOp(wt, 'transpose') || !isOp(xr, 'reshape')) return null;
  const wr = producerOf(wt.inputs![0]);
  if (!isOp(wr, 'reshape') || !sameList(wt.attrs as number[], [0, 2, 1])) return null;
  const x = xr.inputs![0]!;
  const w = wr.inputs![0]!;
  if (x.rank !== 4 || w.rank !== 4) return null;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [Cw, Og] = w.shape as [number, number];
  const g = channels / Og;
  if (Cw !== C || !Number.isInteger(g) || H !== outH || W !== outW || !sameList(w.shape.slice(2), [window.kH, window.kW])) return null;
  if (!sameList(xr.output.shape, [N, g, C / g, H * W]) || !sameList(wr.output.shape, [g, C / g, Og * window.kH * window.kW])) return null;
  if ([r, mm, xr].some((n) => uses(n.output) !== 1)) return null;
  const interior = [r, mm, xr];
  if (uses(wt.output) === 1 && uses(wr.output) === 1) interior.push(wt, wr);
  const extra = [
    height - ((H - 1) * window.sH - 2 * window.pH + window.dH * (window.kH - 1) + 1),
    width - ((W - 1) * window.sW - 2 * window.pW + window.dW * (window.kW - 1) + 1),
  ];
  return {
    root,
    interior,
    emit: (c) => c.node('ConvTranspose', [c.name(x), c.name(w)], { ...windowAttrs(window), group: int(g), output_padding: ints(extra) }),
  };
}

/**
 * avgPool2d: reshape(div(sum(reshape(unfold(x), [N, C, kH·kW, L]), 2), count), [N, C, Ho, Wo]) →
 * AveragePool(kernel_shape, strides, pads, count_include_pad): count the window size (padding
 * counted) or, per position, the taps inside x (count_include_pad = 0), checked against the
 * recorded divisor. With dilation only from opset 19, where AveragePool has dilations.
 */
function avgPool(root: Node, uses: (t: Tensor) => number, opset: number): Fusion | null {
  const div = producerOf(root.inputs![0]);
  if (!isOp(div, 'div')) return null;
  const total = producerOf(div.inputs![0]);
  if (!isOp(total, 'sum')) return null;
  const { axes, keepDims } = total.attrs as { axes: readonly number[]; keepDims: boolean };
  const cols = producerOf(total.inputs![0]);
  if (keepDims || !sameList(axes, [2]) || !isOp(cols, 'reshape')) return null;
  const unfold = producerOf(cols.inputs![0]);
  if (!isOp(unfold, 'unfold')) return null;
  const { window: w, padValue, positionsFirst, outH, outW } = unfold.attrs as { window: Window; padValue: number; positionsFirst?: boolean; outH: number; outW: number };
  const dilated = w.dH !== 1 || w.dW !== 1;
  if (positionsFirst || padValue !== 0 || (dilated && opset < 19)) return null;
  const x = unfold.inputs![0]!;
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const taps = w.kH * w.kW;
  if (!sameList(cols.output.shape, [N, C, taps, outH * outW]) || !sameList(root.output.shape, [N, C, outH, outW])) return null;
  if ([div, total, cols, unfold].some((n) => uses(n.output) !== 1)) return null;
  const divisor = div.inputs![1]!;
  if (divisor.producer !== null) return null;
  let includePad: boolean;
  if (divisor.size === 1 && divisor.data[0] === taps) includePad = true;
  else {
    // The taps of each window inside x.
    const inside = (o: number, k: number, s: number, p: number, d: number, n: number) => {
      let c = 0;
      for (let i = 0; i < k; i++) if (o * s - p + i * d >= 0 && o * s - p + i * d < n) c++;
      return c;
    };
    if (divisor.size !== outH * outW) return null;
    for (let p = 0; p < outH; p++) {
      for (let q = 0; q < outW; q++) if (divisor.data[p * outW + q] !== inside(p, w.kH, w.sH, w.pH, w.dH, H) * inside(q, w.kW, w.sW, w.pW, w.dW, W)) return null;
    }
    includePad = false;
  }
  return {
    root,
    interior: [div, total, cols, unfold],
    emit: (c) => c.node('AveragePool', [c.name(x)], {
      kernel_shape: ints([w.kH, w.kW]),
      strides: ints([w.sH, w.sW]),
      pads: ints([w.pH, w.pW, w.pH, w.pW]),
      count_include_pad: int(includePad ? 1 : 0),
      ...(dilated ? { dilations: ints([w.dH, w.dW]) } : {}),
    }),
  };
}

/**
 * layerNorm: (x − mean x) / √(mean((x − mean x)²) + eps) over trailing axes, mean = sum / N,
 * then optionally ⊙ weight and + bias (shaped like the normalized axes) →
 * LayerNormalization(x, scale, bias, axis, epsilon) (opset 17; scale 1 and bias 0 when absent).
 */
function layerNorm(root: Node, uses: (t: Tensor) => number, consumers: (t: Tensor) => Node[]): Fusion | null {
  // root is the division (x − μ) / σ.
  const [centred, sd] = root.inputs as [Tensor, Tensor];
  const sub = producerOf(centred);
  const sqrt = producerOf(sd);
  if (!isOp(sub, 'sub') || !isOp(sqrt, 'sqrt')) return null;
  const x = sub.inputs![0]!;
  const mean1 = producerOf(sub.inputs![1]);
  const addEps = producerOf(sqrt.inputs![0]);
  if (!isOp(mean1, 'div') || !isOp(addEps, 'add')) return null;
  const eps = scalarLeaf(addEps.inputs![1]!);
  const mean2 = producerOf(addEps.inputs![0]);
  if (eps === null || !(eps >= 0) || !isOp(mean2, 'div')) return null;
  const sum1 = producerOf(mean1.inputs![0]);
  const sum2 = producerOf(mean2.inputs![0]);
  if (!isOp(sum1, 'sum') || !isOp(sum2, 'sum') || sum1.inputs![0] !== x) return null;
  const square = producerOf(sum2.inputs![0]);
  if (!isOp(square, 'square') || square.inputs![0] !== centred) return null;
  const a1 = sum1.attrs as { axes: readonly number[]; keepDims: boolean };
  const a2 = sum2.attrs as { axes: readonly number[]; keepDims: boolean };
  const r = x.rank;
  const k = a1.axes.length;
  const trailing = Array.from({ length: k }, (_, i) => r - k + i);
  if (k === 0 || !a1.keepDims || !a2.keepDims || !sameList(a1.axes, trailing) || !sameList(a2.axes, trailing)) return null;
  const count = x.shape.slice(r - k).reduce((p, d) => p * d, 1);
  if (scalarLeaf(mean1.inputs![1]!) !== count || scalarLeaf(mean2.inputs![1]!) !== count) return null;
  const inner = [sub, mean1, sum1, square, sum2, mean2, addEps, sqrt];
  const usesWithin = new Map<Tensor, number>([[centred, 2]]);
  if (inner.some((n) => uses(n.output) !== (usesWithin.get(n.output) ?? 1))) return null;
  // The affine part: ⊙ weight, then + bias, each shaped like the normalized axes.
  const normalized = x.shape.slice(r - k);
  let last = root;
  const interior = [...inner];
  let weight: Tensor | null = null;
  let bias: Tensor | null = null;
  const next = (n: Node, op: string): Node | null => {
    const c = consumers(n.output);
    return c.length === 1 && uses(n.output) === 1 && c[0]!.op.name === op && c[0]!.inputs![0] === n.output && sameList(c[0]!.inputs![1]!.shape, normalized) ? c[0]! : null;
  };
  const mul = next(last, 'mul');
  if (mul !== null) {
    interior.push(last);
    last = mul;
    weight = mul.inputs![1]!;
  }
  const add = next(last, 'add');
  if (add !== null) {
    interior.push(last);
    last = add;
    bias = add.inputs![1]!;
  }
  return {
    root: last,
    interior,
    emit: (c) => {
      const ones = () => c.floats(new Float64Array(count).fill(1), normalized);
      const inputs = [c.name(x), weight !== null ? c.name(weight) : ones()];
      if (bias !== null) inputs.push(c.name(bias));
      return c.node('LayerNormalization', inputs, { axis: int(r - k), epsilon: float(eps) });
    },
  };
}

/**
 * A linear layer: add(matmul(x, w), b) (or add(b, matmul(x, w))) with x and w matrices and b
 * broadcasting to the product's shape → Gemm(x, w, b, transA, transB) (matmul's transpose flags).
 */
function gemm(root: Node, uses: (t: Tensor) => number): Fusion | null {
  const [p, q] = root.inputs as [Tensor, Tensor];
  const mmFirst = producerOf(p);
  const mm = isOp(mmFirst, 'matmul') ? mmFirst : producerOf(q);
  if (!isOp(mm, 'matmul') || uses(mm.output) !== 1) return null;
  const bias = mm === mmFirst ? q : p;
  const [x, w] = mm.inputs as [Tensor, Tensor];
  if (x.rank !== 2 || w.rank !== 2 || bias.rank > 2 || !sameList(root.output.shape, mm.output.shape)) return null;
  const { a, b } = mm.attrs as { a: boolean; b: boolean };
  return {
    root,
    interior: [mm],
    emit: (c) => c.node('Gemm', [c.name(x), c.name(w), c.name(bias)], { transA: int(a ? 1 : 0), transB: int(b ? 1 : 0) }),
  };
}

/** Whether t is `mul(x, c)` (or `mul(c, x)`) with the scalar constant c, returning that node. */
function scaled(t: Tensor, c: number): Node | null {
  const n = producerOf(t);
  if (!isOp(n, 'mul')) return null;
  const [a, b] = n.inputs as [Tensor, Tensor];
  return scalarLeaf(b) === c || scalarLeaf(a) === c ? n : null;
}
const scaledInput = (n: Node): Tensor => (scalarLeaf(n.inputs![1]!) !== null ? n.inputs![0]! : n.inputs![1]!);

/**
 * gelu: mul(mul(x, ½), add(erf(mul(x, 1/√2)), 1)) → Gelu(x) (opset 20); the tanh form
 * mul(mul(x, ½), add(tanh(mul(add(c, mul(c·c·c, 0.044715)), √(2/π))), 1)) with c = clamp(x, −10, 10)
 * → Gelu(x, approximate = 'tanh') (deltagraph's clamp changes no value: the tanh is ±1 there).
 */
function gelu(root: Node, uses: (t: Tensor) => number): Fusion | null {
  const half = scaled(root.inputs![0]!, 0.5);
  const plus = producerOf(root.inputs![1]);
  if (half === null || !isOp(plus, 'add') || scalarLeaf(plus.inputs![1]!) !== 1) return null;
  const x = scaledInput(half);
  const f = producerOf(plus.inputs![0]);
  const inside = (nodes: Node[]) => (nodes.every((n) => uses(n.output) === 1) ? nodes : null);
  if (f !== null && f.op.name === 'erf' && f.inputs !== null) {
    const s = scaled(f.inputs[0]!, Math.SQRT1_2);
    if (s === null || scaledInput(s) !== x) return null;
    const interior = inside([half, plus, f, s]);
    return interior === null ? null : { root, interior, emit: (c) => c.node('Gelu', [c.name(x)]) };
  }
  if (!isOp(f, 'tanh')) return null;
  const outer = scaled(f.inputs![0]!, 0.7978845608028654);
  if (outer === null) return null;
  const sum = producerOf(scaledInput(outer));
  if (!isOp(sum, 'add')) return null;
  const clamp = producerOf(sum.inputs![0]);
  const cubic = scaled(sum.inputs![1]!, 0.044715);
  if (!isOp(clamp, 'clamp') || cubic === null || clamp.inputs![0] !== x) return null;
  const { lo, hi } = clamp.attrs as { lo: number; hi: number };
  const cx = clamp.output;
  const c3 = producerOf(scaledInput(cubic));
  if (lo !== -10 || hi !== 10 || !isOp(c3, 'mul') || c3.inputs![1] !== cx) return null;
  const c2 = producerOf(c3.inputs![0]);
  if (!isOp(c2, 'mul') || c2.inputs![0] !== cx || c2.inputs![1] !== cx) return null;
  const interior = [half, plus, f, outer, sum, cubic, c3, c2];
  if (interior.some((n) => uses(n.output) !== 1) || uses(cx) !== 4) return null;
  return { root, interior: [...interior, clamp], emit: (c) => c.node('Gelu', [c.name(x)], { approximate: text('tanh') }) };
}

/**
 * The fusions of a graph (nodes in creation order; `outputs` the graph's outputs), by root:
 * convolutions, average pooling and linear layers (Gemm) always, LayerNormalization at opset ≥ 17 and Gelu at opset ≥ 20
 * in float32 (in float64 the formula is kept: it is deltagraph's own arithmetic, to
 * the last bit, and ONNX Runtime's double LayerNormalization differs from it by up to 6e-12).
 */
export function findFusions(nodes: readonly Node[], outputs: readonly Tensor[], opset: number, dtype: 'float32' | 'float64'): Map<Node, Fusion> {
  const count = new Map<Tensor, number>();
  const readers = new Map<Tensor, Node[]>();
  for (const n of nodes) {
    for (const t of n.inputs!) {
      count.set(t, (count.get(t) ?? 0) + 1);
      const list = readers.get(t);
      if (list === undefined) readers.set(t, [n]);
      else if (!list.includes(n)) list.push(n);
    }
  }
  for (const t of outputs) count.set(t, (count.get(t) ?? 0) + 1);
  const uses = (t: Tensor) => count.get(t) ?? 0;
  const consumers = (t: Tensor) => readers.get(t) ?? [];
  const found = new Map<Node, Fusion>();
  const claimed = new Set<Node>();
  const take = (f: Fusion | null) => {
    if (f === null || claimed.has(f.root) || f.interior.some((n) => claimed.has(n))) return;
    found.set(f.root, f);
    claimed.add(f.root);
    for (const n of f.interior) claimed.add(n);
  };
  // Later roots first: a pattern ends at its root, and the inner nodes come before it.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (claimed.has(n)) continue;
    if (n.op.name === 'reshape') take(conv(n, uses) ?? groupedConv(n, uses) ?? avgPool(n, uses, opset));
    else if (n.op.name === 'fold') take(convTranspose(n, uses));
    else if (n.op.name === 'add') take(gemm(n, uses));
  }
  if (opset >= 17 && dtype === 'float32') {
    for (const n of nodes) if (!claimed.has(n) && n.op.name === 'div') take(layerNorm(n, uses, consumers));
  }
  if (opset >= 20 && dtype === 'float32') {
    for (let i = nodes.length - 1; i >= 0; i--) if (!claimed.has(nodes[i]!) && nodes[i]!.op.name === 'mul') take(gelu(nodes[i]!, uses));
  }
  return found;
}
