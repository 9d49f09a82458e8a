/**
 * Central differences in float64: ∂f_j/∂x_i ≈ (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε. Truncation error
 * O(ε²), rounding error O(δ/ε): ε = 1e-6 balances the two near 1e-10 for values of order one.
 */
import { Tensor } from '../lib';
import { noGrad } from '../graph';

export type TensorFn = (...inputs: Tensor[]) => Tensor;

/** Copies of the inputs with input `which` moved by `delta` along `direction` (a tensor like it, or one element). */
function shifted(inputs: readonly Tensor[], which: number, delta: number, element: number | Float64Array): Tensor[] {
  return inputs.map((x, k) => {
    if (k !== which) return x;
    const data = x.data.slice();
    if (typeof element === 'number') data[element] = data[element]! + delta;
    else for (let i = 0; i < data.length; i++) data[i] = data[i]! + delta * element[i]!;
    return new Tensor(data, x.shape);
  });
}

/** The numerical Jacobian of f with respect to input `which`: J[i * m + j] = ∂f_j/∂x_i (denominator layout). */
export function numericJacobian(f: TensorFn, inputs: readonly Tensor[], which: number, eps: number): Float64Array {
  return noGrad(() => {
    const n = inputs[which]!.size;
    let J: Float64Array | null = null;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const plus = f(...shifted(inputs, which, eps, i)).data;
      const minus = f(...shifted(inputs, which, -eps, i)).data;
      if (J === null) {
        m = plus.length;
        J = new Float64Array(n * m);
      }
      for (let j = 0; j < m; j++) J[i * m + j] = (plus[j]! - minus[j]!) / (2 * eps);
    }
    return J ?? new Float64Array(0);
  });
}

/** The numerical directional derivative (f(x + εu) − f(x − εu)) / 2ε, u given per input (null: held fixed). */
export function numericDirectional(f: TensorFn, inputs: readonly Tensor[], directions: readonly (Float64Array | null)[], eps: number): Float64Array {
  return noGrad(() => {
    const move = (sign: number): Tensor[] =>
      inputs.map((x, k) => {
        const u = directions[k];
        if (!u) return x;
        const data = x.data.slice();
        for (let i = 0; i < data.length; i++) data[i] = data[i]! + sign * eps * u[i]!;
        return new Tensor(data, x.shape);
      });
    const plus = f(...move(1)).data;
    const minus = f(...move(-1)).data;
    const out = new Float64Array(plus.length);
    for (let j = 0; j < out.length; j++) out[j] = (plus[j]! - minus[j]!) / (2 * eps);
    return out;
  });
}

export { shifted };
