/**
 * Web Workers for large matrix products in browsers. The product splits synchronously: the calling
 * thread posts row blocks and blocks on Atomics.wait, which a browser allows only off the main
 * thread and with SharedArrayBuffer, that is in a worker of a cross-origin-isolated page (served
 * with COOP: same-origin and COEP: require-corp). There, this host starts workers from a Blob of
 * the bundled worker script; everywhere else (a page's main thread, Node) it is not offered.
 * A worker's own workers start only while it yields to its event loop: `await ready()` once.
 */
import { GemmJob, ThreadHost } from './gemm-pool';
import { GEMM_WEB_WORKER_SOURCE } from './gemm-web-worker-source';

/** The browser globals this needs, declared here so that lib/ compiles without the DOM types. */
interface WebGlobals {
  crossOriginIsolated?: boolean;
  WorkerGlobalScope?: unknown;
  navigator?: { hardwareConcurrency?: number };
  Worker?: new (url: string) => { postMessage(message: unknown): void };
  Blob?: new (parts: string[], options: { type: string }) => unknown;
  URL?: { createObjectURL(blob: unknown): string };
}

/** Web Workers as a ThreadHost, where the calling thread may block on them; else null. */
export function webWorkersHost(): ThreadHost | null {
  const g = globalThis as WebGlobals;
  const { Worker, Blob, URL } = g;
  if (g.crossOriginIsolated !== true || g.WorkerGlobalScope === undefined || Worker === undefined || Blob === undefined || URL === undefined) return null;
  let script: string | null = null;
  return {
    name: 'web-workers',
    cores: g.navigator?.hardwareConcurrency ?? 1,
    start(signal: Int32Array) {
      script ??= URL.createObjectURL(new Blob([GEMM_WEB_WORKER_SOURCE], { type: 'text/javascript' }));
      const worker = new Worker(script);
      worker.postMessage({ signal });
      // The worker answers its first message by raising the signal to 2. It cannot start while
      // this thread blocks, so nothing waits for it here: it takes jobs once it has answered.
      let started = false;
      const ready = () => {
        if (!started && Atomics.load(signal, 0) === 2) {
          Atomics.store(signal, 0, 0);
          started = true;
        }
        return started;
      };
      return { signal, ready, post: (job: GemmJob) => worker.postMessage(job) };
    },
  };
}
