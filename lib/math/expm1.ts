/**
 * eˣ − 1, accurate for small x, computed with float64 additions, multiplications and divisions
 * only, so that every JavaScript engine gives the same bits (engines' Math.expm1 differ in the last
 * bit). The algorithm and its constants are fdlibm's (Sun Microsystems, 1993; freely
 * distributable): reduce x = k·ln2 + r with |r| ≤ ln2/2 and a correction c for the rounding of r;
 * r(eʳ + 1)/(eʳ − 1) = 2 + r²/6·R₁(r²) with R₁ a degree-5 minimax polynomial gives
 * eʳ − 1 = r + r²/2 + r³/2·(3 − (R₁ + R₁r/2))/(6 − r(3 − R₁r/2)); then eˣ − 1 = 2ᵏ(eʳ − 1 + 1) − 1,
 * grouped for each range of k so that the subtraction of 1 loses nothing. Error < 1 ulp.
 */
import { HALF_LN2, OVERFLOW, POW2, ln2Multiple } from './exp';
import { LN2_HI, LN2_LO } from './log';
import { fromWords } from './words';

/** The coefficients of R₁, each scaled by 2ⁱ so that the polynomial runs in x²/2 rather than x². */
const Q1 = -3.33333333333331316428e-02;
const Q2 = 1.58730158725481460165e-03;
const Q3 = -7.93650757867487942473e-05;
const Q4 = 4.00821782732936239552e-06;
const Q5 = -2.01099218183624371326e-07;

/** |x| thresholds of fdlibm's high-word tests, as doubles (high word h, low word 0). */
const BIG = fromWords(0x4043687a, 0); // ≈ 56·ln2: e⁻ˣ is below half an ulp of 1 from here
const TINY = fromWords(0x3c900000, 0); // 2⁻⁵⁴

/** eˣ − 1, identical in every engine. */
export function expm1(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < BIG)) {
    if (x !== x) return x;
    if (x > OVERFLOW) return Infinity;
    if (x < 0) return -1; // eˣ < 2⁻⁵⁶: −1 is the nearest double (−∞ included)
  }
  let k = 0;
  let c = 0;
  if (ax >= HALF_LN2) {
    k = ln2Multiple(x);
    const hi = x - k * LN2_HI; // exact: LN2_HI has trailing zeros
    const lo = k * LN2_LO;
    x = hi - lo;
    c = (hi - x) - lo; // what the rounding of hi − lo lost
  } else if (ax < TINY) {
    return x; // x + x²/2 rounds to x, ±0 included
  }
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs); // c is 0
  e = x * (e - c) - c;
  e -= hxs;
  // eˣ − 1 = 2ᵏ(1 + x − e) − 1, grouped per k so that the large terms cancel exactly.
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  if (k <= -2 || k > 56) {
    // the − 1 is below the rounding of 2ᵏ(…), or absorbs it entirely
    const y = 1 - (e - x);
    return (k === 1024 ? y * 2 * POW2[1023 + 1022]! : y * POW2[k + 1022]!) - 1;
  }
  const twoToK = POW2[k + 1022]!;
  if (k < 20) return (1 - POW2[1022 - k]! - (e - x)) * twoToK; // 1 − 2⁻ᵏ is exact
  return (x - (e + POW2[1022 - k]!) + 1) * twoToK;
}
