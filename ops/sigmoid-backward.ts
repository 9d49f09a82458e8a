import { ShapeError, Tensor, TensorLike, kernels, fmtShape, sameShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { sub } from './sub';
import { Domain } from './domain';

/**
 * z = g ⊙ y ⊙ (1 − y), sigmoid's VJP through its output y, in one loop.  ḡ = sigmoidBackward(z̄, y),  ȳ = z̄ ⊙ g ⊙ (1 − 2y)
 */
const op = defineOp({
  name: 'sigmoidBackward',
  forward: ([g, y]) => kernels.sigmoidBackward(g!, y!),
  vjp: (zbar, { inputs: [g, y], needs }) => [
    needs[0] ? sigmoidBackward(zbar, y!) : null,
    needs[1] ? mul(mul(zbar, g!), sub(1, mul(y!, 2))) : null,
  ],
});

/** The gradient g ⊙ σ′(x) given y = σ(x); g and y must have one shape. */
export function sigmoidBackward(g: TensorLike, y: TensorLike): Tensor {
  const gt = asTensor('sigmoidBackward', g, 'g');
  const yt = asTensor('sigmoidBackward', y, 'y');
  if (!sameShape(gt.shape, yt.shape)) {
    throw new ShapeError(`sigmoidBackward: g ${fmtShape(gt.shape)} and y ${fmtShape(yt.shape)} must have the same shape`);
  }
  return op.apply([gt, yt], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'any', values: [{ min: -3, max: 3 }, { min: 0.02, max: 0.98 }] };
