/**
 * Both cores for large matrix products: worker threads that run the same gemm kernel on shared
 * memory. The calling thread computes the first block of rows while each worker computes another,
 * and waits for them with Atomics (the call stays synchronous). Operands that are not already in
 * shared memory are copied into shared scratch buffers — O(n²) against the product's O(n³).
 * Workers start on first use, hold nothing alive (unref), and a product below PARALLEL_MIN
 * multiply-adds runs on the calling thread alone.
 */
import { availableParallelism } from 'os';
import { join } from 'path';
import { MessageChannel, MessagePort, Worker } from 'worker_threads';
import { MatrixView } from './gemm';
import { gemmKernel, usingSimd } from './gemm-select';

/** Products smaller than this (m·n·k) are not worth a thread hand-off (~tens of µs). */
export const PARALLEL_MIN = 1 << 22;

interface Job {
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

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  /** [0]: 0 idle, 1 job posted, 2 done, 3 failed. */
  signal: Int32Array;
}

let pool: PoolWorker[] | null = null;
let disabled = process.env.DELTAGRAPH_THREADS === '0';
const scratch = new Map<string, Float64Array>();

/** Turns the worker threads off (true) or back on; products then run on the calling thread. */
export function setParallel(on: boolean): void {
  disabled = !on;
}

/** The number of threads a large product uses (1 when parallelism is off or unavailable). */
export function parallelThreads(): number {
  return disabled ? 1 : Math.max(1, Math.min(4, availableParallelism()));
}

function startPool(): PoolWorker[] {
  const count = parallelThreads() - 1;
  const workers: PoolWorker[] = [];
  for (let i = 0; i < count; i++) {
    const { port1, port2 } = new MessageChannel();
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(join(__dirname, 'gemm-worker.js'), { workerData: { port: port2, signal }, transferList: [port2] });
    worker.unref();
    port1.unref();
    workers.push({ worker, port: port1, signal });
  }
  return workers;
}

function isShared(x: Float64Array): boolean {
  return x.buffer instanceof SharedArrayBuffer;
}

/** A shared copy of (or the shared original) data, from a reusable scratch buffer named by key. */
function shared(key: string, data: Float64Array, length = data.length, copy = true): Float64Array {
  if (isShared(data)) return data;
  let buf = scratch.get(key);
  if (buf === undefined || buf.length < length) {
    buf = new Float64Array(new SharedArrayBuffer(8 * Math.max(length, 1024)));
    scratch.set(key, buf);
  }
  if (copy) buf.set(data.subarray(0, length));
  return buf;
}

/**
 * C[cOffset …] (m×n) = A · B, split by rows across the calling thread and the workers when the
 * product is large; bit-for-bit the same result as gemm (each row's sums run in the same order).
 */
export function parallelGemm(m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number): void {
  const gemm = gemmKernel();
  if (disabled || m * n * k < PARALLEL_MIN || m < 8) {
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  try {
    pool ??= startPool();
  } catch {
    disabled = true;
  }
  if (pool === null || pool.length === 0) {
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  const parts = pool.length + 1;
  const a = shared('a', A.data);
  const b = shared('b', B.data);
  const cShared = isShared(C);
  const c = cShared ? C : shared('c', C, m * n, false);
  const c0 = cShared ? cOffset : 0;
  const rowsPer = Math.ceil(m / parts);
  const posted: PoolWorker[] = [];
  for (let w = 0; w < pool.length; w++) {
    const r0 = (w + 1) * rowsPer;
    const rows = Math.min(rowsPer, m - r0);
    if (rows <= 0) break;
    const job: Job = {
      simd: usingSimd(),
      m: rows, n, k,
      a, aOffset: A.offset + r0 * A.rowStride, aRow: A.rowStride, aCol: A.colStride,
      b, bOffset: B.offset, bRow: B.rowStride, bCol: B.colStride,
      c, cOffset: c0 + r0 * n,
    };
    const pw = pool[w]!;
    // The message is queued before the signal flips, so a worker that sees 1 finds its job.
    pw.port.postMessage(job);
    Atomics.store(pw.signal, 0, 1);
    Atomics.notify(pw.signal, 0);
    posted.push(pw);
  }
  gemm(Math.min(rowsPer, m), n, k, { data: a, offset: A.offset, rowStride: A.rowStride, colStride: A.colStride }, { ...B, data: b }, c, c0);
  let failed = false;
  for (const pw of posted) {
    while (Atomics.load(pw.signal, 0) === 1) Atomics.wait(pw.signal, 0, 1, 1000);
    if (Atomics.load(pw.signal, 0) === 3) failed = true;
    Atomics.store(pw.signal, 0, 0);
  }
  if (failed) {
    // A worker could not compute its rows: fall back to this thread for the whole product.
    disabled = true;
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  if (!cShared) C.set(c.subarray(0, m * n), cOffset);
}
