/** Fixtures shared by the nn error specs. */
import { Tensor, param } from '../../index';

/** A stream that swallows what a progress bar writes. */
export const sink = { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream;

/** Fresh parameters: a vector and a column. */
export const params = (): Tensor[] => [param([1, 2]), param([[1], [2]])];

/** fit options that draw no progress. */
export const quiet = { progress: false } as const;
