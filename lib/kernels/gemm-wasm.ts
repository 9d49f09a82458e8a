/**
 * The matrix product's inner loops in WebAssembly with SIMD (build/gemm.wasm, compiled from
 * assembly/gemm.ts by AssemblyScript when the project is installed). The host packs operand
 * slices straight into the module's memory — the same panels as the TypeScript kernel — and the
 * module's 4×4 vector micro-kernel accumulates C there. When the module is missing or the engine
 * lacks SIMD, wasmGemm is null and the TypeScript kernel is used.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { KC, MR, NR, MatrixView, packCols, packRows } from './gemm';

type GemmPacked = (pa: number, pb: number, rowPanels: number, colPanels: number, kc: number, pc: number, m: number, n: number) => void;

/** Where the host's buffers start in the module's memory: past its own static data (one page). */
const BASE = 65536;
/** Rows of A packed at a time: MC × KC float64 values (128 KiB) stay in the L2 cache. */
const MC = 64;
/** The micro-kernel's scratch for edge tiles: 128 bytes just below packed A. */
const SCRATCH = 128;

function load(): { kernel: GemmPacked; memory: WebAssembly.Memory } | null {
  const path = join(__dirname, '..', '..', 'build', 'gemm.wasm');
  if (process.env.DELTAGRAPH_WASM === '0' || !existsSync(path)) return null;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), { env: { abort: () => undefined } });
    const { gemmPacked, memory } = instance.exports as { gemmPacked: GemmPacked; memory: WebAssembly.Memory };
    return { kernel: gemmPacked, memory };
  } catch {
    return null; // no SIMD in this engine, or a damaged file: the TypeScript kernel takes over
  }
}

const simd = load();

/** Grows the module's memory to hold `bytes` from BASE; returns a fresh view of it. */
function heap(bytes: number): Float64Array {
  const memory = simd!.memory;
  const need = BASE + bytes;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  return new Float64Array(memory.buffer);
}

/** Rounds a count of float64 values up to a multiple of 2 (16-byte alignment for vector loads). */
const align = (values: number) => values + (values & 1);

/**
 * C[cOffset …] (m×n, row-major) = A · B through the SIMD micro-kernel. For each KC-deep slice, B
 * is packed once; A is packed MC rows at a time, so that the block of A the micro-kernel sweeps
 * across all of B's panels stays in the L2 cache.
 */
function gemmSimd(m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number): void {
  const colPanels = Math.ceil(n / NR);
  const kcMax = Math.min(KC, k);
  const aValues = align(Math.ceil(Math.min(MC, m) / MR) * kcMax * MR);
  const bValues = align(colPanels * kcMax * NR);
  const cValues = m * n;
  const view = heap(SCRATCH + 8 * (aValues + bValues + cValues));
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
      simd!.kernel(aAt * 8, bAt * 8, Math.ceil(mc / MR), colPanels, kc, (cAt + i0 * n) * 8, mc, n);
    }
  }
  C.set(view.subarray(cAt, cAt + cValues), cOffset);
}

/** The SIMD kernel, or null when it cannot run here. */
export const wasmGemm: typeof gemmSimd | null = simd === null ? null : gemmSimd;
