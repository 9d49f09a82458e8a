/**
 * eˣ computed with float64 additions, multiplications and divisions only, so that every JavaScript
 * engine gives the same bits (engines' Math.exp differ in the last bit). The algorithm and its
 * constants are fdlibm's (Sun Microsystems, 1993; freely distributable): reduce x = k·ln2 + r with
 * |r| ≤ ln2/2, approximate eʳ by a degree-5 minimax rational form, scale by 2ᵏ. Error < 1 ulp.
 */
import { LN2_HI, LN2_LO } from './log';
import { fromWords } from './words';

/** 1/ln 2. */
export const INV_LN2 = 1.44269504088896338700e+00;
/** The rational form's polynomial (pow's too): eʳ = 1 + r + r·c/(2 − c), c = r − r²·(P1 + P2·r² + … + P5·r⁸). */
export const P1 = 1.66666666666666019037e-01;
export const P2 = -2.77777777770155933842e-03;
export const P3 = 6.61375632143793436117e-05;
export const P4 = -1.65339022054652515390e-06;
export const P5 = 4.13813679705723846039e-08;
/** ln(the largest double): eˣ overflows above it (and eˣ − 1 with it). */
export const OVERFLOW = 7.09782712893383973096e+02;
const UNDERFLOW = -7.45133219101941108420e+02;
export const TWO_M1000 = 9.33263618503218878990e-302; // 2⁻¹⁰⁰⁰

/** |x| thresholds of fdlibm's high-word tests, as doubles (high word h, low word 0). */
const BIG = fromWords(0x40862e42, 0); // ≈ 709.78: overflow and underflow tests from here
export const HALF_LN2 = fromWords(0x3fd62e43, 0); // just above ln2/2: reduce from here
const THREE_HALVES_LN2 = fromWords(0x3ff0a2b2, 0); // ≈ 1.5·ln2: k = ±1 below
const TINY = fromWords(0x3e300000, 0); // 2⁻²⁸

/**
 * 2ᵏ for k in [−1022, 1023], as POW2[k + 1022], so that y·2ᵏ (exact for a normal result) is one
 * multiplication.
 */
export const POW2 = Float64Array.from({ length: 2046 }, (_, i) => fromWords((i + 1) << 20, 0));

/**
 * The k of the reduction x = k·ln2 + r, |r| ≤ ln2/2, for |x| ≥ HALF_LN2 (exp's and expm1's): ±1
 * below 1.5·ln2, else the integer nearest x/ln2. Then r = hi − lo with hi = x − k·LN2_HI (exact:
 * LN2_HI has trailing zeros) and lo = k·LN2_LO.
 */
export function ln2Multiple(x: number): number {
  if (Math.abs(x) < THREE_HALVES_LN2) return x < 0 ? -1 : 1;
  return Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
}

/** eˣ, identical in every engine. */
export function exp(x: number): number {
  if (x === 1) return Math.E; // the correctly rounded value, where the algorithm is 1 ulp above
  const ax = Math.abs(x);
  if (!(ax < BIG)) {
    if (x !== x) return x;
    if (x > OVERFLOW) return Infinity;
    if (x < UNDERFLOW) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax >= HALF_LN2) {
    k = ln2Multiple(x);
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
    x = hi - lo;
  } else if (ax < TINY) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - ((lo - (x * c) / (2 - c)) - hi);
  // y·2ᵏ: exact while the result is a normal number; 2¹⁰²⁴ itself is not a double, and below
  // 2⁻¹⁰²¹ the product goes through 2⁻¹⁰⁰⁰ so that it rounds once, as a subnormal.
  if (k >= -1021) return k < 1024 ? y * POW2[k + 1022]! : y * 2 * POW2[1023 + 1022]!;
  return y * POW2[k + 1000 + 1022]! * TWO_M1000;
}
