/**
 * gradgradcheck: the second-order check. For a fixed random cotangent v, h(x…, v) = [vᵀ ∂f/∂xᵢ]ᵢ
 * (flattened and joined) is itself computed by a recorded backward pass; gradcheck then compares
 * h's gradients — with respect to the inputs and to v — with central differences of h.
 */
import { Tensor, rng } from '../lib';
import { noGrad, vjp } from '../graph';
import { concat, reshape } from '../ops';
import { TensorFn } from './finite-differences';
import { GradcheckOptions, GradcheckResult, gradcheck } from './gradcheck';

export function gradgradcheck(f: TensorFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const random = rng((options.seed ?? 0) + 1);
  const n = inputs.length;
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  const outShape = noGrad(() => f(...inputs)).shape;
  const v = new Tensor(Float64Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => random.normal()), outShape);
  const name = `${options.name ?? (f.name || 'f')}′′`;
  const h = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, n);
    const [, pullback] = vjp((...ys: Tensor[]) => f(...ys), ...xs);
    const grads = pullback(args[n]!);
    return concat(wrt.map((i) => reshape(grads[i]!, [-1])));
  };
  return gradcheck(h, [...inputs, v], { ...options, name, wrt: [...wrt, n] });
}
