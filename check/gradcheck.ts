/**
 * gradcheck: compares the engine's gradients (VJPs through the graph) with central differences.
 * 'full' mode builds the whole denominator-layout Jacobian both ways and compares every element;
 * 'dot' mode compares ⟨u, J v⟩ (J in denominator layout, so J v is the pullback of v) with ⟨(f(x + εu) − f(x − εu))/2ε, v⟩ for random u, v, at any size.
 * With modes ['fwd'] (or ['rev', 'fwd']) it also checks forward mode: for each input, jvp along
 * a random tangent t, Jᵀ t, against (f(x + εt) − f(x − εt))/2ε, element by element of the output.
 * With batchedGrad it also checks the pullback under vmap against a loop over the cotangents.
 */
import { ArgumentError, DeltaGraphError, Tensor, asTensor, describe, fmtShape, isCallable, rng, zeros } from '../lib';
import { optionsIn } from '../lib/args';
import { jvp, vjp, vmap } from '../graph';
import { TensorFn, numericDirectional, numericJacobian } from './finite-differences';

export interface GradcheckOptions {
  /** Step of the central differences (default 1e-6). */
  eps?: number;
  /** An element passes when |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-5, 1e-4). */
  atol?: number;
  rtol?: number;
  /** 'full' (default up to 400 Jacobian elements) or 'dot' (the random-direction check). */
  mode?: 'full' | 'dot';
  /**
   * Which derivatives to check: 'rev' (the VJPs, in `mode`) and 'fwd' (jvp along random
   * tangents against central differences). Default ['rev'].
   */
  modes?: ReadonlyArray<'rev' | 'fwd'>;
  /** Name for messages (default f.name). */
  name?: string;
  /** Which inputs to differentiate (default all). */
  wrt?: readonly number[];
  /** Seed of the random directions (dot mode) and cotangents. */
  seed?: number;
  /** Throw a GradcheckError on failure (default true); otherwise return the result. */
  raise?: boolean;
  /**
   * Also check the gradient under vmap (as PyTorch's check_batched_grad): the pullback vmapped
   * over a batch of random cotangents must equal the pullback of each cotangent in a loop.
   * Default false.
   */
  batchedGrad?: boolean;
}

/** The element where analytic and numeric gradients disagree most (relative to the tolerance). */
export interface WorstElement {
  /** The check it came from: 'rev' (the VJPs), 'fwd' (jvp) or 'batched' (vmap of the VJPs, `numeric` being the loop's value). Absent means 'rev'. */
  check?: 'rev' | 'fwd' | 'batched';
  input: number;
  /** Flat index into the input (full mode), or -1 for a directional check. */
  inputIndex: number;
  /** Flat index into the output (full mode and forward checks), or -1 for a directional check. */
  outputIndex: number;
  analytic: number;
  numeric: number;
  absError: number;
  relError: number;
}

export interface GradcheckResult {
  ok: boolean;
  name: string;
  mode: 'full' | 'dot';
  /** The checks that ran (the `modes` option). */
  modes?: Array<'rev' | 'fwd'>;
  /** True when the batched gradient (option batchedGrad) was checked too. */
  batchedGrad?: boolean;
  inputShapes: number[][];
  outputShape: number[];
  /** Largest |error| / (atol + rtol·|numeric|): the check passes when it is ≤ 1. */
  worstRatio: number;
  worst: WorstElement | null;
  inputs: Tensor[];
}

export class GradcheckError extends DeltaGraphError {
  constructor(readonly result: GradcheckResult) {
    super(describeFailure(checkedResult(result)));
  }
}

/** A failed check's result, as gradcheck makes it: the worst element and the inputs are described. */
function checkedResult(r: unknown): GradcheckResult {
  const o = (r !== null && typeof r === 'object' ? r : {}) as Partial<GradcheckResult>;
  const w = o.worst as Partial<WorstElement> | null | undefined;
  const numbers = w !== null && typeof w === 'object' && (['input', 'inputIndex', 'outputIndex', 'analytic', 'numeric', 'absError', 'relError'] as const).every((k) => typeof w[k] === 'number');
  const shapes = (v: unknown) => Array.isArray(v) && v.every((s) => Array.isArray(s) && s.every((d) => typeof d === 'number'));
  const ok = typeof o.name === 'string' && (o.mode === 'full' || o.mode === 'dot') && numbers && shapes(o.inputShapes) && shapes([o.outputShape]) &&
    Array.isArray(o.inputs) && o.inputs.every((t) => t instanceof Tensor && !t.disposed);
  if (!ok) {
    throw new ArgumentError(`GradcheckError: expected the result of a failed gradcheck { name, mode, inputShapes, outputShape, worst, inputs, … }, got ${describe(r)}`);
  }
  return r as GradcheckResult;
}

function describeFailure(r: GradcheckResult): string {
  const w = r.worst!;
  const where =
    w.check === 'batched'
      ? `vmap of the pullback: input ${w.input}[${w.inputIndex}] for cotangent ${w.outputIndex} of the batch, against the loop`
      : w.check === 'fwd'
      ? `jvp: out[${w.outputIndex}] of the directional derivative along a random tangent of input ${w.input}`
      : w.inputIndex >= 0
        ? `∂out[${w.outputIndex}]/∂input${w.input}[${w.inputIndex}]`
        : `the directional derivative along input ${w.input}`;
  // NaN and ±Infinity as themselves (JSON would print null), at most 64 values per input.
  const shown = (t: Tensor) => `[${Array.from(t.data.subarray(0, 64), (v) => String(Number(v.toPrecision(6)))).join(',')}${t.size > 64 ? `,… (${t.size} values)` : ''}]`;
  const values = r.inputs.map((t, i) => `  input ${i} ${fmtShape(t.shape)}: ${shown(t)}`);
  return [
    `gradcheck: '${r.name}' failed (${w.check === 'fwd' ? 'forward mode' : w.check === 'batched' ? 'batched gradient' : `${r.mode} mode`}) for inputs ${r.inputShapes.map(fmtShape).join(', ')} → output ${fmtShape(r.outputShape)}`,
    `  worst: ${where}: analytic ${w.analytic}, numeric ${w.numeric} (abs error ${w.absError.toExponential(2)}, rel ${w.relError.toExponential(2)})`,
    ...values,
  ].join('\n');
}

/** The arguments of gradcheck and gradgradcheck, checked; `who` names the checker in messages. */
export function checkedArguments(who: string, f: unknown, inputs: unknown, options: unknown): { f: TensorFn; inputs: Tensor[]; options: Required<Omit<GradcheckOptions, 'mode' | 'name' | 'modes' | 'batchedGrad'>> & { batchedGrad?: boolean } & Pick<GradcheckOptions, 'mode' | 'name'> & { modes: Array<'rev' | 'fwd'> } } {
  if (!isCallable(f)) throw new ArgumentError(`${who}: f must be a function of tensors returning a tensor, got ${describe(f)}`);
  if (!Array.isArray(inputs)) throw new ArgumentError(`${who}: inputs must be an array of tensors, got ${describe(inputs)}`);
  for (let i = 0; i < inputs.length; i++) {
    const x: unknown = inputs[i];
    if (!(x instanceof Tensor)) throw new ArgumentError(`${who}: inputs[${i}] must be a tensor, got ${describe(x)}`);
    asTensor(who, x, `inputs[${i}]`);
  }
  const o = optionsIn(who, options);
  const num = (name: string, fallback: number, min: number, open: boolean): number => {
    const v = o[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || (open ? !(v > min) : !(v >= min))) {
      throw new ArgumentError(`${who}: ${name} must be a finite number ${open ? '>' : '≥'} ${min}, got ${describe(v)}`);
    }
    return v;
  };
  const mode = o.mode;
  if (mode !== undefined && mode !== 'full' && mode !== 'dot') throw new ArgumentError(`${who}: mode must be 'full' or 'dot', got ${describe(mode)}`);
  const modes = o.modes ?? ['rev'];
  if (!Array.isArray(modes) || modes.length === 0 || !modes.every((m, k) => (m === 'rev' || m === 'fwd') && modes.indexOf(m) === k)) {
    throw new ArgumentError(`${who}: modes must list 'rev' and/or 'fwd' (distinct, at least one), got ${Array.isArray(modes) ? `[${modes.map((m) => describe(m)).join(', ')}]` : describe(modes)}`);
  }
  const name = o.name;
  if (name !== undefined && typeof name !== 'string') throw new ArgumentError(`${who}: name must be a string, got ${describe(name)}`);
  const seed = o.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) throw new ArgumentError(`${who}: seed must be a finite number, got ${describe(seed)}`);
  const raise = o.raise;
  if (raise !== undefined && typeof raise !== 'boolean') throw new ArgumentError(`${who}: raise must be true or false, got ${describe(raise)}`);
  const batchedGrad = o.batchedGrad;
  if (batchedGrad !== undefined && typeof batchedGrad !== 'boolean') throw new ArgumentError(`${who}: batchedGrad must be true or false, got ${describe(batchedGrad)}`);
  let wrt = inputs.map((_, i) => i);
  if (o.wrt !== undefined) {
    const w = o.wrt;
    let valid = Array.isArray(w);
    for (let k = 0; valid && k < (w as unknown[]).length; k++) {
      const i: unknown = (w as unknown[])[k];
      valid = typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < inputs.length && (w as unknown[]).indexOf(i) === k;
    }
    if (!valid) {
      throw new ArgumentError(`${who}: wrt must list distinct input indices in 0 … ${inputs.length - 1}, got ${Array.isArray(w) ? fmtShape(w) : describe(w)}`);
    }
    wrt = (w as number[]).slice();
  }
  const atol = num('atol', 1e-5, 0, false);
  const rtol = num('rtol', 1e-4, 0, false);
  if (atol === 0 && rtol === 0) throw new ArgumentError(`${who}: atol and rtol are both 0; at least one must be > 0 for a tolerance`);
  return {
    f: f as TensorFn,
    inputs: inputs as Tensor[],
    options: {
      eps: num('eps', 1e-6, 0, true),
      atol,
      rtol,
      mode: mode as GradcheckOptions['mode'],
      modes: (modes as Array<'rev' | 'fwd'>).slice(),
      name: name as string | undefined,
      wrt,
      seed: (seed as number | undefined) ?? 0,
      raise: (raise as boolean | undefined) ?? true,
      batchedGrad: (batchedGrad as boolean | undefined) ?? false,
    },
  };
}

/** Calls f, checking that it returns a tensor. */
export function callChecked(who: string, f: TensorFn, name: string, args: readonly Tensor[]): Tensor {
  const out: unknown = f(...args);
  if (!(out instanceof Tensor)) throw new ArgumentError(`${who}: '${name}' returned ${describe(out)}, expected a tensor`);
  return out;
}

export function gradcheck(f: TensorFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const checked = checkedArguments('gradcheck', f, inputs, options);
  const { eps, atol, rtol, wrt, modes } = checked.options;
  const name = checked.options.name ?? (f.name || 'f');
  const random = rng(checked.options.seed);
  const xs = checked.inputs.map((x) => new Tensor(x.data.slice(), x.shape));

  // Analytic gradients come from one recorded forward pass and its pullback.
  const [out, pullback] = vjp((...args: Tensor[]) => callChecked('gradcheck', f, name, args), ...xs);
  const m = out.size;
  const jacobianSize = wrt.reduce((s, i) => s + xs[i]!.size * m, 0);
  const mode = checked.options.mode ?? (jacobianSize <= 400 ? 'full' : 'dot');

  let worst: WorstElement | null = null;
  let worstRatio = 0;
  const consider = (input: number, inputIndex: number, outputIndex: number, analytic: number, numeric: number, check: 'rev' | 'fwd' | 'batched' = 'rev'): void => {
    const absError = Math.abs(analytic - numeric);
    const ratio = Number.isNaN(absError) ? Infinity : absError / (atol + rtol * Math.abs(numeric));
    if (worst === null || ratio > worstRatio) {
      worstRatio = ratio;
      worst = { ...(check !== 'rev' ? { check } : {}), input, inputIndex, outputIndex, analytic, numeric, absError, relError: absError / Math.max(Math.abs(numeric), 1e-300) };
    }
  };

  const reverse = modes.includes('rev');
  if (reverse && mode === 'full') {
    // Row j of the analytic Jacobian is the pullback of the j-th one-hot cotangent.
    const analytic = wrt.map((i) => new Float64Array(xs[i]!.size * m));
    for (let j = 0; j < m; j++) {
      const e = zeros(out.shape);
      e.data[j] = 1;
      const grads = pullback(e);
      wrt.forEach((i, k) => {
        const g = grads[i]!.data;
        for (let p = 0; p < g.length; p++) analytic[k]![p * m + j] = g[p]!;
      });
    }
    wrt.forEach((i, k) => {
      const numeric = numericJacobian(f, xs, i, eps);
      const a = analytic[k]!;
      for (let p = 0; p < a.length; p++) consider(i, Math.floor(p / m), p % m, a[p]!, numeric[p]!);
    });
  } else if (reverse) {
    const v = new Tensor(Float64Array.from({ length: m }, () => random.normal()), out.shape);
    const grads = pullback(v);
    for (const i of wrt) {
      const u = Float64Array.from({ length: xs[i]!.size }, () => random.normal());
      const directions = xs.map((_, k) => (k === i ? u : null));
      const numeric = numericDirectional(f, xs, directions, eps);
      let analyticDot = 0;
      let numericDot = 0;
      const g = grads[i]!.data;
      for (let p = 0; p < u.length; p++) analyticDot += u[p]! * g[p]!;
      for (let j = 0; j < m; j++) numericDot += numeric[j]! * v.data[j]!;
      consider(i, -1, -1, analyticDot, numericDot);
    }
  }

  if (modes.includes('fwd')) {
    // Forward mode: per input, jvp along a random tangent (zero for the other inputs).
    const fn = (...args: Tensor[]) => callChecked('gradcheck', f, name, args);
    for (const i of wrt) {
      const t = Float64Array.from({ length: xs[i]!.size }, () => random.normal());
      const tangents = xs.map((x, k) => (k === i ? new Tensor(t, x.shape) : zeros(x.shape)));
      const [, analytic] = jvp(fn, xs, tangents);
      const numeric = numericDirectional(f, xs, xs.map((_, k) => (k === i ? t : null)), eps);
      for (let j = 0; j < m; j++) consider(i, -1, j, analytic.data[j]!, numeric[j]!, 'fwd');
    }
  }

  if (checked.options.batchedGrad) {
    // The pullback under vmap over a batch of random cotangents, against the loop over them.
    const size = 3;
    const vs = Array.from({ length: size }, () => new Tensor(Float64Array.from({ length: m }, () => random.normal()), out.shape));
    const stacked = new Float64Array(size * m);
    vs.forEach((v, b) => stacked.set(v.data, b * m));
    const batched = vmap((v: Tensor) => pullback(v).filter((_, i) => wrt.includes(i)))(new Tensor(stacked, [size, ...out.shape])) as Tensor[];
    vs.forEach((v, b) => {
      const single = pullback(v);
      wrt.forEach((i, k) => {
        const n = xs[i]!.size;
        const got = batched[k]!.data;
        const want = single[i]!.data;
        for (let p = 0; p < n; p++) consider(i, p, b, got[b * n + p]!, want[p]!, 'batched');
      });
    });
  }

  const result: GradcheckResult = {
    ok: worstRatio <= 1,
    name,
    mode,
    modes: modes.slice(),
    ...(checked.options.batchedGrad ? { batchedGrad: true } : {}),
    inputShapes: xs.map((x) => x.shape.slice()),
    outputShape: out.shape.slice(),
    worstRatio,
    worst,
    inputs: xs,
  };
  if (!result.ok && checked.options.raise) throw new GradcheckError(result);
  return result;
}
