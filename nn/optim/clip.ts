/**
 * Gradient clipping by global norm: when ‖g‖₂ over all parameters exceeds maxNorm, every
 * gradient is scaled by maxNorm / ‖g‖₂. Returns a view; the backward pass's gradients (which may
 * be shared with other tensors' gradients) are left untouched.
 */
import { ArgumentError, ShapeError, Tensor, describe, fmtShape, sameShape } from '../../lib';
import { mul } from '../../ops';
import { noGrad } from '../../graph';
import { numberIn, tensorsIn } from '../args';
import { GradientSource } from './optimizer';

/** The gradient of each parameter, checked to be a tensor of the parameter's shape. */
function gradientsOf(who: string, grads: unknown, params: unknown): Tensor[] {
  if (typeof (grads as Partial<GradientSource> | null)?.get !== 'function') {
    throw new ArgumentError(`${who}: expected gradients (an object with get(param), such as backward's result), got ${describe(grads)}`);
  }
  return tensorsIn(who, 'params', params).map((p, i) => {
    const g: unknown = (grads as GradientSource).get(p);
    if (!(g instanceof Tensor)) throw new ArgumentError(`${who}: the gradient of params[${i}] must be a tensor, got ${describe(g)}`);
    if (!sameShape(g.shape, p.shape)) {
      throw new ShapeError(`${who}: the gradient of params[${i}] has shape ${fmtShape(g.shape)}, expected the parameter's shape ${fmtShape(p.shape)}`);
    }
    return g;
  });
}

function normOf(gradients: readonly Tensor[]): number {
  let sq = 0;
  for (const g of gradients) for (const v of g.data) sq += v * v;
  return Math.sqrt(sq);
}

export function gradNorm(grads: GradientSource, params: readonly Tensor[]): number {
  return normOf(gradientsOf('gradNorm', grads, params));
}

export function clipGradNorm(grads: GradientSource, params: readonly Tensor[], maxNorm: number): { grads: GradientSource; norm: number } {
  const norm = normOf(gradientsOf('clipGradNorm', grads, params));
  numberIn('clipGradNorm', 'maxNorm', maxNorm, { min: 0, minOpen: true });
  if (!(norm > maxNorm)) return { grads, norm };
  const scale = maxNorm / norm;
  return { grads: { get: (t: Tensor) => noGrad(() => mul(grads.get(t), scale)) }, norm };
}
