/**
 * Agreement checks run before a row is timed: two implementations must compute the same numbers
 * (to a tolerance that allows for float32 against float64) on the same inputs, or the row is
 * aborted. A timing of a wrong result is worse than no timing.
 */

/** Thrown when two implementations disagree; the row is aborted with its message. */
export class CheckError extends Error {
  override readonly name = 'CheckError';
}

/** |a − b| / max(|a|, |b|), 0 when both are 0, NaN when either is not finite. */
export function relativeError(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return NaN;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/**
 * The normwise relative error max|aᵢ − bᵢ| / max(maxᵢ|aᵢ|, maxᵢ|bᵢ|): differences are measured
 * against the size of the whole array, so entries near zero (where float32 has few correct
 * digits relative to themselves) do not dominate. NaN if a value is not finite or the lengths
 * differ.
 */
export function normwiseError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return NaN;
    diff = Math.max(diff, Math.abs(x - y));
    scale = Math.max(scale, Math.abs(x), Math.abs(y));
  }
  return scale === 0 ? 0 : diff / scale;
}

/** What a check found: the error and the tolerance it was held to. */
export interface CheckRecord {
  what: string;
  error: number;
  tolerance: number;
}

/**
 * Throws a CheckError unless error ≤ tolerance (a NaN error fails). Returns the record for the
 * results file otherwise.
 */
export function expectWithin(what: string, error: number, tolerance: number, detail = ''): CheckRecord {
  if (!(error <= tolerance)) {
    throw new CheckError(
      `${what}: error ${Number.isNaN(error) ? 'NaN (non-finite values or a length mismatch)' : error.toExponential(2)} exceeds the tolerance ${tolerance.toExponential(0)}${detail ? ` (${detail})` : ''}`,
    );
  }
  return { what, error, tolerance };
}

/** Two scalars agree to a relative tolerance. */
export function expectClose(what: string, actual: number, expected: number, tolerance: number): CheckRecord {
  return expectWithin(what, relativeError(actual, expected), tolerance, `${actual} against ${expected}`);
}

/** Two arrays agree to a normwise relative tolerance. */
export function expectAllClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): CheckRecord {
  const detail = actual.length !== expected.length ? `${actual.length} values against ${expected.length}` : `${actual.length} values`;
  return expectWithin(what, normwiseError(actual, expected), tolerance, detail);
}
