import { ArgumentError, Tensor, TensorLike, describe } from '../../lib';
import { asTensor } from '../args';
import { add } from '../add';
import { mul } from '../mul';
import { tanh } from '../tanh';
import { clamp } from './clamp';
import { erf } from './erf';
import { Domain } from '../domain';

export interface GeluOptions {
  /** 'none' (default): the exact x Φ(x); 'tanh': PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = 0.7978845608028654; // √(2/π)

/**
 * y = x Φ(x) = x/2 (1 + erf(x/√2)) (F.gelu); with { approximate: 'tanh' },
 * y = x/2 (1 + tanh(√(2/π)(x + 0.044715x³))). A composite: its gradient comes from erf (or tanh),
 * mul and add; the exact one is g ⊙ (Φ(x) + x φ(x)). In the tanh form the cubic is evaluated on x
 * clamped to [−10, 10], where the tanh is already ±1 to the last bit: the same values, and no x³
 * overflow (whose gradient would be 0 · ∞ = NaN at |x| ≥ 1e103), so ±1e300 gives gradients 1 and 0.
 */
export function gelu(x: TensorLike, options?: GeluOptions): Tensor {
  const t = asTensor('gelu', x);
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new ArgumentError(`gelu: options must be an object such as { approximate: 'tanh' }, got ${describe(options)}`);
  }
  const approximate: unknown = options?.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ArgumentError(`gelu: approximate must be 'none' or 'tanh', got ${describe(approximate)}`);
  }
  const half = mul(t, 0.5);
  if (approximate === 'none') return mul(half, add(erf(mul(t, SQRT1_2)), 1));
  const c = clamp(t, -10, 10);
  const inner = mul(add(c, mul(mul(mul(c, c), c), 0.044715)), SQRT_2_OVER_PI);
  return mul(half, add(tanh(inner), 1));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -4, max: 4 },
  call: ([x], pick) => gelu(x!, pick.int(0, 1) === 0 ? undefined : { approximate: 'tanh' }),
};
