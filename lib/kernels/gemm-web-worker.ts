/**
 * A gemm worker for browsers (a Web Worker made from a Blob of this file's bundle, see
 * scripts/build-worker.mjs): the first message carries the shared signal word, each later one a
 * block of rows of a product on shared memory, computed with the kernel the calling thread uses.
 */
import { gemm } from './gemm';
import { simdLoaded, wasmGemm } from './gemm-wasm';
import type { GemmJob } from './gemm-pool';

declare const self: { onmessage: ((event: { data: GemmJob | { signal: Int32Array } }) => void) | null };

let signal: Int32Array | null = null;

self.onmessage = ({ data }) => {
  if ('signal' in data) {
    signal = data.signal; // and say so: the calling thread posts jobs once it sees this
    Atomics.store(signal, 0, 2);
    Atomics.notify(signal, 0);
    return;
  }
  const job = data;
  try {
    (job.simd && simdLoaded() ? wasmGemm : gemm)(
      job.m, job.n, job.k,
      { data: job.a, offset: job.aOffset, rowStride: job.aRow, colStride: job.aCol },
      { data: job.b, offset: job.bOffset, rowStride: job.bRow, colStride: job.bCol },
      job.c, job.cOffset,
    );
    Atomics.store(signal!, 0, 2);
  } catch {
    Atomics.store(signal!, 0, 3);
  }
  Atomics.notify(signal!, 0);
};
