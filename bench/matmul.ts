/**
 * Row family "matmul": C = A B for square n×n matrices of standard normal values, in GFLOP/s
 * (2n³ floating-point operations per product). deltagraph runs the `matmul` op under noGrad; the
 * naive JS reference is the textbook i-j-k triple loop over Float64Arrays; tfjs runs tf.matMul and
 * reads the product back. Every implementation's product is checked against deltagraph's first.
 */
import { Tensor, matmul, noGrad, randn, rng } from '../node';
import { expectAllClose } from './check';
import { Context } from './profile';
import { Cell, Row, fillRow } from './report';
import { measure, Measurement } from './timing';
import { PEERS, f32, onPeer, tf } from './tfjs';

export const MATMUL_SIZES = [128, 256, 512, 1024] as const;

/** Tolerances (normwise relative) against deltagraph's float64 product. */
const TOLERANCE = { naive: 1e-12, float32: 1e-4 };

/** C = A B for row-major n×n A and B: the i-j-k loop, an inner product per entry. */
export function naiveMatmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * b[k * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** GFLOP/s of an n×n product taking `ms` milliseconds. */
export function gflops(n: number, ms: number): number {
  return (2 * n ** 3) / (ms * 1e6);
}

function cell(n: number, m: Measurement): Cell {
  return { value: gflops(n, m.median), measurement: m };
}

async function measureMatmul(n: number, row: Row, ctx: Context): Promise<void> {
  const random = rng(1000 + n);
  const A = randn([n, n], random);
  const B = randn([n, n], random);
  const options = n >= 512 ? ctx.profile.matmulLarge : ctx.profile.matmul;

  ctx.log(`matmul ${n}: deltagraph`);
  const reference = noGrad(() => matmul(A, B)).data;
  row.cells.deltagraph = cell(n, measure(() => noGrad((): Tensor => matmul(A, B)), options));

  ctx.log(`matmul ${n}: naive JS`);
  row.checks.push(expectAllClose(`matmul ${n}: naive JS against deltagraph`, naiveMatmul(A.data, B.data, n), reference, TOLERANCE.naive));
  row.cells['naive JS'] = cell(n, measure(() => naiveMatmul(A.data, B.data, n), options));

  for (const peer of PEERS) {
    ctx.log(`matmul ${n}: ${peer}`);
    row.cells[peer] = await onPeer(peer, () => {
      const a = tf.tensor2d(f32(A.data), [n, n]);
      const b = tf.tensor2d(f32(B.data), [n, n]);
      const product = (): Float32Array | Int32Array | Uint8Array => {
        const c = tf.matMul(a, b);
        const values = c.dataSync();
        c.dispose();
        return values;
      };
      try {
        row.checks.push(expectAllClose(`matmul ${n}: ${peer} against deltagraph`, product(), reference, TOLERANCE.float32));
        return cell(n, measure(product, options));
      } finally {
        a.dispose();
        b.dispose();
      }
    });
  }
}

/** One row per size; a row whose check fails is aborted, the others still run. */
export async function runMatmul(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of MATMUL_SIZES) {
    const row: Row = { family: 'matmul', id: `matmul-${n}`, label: `matmul ${n}×${n}`, unit: 'GFLOP/s', better: 'higher', cells: {}, checks: [] };
    rows.push(await fillRow(row, (r) => measureMatmul(n, r, ctx)));
  }
  return rows;
}
