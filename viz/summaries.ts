/**
 * Short text for what a picture of the graph shows beside each node and edge: an op's attributes
 * in one line, a tensor's shape, and a tensor's values reduced to four numbers.
 */
import { Tensor } from '../lib';

/** A tensor's values reduced to what fits on an edge label: min, max, mean and the L2 norm ‖t‖₂. */
export interface ValueSummary {
  min: number;
  max: number;
  mean: number;
  norm: number;
}

export function summarizeValues(t: Tensor): ValueSummary {
  const d = t.data;
  if (d.length === 0) return { min: NaN, max: NaN, mean: NaN, norm: 0 };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sq += v * v;
  }
  return { min, max, mean: sum / d.length, norm: Math.sqrt(sq) };
}

/** ‖t‖₂ over all elements. */
export function l2Norm(t: Tensor): number {
  let sq = 0;
  for (const v of t.data) sq += v * v;
  return Math.sqrt(sq);
}

/** A shape as the project prints it: [8, 4], or [] for a scalar. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A number in at most four significant digits, in exponent form when it is very large or small. */
export function shortNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2).replace('e+', 'e');
  return String(Number(x.toPrecision(4)));
}

const MAX_ATTR_TEXT = 48;
const MAX_LIST = 8;

function attrValue(value: unknown, depth: number): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number') return shortNumber(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value.length > 20 ? `${value.slice(0, 19)}…` : value;
  if (value instanceof Tensor) return value.size === 1 ? shortNumber(value.data[0]!) : `tensor ${shapeText(value.shape)}`;
  if (Array.isArray(value)) {
    if (depth > 3) return '[…]';
    const shown = value.slice(0, MAX_LIST).map((v) => attrValue(v, depth + 1));
    return `[${shown.join(', ')}${value.length > MAX_LIST ? ', …' : ''}]`;
  }
  if (typeof value === 'object') {
    if (depth > 1) return '{…}';
    const parts = Object.entries(value as Record<string, unknown>)
      // An unset flag (keepDims=false, a transpose flag) says nothing worth the space.
      .filter(([, v]) => v !== undefined && v !== false && typeof v !== 'function')
      .map(([k, v]) => `${k}=${attrValue(v, depth + 1)}`);
    return depth === 0 ? parts.join(', ') : `{${parts.join(', ')}}`;
  }
  return typeof value;
}

/**
 * An op's attributes in one short line: `axes=[1], keepDims=true` for an object, `[1, 0]` for a
 * permutation, `tensor [3, 4]` for a tensor-valued attribute; undefined when the op has none.
 */
export function summarizeAttrs(attrs: unknown): string | undefined {
  if (attrs === null || attrs === undefined) return undefined;
  const text = attrValue(attrs, 0);
  if (text === '') return undefined;
  return text.length > MAX_ATTR_TEXT ? `${text.slice(0, MAX_ATTR_TEXT - 1)}…` : text;
}
