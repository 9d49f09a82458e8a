/**
 * The kernels' Node set-up: worker threads for large matrix products, and the environment
 * switches DELTAGRAPH_WASM=0 (TypeScript matmul kernel) and DELTAGRAPH_THREADS=0 (one thread),
 * read once when the Node entry loads.
 */
import { availableParallelism } from 'os';
import { join } from 'path';
import { MessageChannel, Worker } from 'worker_threads';
import { GemmJob, ThreadHost, setThreadHost, useSimd } from '../lib/kernels';
import { ArgumentError, describe } from '../lib/errors';

/** Worker threads running node/gemm-worker.js, each with its own message port and signal word. */
export const workerThreadsHost: ThreadHost = {
  name: 'worker_threads',
  cores: availableParallelism(),
  start(signal: Int32Array) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(join(__dirname, 'gemm-worker.js'), { workerData: { port: port2, signal }, transferList: [port2] });
    // Idle workers must not keep the process alive.
    worker.unref();
    port1.unref();
    return { signal, post: (job: GemmJob) => port1.postMessage(job) };
  },
};

/** Applies DELTAGRAPH_WASM and DELTAGRAPH_THREADS, and registers the worker threads unless switched off. */
export function configureNodeKernels(env: Record<string, string | undefined> = process.env): void {
  if (env === null || typeof env !== 'object') throw new ArgumentError(`configureNodeKernels: env must be an object of environment variables (such as process.env), got ${describe(env)}`);
  if (env.DELTAGRAPH_WASM === '0') useSimd(false);
  setThreadHost(env.DELTAGRAPH_THREADS === '0' ? null : workerThreadsHost);
}
