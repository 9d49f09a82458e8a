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
import { Argnums, argnumList, checkScalar, checkTransform, grad, jacobian, trace } from './transforms';

/**
 * hessian(f, argnums)(...args): for a scalar f and x = args[argnums], H with shape
 * [...x.shape, ...x.shape], H[i…, j…] = ∂²f/∂x_i∂x_j: the `jacobian` of `grad(f, argnums)`, one
 * recorded gradient and one backward pass per element of x. With an array of argnums, the blocks
 * H[a][b] = ∂²f/∂x_a∂x_b of shape [...x_a.shape, ...x_b.shape] for every pair of them. Inside
 * another transform H is itself differentiable.
 */
export function hessian(f: (...args: any[]) => Tensor, argnums?: number): (...args: unknown[]) => Tensor;
export function hessian(f: (...args: any[]) => Tensor, argnums: readonly number[]): (...args: unknown[]) => Tensor[][];
export function hessian(f: (...args: any[]) => Tensor, argnums: Argnums = 0): (...args: unknown[]) => Tensor | Tensor[][] {
  checkTransform('hessian', f, argnums);
  const block = (a: number, b: number) => {
    const df = grad(f, b);
    return jacobian((...args: unknown[]) => df(...args), a);
  };
  if (typeof argnums === 'number') {
    const H = block(argnums, argnums);
    return (...args: unknown[]): Tensor => {
      argnumList('hessian', argnums, args.length);
      return within('hessian', null, () => H(...args));
    };
  }
  return (...args: unknown[]): Tensor[][] => {
    const list = argnumList('hessian', argnums, args.length);
    return within('hessian', null, () => list.map((a) => list.map((b) => block(a, b)(...args))));
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
