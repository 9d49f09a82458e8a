/** Helpers shared by the specs of expr/. */
import { Tensor } from '../../index';

/** Every element of `actual` within tol · max(1, max |expected|) of `expected`, sizes equal. */
export function expectClose(actual: Tensor, expected: Tensor, tol = 1e-12): void {
  expect(actual.size).toBe(expected.size);
  const scale = Math.max(1, ...Array.from(expected.data, Math.abs));
  for (let i = 0; i < expected.size; i++) {
    expect(Math.abs(actual.data[i]! - expected.data[i]!)).toBeLessThanOrEqual(tol * scale);
  }
}

/** The error `f` throws (failing the test when it throws none). */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, none was thrown');
}
