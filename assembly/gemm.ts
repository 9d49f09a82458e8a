// The inner loops of the matrix product, for WebAssembly with 128-bit SIMD (two float64 lanes).
// The host packs a KC-deep slice of A into panels of 4 rows and of B into panels of 4 columns
// (the layout of lib/kernels/gemm.ts); this adds op(A)·op(B) of the slice into C, 4×4 tiles at a
// time, the 16 sums held in 8 vector registers.

/**
 * C[i·n + j] += Σ_p A[i, p] B[p, j] over the packed slice: pa holds rowPanels panels of kc×4
 * values, pb colPanels panels of kc×4, C is m×n row-major at pc (byte addresses).
 */
export function gemmPacked(pa: usize, pb: usize, rowPanels: i32, colPanels: i32, kc: i32, pc: usize, m: i32, n: i32): void {
  const panelBytes = <usize>kc * 32;
  for (let jp = 0; jp < colPanels; jp++) {
    const j0 = jp * 4;
    const cols = min(4, n - j0);
    for (let ip = 0; ip < rowPanels; ip++) {
      const i0 = ip * 4;
      let a = pa + <usize>ip * panelBytes;
      let b = pb + <usize>jp * panelBytes;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
      let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      for (let p = 0; p < kc; p++) {
        const b01 = v128.load(b);
        const b23 = v128.load(b, 16);
        let av = v128.load64_splat(a);
        c00 = f64x2.add(c00, f64x2.mul(av, b01));
        c01 = f64x2.add(c01, f64x2.mul(av, b23));
        av = v128.load64_splat(a, 8);
        c10 = f64x2.add(c10, f64x2.mul(av, b01));
        c11 = f64x2.add(c11, f64x2.mul(av, b23));
        av = v128.load64_splat(a, 16);
        c20 = f64x2.add(c20, f64x2.mul(av, b01));
        c21 = f64x2.add(c21, f64x2.mul(av, b23));
        av = v128.load64_splat(a, 24);
        c30 = f64x2.add(c30, f64x2.mul(av, b01));
        c31 = f64x2.add(c31, f64x2.mul(av, b23));
        a += 32;
        b += 32;
      }
      const rows = min(4, m - i0);
      if (rows == 4 && cols == 4) {
        let c = pc + (<usize>i0 * <usize>n + <usize>j0) * 8;
        const stride = <usize>n * 8;
        v128.store(c, f64x2.add(v128.load(c), c00));
        v128.store(c, f64x2.add(v128.load(c, 16), c01), 16);
        c += stride;
        v128.store(c, f64x2.add(v128.load(c), c10));
        v128.store(c, f64x2.add(v128.load(c, 16), c11), 16);
        c += stride;
        v128.store(c, f64x2.add(v128.load(c), c20));
        v128.store(c, f64x2.add(v128.load(c, 16), c21), 16);
        c += stride;
        v128.store(c, f64x2.add(v128.load(c), c30));
        v128.store(c, f64x2.add(v128.load(c, 16), c31), 16);
      } else {
        // An edge tile: spill the sums and add back only the rows and columns inside C.
        const t = pa - 128; // scratch: the host leaves 128 bytes free below the packed A
        v128.store(t, c00); v128.store(t, c01, 16);
        v128.store(t, c10, 32); v128.store(t, c11, 48);
        v128.store(t, c20, 64); v128.store(t, c21, 80);
        v128.store(t, c30, 96); v128.store(t, c31, 112);
        for (let r = 0; r < rows; r++) {
          for (let cc = 0; cc < cols; cc++) {
            const at = pc + (<usize>(i0 + r) * <usize>n + <usize>(j0 + cc)) * 8;
            store<f64>(at, load<f64>(at) + load<f64>(t + <usize>(r * 4 + cc) * 8));
          }
        }
      }
    }
  }
}
