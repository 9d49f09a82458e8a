/**
 * conv2d (as F.conv2d, without bias): y [N, O, Ho, Wo] for x [N, C, H, W] and w [O, C/g, kH, kW],
 *   y[n, o, p, q] = Σ_{c in o's group, i, j} w[o, c, i, j] · x[n, c, p·sH − pH + i·dH, q·sW − pW + j·dW]
 * with g groups of C/g input and O/g output channels. Computed as matrix products on the gemm
 * kernels — with one group, unfold(x) [N·L, C·kH·kW] · Wᵀ for the whole batch at once; with
 * several, w [g, O/g, C/g·kH·kW] · unfold(x) [N, g, C/g·kH·kW, L] — so the gradients come from the
 * VJPs of matmul, transpose and unfold: w̄ = ḡᵀ · cols, x̄ = fold(ḡ · W).
 */
import { ArgumentError, ShapeError, Tensor, TensorLike, describe, fmtShape } from '../../lib';
import { asTensor } from '../args';
import { Domain } from '../domain';
import { matmul } from '../matmul';
import { reshape } from '../reshape';
import { mT, transpose } from '../transpose';
import { WindowOptions, optionsOf, rankOf, windowOn } from './geometry';
import { unfoldWindows } from './unfold';

export interface ConvOptions extends WindowOptions {
  /** Input and output channels split into this many independent groups (default 1). */
  groups?: number;
}

/** The number of groups: a positive integer that divides both channel counts. */
export function groupsOf(op: string, value: unknown, inChannels: number, outChannels: number): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new ArgumentError(`${op}: groups must be an integer ≥ 1, got ${describe(value)}`);
  if (inChannels % value !== 0 || outChannels % value !== 0) {
    throw new ShapeError(`${op}: groups ${value} must divide both the ${inChannels} input and the ${outChannels} output channels`);
  }
  return value;
}

/**
 * y[n, o, p, q] = Σ_{c ∈ group(o), i, j} w[o, c, i, j] · x[n, c, p·sH − pH + i·dH, q·sW − pW + j·dW]
 * for x [N, C, H, W], w [O, C/groups, kH, kW] (cross-correlation, as PyTorch): y = w · unfold(x).
 */
export function conv2d(x: TensorLike, w: TensorLike, options: ConvOptions = {}): Tensor {
  const op = 'conv2d';
  const input = rankOf(op, 'x', asTensor(op, x, 'x'), 4, '[N, C, H, W]');
  const weight = rankOf(op, 'w', asTensor(op, w, 'w'), 4, '[O, C/groups, kH, kW]');
  return convolve(op, input, weight, optionsOf(op, options), input.shape, weight.shape);
}

/**
 * conv2d of checked rank-4 tensors, naming `op` in messages and showing the caller's own shapes
 * (conv1d passes its rank-3 ones).
 */
export function convolve(op: string, input: Tensor, weight: Tensor, o: Record<string, unknown>, xShape: readonly number[], wShape: readonly number[]): Tensor {
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const [O, Cg, kH, kW] = weight.shape as [number, number, number, number];
  const g = groupsOf(op, o.groups, C, O);
  if (Cg * g !== C) {
    throw new ShapeError(`${op}: w of shape ${fmtShape(wShape)} has ${Cg} input channels per group, but x of shape ${fmtShape(xShape)} has ${C} channels in ${g} group${g === 1 ? '' : 's'}: expected w.shape[1] = ${C / g}`);
  }
  const { window, outH, outW } = windowOn(op, H, W, xShape, [kH, kW], o, [1, 1]);
  const taps = Cg * kH * kW;
  const L = outH * outW;
  if (g === 1) {
    // One product [N·L, C·kH·kW] · Wᵀ for the whole batch: large enough to use every thread.
    const rows = unfoldWindows(input, { window, outH, outW, padValue: 0, positionsFirst: true });
    const y = matmul(rows, mT(reshape(weight, [O, taps])));
    return reshape(transpose(reshape(y, [N, L, O]), [0, 2, 1]), [N, O, outH, outW]);
  }
  const cols = unfoldWindows(input, { window, outH, outW, padValue: 0 });
  const y = matmul(reshape(weight, [g, O / g, taps]), reshape(cols, [N, g, taps, L]));
  return reshape(y, [N, O, outH, outW]);
}

/** Input and kernel shapes the gradient checks draw from (groups follow from them: C / w.shape[1]). */
export const CONV_SHAPES: number[][][] = [
  [[1, 1, 4, 4], [1, 1, 2, 2]],
  [[2, 2, 4, 3], [3, 2, 2, 2]],
  [[1, 4, 3, 4], [2, 2, 2, 1]],
  [[1, 2, 5, 5], [2, 1, 3, 3]],
];

export const domain: Domain = {
  arity: 2,
  shapes: { oneOf: CONV_SHAPES },
  values: { min: -2, max: 2 },
  call: ([x, w], pick) => conv2d(x!, w!, {
    groups: x!.shape[1]! / w!.shape[1]!,
    stride: [pick.int(1, 2), pick.int(1, 2)],
    padding: [pick.int(0, 1), pick.int(0, 1)],
    dilation: pick.int(0, 3) === 0 ? 2 : 1,
  }),
};
