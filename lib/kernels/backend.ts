/**
 * The kernels' one door: which matrix-product kernel runs (WebAssembly SIMD or TypeScript) and on
 * how many threads, chosen here and reported by kernelInfo(). Both kernels compute every element's
 * sum in the same order, and the threaded product splits by rows, so every choice gives the same
 * bits. Nothing here reads the environment: a face (the Node entry, a test set-up) configures it.
 */
import { MatrixView, gemm } from './gemm';
import { loadSimdAsync, simdLoaded, wasmGemm } from './gemm-wasm';
import { parallelThreads, setThreadHost, startThreads, threadHostName } from './gemm-pool';
import { webWorkersHost } from './web-threads';
import { setWorkspaceGuard } from './gemm-guard';
import { MemoryError } from '../errors';
import { formatBytes, memoryError, memoryLimit, memoryLimitOrigin } from '../memory';

type Gemm = (m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number) => void;

/** What the kernels run on, as kernelInfo() reports it. */
export interface KernelInfo {
  /** The matrix-product kernel in use. */
  matmul: 'wasm-simd' | 'typescript';
  /** Whether the WebAssembly SIMD kernel is loaded in this thread (it may be switched off). */
  simdAvailable: boolean;
  /** Threads a large matrix product runs on (1: the calling thread alone). */
  threads: number;
  /** Where the extra threads come from: 'worker_threads' in Node, 'web-workers' in an isolated page's worker, else 'none'. */
  threadHost: string;
}

let wantSimd = true;

// In a worker of a cross-origin-isolated page, Web Workers can share large products (web-threads.ts).
const web = webWorkersHost();
if (web !== null) setThreadHost(web);

// The gemm workspaces of this thread are checked against the memory budget (workers are not:
// the calling thread checked the product).
setWorkspaceGuard({
  check(what, m, n, k, bytes) {
    if (bytes > memoryLimit()) throw memoryError('matmul', [m, n], bytes, `${what} (depth k = ${k}) of a product of shape`);
  },
  refused(error, m, n, k, bytes) {
    return new MemoryError(
      `matmul: the WebAssembly workspace (depth k = ${k}) of a product of shape [${m}, ${n}] needs ${formatBytes(bytes)} (${bytes} bytes), ` +
        `which the engine refused to give (${error.message}); the memory limit of ${formatBytes(memoryLimit())} (${memoryLimitOrigin()}) ` +
        'is more than this engine can allocate now: use smaller sizes, free memory, or lower the limit with setMemoryLimit(bytes) or ' +
        'DELTAGRAPH_MEMORY_LIMIT so that such requests fail at once',
      'matmul',
      [m, n],
      bytes,
      memoryLimit(),
    );
  },
});

/** The kernel in use. */
export function gemmKernel(): Gemm {
  return wantSimd && simdLoaded() ? wasmGemm : gemm;
}

/** Selects the SIMD kernel (if it loaded; returns whether it is now in use) or the TypeScript one. */
export function useSimd(on: boolean): boolean {
  wantSimd = on;
  return usingSimd();
}

/** True when the WebAssembly SIMD kernel is loaded in this thread. */
export function simdAvailable(): boolean {
  return simdLoaded();
}

/** True when the SIMD kernel is the one in use. */
export function usingSimd(): boolean {
  return wantSimd && simdLoaded();
}

/**
 * Which matrix-product kernel runs and on how many threads:
 * `{ matmul: 'wasm-simd' | 'typescript', simdAvailable, threads, threadHost }`.
 */
export function kernelInfo(): KernelInfo {
  return { matmul: usingSimd() ? 'wasm-simd' : 'typescript', simdAvailable: simdLoaded(), threads: parallelThreads(), threadHost: threadHostName() };
}

/**
 * Resolves once the fastest kernels this environment allows are loaded and their threads started.
 * Where a synchronous WebAssembly compile was refused at import, this compiles the SIMD kernel
 * asynchronously; in a worker of a cross-origin-isolated page it starts the Web Workers that share
 * large products (they cannot start while the caller computes). Until then the TypeScript kernel
 * and one thread serve, with the same results. Elsewhere it resolves at once.
 */
export async function ready(): Promise<KernelInfo> {
  await Promise.all([loadSimdAsync(), startThreads()]);
  return kernelInfo();
}
