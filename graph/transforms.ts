/**
 * Function transforms in the style of JAX: grad, valueAndGrad, vjp and jacobian. They nest:
 * an inner transform called on tensors that are themselves being traced records its backward
 * pass (createGraph), so grad(grad(f)) is the second derivative.
 */
import { ArgumentError, GraphError, ShapeError, Tensor, asTensor, checkSize, describe, fmtShape, isCallable, sizeOf, within, zeros } from '../lib';
import { backward } from './backward';
import { identity, stackTrailing } from './builtin-ops';
import { enableGrad, isRecording, withRecording } from './mode';
import { leafOf } from './vmap';

/**
 * Which arguments to differentiate: one index, or an array of indices (then the gradients come as an array in the same order).
 * @inline
 */
export type Argnums = number | readonly number[];

/**
 * How many transforms are running their f right now. A transform called inside another's f
 * records its backward pass, even when its own arguments are constants: f may close over a
 * tensor that the outer transform differentiates.
 */
let activeTraces = 0;

/**
 * A fresh edge for x to differentiate against: a new leaf for a constant, or an identity node
 * when x is already part of an enclosing trace (so the outer transform still sees through it).
 * Inside vmap, the leaf of a batched tensor is batched too.
 */
export function attach(x: Tensor): Tensor {
  return x.requiresGrad && isRecording() ? enableGrad(() => identity.apply([x], undefined)) : leafOf(x);
}

/** Checks, when a transform is made, that f is a function and argnums a number or an array of them. */
export function checkTransform(op: string, f: unknown, argnums: unknown): void {
  if (!isCallable(f)) throw new ArgumentError(`${op}: f must be a function, got ${describe(f)}`);
  if (typeof argnums !== 'number' && !Array.isArray(argnums)) {
    throw new ArgumentError(`${op}: argnums must be an argument index or an array of them, got ${describe(argnums)}`);
  }
}

export function argnumList(op: string, argnums: Argnums, nargs: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : [...argnums];
  for (const i of list) {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= nargs) {
      throw new ArgumentError(`${op}: argnums ${describe(i)} is not the index of one of the ${nargs} arguments, expected 0 … ${nargs - 1}`);
    }
  }
  if (new Set(list).size !== list.length) {
    throw new ArgumentError(`${op}: argnums ${fmtShape(list)} repeat an argument, expected distinct indices`);
  }
  return list;
}

/** Calls f with the chosen arguments replaced by fresh edges; returns the output and those edges. */
export function trace(op: string, f: (...args: any[]) => unknown, argnums: Argnums, args: unknown[]) {
  const which = argnumList(op, argnums, args.length);
  const nested = isRecording() && (activeTraces > 0 || which.some((i) => args[i] instanceof Tensor && (args[i] as Tensor).requiresGrad));
  const callArgs = args.slice();
  const edges = which.map((i) => {
    const edge = attach(asTensor(op, args[i], `argument ${i}`));
    callArgs[i] = edge;
    return edge;
  });
  activeTraces++;
  let out: unknown;
  try {
    out = enableGrad(() => f(...callArgs));
  } finally {
    activeTraces--;
  }
  if (!(out instanceof Tensor)) throw new GraphError(`${op}: f must return a tensor, got ${describe(out)}`);
  asTensor(op, out, "f's result");
  return { out, edges, nested };
}

export function gradientsOf(op: string, out: Tensor, edges: Tensor[], nested: boolean, gradient?: Tensor): Tensor[] {
  if (!out.requiresGrad) return edges.map((e) => zeros(e.shape));
  const g = within(op, null, () => backward(out, { wrt: edges, createGraph: nested, retainGraph: true, gradient }));
  return edges.map((e) => g.get(e));
}

export function checkScalar(op: string, out: Tensor): void {
  if (out.size !== 1) {
    throw new GraphError(`${op}: f must return a scalar (one-element) tensor, got shape ${fmtShape(out.shape)}; reduce it with sum or mean`);
  }
}

/**
 * valueAndGrad(f, argnums)(...args) = [f(...args), ∂f/∂args[argnums]]: gradients shaped like
 * their arguments (an array when argnums is an array). f must return a scalar tensor.
 */
export function valueAndGrad(f: (...args: any[]) => Tensor, argnums: Argnums = 0) {
  return tracedValueAndGrad('valueAndGrad', f, argnums);
}

/** valueAndGrad under the name `op` that its errors carry. */
function tracedValueAndGrad(op: string, f: (...args: any[]) => Tensor, argnums: Argnums) {
  checkTransform(op, f, argnums);
  return (...args: unknown[]): [Tensor, any] => {
    const { out, edges, nested } = trace(op, f, argnums, args);
    checkScalar(op, out);
    const grads = gradientsOf(op, out, edges, nested);
    return [out, typeof argnums === 'number' ? grads[0]! : grads];
  };
}

/** grad(f, argnums)(...args) = ∂f/∂args[argnums], shaped like the arguments. */
export function grad(f: (...args: any[]) => Tensor, argnums: Argnums = 0) {
  const vg = tracedValueAndGrad('grad', f, argnums);
  return (...args: unknown[]): any => vg(...args)[1];
}

/**
 * vjp(f, ...primals) = [f(...primals), pullback], where pullback(v) = [vᵀ ∂f/∂primalᵢ]ᵢ: for
 * each primal a gradient shaped like it. The pullback may be called many times.
 */
export function vjp(f: (...args: any[]) => Tensor, ...primals: unknown[]): [Tensor, (cotangent: unknown) => Tensor[]] {
  if (!isCallable(f)) throw new ArgumentError(`vjp: f must be a function, got ${describe(f)}`);
  const { out, edges, nested } = trace('vjp', f, primals.map((_, i) => i), primals);
  const pullback = (cotangent: unknown): Tensor[] => {
    const v = asTensor('vjp', cotangent, 'cotangent');
    if (v.shape.length !== out.shape.length || v.shape.some((d, i) => d !== out.shape[i])) {
      throw new ShapeError(`vjp: the cotangent must have the output's shape ${fmtShape(out.shape)}, got ${fmtShape(v.shape)}`);
    }
    return gradientsOf('vjp', out, edges, nested, v);
  };
  return [out, pullback];
}

/**
 * jacobian(f, argnum)(...args): J with shape [...x.shape, ...f(x).shape] (denominator layout,
 * J[i…, j…] = ∂f_j/∂x_i), assembled from one pullback per output element. Inside another
 * transform the columns are stacked by a recorded op, so J is itself differentiable.
 */
export function jacobian(f: (...args: any[]) => Tensor, argnum = 0) {
  if (!isCallable(f)) throw new ArgumentError(`jacobian: f must be a function, got ${describe(f)}`);
  if (typeof argnum !== 'number') throw new ArgumentError(`jacobian: argnum must be one argument index, got ${describe(argnum)}`);
  return (...args: unknown[]): Tensor => {
    const { out, edges, nested } = trace('jacobian', f, argnum, args);
    const x = edges[0]!;
    checkSize('jacobian', [...x.shape, ...out.shape]);
    const columns: Tensor[] = [];
    for (let j = 0; j < out.size; j++) {
      const onehot = zeros(out.shape);
      onehot.data[j] = 1;
      columns.push(gradientsOf('jacobian', out, edges, nested, onehot)[0]!);
    }
    return withRecording(nested, () => stackTrailing.apply(columns, { inner: x.shape, outer: out.shape }));
  };
}
