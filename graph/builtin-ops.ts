/**
 * The operations the engine itself needs, so that graph/ never imports ops/: accumulation of
 * gradients that arrive over several paths, identity (a fresh edge for a tensor that is already in
 * a graph, used by the transforms), and the stack/pick pair with which jacobian assembles its
 * columns differentiably.
 */
import { ShapeError, Tensor, fmtShape, kernels, sameShape, sizeOf } from '../lib';
import { Op, defineOp } from './define-op';

/** c = a + b for equal shapes.  ā = g,  b̄ = g */
export const accumulate = defineOp<undefined>({
  name: 'accumulate',
  forward: ([a, b]) => {
    if (!sameShape(a!.shape, b!.shape)) {
      throw new ShapeError(`accumulate: gradients of shapes ${fmtShape(a!.shape)} and ${fmtShape(b!.shape)} cannot be summed`);
    }
    return kernels.add(a!, b!);
  },
  vjp: (g) => [g, g],
});

/** y = x.  x̄ = g */
export const identity = defineOp<undefined>({
  name: 'identity',
  forward: ([x]) => new Tensor(x!.data, x!.shape),
  vjp: (g) => [g],
});

interface StackAttrs {
  /** Shape of each stacked tensor (the leading axes of the result). */
  inner: readonly number[];
  /** Trailing axes of the result; their size is the number of stacked tensors. */
  outer: readonly number[];
}

/**
 * J[i…, j…] = xⱼ[i…]: m tensors of one shape S stacked along new trailing axes T (|T| = m), as
 * jacobian assembles its columns.  x̄ⱼ = G[…, j]
 */
export const stackTrailing: Op<StackAttrs> = defineOp<StackAttrs>({
  name: 'stackTrailing',
  forward: (xs, { inner, outer }) => {
    const m = xs.length;
    const n = xs[0]?.size ?? 0;
    const out = new Float64Array(n * m);
    xs.forEach((x, j) => {
      for (let i = 0; i < n; i++) out[i * m + j] = x.data[i]!;
    });
    return new Tensor(out, [...inner, ...outer]);
  },
  vjp: (g, { inputs, attrs, needs }) => inputs.map((_, j) => (needs[j] ? pickTrailing.apply([g], { ...attrs, index: j }) : null)),
});

/** y[i…] = J[i…, j] for one flat trailing index j (the adjoint of stackTrailing).  J̄ = stack with g at j, zeros elsewhere */
export const pickTrailing: Op<StackAttrs & { index: number }> = defineOp<StackAttrs & { index: number }>({
  name: 'pickTrailing',
  forward: ([J], { inner, index }) => {
    const n = sizeOf(inner);
    const m = J!.size / Math.max(n, 1);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = J!.data[i * m + index]!;
    return new Tensor(out, inner);
  },
  vjp: (g, { attrs: { inner, outer, index } }) => {
    const m = sizeOf(outer);
    const zero = new Tensor(new Float64Array(sizeOf(inner)), inner);
    return [stackTrailing.apply(Array.from({ length: m }, (_, j) => (j === index ? g : zero)), { inner, outer })];
  },
});
