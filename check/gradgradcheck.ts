/**
 * gradgradcheck: the second-order check. For a fixed random cotangent v, h(x…, v) = [vᵀ ∂f/∂xᵢ]ᵢ
 * (flattened and joined) is itself computed by a recorded backward pass; gradcheck then compares
 * h's gradients — with respect to the inputs and to v — with central differences of h.
 */
import { ArgumentError, Tensor, rng, within } from '../lib';
import { noGrad, vjp } from '../graph';
import { concat, reshape } from '../ops';
import { TensorFn } from './finite-differences';
import { GradcheckOptions, GradcheckResult, callChecked, checkedArguments, gradcheck } from './gradcheck';

export function gradgradcheck(f: TensorFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const checked = checkedArguments('gradgradcheck', f, inputs, options);
  const random = rng(checked.options.seed + 1);
  const n = inputs.length;
  const wrt = checked.options.wrt;
  if (wrt.length === 0) throw new ArgumentError('gradgradcheck: no input to differentiate (inputs or wrt is empty); the second-order check needs at least one');
  const outShape = noGrad(() => callChecked('gradgradcheck', f, checked.options.name ?? (f.name || 'f'), inputs)).shape;
  const v = new Tensor(Float64Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, () => random.normal()), outShape);
  const name = `${checked.options.name ?? (f.name || 'f')}′′`;
  const h = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, n);
    const [, pullback] = vjp((...ys: Tensor[]) => f(...ys), ...xs);
    const grads = pullback(args[n]!);
    return concat(wrt.map((i) => reshape(grads[i]!, [-1])));
  };
  return within('gradgradcheck', null, () => gradcheck(h, [...inputs, v], { ...options, name, wrt: [...wrt, n] }));
}
