/**
 * The kernels' one door: which matrix-product kernel runs (WebAssembly SIMD or TypeScript) and on
 * how many threads, chosen here and reported by kernelInfo(). Both kernels compute every element's
 * sum in the same order, and the threaded product splits by rows, so every choice gives the same
 * bits. Nothing here reads the environment: a face (the Node entry, a test set-up) configures it.
 */
import { MatrixView, gemm } from './gemm';
import { loadSimdAsync, simdLoaded, wasmGemm } from './gemm-wasm';
import { parallelThreads, threadHostName } from './gemm-pool';

type Gemm = (m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number) => void;

/** What the kernels run on, as kernelInfo() reports it. */
export interface KernelInfo {
  /** The matrix-product kernel in use. */
  matmul: 'wasm-simd' | 'typescript';
  /** Whether the WebAssembly SIMD kernel is loaded in this thread (it may be switched off). */
  simdAvailable: boolean;
  /** Threads a large matrix product runs on (1: the calling thread alone). */
  threads: number;
  /** Where the extra threads come from: 'worker_threads' in Node, 'none' when there are none. */
  threadHost: string;
}

let wantSimd = true;

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
 * Resolves once the fastest kernel this environment allows is loaded. Where a synchronous
 * WebAssembly compile was refused at import, this compiles the SIMD kernel asynchronously; until it
 * resolves, the TypeScript kernel serves (with the same results). Elsewhere it resolves at once.
 */
export async function ready(): Promise<KernelInfo> {
  await loadSimdAsync();
  return kernelInfo();
}
