/**
 * ONNX Runtime (onnxruntime-node) as the reference for the ONNX specs. It runs in a child process
 * (ort-runner.cjs): inside jest's sandbox, onnxruntime's checks of typed arrays fail, since its
 * native binding makes them in another realm. All the models of a spec go in one call, so the
 * process and the runtime start once.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

export type OrtType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool' | 'uint8' | 'int8';

export interface OrtTensor {
  type: OrtType;
  dims: number[];
  data: number[];
}

export interface OrtCase {
  model: Uint8Array;
  feeds: Record<string, OrtTensor>;
}

export type OrtResult = { outputs: Record<string, OrtTensor>; error?: undefined } | { outputs?: undefined; error: string };

const encode = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const decode = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

/** Runs every case in ONNX Runtime (in one child process); an error of one case is its result. */
export function runOrt(cases: readonly OrtCase[]): OrtResult[] {
  const input = JSON.stringify(
    cases.map((c) => ({
      model: Buffer.from(c.model).toString('base64'),
      feeds: Object.fromEntries(Object.entries(c.feeds).map(([k, f]) => [k, { ...f, data: f.data.map(encode) }])),
    })),
  );
  const text = execFileSync(process.execPath, [join(__dirname, 'ort-runner.cjs')], { input, maxBuffer: 1 << 28, encoding: 'utf8' });
  const results = JSON.parse(text) as Array<{ outputs?: Record<string, { type: OrtType; dims: number[]; data: Array<number | string> }>; error?: string }>;
  return results.map((r) =>
    r.error !== undefined
      ? { error: r.error }
      : { outputs: Object.fromEntries(Object.entries(r.outputs!).map(([k, t]) => [k, { ...t, data: t.data.map(decode) }])) },
  );
}

/**
 * rel(a, b) = maxᵢ |aᵢ − bᵢ| / max(|bᵢ|, floor · maxⱼ |bⱼ|, tiny) against the reference b;
 * non-finite entries must be equal (NaN matching NaN). Infinity when the lengths differ.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  if (a.length !== b.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i]!)) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(y) || !Number.isFinite(x)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) return Infinity;
      continue;
    }
    const err = Math.abs(x - y) / Math.max(Math.abs(y), floor * scale, 1e-300);
    if (!(err <= worst)) worst = err;
  }
  return worst;
}
