/**
 * Test domains: plain data telling the gradient checks how to call an op and where its
 * derivatives exist. check/ turns a domain into fast-check arbitraries; ops/ stays free of them.
 */
import { Tensor } from '../lib';
import { reshape } from './reshape';

/** The values one input is drawn from. */
export interface ValueRange {
  min: number;
  max: number;
  /** Points where the op has a kink or a pole; values stay at least `margin` away from them. */
  avoid?: readonly number[];
  margin?: number;
}

/**
 * How the shapes of the generated inputs relate:
 * 'any' — each input a tensor of rank 0–3 (one shared shape when there are several inputs);
 * 'broadcastable' — two shapes that broadcast together;
 * 'matmul' — [..., n, k] and [..., k, m] with broadcastable batch axes;
 * 'matrix' — each input one shared [n, c] shape (rows are examples);
 * { oneOf } — one of these lists of input shapes (one shape per input), for ops whose inputs'
 *   shapes must fit together in ways the kinds above do not say (a convolution's input and kernel).
 */
export type ShapeKind = 'any' | 'broadcastable' | 'matmul' | 'matrix' | { oneOf: ReadonlyArray<ReadonlyArray<readonly number[]>> };

/** Deterministic choices for an op's non-tensor arguments (axes, shapes), drawn by the checker. */
export interface Pick {
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** A value in [0, 1). */
  unit(): number;
}

export interface Domain {
  /** Number of differentiable tensor inputs. */
  arity: number;
  shapes: ShapeKind;
  /** One range for all inputs, or one per input. */
  values: ValueRange | readonly ValueRange[];
  /** Values of all inputs pairwise at least 0.05 apart (ops that compare values: max, maximum). */
  distinct?: boolean;
  /** How to call the op on generated inputs, choosing attributes with `pick`; default op(...inputs). */
  call?: (inputs: readonly Tensor[], pick: Pick) => Tensor;
}

/**
 * For the domains of ops along one axis: the input with a scalar lifted to a vector (so that it
 * has an axis), an axis of it drawn by `pick`, and that axis's extent.
 */
export function drawAxis(x: Tensor, pick: Pick): { t: Tensor; axis: number; n: number } {
  const t = x.rank === 0 ? reshape(x, [1]) : x;
  const axis = pick.int(0, t.rank - 1);
  return { t, axis, n: t.shape[axis]! };
}
