/**
 * The arguments that convolutions, pooling and unfold share: a size, stride, padding and dilation
 * per spatial axis, each a number or an [h, w] pair, checked and turned into a Window2d.
 */
import { ArgumentError, ShapeError, Tensor, describe, fmtShape, kernels } from '../../lib';

export type Pair = number | readonly [number, number];

/** Window options as the functional API takes them. */
export interface WindowOptions {
  /** Step between windows (default 1; for pooling, the kernel size). */
  stride?: Pair;
  /** Zeros (for pooling: −∞) added on both sides of each spatial axis (default 0). */
  padding?: Pair;
  /** Spacing between the kernel's taps (default 1). */
  dilation?: Pair;
}

/** A number or [h, w] pair of integers ≥ min, as [h, w]. */
export function pairOf(op: string, name: string, value: unknown, fallback: readonly [number, number], min: number): [number, number] {
  if (value === undefined) return [fallback[0], fallback[1]];
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min)) {
    throw new ArgumentError(`${op}: ${name} must be an integer ≥ ${min} or a pair [h, w] of them, got ${describe(value)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

/** The options object of a window op (undefined → {}), checked to be a plain object. */
export function optionsOf(op: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new ArgumentError(`${op}: options must be an object such as { stride: 2, padding: 1 }, got ${describe(options)}`);
  return options as Record<string, unknown>;
}

/**
 * The window and its number of positions on an input of spatial size [H, W] (of shape `shape`, for
 * messages), or a ShapeError when no window fits.
 */
export function windowOn(op: string, H: number, W: number, shape: readonly number[], kernel: readonly [number, number], o: Record<string, unknown>, strideDefault: readonly [number, number]): { window: kernels.Window2d; outH: number; outW: number } {
  const [sH, sW] = pairOf(op, 'stride', o.stride, strideDefault, 1);
  const [pH, pW] = pairOf(op, 'padding', o.padding, [0, 0], 0);
  const [dH, dW] = pairOf(op, 'dilation', o.dilation, [1, 1], 1);
  const [kH, kW] = kernel;
  const outH = kernels.windowCount(H, kH, sH, pH, dH);
  const outW = kernels.windowCount(W, kW, sW, pW, dW);
  if (outH < 1 || outW < 1) {
    throw new ShapeError(
      `${op}: a ${kH}×${kW} kernel (dilation ${dH}×${dW}) does not fit the input of shape ${fmtShape(shape)} with padding ${pH}×${pW}: ` +
        `the output would be ${outH}×${outW}; expected a kernel no larger than the padded input`,
    );
  }
  return { window: { kH, kW, sH, sW, pH, pW, dH, dW }, outH, outW };
}

/** The window on the last two axes of x. */
export function windowOnImage(op: string, x: Tensor, kernel: readonly [number, number], o: Record<string, unknown>, strideDefault: readonly [number, number]): { window: kernels.Window2d; outH: number; outW: number } {
  return windowOn(op, x.shape[x.rank - 2]!, x.shape[x.rank - 1]!, x.shape, kernel, o, strideDefault);
}

/** x checked to have rank `rank` (naming what its axes are, e.g. '[N, C, H, W]'). */
export function rankOf(op: string, name: string, x: Tensor, rank: number, axes: string): Tensor {
  if (x.rank !== rank) throw new ShapeError(`${op}: ${name} must have rank ${rank} (${axes}), got shape ${fmtShape(x.shape)}`);
  return x;
}
