/**
 * sin x and cos x computed with float64 additions, multiplications and divisions only, so that
 * every JavaScript engine gives the same bits, for |x| ≤ 2¹⁹·π/2 ≈ 823,550 (beyond that the
 * engine's Math.sin and Math.cos serve: reducing such arguments exactly needs ~1,200 bits of 2/π).
 * The algorithm and its constants are fdlibm's (Sun Microsystems, 1993; freely distributable):
 * x = n·π/2 + (y₀ + y₁) with π/2 in three parts (Cody–Waite), then polynomial kernels on
 * |y| ≤ π/4. Error < 1 ulp.
 */
import { fromWords, highWord } from './words';

const S1 = -1.66666666666666324348e-01;
const S2 = 8.33333333332248946124e-03;
const S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06;
const S5 = -2.50507602534068634195e-08;
const S6 = 1.58969099521155010221e-10;

const C1 = 4.16666666666666019037e-02;
const C2 = -1.38888888888741095749e-03;
const C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07;
const C5 = 2.08757232129817482790e-09;
const C6 = -1.13596475577881948265e-11;

/** sin(x + y) for |x| ≤ π/4, y the tail of x (ignored when exact is false). */
function kernelSin(x: number, y: number, hasTail: boolean): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return x; // |x| < 2⁻²⁷
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (!hasTail) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x + y) for |x| ≤ π/4, y the tail of x. */
function kernelCos(x: number, y: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return 1; // |x| < 2⁻²⁷
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : fromWords(ix - 0x00200000, 0); // x/4, or 0.28125 above 0.78125
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

const INV_PIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00; // the first 33 bits of π/2
const PIO2_1T = 6.07710050650619224932e-11; // π/2 − PIO2_1
const PIO2_2 = 6.07710050630396597660e-11; // the next 33 bits
const PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21; // and the next 33
const PIO2_3T = 8.47842766036889956997e-32;

/** High words of n·π/2 for n = 1 … 32: where the reduction may cancel and needs more bits of π/2. */
const NPIO2_HW = [
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb,
  0x402c463a, 0x402f6a7a, 0x4031475c, 0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb,
  0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c, 0x4042106c, 0x4042d97c,
  0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
];

/** The reduced argument of the last reduce() call: x − n·π/2 = Y0 + Y1. */
let Y0 = 0;
let Y1 = 0;

/** n with x = n·π/2 + Y0 + Y1, |Y0 + Y1| ≤ π/4, for π/4 < |x| ≤ 2¹⁹·π/2. */
function reduce(x: number, hx: number): number {
  const ix = hx & 0x7fffffff;
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: n = ±1
    const sign = hx > 0 ? 1 : -1;
    let z = x - sign * PIO2_1;
    if (ix !== 0x3ff921fb) {
      Y0 = z - sign * PIO2_1T;
      Y1 = (z - Y0) - sign * PIO2_1T;
    } else {
      // x is near π/2: 33 more bits
      z -= sign * PIO2_2;
      Y0 = z - sign * PIO2_2T;
      Y1 = (z - Y0) - sign * PIO2_2T;
    }
    return sign;
  }
  const t = Math.abs(x);
  const n = Math.trunc(t * INV_PIO2 + 0.5);
  let r = t - n * PIO2_1;
  let w = n * PIO2_1T;
  if (n < 32 && ix !== NPIO2_HW[n - 1]) {
    Y0 = r - w; // no cancellation possible
  } else {
    const j = ix >> 20;
    Y0 = r - w;
    if (j - ((highWord(Y0) >> 20) & 0x7ff) > 16) {
      // cancellation: a second round, good to 118 bits
      let u = r;
      w = n * PIO2_2;
      r = u - w;
      w = n * PIO2_2T - ((u - r) - w);
      Y0 = r - w;
      if (j - ((highWord(Y0) >> 20) & 0x7ff) > 49) {
        // and a third, good to 151 bits
        u = r;
        w = n * PIO2_3;
        r = u - w;
        w = n * PIO2_3T - ((u - r) - w);
        Y0 = r - w;
      }
    }
  }
  Y1 = (r - Y0) - w;
  if (hx < 0) {
    Y0 = -Y0;
    Y1 = -Y1;
    return -n;
  }
  return n;
}

/** Largest high word reduced here: |x| ≈ 2¹⁹·π/2. */
const MEDIUM = 0x413921fb;

/** sin x, identical in every engine for |x| ≤ 2¹⁹·π/2. */
export function sin(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, false);
  if (ix > MEDIUM) return ix >= 0x7ff00000 ? NaN : Math.sin(x);
  switch (reduce(x, hx) & 3) {
    case 0: return kernelSin(Y0, Y1, true);
    case 1: return kernelCos(Y0, Y1);
    case 2: return -kernelSin(Y0, Y1, true);
    default: return -kernelCos(Y0, Y1);
  }
}

/** cos x, identical in every engine for |x| ≤ 2¹⁹·π/2. */
export function cos(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0);
  if (ix > MEDIUM) return ix >= 0x7ff00000 ? NaN : Math.cos(x);
  switch (reduce(x, hx) & 3) {
    case 0: return kernelCos(Y0, Y1);
    case 1: return -kernelSin(Y0, Y1, true);
    case 2: return -kernelCos(Y0, Y1);
    default: return kernelSin(Y0, Y1, true);
  }
}
