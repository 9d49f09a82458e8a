/**
 * Axis scales for charts: a linear or logarithmic map from data to pixels, with tick values at
 * round numbers (1, 2, 5 × 10ᵏ, or powers of ten on a log axis) and short tick labels.
 */

export interface Scale {
  /** Data value to pixel coordinate. */
  map(v: number): number;
  /** Round values inside the domain, to mark on the axis. */
  ticks: number[];
  log: boolean;
}

/** 10ᵏ exactly (10 ** -4 is 0.00009999999999999999 in floating point; 1e-4 is not). */
function pow10(k: number): number {
  return Number(`1e${k}`);
}

/** The round step (1, 2 or 5 × 10ᵏ) closest to giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const k = Math.floor(Math.log10(raw));
  const f = raw / pow10(k);
  return Number(`${f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10}e${k}`);
}

/** A domain widened to round numbers, so the curve does not touch the frame. */
export function niceDomain(lo: number, hi: number, count: number, log: boolean): [number, number] {
  if (log) return [pow10(Math.floor(Math.log10(lo))), pow10(Math.ceil(Math.log10(hi)))];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - pad, hi + pad];
  }
  const step = niceStep(hi - lo, count);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/**
 * A scale from [lo, hi] onto pixels [p0, p1] (p1 < p0 for a y axis, which grows upwards).
 * A log scale needs lo > 0; its ticks are powers of ten, thinned when there are many decades.
 */
export function makeScale(lo: number, hi: number, p0: number, p1: number, log: boolean, count = 5): Scale {
  if (log) {
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    const span = b - a || 1;
    const every = Math.max(1, Math.ceil(span / 8));
    const ticks: number[] = [];
    // A small tolerance: log10 of an exact power of ten may land a hair off the integer.
    for (let k = Math.ceil(a - 1e-9); k <= Math.floor(b + 1e-9); k++) if ((k - Math.ceil(a - 1e-9)) % every === 0) ticks.push(pow10(k));
    return { map: (v) => p0 + ((Math.log10(v) - a) / span) * (p1 - p0), ticks, log };
  }
  const span = hi - lo || 1;
  const step = niceStep(span, count);
  const ticks: number[] = [];
  // Each tick is computed from its index (not by adding steps) and rounded, so 0.1 · 3 is 0.3.
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.push(i === 0 ? 0 : Number((i * step).toPrecision(12)));
  return { map: (v) => p0 + ((v - lo) / span) * (p1 - p0), ticks, log };
}

/** A tick label: 0.5, 20, 1.5k, 1e-3; powers of ten on a log axis as 10⁻³ … 10⁴. */
export function tickLabel(v: number, log: boolean): string {
  if (v === 0) return '0';
  if (log) {
    const k = Math.round(Math.log10(v));
    if (k >= -3 && k <= 3) return String(pow10(k));
    const sup: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };
    return `10${[...String(k)].map((c) => sup[c] ?? c).join('')}`;
  }
  const a = Math.abs(v);
  if (a >= 1e4) return `${Number((v / 1000).toPrecision(3))}k`;
  if (a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}
