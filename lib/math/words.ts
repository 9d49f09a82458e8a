/**
 * The two 32-bit halves of a float64, as the classic libm algorithms read and write them. One
 * scratch Float64Array shared with an Int32Array view; the host's byte order is found once.
 */
const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
/** Index of the high (sign, exponent, top of mantissa) word: 1 on little-endian hosts. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** The high 32 bits of x, as a signed integer. */
export function highWord(x: number): number {
  scratch[0] = x;
  return words[HI]!;
}

/** The low 32 bits of x, as a signed integer. */
export function lowWord(x: number): number {
  scratch[0] = x;
  return words[LO]!;
}

/** x with its high word replaced by hi. */
export function withHighWord(x: number, hi: number): number {
  scratch[0] = x;
  words[HI] = hi;
  return scratch[0];
}

/** The float64 with the given high and low words. */
export function fromWords(hi: number, lo: number): number {
  words[HI] = hi;
  words[LO] = lo;
  return scratch[0]!;
}
