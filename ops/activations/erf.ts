import { Tensor, TensorLike, kernels } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor } from '../args';
import { mul } from '../mul';
import { exp } from '../exp';
import { neg } from '../neg';
import { square } from './square';
import { Domain } from '../domain';

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π

/** y = erf(x) = 2/√π ∫₀ˣ e^(−t²) dt (fdlibm's algorithm, < 1 ulp).  x̄ = g ⊙ 2/√π e^(−x²) */
const op = defineOp({
  name: 'erf',
  forward: ([x]) => kernels.erf(x!),
  vjp: (g, { inputs: [x] }) => [mul(g, mul(exp(neg(square(x!))), TWO_OVER_SQRT_PI))],
});

/** The error function elementwise (torch.erf). */
export function erf(x: TensorLike): Tensor {
  return op.apply([asTensor('erf', x)], undefined);
}

export const domain: Domain = { arity: 1, shapes: 'any', values: { min: -3, max: 3 } };
