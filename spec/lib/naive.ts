/** Deliberately simple reference implementations (index arithmetic, no strides) for kernel oracles. */
import { Tensor, sizeOf, stridesOf } from '../../index';

export function unravel(i: number, shape: readonly number[]): number[] {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]!);
    i = Math.floor(i / shape[d]!);
  }
  return idx;
}

/** Reads t at a multi-index of a (broadcast) shape by NumPy's right-aligned rule. */
export function at(t: Tensor, idx: readonly number[]): number {
  const lead = idx.length - t.rank;
  const strides = stridesOf(t.shape);
  let off = 0;
  for (let d = 0; d < t.rank; d++) off += (t.shape[d] === 1 ? 0 : idx[lead + d]!) * strides[d]!;
  return t.data[off]!;
}

export function naiveBinary(a: Tensor, b: Tensor, shape: number[], f: (x: number, y: number) => number): number[] {
  return Array.from({ length: sizeOf(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return f(at(a, idx), at(b, idx));
  });
}

export function naiveMatmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
}
