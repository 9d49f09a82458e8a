/**
 * Forward mode — jvp, linearize and jacfwd — as the transpose of reverse mode (the "double-VJP"
 * trick). For f: x ↦ y with Jacobian J in denominator layout (J[i, j] = ∂y_j/∂x_i, so that the
 * VJP of a cotangent u is J u), take a dummy cotangent u shaped like y: the pullback
 * g(u) = J u, computed by a recorded backward pass, is linear in u, and its own VJP applied to a
 * tangent t is ∂⟨g(u), t⟩/∂u = Jᵀ t, the directional derivative of f along t. Nothing else is
 * needed of an op than its VJP written with differentiable ops (the VJP contract), so forward mode
 * works for every op, user-defined ops and customVjp functions included.
 *
 * Cost: one forward pass, one recorded backward pass (once per linearisation), and per tangent one
 * backward pass over the part of that recorded pass which depends on u.
 */
import { ArgumentError, GraphError, ShapeError, Tensor, asTensor, checkSize, describe, fmtShape, isCallable, param, sameShape, within, zeros } from '../lib';
import { backward } from './backward';
import { enableGrad, isRecording } from './mode';
import { pairing, stackLeading } from './pairing-ops';
import { Argnums, argnumList, checkTransform, trace } from './transforms';

/** A recorded linearisation of f at some primals: its outputs and the map from tangents to J·t. */
interface Linearization {
  /** f's outputs (one, unless f returned an array and `many` was allowed). */
  outs: Tensor[];
  /** Whether f returned an array of tensors. */
  many: boolean;
  /** The shapes the tangents must have (the traced arguments'). */
  shapes: ReadonlyArray<readonly number[]>;
  /** Jᵀ t for each output, for tangents already checked against `shapes`. */
  push(tangents: readonly Tensor[]): Tensor[];
}

/**
 * Traces f at args (differentiating the arguments listed in `which`) and records its pullback of
 * a dummy cotangent u (one per output), the linear map from which every directional derivative
 * is then read. With `many`, f may return an array of tensors.
 */
function linearization(op: string, f: (...args: any[]) => unknown, which: readonly number[], args: unknown[], many = false): Linearization {
  let outputs: Tensor[] | null = null;
  const traced = !many ? f : (...a: unknown[]): unknown => {
    const r = f(...a);
    if (!Array.isArray(r)) return r;
    outputs = r.map((t: unknown, k) => {
      if (!(t instanceof Tensor)) throw new GraphError(`${op}: f must return a tensor or an array of tensors, got ${describe(t)} at index ${k} of its array`);
      return asTensor(op, t, `f's result ${k}`);
    });
    // trace wants one tensor; the outputs are taken from the array.
    return outputs[0] ?? zeros([]);
  };
  const { out, edges, nested } = trace(op, traced, which as number[], args);
  const outs: Tensor[] = outputs ?? [out];
  const shapes = edges.map((e) => e.shape);
  const zerosOut = () => outs.map((o) => zeros(o.shape));
  if (!outs.some((o) => o.requiresGrad)) return { outs, many: outputs !== null, shapes, push: zerosOut };
  const us = outs.map((o) => param(zeros(o.shape)));
  // g(u) = Σₖ Jₖ uₖ, recorded (also in noGrad: the second pass differentiates it with respect to u).
  const pulled = within(op, null, () =>
    outs.length === 1
      ? backward(outs[0]!, { wrt: edges, createGraph: true, retainGraph: true, gradient: us[0]! })
      : backward(enableGrad(() => pairing.apply([...outs, ...us], undefined)), { wrt: edges, createGraph: true, retainGraph: true }),
  );
  const gs = edges.map((e) => pulled.get(e));
  const push = (tangents: readonly Tensor[]): Tensor[] => {
    const s = enableGrad(() => pairing.apply([...gs, ...tangents], undefined));
    if (!s.requiresGrad) return zerosOut();
    // Recorded when the result must stay differentiable for an enclosing transform (traced
    // primals, a tangent that is itself being traced, or a call inside another transform's f).
    const record = nested || (isRecording() && tangents.some((t) => t.requiresGrad));
    const r = within(op, null, () => backward(s, { wrt: us, createGraph: record, retainGraph: true }));
    return us.map((u) => r.get(u));
  };
  return { outs, many: outputs !== null, shapes, push };
}

/**
 * Tangents (or vectors, `what`) given to `op`, coerced and checked against the shapes of the
 * primals: as many, each shaped like its primal.
 */
export function checkedTangents(op: string, what: string, tangents: readonly unknown[], shapes: ReadonlyArray<readonly number[]>): Tensor[] {
  if (tangents.length !== shapes.length) {
    throw new ArgumentError(`${op}: expected ${shapes.length} ${what.replace(/s$/, '')}${shapes.length === 1 ? '' : 's'} (one per primal), got ${tangents.length}`);
  }
  return tangents.map((t, i) => {
    const x = asTensor(op, t, `${what}[${i}]`);
    if (!sameShape(x.shape, shapes[i]!)) {
      throw new ShapeError(`${op}: ${what}[${i}] has shape ${fmtShape(x.shape)}, expected the shape of primals[${i}], ${fmtShape(shapes[i]!)}`);
    }
    return x;
  });
}

/**
 * jvp(f, primals, tangents) = [f(...primals), Σᵢ ∂f/∂primalᵢ · tangentᵢ]: the output and the
 * directional derivative of f at the primals along the tangents (the Jacobian-vector product
 * `Jᵀ t` in the denominator layout of `jacobian`), shaped like the output. Each tangent must have
 * its primal's shape. f may return an array of tensors: then both results are arrays, one entry
 * per output. Computed as the VJP of a VJP (see the file's comment), so it works for every op;
 * it nests with every transform (`jvp` of `grad` is a Hessian-vector product).
 */
export function jvp(f: (...args: any[]) => Tensor, primals: readonly unknown[], tangents: readonly unknown[]): [Tensor, Tensor];
export function jvp(f: (...args: any[]) => readonly Tensor[], primals: readonly unknown[], tangents: readonly unknown[]): [Tensor[], Tensor[]];
export function jvp(f: (...args: any[]) => Tensor | readonly Tensor[], primals: readonly unknown[], tangents: readonly unknown[]): [Tensor | Tensor[], Tensor | Tensor[]] {
  if (!isCallable(f)) throw new ArgumentError(`jvp: f must be a function, got ${describe(f)}`);
  if (!Array.isArray(primals)) throw new ArgumentError(`jvp: primals must be an array of tensors, got ${describe(primals)}`);
  if (!Array.isArray(tangents)) throw new ArgumentError(`jvp: tangents must be an array of tensors (one per primal), got ${describe(tangents)}`);
  const ps = primals.map((p, i) => asTensor('jvp', p, `primals[${i}]`));
  const ts = checkedTangents('jvp', 'tangents', tangents, ps.map((p) => p.shape));
  const lin = linearization('jvp', f, ps.map((_, i) => i), ps, true);
  const pushed = lin.push(ts);
  return lin.many ? [lin.outs, pushed] : [lin.outs[0]!, pushed[0]!];
}

/**
 * linearize(f, ...primals) = [f(...primals), fJvp], where fJvp(...tangents) is the directional
 * derivative Σᵢ ∂f/∂primalᵢ · tangentᵢ at these primals (as `jvp`; an array of them when f returns
 * an array). f runs once: every call of fJvp reuses the recorded linearisation (one backward pass
 * per call).
 */
export function linearize(f: (...args: any[]) => Tensor, ...primals: unknown[]): [Tensor, (...tangents: unknown[]) => Tensor];
export function linearize(f: (...args: any[]) => readonly Tensor[], ...primals: unknown[]): [Tensor[], (...tangents: unknown[]) => Tensor[]];
export function linearize(f: (...args: any[]) => Tensor | readonly Tensor[], ...primals: unknown[]): [Tensor | Tensor[], (...tangents: unknown[]) => Tensor | Tensor[]] {
  if (!isCallable(f)) throw new ArgumentError(`linearize: f must be a function, got ${describe(f)}`);
  const ps = primals.map((p, i) => asTensor('linearize', p, `primals[${i}]`));
  const lin = linearization('linearize', f, ps.map((_, i) => i), ps, true);
  const fJvp = (...tangents: unknown[]): Tensor | Tensor[] => {
    const pushed = lin.push(checkedTangents('linearize', 'tangents', tangents, lin.shapes));
    return lin.many ? pushed : pushed[0]!;
  };
  return [lin.many ? lin.outs : lin.outs[0]!, fJvp];
}

/**
 * jacfwd(f, argnums)(...args): the Jacobian in the layout of `jacobian`, shape
 * [...x.shape, ...f(x).shape] with J[i…, j…] = ∂f_j/∂x_i, built in forward mode: row i is the
 * directional derivative along the i-th unit tangent, one pass per element of x (cheaper than
 * `jacobian` when x has fewer elements than f(x)). With an array of argnums, an array of
 * Jacobians. Inside another transform the rows are stacked by a recorded op, so J is differentiable.
 */
export function jacfwd(f: (...args: any[]) => Tensor, argnums: Argnums = 0) {
  checkTransform('jacfwd', f, argnums);
  return (...args: unknown[]): any => {
    const which = argnumList('jacfwd', argnums, args.length);
    const lin = linearization('jacfwd', f, which, args);
    const out = lin.outs[0]!;
    const jacobians = lin.shapes.map((shape, k) => {
      checkSize('jacfwd', [...shape, ...out.shape]);
      const zero = lin.shapes.map((s) => zeros(s));
      const rows: Tensor[] = [];
      const n = zero[k]!.size;
      for (let i = 0; i < n; i++) {
        const e = zeros(shape);
        e.data[i] = 1;
        const tangents = zero.slice();
        tangents[k] = e;
        rows.push(lin.push(tangents)[0]!);
      }
      // Rows that are recorded (inside another transform) are stacked by a recorded op.
      return enableGrad(() => stackLeading.apply(rows, { outer: shape, inner: out.shape }));
    });
    return typeof argnums === 'number' ? jacobians[0]! : jacobians;
  };
}
