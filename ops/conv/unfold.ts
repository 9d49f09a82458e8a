/**
 * unfold (as F.unfold, im2col): the sliding windows of an image batch as the columns of a matrix,
 * which turns a convolution into one matrix product. Linear in x: its VJP is fold, its transpose,
 * and fold's VJP is unfold again, so second derivatives work.
 */
import { Tensor, TensorLike, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { Domain } from '../domain';
import { foldWindows } from './fold';
import { Pair, WindowOptions, optionsOf, pairOf, rankOf, windowOnImage } from './geometry';

/** The window, its positions, and the value that stands for what lies outside the input. */
export interface UnfoldAttrs {
  window: kernels.Window2d;
  outH: number;
  outW: number;
  padValue: number;
  /** Lay the columns out [N·L, C·kH·kW], one row per window position (kernels.im2col). */
  positionsFirst?: boolean;
}

/**
 * y [N, C·kH·kW, L], y[n, (c·kH + i)·kW + j, oh·Wo + ow] = x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW]
 * for x [N, C, H, W] (0, or −∞ for max pooling, outside x).  x̄ = fold(g): each pixel sums the
 * gradients of every window position that read it
 */
const op = defineOp<UnfoldAttrs>({
  name: 'unfold',
  forward: ([x], { window, outH, outW, padValue, positionsFirst }) => kernels.im2col(x!, window, outH, outW, padValue, positionsFirst),
  vjp: (g, { inputs: [x], attrs: { window, outH, outW, positionsFirst } }) => [
    foldWindows(g, { window, outH, outW, channels: x!.shape[1]!, height: x!.shape[2]!, width: x!.shape[3]!, positionsFirst }),
  ],
});

/** unfold with its window already worked out (for convolutions, pooling and fold's VJP). */
export function unfoldWindows(x: Tensor, attrs: UnfoldAttrs): Tensor {
  return op.apply([x], attrs);
}

/** The sliding kernelSize windows of x [N, C, H, W] as the columns of [N, C·kH·kW, L]. */
export function unfold(x: TensorLike, kernelSize: Pair, options: WindowOptions = {}): Tensor {
  const t = rankOf('unfold', 'x', asTensor('unfold', x), 4, '[N, C, H, W]');
  const kernel = pairOf('unfold', 'kernelSize', kernelSize, [1, 1], 1);
  const { window, outH, outW } = windowOnImage('unfold', t, kernel, optionsOf('unfold', options), [1, 1]);
  return unfoldWindows(t, { window, outH, outW, padValue: 0 });
}

const SHAPES = [[[1, 1, 3, 3]], [[2, 2, 4, 3]], [[1, 3, 5, 5]], [[2, 1, 2, 6]]];

export const domain: Domain = {
  arity: 1,
  shapes: { oneOf: SHAPES },
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const [H, W] = [x!.shape[2]!, x!.shape[3]!];
    const kernel: [number, number] = [pick.int(1, Math.min(3, H)), pick.int(1, Math.min(3, W))];
    return unfold(x!, kernel, { stride: [pick.int(1, 2), pick.int(1, 2)], padding: [pick.int(0, 1), pick.int(0, 1)] });
  },
};
