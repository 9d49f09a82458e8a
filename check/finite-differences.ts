/**
 * Central differences in float64: ∂f_j/∂x_i ≈ (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε. Truncation error
 * O(ε²), rounding error O(δ/ε): ε = 1e-6 balances the two near 1e-10 for values of order one.
 */
import { ArgumentError, Tensor, describe, isCallable } from '../lib';
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

/** Checks the arguments shared by the two difference quotients. */
function checkArguments(who: string, f: unknown, inputs: unknown, eps: unknown): void {
  if (!isCallable(f)) throw new ArgumentError(`${who}: f must be a function of tensors returning a tensor, got ${describe(f)}`);
  if (!Array.isArray(inputs)) throw new ArgumentError(`${who}: inputs must be an array of tensors, got ${describe(inputs)}`);
  for (let i = 0; i < inputs.length; i++) {
    if (!(inputs[i] instanceof Tensor)) throw new ArgumentError(`${who}: inputs[${i}] must be a tensor, got ${describe(inputs[i])}`);
  }
  if (typeof eps !== 'number' || !Number.isFinite(eps) || !(eps > 0)) throw new ArgumentError(`${who}: eps must be a finite number > 0, got ${describe(eps)}`);
}

/** f's value, which must be a tensor. */
function valueOf(who: string, f: TensorFn, args: Tensor[]): Float64Array {
  const out: unknown = f(...args);
  if (!(out instanceof Tensor)) throw new ArgumentError(`${who}: f returned ${describe(out)}, expected a tensor`);
  return out.data;
}

/** The numerical Jacobian of f with respect to input `which`: J[i * m + j] = ∂f_j/∂x_i (denominator layout). */
export function numericJacobian(f: TensorFn, inputs: readonly Tensor[], which: number, eps: number): Float64Array {
  checkArguments('numericJacobian', f, inputs, eps);
  if (typeof which !== 'number' || !Number.isInteger(which) || which < 0 || which >= inputs.length) {
    throw new ArgumentError(`numericJacobian: which must be an input index in 0 … ${inputs.length - 1}, got ${describe(which)}`);
  }
  return noGrad(() => {
    const n = inputs[which]!.size;
    let J: Float64Array | null = null;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const plus = valueOf('numericJacobian', f, shifted(inputs, which, eps, i));
      const minus = valueOf('numericJacobian', f, shifted(inputs, which, -eps, i));
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
  checkArguments('numericDirectional', f, inputs, eps);
  if (!Array.isArray(directions)) throw new ArgumentError(`numericDirectional: directions must be an array (one per input), got ${describe(directions)}`);
  inputs.forEach((x, k) => {
    const u: unknown = directions[k];
    if (u !== null && u !== undefined && !(u instanceof Float64Array && u.length === x.size)) {
      throw new ArgumentError(`numericDirectional: directions[${k}] must be null or a Float64Array of ${x.size} values (input ${k}'s size), got ${describe(u)}`);
    }
  });
  return noGrad(() => {
    const move = (sign: number): Tensor[] =>
      inputs.map((x, k) => {
        const u = directions[k];
        if (!u) return x;
        const data = x.data.slice();
        for (let i = 0; i < data.length; i++) data[i] = data[i]! + sign * eps * u[i]!;
        return new Tensor(data, x.shape);
      });
    const plus = valueOf('numericDirectional', f, move(1));
    const minus = valueOf('numericDirectional', f, move(-1));
    const out = new Float64Array(plus.length);
    for (let j = 0; j < out.length; j++) out[j] = (plus[j]! - minus[j]!) / (2 * eps);
    return out;
  });
}

export { shifted };
