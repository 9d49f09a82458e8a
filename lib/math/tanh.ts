/**
 * tanh x computed with float64 additions, multiplications and divisions only, so that every
 * JavaScript engine gives the same bits. The algorithm is fdlibm's (Sun Microsystems, 1993; freely
 * distributable), through eᵗ − 1 (expm1) so that nothing cancels:
 *   |x| < 2⁻²⁸:     tanh x = x
 *   2⁻²⁸ ≤ |x| < 1: tanh x = −t/(t + 2),     t = e^(−2|x|) − 1
 *   1 ≤ |x| < 22:   tanh x = 1 − 2/(t + 2),  t = e^(2|x|) − 1
 *   |x| ≥ 22:       tanh x = 1 (1 − tanh 22 < 2⁻⁶³)
 * with the sign of x. Error < 1 ulp.
 */
import { expm1 } from './expm1';

const TINY = 3.7252902984619140625e-9; // 2⁻²⁸

/** tanh x, identical in every engine. */
export function tanh(x: number): number {
  const ax = Math.abs(x);
  if (ax < TINY) return x; // ±0 included
  if (!(ax < 22)) return x !== x ? x : x < 0 ? -1 : 1; // ±∞ too
  let z: number;
  if (ax >= 1) {
    z = 1 - 2 / (expm1(2 * ax) + 2);
  } else {
    const t = expm1(-2 * ax);
    z = -t / (t + 2);
  }
  return x < 0 ? -z : z;
}
