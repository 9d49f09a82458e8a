/**
 * More threads for large matrix products: workers that run the same gemm kernel on shared memory.
 * The calling thread computes the first block of rows while each worker computes another, and
 * waits for them with Atomics (the call stays synchronous). Operands that are not already in
 * shared memory are copied into shared scratch buffers — O(n²) against the product's O(n³).
 *
 * This file knows no thread API: a ThreadHost is registered for it (the Node entry registers
 * worker_threads; web-threads.ts offers Web Workers where a browser lets the caller block).
 * Without one every product runs on the calling thread. Workers start on first use, and a product
 * below PARALLEL_MIN multiply-adds runs on the calling thread alone.
 */
import { MatrixView } from './gemm';
import { checkBytes } from '../memory';
import { MemoryError } from '../errors';

/** Products smaller than this (m·n·k) are not worth a thread hand-off (~tens of µs). */
export const PARALLEL_MIN = 1 << 22;

/** One block of rows of a product, as a worker receives it (all arrays on shared memory). */
export interface GemmJob {
  /** Run the SIMD kernel (as the calling thread does), so that all rows agree bit for bit. */
  simd: boolean;
  m: number;
  n: number;
  k: number;
  a: Float64Array;
  aOffset: number;
  aRow: number;
  aCol: number;
  b: Float64Array;
  bOffset: number;
  bRow: number;
  bCol: number;
  c: Float64Array;
  cOffset: number;
}

/** A started worker: a way to post it a job, and its shared signal word. */
export interface GemmWorker {
  /** Queues the job; the worker reads it once the signal says 1. */
  post(job: GemmJob): void;
  /** Element 0: 0 idle, 1 job posted, 2 done, 3 failed. */
  signal: Int32Array;
  /** Whether the worker has started and takes jobs (absent: at once). Never blocks. */
  ready?(): boolean;
}

/** What a face provides for threads: their name, how many cores there are, how to start one. */
export interface ThreadHost {
  name: string;
  cores: number;
  start(signal: Int32Array): GemmWorker;
}

type Kernel = (m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number) => void;

let host: ThreadHost | null = null;
let enabled = true;
let pool: GemmWorker[] | null = null;
const scratch = new Map<string, Float64Array>();

/** Registers the source of worker threads (or null for none); later products may use them. */
export function setThreadHost(next: ThreadHost | null): void {
  host = next;
  pool = null;
}

/** Turns the worker threads off (false) or back on; products then run on the calling thread. */
export function setParallel(on: boolean): void {
  enabled = on;
}

/** The number of threads a large product uses (1 when parallelism is off or unavailable). */
export function parallelThreads(): number {
  return host === null || !enabled ? 1 : Math.max(1, Math.min(4, host.cores));
}

/** The registered host's name, or 'none'. */
export function threadHostName(): string {
  return host === null ? 'none' : host.name;
}

/**
 * Starts the workers now rather than at the first large product, and resolves when they take jobs
 * (or after `timeoutMs`). A Web Worker started by a worker needs its parent's event loop to start,
 * so in a browser the threads join only after this has been awaited (ready() does it).
 */
export async function startThreads(timeoutMs = 5000): Promise<void> {
  if (host === null || !enabled) return;
  try {
    pool ??= startPool(host);
  } catch {
    enabled = false;
    return;
  }
  const workers = pool;
  for (let waited = 0; waited < timeoutMs && !workers.every((w) => w.ready?.() ?? true); waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function startPool(h: ThreadHost): GemmWorker[] {
  const workers: GemmWorker[] = [];
  for (let i = 0; i < parallelThreads() - 1; i++) workers.push(h.start(new Int32Array(new SharedArrayBuffer(4))));
  return workers;
}

function isShared(x: Float64Array): boolean {
  return typeof SharedArrayBuffer === 'function' && x.buffer instanceof SharedArrayBuffer;
}

/** A shared copy of (or the shared original) data, from a reusable scratch buffer named by key. */
function shared(key: string, data: Float64Array, length = data.length, copy = true): Float64Array {
  if (isShared(data)) return data;
  let buf = scratch.get(key);
  if (buf === undefined || buf.length < length) {
    checkBytes('matmul', [length], 8 * Math.max(length, 1024), `the shared copy (${key}) for worker threads of a buffer of shape`);
    buf = new Float64Array(new SharedArrayBuffer(8 * Math.max(length, 1024)));
    scratch.set(key, buf);
  }
  if (copy) buf.set(data.subarray(0, length));
  return buf;
}

/**
 * C[cOffset …] (m×n) = A · B with `gemm`, split by rows across the calling thread and the workers
 * when the product is large; bit for bit the same result (each row's sums run in the same order).
 */
export function parallelGemm(gemm: Kernel, simd: boolean, m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number): void {
  if (host === null || !enabled || m * n * k < PARALLEL_MIN || m < 8) {
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  try {
    pool ??= startPool(host);
  } catch {
    enabled = false; // no threads to be had here (e.g. no SharedArrayBuffer): stay on this one
    pool = null;
  }
  const workers = pool === null ? [] : pool.filter((w) => w.ready?.() ?? true);
  if (workers.length === 0) {
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  const parts = workers.length + 1;
  const cShared = isShared(C);
  let a: Float64Array, b: Float64Array, c: Float64Array;
  try {
    a = shared('a', A.data);
    b = shared('b', B.data);
    c = cShared ? C : shared('c', C, m * n, false);
  } catch (e) {
    // No room for the shared copies (over the memory limit, or refused): this thread does it all.
    if (!(e instanceof MemoryError || e instanceof RangeError)) throw e;
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  const c0 = cShared ? cOffset : 0;
  const rowsPer = Math.ceil(m / parts);
  const posted: GemmWorker[] = [];
  for (let w = 0; w < workers.length; w++) {
    const r0 = (w + 1) * rowsPer;
    const rows = Math.min(rowsPer, m - r0);
    if (rows <= 0) break;
    const worker = workers[w]!;
    // The signal flips before the job is posted: a worker that reacts to the message (a Web
    // Worker) can then only move it from 1 to 2, and one that waits on the signal (a Node worker
    // thread) polls its port until the job arrives.
    Atomics.store(worker.signal, 0, 1);
    worker.post({
      simd,
      m: rows, n, k,
      a, aOffset: A.offset + r0 * A.rowStride, aRow: A.rowStride, aCol: A.colStride,
      b, bOffset: B.offset, bRow: B.rowStride, bCol: B.colStride,
      c, cOffset: c0 + r0 * n,
    });
    Atomics.notify(worker.signal, 0);
    posted.push(worker);
  }
  let own: { error: unknown } | null = null;
  try {
    gemm(Math.min(rowsPer, m), n, k, { data: a, offset: A.offset, rowStride: A.rowStride, colStride: A.colStride }, { ...B, data: b }, c, c0);
  } catch (e) {
    own = { error: e }; // thrown once the workers are done, so that none is left holding a job
  }
  let failed = false;
  for (const worker of posted) {
    while (Atomics.load(worker.signal, 0) === 1) Atomics.wait(worker.signal, 0, 1, 1000);
    if (Atomics.load(worker.signal, 0) === 3) failed = true;
    Atomics.store(worker.signal, 0, 0);
  }
  if (own !== null) throw own.error;
  if (failed) {
    // A worker could not compute its rows: fall back to this thread for the whole product.
    enabled = false;
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  if (!cShared) C.set(c.subarray(0, m * n), cOffset);
}
