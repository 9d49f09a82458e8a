import { ArgumentError, Tensor, TensorLike, describe, kernels } from '../../lib';
import { maskOf } from '../batching/rules';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { mul } from '../mul';
import { Domain } from '../domain';

interface ClampAttrs {
  lo: number;
  hi: number;
}

/**
 * y = min(max(x, min), max) (torch.clamp; all values become max when min > max).
 * x̄ = g ⊙ [min ≤ x ≤ max] (PyTorch's clamp_backward: the gradient passes at x = min and x = max, and is 0 everywhere when min > max)
 */
const op = defineOp<ClampAttrs>({
  name: 'clamp',
  forward: ([x], { lo, hi }) => kernels.clamp(x!, lo, hi),
  vjp: (g, { inputs: [x], attrs: { lo, hi } }) => [mul(g, maskOf(x!, (t) => kernels.clampMask(t, lo, hi)))],
});

function boundOf(name: 'min' | 'max', value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new ArgumentError(`clamp: ${name} must be a number (±Infinity allowed) or undefined, got ${describe(value)}`);
  }
  return value;
}

/** Clamps x into [min, max]; either bound may be left out (undefined or null), not both. */
export function clamp(x: TensorLike, min?: number | null, max?: number | null): Tensor {
  const t = asTensor('clamp', x);
  const lo = boundOf('min', min);
  const hi = boundOf('max', max);
  if (lo === undefined && hi === undefined) {
    throw new ArgumentError(`clamp: at least one of min and max must be a number, got ${describe(min)} and ${describe(max)}`);
  }
  return op.apply([t], { lo: lo ?? -Infinity, hi: hi ?? Infinity });
}

/** Bounds drawn from a few pairs (min > max included), with the values kept 0.1 away from each bound. */
const BOUNDS: ReadonlyArray<readonly [number | undefined, number | undefined]> = [
  [-1, 1],
  [-1, undefined],
  [undefined, 1],
  [1, -1],
  [-2, 2],
];

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3, avoid: [-2, -1, 1, 2], margin: 0.1 },
  call: ([x], pick) => clamp(x!, ...BOUNDS[pick.int(0, BOUNDS.length - 1)]!),
};
