/**
 * Which matrix-product kernel runs: the WebAssembly SIMD one when it loaded, else the TypeScript
 * one. Both compute every element's sum in the same order, so they agree bit for bit; tests and
 * benchmarks switch between them with useSimd.
 */
import { MatrixView, gemm } from './gemm';
import { wasmGemm } from './gemm-wasm';

type Gemm = (m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number) => void;

let current: Gemm = wasmGemm ?? gemm;

/** The kernel in use. */
export function gemmKernel(): Gemm {
  return current;
}

/** Selects the SIMD kernel (if it loaded; returns whether it is now in use) or the TypeScript one. */
export function useSimd(on: boolean): boolean {
  current = on && wasmGemm !== null ? wasmGemm : gemm;
  return current === wasmGemm;
}

/** True when the WebAssembly SIMD kernel is available in this process. */
export function simdAvailable(): boolean {
  return wasmGemm !== null;
}

/** True when the SIMD kernel is the one in use. */
export function usingSimd(): boolean {
  return current === wasmGemm;
}
