/**
 * ln x computed with float64 additions, multiplications and divisions only, so that every
 * JavaScript engine gives the same bits. The algorithm and its constants are fdlibm's (Sun
 * Microsystems, 1993; freely distributable): x = 2ᵏ(1 + f) with √2/2 < 1 + f < √2, then
 * ln(1 + f) = 2s + s·R(s²) with s = f/(2 + f) and R a degree-14 minimax polynomial. Error < 1 ulp.
 */
import { highWord, lowWord, withHighWord } from './words';

/** ln 2 in two parts: the high one has trailing zero bits, so that k·LN2_HI is exact for |k| < 2¹¹. */
export const LN2_HI = 6.93147180369123816490e-01;
export const LN2_LO = 1.90821492927058770002e-10;
export const TWO54 = 1.80143985094819840000e+16;
/** The coefficients of R(s²) ≈ (ln(1 + f) − 2s)/s, shared with log1p. */
export const LG1 = 6.666666666666735130e-01;
export const LG2 = 3.999999999940941908e-01;
export const LG3 = 2.857142874366239149e-01;
export const LG4 = 2.222219843214978396e-01;
export const LG5 = 1.818357216161805012e-01;
export const LG6 = 1.531383769920937332e-01;
export const LG7 = 1.479819860511658591e-01;

/** ln x, identical in every engine. */
export function log(x: number): number {
  let hx = highWord(x);
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2⁻¹⁰²², zero, negative or NaN with the sign bit set
    if (((hx & 0x7fffffff) | lowWord(x)) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54; // a subnormal: scale it up into the normal range
    x *= TWO54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000)); // x or x/2, whichever lies in [√2/2, √2)
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2⁻²⁰
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - ((r - k * LN2_LO) - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - ((s * (f - r) - k * LN2_LO) - f);
}
