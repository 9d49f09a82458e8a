/** Human-readable printing of tensors: aligned columns, nested brackets, as NumPy prints them. */
import { ArgumentError, describe } from './errors';
import { Tensor, TensorLike, asTensor } from './tensor';

export interface FormatOptions {
  /** Digits after the decimal point (default 4). */
  digits?: number;
}

/** A tensor as aligned rows, e.g. [[ 0.1000, -2.0000],\n [ 3.0000,  4.5000]]. */
export function formatTensor(x: TensorLike, options: FormatOptions = {}): string {
  const t: Tensor = asTensor('formatTensor', x);
  const digits = options?.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new ArgumentError(`formatTensor: digits must be an integer in 0 … 20, got ${describe(digits)}`);
  }
  // A value that rounds to zero prints without a sign: -0.0000 would suggest a meaning it has not.
  const cells = Array.from(t.data, (v) => (Number.isFinite(v) ? v.toFixed(digits).replace(/^-(0\.?0*)$/, '$1') : String(v)));
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  const padded = cells.map((c) => c.padStart(width));
  if (t.rank === 0) return padded[0] ?? '';
  const render = (axis: number, offset: number, indent: string): string => {
    const n = t.shape[axis]!;
    const stride = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
    if (axis === t.rank - 1) return `[${padded.slice(offset, offset + n).join(', ')}]`;
    const rows = Array.from({ length: n }, (_, i) => render(axis + 1, offset + i * stride, indent + ' '));
    const sep = ',' + '\n'.repeat(t.rank - axis - 1) + indent + ' ';
    return `[${rows.join(sep)}]`;
  };
  return render(0, 0, '');
}
