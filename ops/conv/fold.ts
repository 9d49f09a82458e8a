/**
 * fold (as F.fold, col2im): columns of sliding windows back into an image, summing where windows
 * overlap — the transpose of unfold, and with it the input gradient of a convolution.
 */
import { ShapeError, Tensor, TensorLike, checkShape, fmtShape, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { Domain } from '../domain';
import { Pair, WindowOptions, optionsOf, pairOf, rankOf, windowOn } from './geometry';
import { unfoldWindows } from './unfold';

export interface FoldAttrs {
  window: kernels.Window2d;
  outH: number;
  outW: number;
  channels: number;
  height: number;
  width: number;
  /** The columns are laid out [N·L, C·kH·kW] (see unfold). */
  positionsFirst?: boolean;
}

/**
 * y [N, C, H, W], y[n, c, h, w] = Σ of x[n, (c·kH + i)·kW + j, l] over the window positions l and
 * taps (i, j) that cover (h, w), for x [N, C·kH·kW, L].  x̄ = unfold(g)
 */
const op = defineOp<FoldAttrs>({
  name: 'fold',
  forward: ([x], { window, outH, outW, channels, height, width, positionsFirst }) => kernels.col2im(x!, channels, height, width, window, outH, outW, positionsFirst),
  vjp: (g, { attrs: { window, outH, outW, positionsFirst } }) => [unfoldWindows(g, { window, outH, outW, padValue: 0, positionsFirst })],
});

/** fold with its window already worked out (for transposed convolutions and unfold's VJP). */
export function foldWindows(x: Tensor, attrs: FoldAttrs): Tensor {
  return op.apply([x], attrs);
}

/** Sums columns x [N, C·kH·kW, L] of kernelSize windows into an image [N, C, ...outputSize]. */
export function fold(x: TensorLike, outputSize: Pair, kernelSize: Pair, options: WindowOptions = {}): Tensor {
  const t = rankOf('fold', 'x', asTensor('fold', x), 3, '[N, C·kH·kW, L]');
  const [height, width] = pairOf('fold', 'outputSize', outputSize, [1, 1], 1);
  const kernel = pairOf('fold', 'kernelSize', kernelSize, [1, 1], 1);
  const [N, rows, L] = t.shape as [number, number, number];
  const { window, outH, outW } = windowOn('fold', height, width, [height, width], kernel, optionsOf('fold', options), [1, 1]);
  const taps = kernel[0] * kernel[1];
  if (rows % taps !== 0 || L !== outH * outW) {
    throw new ShapeError(
      `fold: x of shape ${fmtShape(t.shape)} does not hold ${kernel[0]}×${kernel[1]} windows of a ${height}×${width} output: ` +
        `expected [N, C·${taps}, ${outH * outW}] (${outH}×${outW} window positions)`,
    );
  }
  checkShape('fold', [N, rows / taps, height, width]);
  return foldWindows(t, { window, outH, outW, channels: rows / taps, height, width });
}

// Columns of 2×2 windows at stride 1 on a 3×3 image (L = 4), of 1×2 windows at stride 2 on a 2×4 one
// (L = 2, two channels), and of 3×3 windows with padding 1 on a 2×2 one (L = 4).
const CASES: Array<{ shape: number[]; output: [number, number]; kernel: [number, number]; stride: number; padding: number }> = [
  { shape: [1, 4, 4], output: [3, 3], kernel: [2, 2], stride: 1, padding: 0 },
  { shape: [2, 4, 2], output: [2, 4], kernel: [1, 2], stride: 2, padding: 0 },
  { shape: [1, 18, 4], output: [2, 2], kernel: [3, 3], stride: 1, padding: 1 },
];

export const domain: Domain = {
  arity: 1,
  shapes: { oneOf: CASES.map((c) => [c.shape]) },
  values: { min: -3, max: 3 },
  call: ([x]) => {
    const c = CASES.find((k) => k.shape.every((d, i) => d === x!.shape[i]))!;
    return fold(x!, c.output, c.kernel, { stride: c.stride, padding: c.padding });
  },
};
