/**
 * The playground's data sets, each a set of points in the plane (or a curve on [-1, 1]), drawn
 * from rng(seed) so that a URL reproduces its data exactly:
 *   xor        the Siena slides' 8 points, two at each corner of the unit square (no noise)
 *   circles    a disc of class 1 inside a ring of class 0
 *   spirals    two interleaved spirals, one per class
 *   blobs      two Gaussian clusters
 *   regression y = sin(3x) + noise for x ∈ [-1, 1] (input 2 is 0: the net's input stays 2-wide)
 * Classification targets are 0 or 1; regression targets are reals.
 */
import { Rng, Tensor, rng, tensor, xorDataset } from 'deltagraph';
import type { DatasetName } from './config';

export interface Points {
  /** [n, 2] coordinates. */
  X: Tensor;
  /** [n, 1] targets. */
  y: Tensor;
  /** True for a 0/1 classification set, false for a regression curve. */
  classification: boolean;
}

/** Generated sets have this many points (xor has its 8). */
export const POINTS = 200;

function fromRows(xs: number[], ys: number[]): { X: Tensor; y: Tensor } {
  return { X: tensor(Float64Array.from(xs), [ys.length, 2]), y: tensor(Float64Array.from(ys), [ys.length, 1]) };
}

function xor(): Points {
  return { ...xorDataset(), classification: true };
}

function circles(noise: number, r: Rng): Points {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < POINTS; i++) {
    const inner = i % 2 === 0;
    const radius = inner ? 0.45 * Math.sqrt(r.uniform()) : 0.7 + 0.3 * r.uniform();
    const angle = 2 * Math.PI * r.uniform();
    xs.push(radius * Math.cos(angle) + noise * r.normal(), radius * Math.sin(angle) + noise * r.normal());
    ys.push(inner ? 1 : 0);
  }
  return { ...fromRows(xs, ys), classification: true };
}

function spirals(noise: number, r: Rng): Points {
  const xs: number[] = [];
  const ys: number[] = [];
  const perClass = POINTS / 2;
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = (i / perClass) * 1.75 * 2 * Math.PI;
      const radius = (i / perClass) * 1.0 + 0.05;
      const angle = t + c * Math.PI;
      xs.push(radius * Math.sin(angle) + noise * 0.5 * r.normal(), radius * Math.cos(angle) + noise * 0.5 * r.normal());
      ys.push(c);
    }
  }
  return { ...fromRows(xs, ys), classification: true };
}

function blobs(noise: number, r: Rng): Points {
  const xs: number[] = [];
  const ys: number[] = [];
  const spread = 0.2 + noise;
  for (let i = 0; i < POINTS; i++) {
    const c = i % 2;
    const centre = c === 0 ? -0.5 : 0.5;
    xs.push(centre + spread * r.normal(), centre + spread * r.normal());
    ys.push(c);
  }
  return { ...fromRows(xs, ys), classification: true };
}

function regression(noise: number, r: Rng): Points {
  const xs: number[] = [];
  const ys: number[] = [];
  const n = POINTS / 2;
  for (let i = 0; i < n; i++) {
    const x = -1 + (2 * i) / (n - 1);
    xs.push(x, 0);
    ys.push(Math.sin(3 * x) * 0.8 + noise * r.normal());
  }
  return { ...fromRows(xs, ys), classification: false };
}

const MAKERS: Record<DatasetName, (noise: number, r: Rng) => Points> = { xor, circles, spirals, blobs, regression };

/** The square [lo, hi]² that the plots show for a data set. */
export function extentOf(name: DatasetName): readonly [lo: number, hi: number] {
  return name === 'xor' ? [-0.25, 1.25] : [-1.25, 1.25];
}

/** The named data set with this noise level, drawn from rng(seed). */
export function makeDataset(name: DatasetName, noise: number, seed: number): Points {
  return MAKERS[name](noise, rng(seed));
}
