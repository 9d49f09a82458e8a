/**
 * maxPool2d (as F.max_pool2d): y [N, C, Ho, Wo] for x [N, C, H, W], each output the maximum of
 * its kernel window (padding counts as −∞):
 *   y[n, c, p, q] = max_{i, j} x[n, c, p·sH − pH + i·dH, q·sW − pW + j·dW]
 *   x̄ = g routed to each window's first maximum (row-major order within the window, as PyTorch),
 * summed where windows overlap. The route is a constant, so the second derivative is 0.
 */
import { ArgumentError, Tensor, TensorLike, kernels } from '../../lib';
import { batchedAsN } from '../batching/rules';
import { asTensor } from '../args';
import { Domain } from '../domain';
import { Pair, WindowOptions, optionsOf, pairOf, rankOf, windowOnImage } from './geometry';
import { gatherAt } from './gather-at';

/**
 * y[n, c, p, q] = max_{i, j} x[n, c, p·sH − pH + i·dH, q·sW − pW + j·dW] (padding is −∞): gatherAt of
 * each window's first maximum, so the gradient goes there (ties are not shared, as PyTorch's
 * max_pool2d, unlike the max reduction), summed where windows overlap.
 */
export function maxPool2d(x: TensorLike, kernel: Pair, options: WindowOptions = {}): Tensor {
  const op = 'maxPool2d';
  const input = rankOf(op, 'x', asTensor(op, x, 'x'), 4, '[N, C, H, W]');
  // Inside vmap: the batch joins N, for one pooling of the whole batch.
  const batched = batchedAsN(op, input, (xs) => maxPool2d(xs, kernel, options));
  if (batched !== null) return batched;
  const size = pairOf(op, 'kernel', kernel, [1, 1], 1);
  const { window, outH, outW } = windowOnImage(op, input, size, optionsOf(op, options), size);
  if (2 * window.pH > window.kH || 2 * window.pW > window.kW) {
    throw new ArgumentError(`${op}: padding ${window.pH}×${window.pW} must be at most half the kernel ${window.kH}×${window.kW}, so that every window holds an element of x`);
  }
  const { argmax } = kernels.maxPool(input, window, outH, outW);
  return gatherAt(input, argmax, [input.shape[0]!, input.shape[1]!, outH, outW]);
}

export const domain: Domain = {
  arity: 1,
  shapes: { oneOf: [[[1, 1, 4, 4]], [[2, 2, 4, 3]], [[1, 3, 5, 5]]] },
  values: { min: -3, max: 3 },
  distinct: true,
  call: ([x], pick) => {
    const k = pick.int(2, 3);
    return maxPool2d(x!, k, { stride: pick.int(1, 2), padding: pick.int(0, 1) });
  },
};
