/**
 * avgPool2d (as F.avg_pool2d): y [N, C, Ho, Wo] for x [N, C, H, W], each output the mean of its
 * kernel window:
 *   y[n, c, p, q] = (1/count) Σ_{i, j} x[n, c, p·sH − pH + i·dH, q·sW − pW + j·dW]
 * where count = kH·kW (countIncludePad, the default: padding counts as zeros) or the number of
 * window taps inside x. y = sum over the taps of unfold(x), divided by count: linear, so its
 * gradient x̄ = fold(g / count) comes from unfold's VJP.
 */
import { ArgumentError, Tensor, TensorLike, kernels } from '../../lib';
import { asTensor, boolOf } from '../args';
import { Domain } from '../domain';
import { div } from '../div';
import { reshape } from '../reshape';
import { sum } from '../sum';
import { Pair, WindowOptions, optionsOf, pairOf, rankOf, windowOnImage } from './geometry';
import { unfoldWindows } from './unfold';

export interface AvgPoolOptions extends WindowOptions {
  /** Divide by the whole window, padding included (default true), or by the taps inside x. */
  countIncludePad?: boolean;
}

/**
 * y[n, c, p, q] = (1/count) Σ_{i, j} x[n, c, p·sH − pH + i·dH, q·sW − pW + j·dW], count = kH·kW
 * or the taps inside x (countIncludePad false): the mean over the taps of unfold(x).
 */
export function avgPool2d(x: TensorLike, kernel: Pair, options: AvgPoolOptions = {}): Tensor {
  const op = 'avgPool2d';
  const input = rankOf(op, 'x', asTensor(op, x, 'x'), 4, '[N, C, H, W]');
  const size = pairOf(op, 'kernel', kernel, [1, 1], 1);
  const o = optionsOf(op, options);
  const includePad = boolOf(op, 'countIncludePad', o.countIncludePad, true);
  const { window, outH, outW } = windowOnImage(op, input, size, o, size);
  if (2 * window.pH > window.kH || 2 * window.pW > window.kW) {
    throw new ArgumentError(`${op}: padding ${window.pH}×${window.pW} must be at most half the kernel ${window.kH}×${window.kW}`);
  }
  const [N, C, H, W] = input.shape as [number, number, number, number];
  const taps = window.kH * window.kW;
  const cols = reshape(unfoldWindows(input, { window, outH, outW, padValue: 0 }), [N, C, taps, outH * outW]);
  const total = sum(cols, 2);
  // The divisor: the window size, or per position the taps that fall inside x (a constant).
  const count = includePad
    ? taps
    : kernels.reduce(kernels.im2col(new Tensor(new Float64Array(H * W).fill(1), [1, 1, H, W]), window, outH, outW, 0), [1], 'sum');
  return reshape(div(total, typeof count === 'number' ? count : reshape(count, [outH * outW])), [N, C, outH, outW]);
}

export const domain: Domain = {
  arity: 1,
  shapes: { oneOf: [[[1, 1, 4, 4]], [[2, 2, 4, 3]], [[1, 3, 5, 5]]] },
  values: { min: -3, max: 3 },
  call: ([x], pick) => avgPool2d(x!, pick.int(2, 3), { stride: pick.int(1, 2), padding: pick.int(0, 1), countIncludePad: pick.int(0, 1) === 1 }),
};
