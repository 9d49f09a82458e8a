/**
 * gradcheck: compares the engine's gradients (VJPs through the graph) with central differences.
 * 'full' mode builds the whole denominator-layout Jacobian both ways and compares every element;
 * 'dot' mode compares ⟨u, Jᵀv⟩ with ⟨(f(x + εu) − f(x − εu))/2ε, v⟩ for random u, v, at any size.
 */
import { DeltaGraphError, Tensor, fmtShape, rng, zeros } from '../lib';
import { vjp } from '../graph';
import { TensorFn, numericDirectional, numericJacobian } from './finite-differences';

export interface GradcheckOptions {
  /** Step of the central differences (default 1e-6). */
  eps?: number;
  /** An element passes when |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-5, 1e-4). */
  atol?: number;
  rtol?: number;
  /** 'full' (default up to 400 Jacobian elements) or 'dot' (the random-direction check). */
  mode?: 'full' | 'dot';
  /** Name for messages (default f.name). */
  name?: string;
  /** Which inputs to differentiate (default all). */
  wrt?: readonly number[];
  /** Seed of the random directions (dot mode) and cotangents. */
  seed?: number;
  /** Throw a GradcheckError on failure (default true); otherwise return the result. */
  raise?: boolean;
}

/** The element where analytic and numeric gradients disagree most (relative to the tolerance). */
export interface WorstElement {
  input: number;
  /** Flat index into the input (full mode), or -1 for a directional check. */
  inputIndex: number;
  /** Flat index into the output (full mode), or -1 for a directional check. */
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
  inputShapes: number[][];
  outputShape: number[];
  /** Largest |error| / (atol + rtol·|numeric|): the check passes when it is ≤ 1. */
  worstRatio: number;
  worst: WorstElement | null;
  inputs: Tensor[];
}

export class GradcheckError extends DeltaGraphError {
  constructor(readonly result: GradcheckResult) {
    super(describeFailure(result));
  }
}

function describeFailure(r: GradcheckResult): string {
  const w = r.worst!;
  const where =
    w.inputIndex >= 0
      ? `∂out[${w.outputIndex}]/∂input${w.input}[${w.inputIndex}]`
      : `the directional derivative along input ${w.input}`;
  const values = r.inputs.map((t, i) => `  input ${i} ${fmtShape(t.shape)}: ${JSON.stringify(Array.from(t.data, (v) => Number(v.toPrecision(6))))}`);
  return [
    `gradcheck: '${r.name}' failed (${r.mode} mode) for inputs ${r.inputShapes.map(fmtShape).join(', ')} → output ${fmtShape(r.outputShape)}`,
    `  worst: ${where}: analytic ${w.analytic}, numeric ${w.numeric} (abs error ${w.absError.toExponential(2)}, rel ${w.relError.toExponential(2)})`,
    ...values,
  ].join('\n');
}

export function gradcheck(f: TensorFn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-4;
  const name = options.name ?? (f.name || 'f');
  const wrt = options.wrt ?? inputs.map((_, i) => i);
  const random = rng(options.seed ?? 0);
  const xs = inputs.map((x) => new Tensor(x.data.slice(), x.shape));

  // Analytic gradients come from one recorded forward pass and its pullback.
  const [out, pullback] = vjp((...args: Tensor[]) => f(...args), ...xs);
  const m = out.size;
  const jacobianSize = wrt.reduce((s, i) => s + xs[i]!.size * m, 0);
  const mode = options.mode ?? (jacobianSize <= 400 ? 'full' : 'dot');

  let worst: WorstElement | null = null;
  let worstRatio = 0;
  const consider = (input: number, inputIndex: number, outputIndex: number, analytic: number, numeric: number): void => {
    const absError = Math.abs(analytic - numeric);
    const ratio = Number.isNaN(absError) ? Infinity : absError / (atol + rtol * Math.abs(numeric));
    if (worst === null || ratio > worstRatio) {
      worstRatio = ratio;
      worst = { input, inputIndex, outputIndex, analytic, numeric, absError, relError: absError / Math.max(Math.abs(numeric), 1e-300) };
    }
  };

  if (mode === 'full') {
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
  } else {
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

  const result: GradcheckResult = {
    ok: worstRatio <= 1,
    name,
    mode,
    inputShapes: xs.map((x) => x.shape.slice()),
    outputShape: out.shape.slice(),
    worstRatio,
    worst,
    inputs: xs,
  };
  if (!result.ok && (options.raise ?? true)) throw new GradcheckError(result);
  return result;
}
