import { ArgumentError, Tensor, TensorLike, describe, fmtShape, sizeOf } from '../../lib';
import { asTensor, axesOf, boolOf } from '../args';
import { sub } from '../sub';
import { sum, pickAxes } from '../sum';
import { mean } from '../mean';
import { div } from '../div';
import { square } from '../activations/square';
import { Domain } from '../domain';

export interface VarianceOptions {
  /**
   * The count is reduced by this much in the divisor: 0 (the default here) gives the biased
   * (population) variance, 1 Bessel's unbiased estimate. torch.var's default is 1: pass
   * { correction: 1 } for it.
   */
  correction?: number;
}

/** The checked arguments of variance and std: the axes, keepDims, and the divisor N − correction. */
export function varianceArgs(
  op: string,
  t: Tensor,
  axes: unknown,
  keepDims: unknown,
  options: unknown,
): { axes: number[]; keep: boolean; divisor: number } {
  const list = axesOf(op, t, axes);
  const keep = boolOf(op, 'keepDims', keepDims, false);
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ArgumentError(`${op}: options must be an object such as { correction: 1 }, got ${describe(options)}`);
  }
  const correction: unknown = (options as VarianceOptions | undefined)?.correction ?? 0;
  if (typeof correction !== 'number' || !Number.isFinite(correction)) {
    throw new ArgumentError(`${op}: correction must be a finite number (0 biased, 1 unbiased), got ${describe(correction)}`);
  }
  const count = sizeOf(list.map((a) => t.shape[a]!));
  if (count - correction <= 0) {
    // torch returns NaN or ±inf here with a warning; a silent NaN is worse than an error.
    throw new ArgumentError(
      `${op}: reducing axes ${fmtShape(list)} of a tensor of shape ${fmtShape(t.shape)} takes N = ${count} elements, ` +
        `and correction ${correction} leaves N − correction = ${count - correction}; expected N − correction > 0`,
    );
  }
  return { axes: list, keep, divisor: count - correction };
}

/**
 * y = Σ_axes (x − mean_axes x)² / (N − correction), N the number of elements reduced (torch.var
 * with correction; default 0 here). A composite: its gradient 2 g ⊙ (x − mean x) / (N − correction)
 * comes from mean, sub, square, sum and div.
 */
export function variance(
  x: TensorLike,
  axes?: number | readonly number[],
  keepDims = false,
  options?: VarianceOptions,
): Tensor {
  const t = asTensor('variance', x);
  const { axes: list, keep, divisor } = varianceArgs('variance', t, axes, keepDims, options);
  return div(sum(square(sub(t, mean(t, list, true))), list, keep), divisor);
}

/** Picks axes, keepDims and a correction that leaves at least one degree of freedom. */
export function pickVarianceCall(x: Tensor, pick: { int(lo: number, hi: number): number }): [number[] | undefined, boolean, VarianceOptions | undefined] {
  const [axes, keep] = pickAxes(x, pick);
  const count = axes === undefined ? x.size : sizeOf(axes.map((a) => x.shape[a]!));
  const c = pick.int(0, 2);
  return [axes, keep, c === 0 ? undefined : { correction: count > 1 ? c - 1 : 0 }];
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => variance(x!, ...pickVarianceCall(x!, pick)),
};
