/**
 * Gradient clipping by global norm: when ‖g‖₂ over all parameters exceeds maxNorm, every
 * gradient is scaled by maxNorm / ‖g‖₂. Returns a view; the backward pass's gradients (which may
 * be shared with other tensors' gradients) are left untouched.
 */
import { Tensor } from '../../lib';
import { mul } from '../../ops';
import { noGrad } from '../../graph';
import { GradientSource } from './optimizer';

export function gradNorm(grads: GradientSource, params: readonly Tensor[]): number {
  let sq = 0;
  for (const p of params) for (const v of grads.get(p).data) sq += v * v;
  return Math.sqrt(sq);
}

export function clipGradNorm(grads: GradientSource, params: readonly Tensor[], maxNorm: number): { grads: GradientSource; norm: number } {
  const norm = gradNorm(grads, params);
  if (!(norm > maxNorm)) return { grads, norm };
  const scale = maxNorm / norm;
  return { grads: { get: (t: Tensor) => noGrad(() => mul(grads.get(t), scale)) }, norm };
}
