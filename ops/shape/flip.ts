import { Tensor, TensorLike, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, axesOf } from '../args';
import { Domain } from '../domain';

/** y = x with the order along each of `axes` reversed.  x̄ = flip(g, axes) */
const op = defineOp<readonly number[]>({
  name: 'flip',
  forward: ([x], axes) => kernels.flip(x!, axes),
  vjp: (g, { attrs: axes }) => [flip(g, axes)],
});

/**
 * Reverses x along `axes` (a number or a list, as torch.flip's dims; without axes, along every
 * axis, as np.flip). Repeated axes are an AxisError, as in PyTorch.
 */
export function flip(x: TensorLike, axes?: number | readonly number[]): Tensor {
  const t = asTensor('flip', x);
  return op.apply([t], axesOf('flip', t, axes));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => (pick.int(0, 3) === 0 ? flip(x!) : flip(x!, x!.shape.map((_, k) => k).filter(() => pick.int(0, 1) === 1))),
};
