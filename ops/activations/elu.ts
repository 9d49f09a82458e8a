import { Tensor, TensorLike, kernels } from '../../lib';
import { maskOf } from '../batching/rules';
import { defineOp } from '../../graph';
import { asTensor, numberOf } from '../args';
import { add } from '../add';
import { mul } from '../mul';
import { where } from '../where';
import { Domain } from '../domain';

/**
 * y = x for x > 0, α(eˣ − 1) otherwise.
 * x̄ = g for x > 0, g ⊙ (y + α) = g ⊙ αeˣ otherwise (elu′(±0) = α, as PyTorch's)
 */
const op = defineOp<number>({
  name: 'elu',
  forward: ([x], alpha) => kernels.elu(x!, alpha),
  // y + α rather than αeˣ: no overflow of eˣ for large positive x, whose branch is masked out.
  vjp: (g, { inputs: [x], output, attrs: alpha }) => [where(maskOf(x!, kernels.positiveMask), g, mul(g, add(output, alpha)))],
});

/** The exponential linear unit (F.elu) with slope scale `alpha` (default 1, any finite number). */
export function elu(x: TensorLike, alpha = 1): Tensor {
  const t = asTensor('elu', x);
  return op.apply([t], numberOf('elu', 'alpha', alpha, 1));
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3, avoid: [0], margin: 0.05 },
  call: ([x], pick) => elu(x!, [1, 0.5, 2, -0.3][pick.int(0, 3)]),
};
