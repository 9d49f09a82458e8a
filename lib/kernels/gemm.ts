/**
 * General matrix multiply, C = op(A) · op(B), in plain TypeScript: the portable path. Operands are
 * read through (row stride, column stride) views, so a transposed operand is just other strides —
 * the VJPs' Aᵀ G and G Bᵀ never materialise a transpose. The work is blocked for the cache: a KC-deep
 * slice of A is packed into panels of 4 rows and the matching slice of B into panels of 4 columns,
 * contiguous in the order the 4×4 micro-kernel reads them; the micro-kernel keeps its 16 sums in
 * locals (registers) across the whole slice.
 */
import { workspaceGuard } from './gemm-guard';

/** A matrix inside a Float64Array: element (i, j) is data[offset + i·rowStride + j·colStride]. */
export interface MatrixView {
  data: Float64Array;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Depth of one packed slice; 4×4 micro-tiles (MR rows of A by NR columns of B). */
export const KC = 256;
export const MR = 4;
export const NR = 4;

let packA = new Float64Array(0);
let packB = new Float64Array(0);

/** A fresh buffer of packed panels for an m×n product of depth k, checked against the memory limit. */
function panels(values: number, m: number, n: number, k: number): Float64Array<ArrayBuffer> {
  workspaceGuard()?.check('the packed operands', m, n, k, 8 * values);
  return new Float64Array(values);
}

/**
 * Copies rows [0, m) × depth [p0, p0 + kc) of A into panels of MR rows, zero-padded:
 * dest[at + (panel·kc + p)·MR + r]. dest must hold ⌈m/MR⌉·kc·MR values from `at`.
 */
export function packRows(A: MatrixView, m: number, p0: number, kc: number, dest: Float64Array, at: number): void {
  const panels = Math.ceil(m / MR);
  const { data, offset, rowStride, colStride } = A;
  for (let panel = 0; panel < panels; panel++) {
    const base = at + panel * kc * MR;
    for (let r = 0; r < MR; r++) {
      const i = panel * MR + r;
      if (i < m) {
        let src = offset + i * rowStride + p0 * colStride;
        for (let p = 0; p < kc; p++, src += colStride) dest[base + p * MR + r] = data[src]!;
      } else {
        for (let p = 0; p < kc; p++) dest[base + p * MR + r] = 0;
      }
    }
  }
}

/** Copies depth [p0, p0 + kc) × columns [0, n) of B into panels of NR columns: dest[at + (panel·kc + p)·NR + c]. */
export function packCols(B: MatrixView, n: number, p0: number, kc: number, dest: Float64Array, at: number): void {
  const panels = Math.ceil(n / NR);
  const { data, offset, rowStride, colStride } = B;
  for (let panel = 0; panel < panels; panel++) {
    const base = at + panel * kc * NR;
    for (let c = 0; c < NR; c++) {
      const j = panel * NR + c;
      if (j < n) {
        let src = offset + p0 * rowStride + j * colStride;
        for (let p = 0; p < kc; p++, src += rowStride) dest[base + p * NR + c] = data[src]!;
      } else {
        for (let p = 0; p < kc; p++) dest[base + p * NR + c] = 0;
      }
    }
  }
}

/**
 * C[cOffset …] (m×n, row-major, leading dimension n) = A (m×k) · B (k×n), or += when `accumulate`.
 */
export function gemm(m: number, n: number, k: number, A: MatrixView, B: MatrixView, C: Float64Array, cOffset: number, accumulate = false): void {
  if (!accumulate) C.fill(0, cOffset, cOffset + m * n);
  if (k === 0) return;
  const rowPanels = Math.ceil(m / MR);
  const colPanels = Math.ceil(n / NR);
  // Sized for the deepest slice of this product (not KC when k is smaller), so a long thin
  // operand packs into about its own size.
  const kcMax = Math.min(KC, k);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    if (packA.length < rowPanels * kc * MR) packA = panels(rowPanels * kcMax * MR, m, n, k);
    if (packB.length < colPanels * kc * NR) packB = panels(colPanels * kcMax * NR, m, n, k);
    packRows(A, m, p0, kc, packA, 0);
    packCols(B, n, p0, kc, packB, 0);
    const a = packA;
    const b = packB;
    for (let jp = 0; jp < colPanels; jp++) {
      const j0 = jp * NR;
      const cols = Math.min(NR, n - j0);
      for (let ip = 0; ip < rowPanels; ip++) {
        const i0 = ip * MR;
        let ai = ip * kc * MR;
        let bi = jp * kc * NR;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = 0; p < kc; p++, ai += MR, bi += NR) {
          const b0 = b[bi]!, b1 = b[bi + 1]!, b2 = b[bi + 2]!, b3 = b[bi + 3]!;
          let av = a[ai]!;
          c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
          av = a[ai + 1]!;
          c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
          av = a[ai + 2]!;
          c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
          av = a[ai + 3]!;
          c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
        }
        const rows = Math.min(MR, m - i0);
        if (rows === MR && cols === NR) {
          let ci = cOffset + i0 * n + j0;
          C[ci] = C[ci]! + c00; C[ci + 1] = C[ci + 1]! + c01; C[ci + 2] = C[ci + 2]! + c02; C[ci + 3] = C[ci + 3]! + c03;
          ci += n;
          C[ci] = C[ci]! + c10; C[ci + 1] = C[ci + 1]! + c11; C[ci + 2] = C[ci + 2]! + c12; C[ci + 3] = C[ci + 3]! + c13;
          ci += n;
          C[ci] = C[ci]! + c20; C[ci + 1] = C[ci + 1]! + c21; C[ci + 2] = C[ci + 2]! + c22; C[ci + 3] = C[ci + 3]! + c23;
          ci += n;
          C[ci] = C[ci]! + c30; C[ci + 1] = C[ci + 1]! + c31; C[ci + 2] = C[ci + 2]! + c32; C[ci + 3] = C[ci + 3]! + c33;
        } else {
          // An edge tile: write back only the rows and columns inside C.
          const sums = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
          for (let r = 0; r < rows; r++) {
            const ci = cOffset + (i0 + r) * n + j0;
            for (let c = 0; c < cols; c++) C[ci + c] = C[ci + c]! + sums[r * 4 + c]!;
          }
        }
      }
    }
  }
}
