import { ShapeError, Tensor, TensorLike, kernels, fmtShape, sameShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor } from './args';
import { mul } from './mul';
import { Domain } from './domain';

/** z = g ⊙ (1 − y²), tanh's VJP through its output y, in one loop.  ḡ = tanhBackward(z̄, y),  ȳ = −2 z̄ ⊙ g ⊙ y */
const op = defineOp({
  name: 'tanhBackward',
  forward: ([g, y]) => kernels.tanhBackward(g!, y!),
  vjp: (zbar, { inputs: [g, y], needs }) => [
    needs[0] ? tanhBackward(zbar, y!) : null,
    needs[1] ? mul(mul(zbar, g!), mul(y!, -2)) : null,
  ],
});

/** The gradient g ⊙ tanh′(x) given y = tanh(x); g and y must have one shape. */
export function tanhBackward(g: TensorLike, y: TensorLike): Tensor {
  const gt = asTensor('tanhBackward', g, 'g');
  const yt = asTensor('tanhBackward', y, 'y');
  if (!sameShape(gt.shape, yt.shape)) {
    throw new ShapeError(`tanhBackward: g ${fmtShape(gt.shape)} and y ${fmtShape(yt.shape)} must have the same shape`);
  }
  return op.apply([gt, yt], undefined);
}

export const domain: Domain = { arity: 2, shapes: 'any', values: [{ min: -3, max: 3 }, { min: -0.98, max: 0.98 }] };
