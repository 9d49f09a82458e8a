/**
 * erf(x) for a float64 x to 1200 bits, in BigInt fixed point: its Taylor series
 * erf(x) = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹ / (n! (2n + 1)) summed until the terms vanish, with π from Machin's
 * formula and √π by Newton's method. An oracle for |x| ≤ 1 whose own error (below 2^−1100) is far
 * under one ulp of any double, so that a kernel can be held to its claimed accuracy.
 */
const BITS = 1200n;
const ONE = 1n << BITS;

/** atan(1/k) · ONE by its series. */
function atanInverse(k: bigint): bigint {
  let sum = 0n;
  let power = ONE / k;
  const k2 = k * k;
  for (let n = 1n, sign = 1n; power !== 0n; n += 2n, sign = -sign, power /= k2) sum += (sign * power) / n;
  return sum;
}

function isqrt(v: bigint): bigint {
  let r = 1n << ((BigInt(v.toString(2).length) + 1n) / 2n);
  for (;;) {
    const next = (r + v / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}

const PI = 16n * atanInverse(5n) - 4n * atanInverse(239n);
const TWO_OVER_SQRT_PI = (2n * ONE * ONE) / isqrt(PI * ONE);

/** A double's exact value as m · 2^exponent (m a non-negative integer) and its sign. */
function decompose(x: number): { negative: boolean; mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0
    ? { negative: bits >> 63n === 1n, mantissa: fraction, exponent: -1074 }
    : { negative: bits >> 63n === 1n, mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}

/** x · ONE exactly (every finite double of magnitude below 2^126 is a multiple of 2^−1074). */
function fixed(x: number): bigint {
  const { negative, mantissa, exponent } = decompose(x);
  const v = mantissa << (BITS + BigInt(exponent));
  return negative ? -v : v;
}

/** The spacing of doubles at y (one ulp), times ONE. */
function ulp(y: number): bigint {
  const { exponent } = decompose(y);
  return 1n << (BITS + BigInt(Math.max(exponent, -1074)));
}

/** |y − erf(x)| in ulps of y, for a finite x with |x| ≤ 1. */
export function erfErrorInUlps(x: number, y: number): number {
  const X = fixed(x);
  const X2 = (X * X) / ONE;
  let term = X;
  let series = X;
  for (let n = 1n; term !== 0n; n++) {
    term = -((term * X2) / ONE) / n;
    series += term / (2n * n + 1n);
  }
  const exact = (series * TWO_OVER_SQRT_PI) / ONE;
  const diff = fixed(y) - exact;
  const u = ulp(y === 0 ? Number.MIN_VALUE : y);
  // Ulps as a number: scale both down to a few dozen bits first.
  const shift = BigInt(Math.max(0, u.toString(2).length - 40));
  return Number((diff < 0n ? -diff : diff) >> shift) / Number(u >> shift);
}
