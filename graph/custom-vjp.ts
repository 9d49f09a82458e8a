/**
 * customVjp: a function of tensors whose gradient is the user's rule rather than the derivative
 * of what it computes, as JAX's custom_vjp (a straight-through estimator, a gradient clip, a
 * numerically safer formula). The function becomes one recorded node: f runs without recording,
 * so none of its intermediates is kept, and the node's VJP is the given rule.
 */
import { ArgumentError, GraphError, ShapeError, Tensor, TensorLike, asTensor, describe, fmtShape, isCallable, sameShape, within } from '../lib';
import { defineOp } from './define-op';
import { noGrad } from './mode';
import { customVjpBatched } from './vmap';

/** What a custom VJP rule sees: the function's inputs, its output, and which inputs want a gradient. */
export interface CustomVjpContext {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** needs[i] is false when input i wants no gradient (the rule may return null for it). */
  readonly needs: readonly boolean[];
}

/**
 * A custom VJP rule: g = ∂L/∂output (shaped like the output) ↦ one gradient per input, each
 * shaped exactly like its input, or null for none. Written with differentiable ops, it can be
 * differentiated again (grad of grad, jvp, hessian).
 */
export type CustomVjpRule = (g: Tensor, context: CustomVjpContext) => ReadonlyArray<Tensor | null>;

/**
 * customVjp(f, vjp) is the function x ↦ f(x) whose backward pass is `vjp`: for y = f(x₁ … xₙ)
 * and g = ∂L/∂y, x̄ᵢ = vjp(g, { inputs, output: y, needs })[i]. The rule must return an array of
 * one tensor (shaped exactly like its input) or null per input; anything else is a GraphError or
 * a ShapeError naming the function. It composes with every transform: grad, vjp, jacobian, and
 * (when the rule is built from differentiable ops) grad(grad(·)), jvp and hessian.
 */
export function customVjp<F extends (...inputs: Tensor[]) => Tensor>(f: F, vjp: CustomVjpRule): (...inputs: TensorLike[]) => Tensor {
  if (!isCallable(f)) throw new ArgumentError(`customVjp: f must be a function of tensors returning a tensor, got ${describe(f)}`);
  if (!isCallable(vjp)) throw new ArgumentError(`customVjp: vjp must be a function (g, { inputs, output, needs }) => gradients, got ${describe(vjp)}`);
  const name = typeof f.name === 'string' && f.name !== '' ? f.name : 'f';
  const who = `customVjp(${name})`;
  const op = defineOp<undefined>({
    name,
    forward: (inputs) => {
      const out: unknown = noGrad(() => f(...inputs));
      if (!(out instanceof Tensor)) throw new GraphError(`${who}: f must return a tensor, got ${describe(out)}`);
      return asTensor(who, out, "f's result");
    },
    vjp: (g, { inputs, output, needs }) => {
      const results: unknown = within(who, 'its VJP', () => vjp(g, { inputs, output, needs }));
      if (!Array.isArray(results) || results.length !== inputs.length) {
        throw new GraphError(`${who}: the VJP returned ${describe(results)}, expected an array of ${inputs.length} gradient${inputs.length === 1 ? '' : 's'} (one per input, null for none)`);
      }
      return inputs.map((x, i) => {
        const gx: unknown = results[i];
        if (gx === null || gx === undefined || !needs[i]) return null;
        if (!(gx instanceof Tensor)) throw new GraphError(`${who}: the VJP returned ${describe(gx)} for input ${i}, expected a tensor of shape ${fmtShape(x.shape)} or null`);
        if (!sameShape(gx.shape, x.shape)) {
          throw new ShapeError(`${who}: the VJP returned a gradient of shape ${fmtShape(gx.shape)} for input ${i} of shape ${fmtShape(x.shape)}; a gradient must have its input's shape`);
        }
        return gx;
      });
    },
  });
  const returned = (out: unknown): Tensor => {
    if (!(out instanceof Tensor)) throw new GraphError(`${who}: f must return a tensor, got ${describe(out)}`);
    return asTensor(who, out, "f's result");
  };
  return (...inputs: TensorLike[]): Tensor => {
    const xs = inputs.map((x, i) => asTensor(who, x, `input ${i}`));
    // Inside vmap, f and the rule run on the batched tensors (see graph/vmap.ts).
    return within(who, null, () => customVjpBatched(op, f, xs, returned) ?? op.apply(xs, undefined));
  };
}
