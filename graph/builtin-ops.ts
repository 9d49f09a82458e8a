/**
 * The two operations the engine itself needs, so that graph/ never imports ops/:
 * accumulation of gradients that arrive over several paths, and identity (a fresh edge for a
 * tensor that is already in a graph, used by the transforms).
 */
import { ShapeError, Tensor, fmtShape, kernels, sameShape } from '../lib';
import { defineOp } from './define-op';

/** c = a + b for equal shapes.  ā = g,  b̄ = g */
export const accumulate = defineOp<undefined>({
  name: 'accumulate',
  forward: ([a, b]) => {
    if (!sameShape(a!.shape, b!.shape)) {
      throw new ShapeError(`accumulate: gradients of shapes ${fmtShape(a!.shape)} and ${fmtShape(b!.shape)} cannot be summed`);
    }
    return kernels.add(a!, b!);
  },
  vjp: (g) => [g, g],
});

/** y = x.  x̄ = g */
export const identity = defineOp<undefined>({
  name: 'identity',
  forward: ([x]) => new Tensor(x!.data, x!.shape),
  vjp: (g) => [g],
});
