/**
 * Second derivatives of a scalar function: the Hessian, and Hessian-vector products that never
 * form it. Both are reverse-over-reverse: in this engine forward mode is itself a VJP of a VJP,
 * so forward-over-reverse (jvp of grad) would run three reverse passes where reverse-over-reverse
 * runs two, for the same product (H is symmetric).
 */
import { ArgumentError, Tensor, asTensor, describe, isCallable, within, zeros } from '../lib';
import { backward } from './backward';
import { checkedTangents } from './forward-mode';
import { enableGrad, isRecording } from './mode';
import { pairing } from './pairing-ops';
import { argnumList, checkScalar, grad, jacobian, trace } from './transforms';

/**
 * hessian(f, argnum)(...args): H with shape [...x.shape, ...x.shape] for x = args[argnum] and a
 * scalar f, H[i…, j…] = ∂²f/∂x_i∂x_j: the `jacobian` of `grad(f, argnum)`, one recorded gradient
 * and one backward pass per element of x. Inside another transform H is itself differentiable.
 */
export function hessian(f: (...args: any[]) => Tensor, argnum = 0) {
  if (!isCallable(f)) throw new ArgumentError(`hessian: f must be a function, got ${describe(f)}`);
  if (typeof argnum !== 'number') throw new ArgumentError(`hessian: argnum must be one argument index, got ${describe(argnum)}`);
  const df = grad(f, argnum);
  const H = jacobian((...args: unknown[]) => df(...args), argnum);
  return (...args: unknown[]): Tensor => {
    argnumList('hessian', argnum, args.length);
    return within('hessian', null, () => H(...args));
  };
}

/**
 * hvp(f, primals, vectors) = [Σⱼ ∂²f/∂primalᵢ∂primalⱼ · vectorⱼ]ᵢ: for a scalar f, the product
 * of its Hessian (over all primals, as one block matrix) with the vectors, one result per primal,
 * shaped like it. Computed without forming H, as the gradient of ⟨∇f(x), v⟩ (reverse over
 * reverse: two backward passes, whatever the size of x). Each vector must have its primal's shape.
 */
export function hvp(f: (...args: any[]) => Tensor, primals: readonly unknown[], vectors: readonly unknown[]): Tensor[] {
  if (!isCallable(f)) throw new ArgumentError(`hvp: f must be a function, got ${describe(f)}`);
  if (!Array.isArray(primals)) throw new ArgumentError(`hvp: primals must be an array of tensors, got ${describe(primals)}`);
  if (!Array.isArray(vectors)) throw new ArgumentError(`hvp: vectors must be an array of tensors (one per primal), got ${describe(vectors)}`);
  const ps = primals.map((p, i) => asTensor('hvp', p, `primals[${i}]`));
  const vs = checkedTangents('hvp', 'vectors', vectors, ps.map((p) => p.shape));
  const { out, edges, nested } = trace('hvp', f, ps.map((_, i) => i), ps);
  checkScalar('hvp', out);
  if (!out.requiresGrad) return edges.map((e) => zeros(e.shape));
  const g = within('hvp', null, () => backward(out, { wrt: edges, createGraph: true, retainGraph: true }));
  const s = enableGrad(() => pairing.apply([...edges.map((e) => g.get(e)), ...vs], undefined));
  if (!s.requiresGrad) return edges.map((e) => zeros(e.shape));
  const record = nested || (isRecording() && vs.some((v) => v.requiresGrad));
  const h = within('hvp', null, () => backward(s, { wrt: edges, createGraph: record, retainGraph: true }));
  return edges.map((e) => h.get(e));
}
