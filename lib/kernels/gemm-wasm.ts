/**
 * The matrix product's inner loops in WebAssembly with SIMD (assembly/gemm.ts, compiled by
 * AssemblyScript; its bytes travel inside the JavaScript as gemm-wasm-bytes.ts, so no file system,
 * fetch or bundler rule is needed). The host packs operand slices straight into the module's
 * memory — the same panels as the TypeScript kernel — and the module's 4×4 vector micro-kernel
 * accumulates C there.
 *
 * The module is compiled synchronously on import. An engine without SIMD, or one that refuses a
 * synchronous compile (a browser's main thread may, a strict Content-Security-Policy does), leaves
 * the kernel unloaded: the TypeScript kernel serves, and loadSimdAsync() can bring SIMD in later.
 */
import { KC, MR, NR, MatrixView, gemm, packCols, packRows } from './gemm';
import { GEMM_WASM_BASE64 } from './gemm-wasm-bytes';
import { workspaceGuard } from './gemm-guard';

type GemmPacked = (pa: number, pb: number, rowPanels: number, colPanels: number, kc: number, pc: number, m: number, n: number) => void;

interface SimdModule {
  kernel: GemmPacked;
  memory: WebAssembly.Memory;
}

/** Where the host's buffers start in the module's memory: past its own static data (one page). */
const BASE = 65536;
/** Rows of A packed at a time: MC × KC float64 values (128 KiB) stay in the L2 cache. */
const MC = 64;
/** The micro-kernel's scratch for edge tiles: 128 bytes just below packed A. */
const SCRATCH = 128;

/** The kernel's bytes, decoded from base64 with atob (a global in Node ≥ 16, browsers and workers). */
function kernelBytes(): Uint8Array<ArrayBuffer> {
  const text = atob(GEMM_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function instantiate(module: WebAssembly.Module): SimdModule {
  const instance = new WebAssembly.Instance(module, { env: { abort: () => undefined } });
  const { gemmPacked, memory } = instance.exports as { gemmPacked: GemmPacked; memory: WebAssembly.Memory };
  return { kernel: gemmPacked, memory };
}

function loadSync(): SimdModule | null {
  if (typeof WebAssembly !== 'object') return null;
  try {
    return instantiate(new WebAssembly.Module(kernelBytes()));
  } catch {
    return null; // no SIMD in this engine, or a synchronous compile refused: TypeScript serves
  }
}

let simd: SimdModule | null = loadSync();
let pending: Promise<boolean> | null = null;

/**
 * Compiles the module asynchronously when the synchronous compile did not succeed; resolves to
 * whether the SIMD kernel is loaded. Calling it again returns the same promise.
 */
export function loadSimdAsync(): Promise<boolean> {
  if (simd !== null) return Promise.resolve(true);
  if (typeof WebAssembly !== 'object') return Promise.resolve(false);
  pending ??= WebAssembly.compile(kernelBytes()).then(
    (module) => {
      simd = instantiate(module);
      return true;
    },
    () => false,
  );
  return pending;
}

/** True when the SIMD module is compiled and instantiated in this thread. */
export function simdLoaded(): boolean {
  return simd !== null;
}

/** The most a 32-bit WebAssembly memory can hold: 65,536 pages of 64 KiB (4 GiB). */
export const WASM_MAX_BYTES = 65536 * 65536;

/**
 * Grows the module's memory to hold `bytes` from BASE, for an m×n product of depth k; returns a
 * fresh view of it. On the calling thread the guard (backend.ts) checks the growth against the
 * memory limit first and turns an engine's refusal to grow (a RangeError) into a MemoryError
 * naming matmul and the shape.
 */
function heap(module: SimdModule, bytes: number, m: number, n: number, k: number): Float64Array {
  const memory = module.memory;
  const need = BASE + bytes;
  const have = memory.buffer.byteLength;
  if (have < need) {
    const guard = workspaceGuard();
    guard?.check('the WebAssembly workspace', m, n, k, need);
    try {
      memory.grow(Math.ceil((need - have) / 65536));
    } catch (e) {
      if (guard !== null && e instanceof RangeError) throw guard.refused(e, m, n, k, need);
      throw e;
    }
  }
  return new Float64Array(memory.buffer);
}

/** Rounds a count of float64 values up to a multiple of 2 (16-byte alignment for vector loads). */
const align = (values: number) => values + (values & 1);

/**
 * C[cOffset …] (m×n, row-major) = A · B through the SIMD micro-kernel. For each KC-deep slice, B
 * is packed once; A is packed MC rows at a time, so that the block of A the micro-kernel sweeps
 * across all of B's panels stays in the L2 cache. Call only when simdLoaded().
 */
export function wasmGemm(m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number): void {
  const module = simd!;
  const colPanels = Math.ceil(n / NR);
  const kcMax = Math.min(KC, k);
  const aValues = align(Math.ceil(Math.min(MC, m) / MR) * kcMax * MR);
  const bValues = align(colPanels * kcMax * NR);
  const cValues = m * n;
  const bytes = SCRATCH + 8 * (aValues + bValues + cValues);
  if (BASE + bytes > WASM_MAX_BYTES) {
    // More than a 32-bit WebAssembly memory can address: the TypeScript kernel (the same bits) writes C in place.
    gemm(m, n, k, A, B, C, cOffset);
    return;
  }
  const view = heap(module, bytes, m, n, k);
  const aAt = (BASE + SCRATCH) / 8;
  const bAt = aAt + aValues;
  const cAt = bAt + bValues;
  view.fill(0, cAt, cAt + cValues);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    packCols(B, n, p0, kc, view, bAt);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      packRows({ ...A, offset: A.offset + i0 * A.rowStride }, mc, p0, kc, view, aAt);
      module.kernel(aAt * 8, bAt * 8, Math.ceil(mc / MR), colPanels, kc, (cAt + i0 * n) * 8, mc, n);
    }
  }
  C.set(view.subarray(cAt, cAt + cValues), cOffset);
}
