/**
 * xʸ (Math.pow and the ** operator) computed with float64 additions, multiplications and
 * divisions only, so that every JavaScript engine gives the same bits (engines' Math.pow differ in
 * the last bit). The algorithm and its constants are fdlibm's e_pow.c (Sun Microsystems, 1993;
 * freely distributable), with ECMAScript's special cases, as V8 has it:
 *   1. log₂|x| = t₁ + t₂ to about 70 bits, t₁ with its low 32 bits zero: |x| = 2ⁿ·a with a in
 *      [√3/2, √3) and b = 1 or 1.5 the nearer point, s = (a − b)/(a + b), then
 *      log₂ a = log₂ b + 2/(3 ln 2)·s(3 + s² + s⁴·L(s²)) (3/2 of ln((1 + s)/(1 − s)) in powers of
 *      s), the products done in high and low halves whose products are exact; near x = 1 with
 *      |y| > 2³¹, log x = t − t²/2 + t³/3 − t⁴/4 with t = x − 1 instead;
 *   2. y·log₂|x| = m + z with m an integer and |z| ≤ 1/2, y split as t₁ is so that y₁·t₁ is exact;
 *   3. xʸ = ±2ᵐ·e^(z·ln 2), e^w by the rational form of exp.
 * Error < 1 ulp; integer powers of integers are exact when the result is a double.
 * ECMAScript's special cases differ from C99's: 1^±∞ and (−1)^±∞ are NaN, and so is 1^NaN.
 */
import { INV_LN2, P1, P2, P3, P4, P5, POW2, TWO_M1000 } from './exp';
import { fromWords, highWord } from './words';

/** log₂ of the two reduction points 1 and 1.5, in a high and a low part. */
const DP_H = 5.84962487220764160156e-01; // log₂ 1.5, its low 32 bits zero
const DP_L = 1.35003920212974897128e-08;
const TWO53 = 9007199254740992;
const TWO_M19 = 1.9073486328125e-6;
const TWO_M20 = 9.5367431640625e-7;
/** L(s²) ≈ (3/2)(ln((1 + s)/(1 − s)) − 2s − 2s³/3)/s⁵: a degree-5 minimax polynomial. */
const L1 = 5.99999999999994648725e-01;
const L2 = 4.28571428578550184252e-01;
const L3 = 3.33333329818377432918e-01;
const L4 = 2.72728123808534006489e-01;
const L5 = 2.30660745775561754067e-01;
const L6 = 2.06975017800338417784e-01;
/** ln 2, and in two parts, the high one with its low 32 bits zero. */
const LG2 = 6.93147180559945286227e-01;
const LG2_H = 6.93147182464599609375e-01;
const LG2_L = -1.90465429995776804525e-09;
/** −(1024 − log₂(the largest double + ½ ulp)): how far above 1024 y·log₂|x| may round and still not overflow. */
const OVT = 8.0085662595372944372e-17;
/** 2/(3 ln 2), and in two parts. */
const CP = 9.61796693925975554329e-01;
const CP_H = 9.61796700954437255859e-01;
const CP_L = -7.02846165095275826516e-09;
/** 1/ln 2 (exp's INV_LN2) in two parts (the high one has 24 bits). */
const IVLN2_H = 1.44269502162933349609e+00;
const IVLN2_L = 1.92596299112661746887e-08;

/** fdlibm's high-word thresholds, as doubles (high word h, low word 0): h < H ⟺ |v| < fromWords(H, 0). */
const HUGE_Y = fromWords(0x41e00001, 0); // 2³¹(1 + 2⁻²⁰): fdlibm's |y| > 2³¹ on the high word
const HUGER_Y = fromWords(0x43f00001, 0); // 2⁶⁴(1 + 2⁻²⁰): and its |y| > 2⁶⁴
const BELOW_1 = fromWords(0x3fefffff, 0); // 1 − 2⁻²¹
const ABOVE_1 = fromWords(0x3ff00001, 0); // 1 + 2⁻²⁰
const HALF_UP = fromWords(0x3fe00001, 0); // ½ + 2⁻²¹

/**
 * A scratch double with its own word view, so that zeroing the low word is one store rather than
 * the two of words.ts's fromWords(highWord(v), 0) (pow does it six times a call).
 */
const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** v with its low 32 bits zeroed: a product of two such halves, 21 bits each, is exact. */
function highHalf(v: number): number {
  scratch[0] = v;
  words[LO] = 0;
  return scratch[0]!;
}

/**
 * xʸ, identical in every engine. The exponents 0, 2, 1 and −1 are answered here, in a function small
 * enough for the engine to inline, so that with a constant exponent the test folds away (x ** 2 costs
 * a multiplication, as in V8's own compiled code); fdlibm answers them the same way.
 */
export function pow(x: number, y: number): number {
  if (y === 0) return 1; // NaN⁰ included
  if (y === 2) return x * x;
  if (y === 1) return x;
  if (y === -1) return 1 / x;
  return general(x, y);
}

/** xʸ for y ∉ {0, 2, 1, −1}. */
function general(x: number, y: number): number {
  if (x !== x || y !== y) return NaN;
  const hx = highWord(x);
  const negative = hx < 0; // x < 0, or −0
  if (y === 0.5 && !negative) return Math.sqrt(x); // −0 and −∞ go the general way
  const ay = Math.abs(y);
  let ax = Math.abs(x);

  // For x < 0 (or −0): 0 if y is not an integer, 1 if it is odd, 2 if even (every double ≥ 2⁵³ is).
  let yIsInt = 0;
  if (negative) {
    if (ay >= TWO53) yIsInt = 2;
    else if (Math.trunc(y) === y) yIsInt = 2 - (ay % 2);
  }
  if (ay === Infinity) {
    if (ax === 1) return NaN; // ECMAScript, where C99 has 1
    return (ax > 1) === (y > 0) ? Infinity : 0;
  }
  if (ax === 0 || ax === Infinity || ax === 1) {
    let z = y < 0 ? 1 / ax : ax;
    if (negative) {
      if (ax === 1 && yIsInt === 0) z = NaN; // (−1)^non-integer
      else if (yIsInt === 1) z = -z; // (−|x|)^odd = −(|x|^odd)
    }
    return z;
  }
  if (negative && yIsInt === 0) return NaN; // (x < 0)^non-integer
  const s = negative && yIsInt === 1 ? -1 : 1; // the sign of the result

  // log₂|x| = t1 + t2
  let t1: number;
  let t2: number;
  if (ay >= HUGE_Y) {
    if (ay >= HUGER_Y) {
      // xʸ overflows or underflows unless x = ±1, which is above
      return (ax < 1) === (y < 0) ? Infinity : 0;
    }
    // over- or underflow unless |x| is within about 2⁻²⁰ of 1
    if (ax < BELOW_1) return y < 0 ? s * Infinity : s * 0;
    if (ax >= ABOVE_1) return y > 0 ? s * Infinity : s * 0;
    // log x = t − t²/2 + t³/3 − t⁴/4 is enough, t = |x| − 1 (exact, 20 trailing zero bits)
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t; // exact: IVLN2_H has 24 bits
    const v = t * IVLN2_L - w * INV_LN2;
    t1 = highHalf(u + v);
    t2 = v - (t1 - u);
  } else {
    let ix = hx & 0x7fffffff;
    let n = 0;
    if (ix < 0x00100000) {
      // a subnormal: scale it up into the normal range
      ax *= TWO53;
      n = -53;
      ix = highWord(ax);
    }
    // |x| = 2ᵉ·a with a in [1, √3), or in [√3/2, 1) for a mantissa at √3 or above
    let e = (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000; // the high word of a
    let k = 0; // 1 to reduce against 1.5, 0 against 1
    if (j > 0x3988e) {
      // a ≥ √(3/2)
      if (j < 0xbb67a) {
        k = 1;
      } else {
        e += 1;
        ix -= 0x00100000;
      }
    }
    n += e;
    ax = e <= 1022 ? ax * POW2[1022 - e]! : ax * POW2[1022 - 512]! * POW2[1022 + 512 - e]!; // a = |x|·2⁻ᵉ, exactly
    const b = k === 0 ? 1 : 1.5;

    // ss = (a − b)/(a + b), sh its high half and sl the rest
    const u = ax - b;
    const v = 1 / (ax + b);
    const ss = u * v;
    const sh = highHalf(ss);
    // the high half of a + b, made from the high word of a as fdlibm does: 1 + m·2⁻²⁰ or 2 + m·2⁻¹⁹
    const h = ((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18);
    let th = h >= 0x40000000 ? 2 + (h - 0x40000000) * TWO_M19 : 1 + (h - 0x3ff00000) * TWO_M20;
    let tl = ax - (th - b);
    const sl = v * ((u - sh * th) - sh * tl);
    // log(a/b)·3/2 = ss·(3 + ss² + r), r = ss⁴·L(ss²) + corrections, in high and low halves
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sl * (sh + ss);
    s2 = sh * sh;
    th = highHalf(3 + s2 + r);
    tl = r - ((th - 3) - s2);
    const u2 = sh * th;
    const v2 = sl * th + tl * ss;
    const ph = highHalf(u2 + v2);
    const pl = v2 - (ph - u2);
    // times 2/(3 ln 2), plus log₂ b: log₂|x| = n + log₂ b + zh + zl
    const zh = CP_H * ph;
    const zl = CP_L * ph + pl * CP + (k === 0 ? 0 : DP_L); // fdlibm adds its dp_l[0] = 0 too: −0 becomes +0
    const dph = k === 0 ? 0 : DP_H;
    t1 = highHalf(((zh + zl) + dph) + n);
    t2 = zl - (((t1 - n) - dph) - zh);
  }

  // y·log₂|x| = (y1 + y2)(t1 + t2) = ph + pl, y1·t1 exact
  const y1 = highHalf(y);
  const pl = (y - y1) * t1 + y * t2;
  let ph = y1 * t1;
  let z = pl + ph;
  if (z >= 1024) {
    if (z > 1024 || pl + OVT > z - ph) return s * Infinity;
  } else if (z <= -1075) {
    if (z < -1075 || pl <= z - ph) return s * 0;
  }

  // 2^(ph + pl) = 2ᵐ·2^(ph − m + pl), m the integer nearest z (halves away from 0; fdlibm finds it on
  // the high word of z, which gives the same integer, and leaves m = 0 up to |z| = ½ + 2⁻²¹)
  let m = 0;
  const az = Math.abs(z);
  if (az >= HALF_UP) {
    m = Math.floor(az);
    if (az - m >= 0.5) m += 1; // az − ⌊az⌋ is exact
    if (z < 0) m = -m;
    ph -= m;
  }
  // e^((ph + pl)·ln 2) with (ph + pl)·ln 2 = z + w, by exp's rational form
  const t = highHalf(pl + ph);
  const u = t * LG2_H;
  const v = (pl - (t - ph)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  const tt = z * z;
  const c = z - tt * (P1 + tt * (P2 + tt * (P3 + tt * (P4 + tt * P5))));
  const rr = (z * c) / ((c - 2) - (w + z * w));
  z = 1 - (rr - z); // in [√2/2, √2]

  // z·2ᵐ: exact while the result is normal (2¹⁰²⁴ is not a double: go through 2·2¹⁰²³); a subnormal
  // result rounds once, through 2⁻¹⁰⁰⁰, as fdlibm's scalbn rounds it.
  if ((z < 1 ? 0x3fe : 0x3ff) + m <= 0) return s * (z * POW2[m + 1000 + 1022]! * TWO_M1000);
  return s * (m < 1024 ? z * POW2[m + 1022]! : z * 2 * POW2[1023 + 1022]!);
}
