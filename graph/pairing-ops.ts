/**
 * The small linear operations that forward mode and the Hessian transforms need, defined here so
 * that graph/ still never imports ops/: the pairing s = Σᵢ ⟨aᵢ, bᵢ⟩ of several tensors with as
 * many others, its adjoint (a scalar times a tensor), and the stacking of equally shaped tensors
 * along new leading axes (how jacfwd assembles its rows) with its adjoint, the pick of one row.
 * Each VJP is written with these ops, so all of them can be differentiated again.
 */
import { ShapeError, Tensor, fmtShape, sameShape, sizeOf } from '../lib';
import { Op, defineOp } from './define-op';

/**
 * s = Σᵢ ⟨aᵢ, bᵢ⟩ = Σᵢ Σₖ aᵢ[k]·bᵢ[k], a scalar (shape []), for inputs [a₁ … aₙ, b₁ … bₙ] with
 * aᵢ and bᵢ of one shape.  āᵢ = ḡ·bᵢ,  b̄ᵢ = ḡ·aᵢ  (ḡ the scalar incoming gradient)
 */
export const pairing: Op<undefined> = defineOp<undefined>({
  name: 'pairing',
  forward: (xs) => {
    const n = xs.length / 2;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const a = xs[i]!;
      const b = xs[n + i]!;
      if (!sameShape(a.shape, b.shape)) throw new ShapeError(`pairing: the tensors of pair ${i} have shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)}, expected one shape`);
      const ad = a.data;
      const bd = b.data;
      for (let k = 0; k < ad.length; k++) s += ad[k]! * bd[k]!;
    }
    return new Tensor(new Float64Array([s]), []);
  },
  vjp: (g, { inputs, needs }) => {
    const n = inputs.length / 2;
    return inputs.map((_, j) => (needs[j] ? scaleBy.apply([g, inputs[j < n ? n + j : j - n]!], undefined) : null));
  },
});

/** y = c·x for a scalar c (shape []).  c̄ = ⟨g, x⟩ (pairing),  x̄ = c·g */
export const scaleBy: Op<undefined> = defineOp<undefined>({
  name: 'scaleBy',
  forward: ([c, x]) => {
    const k = c!.data[0]!;
    const out = new Float64Array(x!.size);
    const xd = x!.data;
    for (let i = 0; i < out.length; i++) out[i] = k * xd[i]!;
    return new Tensor(out, x!.shape);
  },
  vjp: (g, { inputs: [c, x], needs }) => [
    needs[0] ? pairing.apply([g, x!], undefined) : null,
    needs[1] ? scaleBy.apply([c!, g], undefined) : null,
  ],
});

interface LeadingAttrs {
  /** The new leading axes; their size is the number of stacked tensors. */
  outer: readonly number[];
  /** The shape of each stacked tensor (the trailing axes of the result). */
  inner: readonly number[];
}

/**
 * J[i…, j…] = xᵢ[j…]: m tensors of one shape S stacked along new leading axes T (|T| = m), the
 * result of shape [...T, ...S].  x̄ᵢ = G[i, …]
 */
export const stackLeading: Op<LeadingAttrs> = defineOp<LeadingAttrs>({
  name: 'stackLeading',
  forward: (xs, { outer, inner }) => {
    const n = sizeOf(inner);
    const out = new Float64Array(n * xs.length);
    xs.forEach((x, i) => out.set(x.data.subarray(0, n), i * n));
    return new Tensor(out, [...outer, ...inner]);
  },
  vjp: (g, { inputs, attrs, needs }) => inputs.map((_, i) => (needs[i] ? pickLeading.apply([g], { ...attrs, index: i }) : null)),
});

/** y[j…] = J[i, j…] for one flat leading index i (the adjoint of stackLeading).  J̄ = the stack with g at i, zeros elsewhere */
export const pickLeading: Op<LeadingAttrs & { index: number }> = defineOp<LeadingAttrs & { index: number }>({
  name: 'pickLeading',
  forward: ([J], { inner, index }) => {
    const n = sizeOf(inner);
    return new Tensor(J!.data.slice(index * n, (index + 1) * n), inner);
  },
  vjp: (g, { attrs: { outer, inner, index } }) => {
    const zero = new Tensor(new Float64Array(sizeOf(inner)), inner);
    return [stackLeading.apply(Array.from({ length: sizeOf(outer) }, (_, i) => (i === index ? g : zero)), { outer, inner })];
  },
});
