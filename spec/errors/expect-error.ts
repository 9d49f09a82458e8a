/** Shared by the error specs: catching a thrown error and checking its class and message. */
import { DeltaGraphError } from '../../index';

/** The error thrown by fn (failing when fn returns normally). */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

/** Expects fn to throw an instance of `cls` whose message contains every one of `parts`. */
export function expectError(fn: () => unknown, cls: new (...args: any[]) => DeltaGraphError, ...parts: string[]): void {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(cls);
  for (const part of parts) expect((e as Error).message).toContain(part);
}
