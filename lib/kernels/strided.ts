/**
 * Drivers that walk N-d index spaces over flat Float64Arrays with per-operand strides, calling a
 * row function once per innermost row (never once per element). Adjacent dimensions that are
 * contiguous for every operand are merged first, so same-shape work is one long row.
 */

/** Merges dimension i into i + 1 where every operand's strides allow it; returns the new shape and strides. */
export function coalesce(shape: readonly number[], strides: number[][]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d]!;
    if (n === 1) continue; // a unit dimension contributes nothing to any offset
    const last = outShape.length - 1;
    let merge = last >= 0;
    if (merge) {
      for (let k = 0; k < strides.length; k++) {
        if (outStrides[k]![last] !== strides[k]![d]! * n) {
          merge = false;
          break;
        }
      }
    }
    if (merge) {
      outShape[last] = outShape[last]! * n;
      for (let k = 0; k < strides.length; k++) outStrides[k]![last] = strides[k]![d]!;
    } else {
      outShape.push(n);
      for (let k = 0; k < strides.length; k++) outStrides[k]!.push(strides[k]![d]!);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

export type Row2 = (o: Float64Array, oi: number, os: number, x: Float64Array, xi: number, xs: number, n: number) => void;

export type Row3 = (
  o: Float64Array, oi: number, os: number,
  a: Float64Array, ai: number, as: number,
  b: Float64Array, bi: number, bs: number,
  n: number,
) => void;

/** Calls `row` for every innermost row of `shape`, with offsets from the two operands' strides. */
export function walk2(
  shape: readonly number[],
  o: Float64Array, oOffset: number, oStrides: number[],
  x: Float64Array, xOffset: number, xStrides: number[],
  row: Row2,
): void {
  for (const d of shape) if (d === 0) return;
  const c = coalesce(shape, [oStrides, xStrides]);
  const dims = c.shape;
  const [os, xs] = c.strides as [number[], number[]];
  const r = dims.length - 1;
  const n = dims[r]!;
  const idx = new Array<number>(r).fill(0);
  let oi = oOffset;
  let xi = xOffset;
  for (;;) {
    row(o, oi, os[r]!, x, xi, xs[r]!, n);
    let d = r - 1;
    while (d >= 0) {
      idx[d]!++;
      oi += os[d]!;
      xi += xs[d]!;
      if (idx[d]! < dims[d]!) break;
      oi -= os[d]! * dims[d]!;
      xi -= xs[d]! * dims[d]!;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** As walk2, for an output and two inputs. */
export function walk3(
  shape: readonly number[],
  o: Float64Array, oStrides: number[],
  a: Float64Array, aStrides: number[],
  b: Float64Array, bStrides: number[],
  row: Row3,
): void {
  for (const d of shape) if (d === 0) return;
  const c = coalesce(shape, [oStrides, aStrides, bStrides]);
  const dims = c.shape;
  const [os, as, bs] = c.strides as [number[], number[], number[]];
  const r = dims.length - 1;
  const n = dims[r]!;
  const idx = new Array<number>(r).fill(0);
  let oi = 0;
  let ai = 0;
  let bi = 0;
  for (;;) {
    row(o, oi, os[r]!, a, ai, as[r]!, b, bi, bs[r]!, n);
    let d = r - 1;
    while (d >= 0) {
      idx[d]!++;
      oi += os[d]!;
      ai += as[d]!;
      bi += bs[d]!;
      if (idx[d]! < dims[d]!) break;
      oi -= os[d]! * dims[d]!;
      ai -= as[d]! * dims[d]!;
      bi -= bs[d]! * dims[d]!;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}
