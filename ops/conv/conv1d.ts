/**
 * conv1d (as F.conv1d, without bias): y [N, O, Lo] for x [N, C, L] and w [O, C/g, K],
 *   y[n, o, p] = Σ_{c in o's group, k} w[o, c, k] · x[n, c, p·s − pad + k·d]
 * — conv2d on a height of 1, so it shares conv2d's kernels and gradients.
 */
import { ArgumentError, Tensor, TensorLike, describe } from '../../lib';
import { asTensor } from '../args';
import { Domain } from '../domain';
import { reshape } from '../reshape';
import { convolve, groupsOf } from './conv2d';
import { optionsOf, rankOf } from './geometry';

export interface Conv1dOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
}

function integerOf(op: string, name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new ArgumentError(`${op}: ${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  return value;
}

/**
 * y[n, o, p] = Σ_{c ∈ group(o), k} w[o, c, k] · x[n, c, p·s − pad + k·d] for x [N, C, L],
 * w [O, C/groups, K]: conv2d on a height of 1.
 */
export function conv1d(x: TensorLike, w: TensorLike, options: Conv1dOptions = {}): Tensor {
  const op = 'conv1d';
  const input = rankOf(op, 'x', asTensor(op, x, 'x'), 3, '[N, C, L]');
  const weight = rankOf(op, 'w', asTensor(op, w, 'w'), 3, '[O, C/groups, K]');
  const o = optionsOf(op, options);
  const [N, C, L] = input.shape as [number, number, number];
  const [O, Cg, K] = weight.shape as [number, number, number];
  const y = convolve(op, reshape(input, [N, C, 1, L]), reshape(weight, [O, Cg, 1, K]), {
    stride: [1, integerOf(op, 'stride', o.stride, 1, 1)],
    padding: [0, integerOf(op, 'padding', o.padding, 0, 0)],
    dilation: [1, integerOf(op, 'dilation', o.dilation, 1, 1)],
    groups: groupsOf(op, o.groups, C, O),
  }, input.shape, weight.shape);
  return reshape(y, [N, O, y.shape[3]!]);
}

export const domain: Domain = {
  arity: 2,
  shapes: { oneOf: [[[1, 1, 5], [1, 1, 2]], [[2, 2, 6], [3, 2, 3]], [[1, 4, 4], [2, 2, 2]]] },
  values: { min: -2, max: 2 },
  call: ([x, w], pick) => conv1d(x!, w!, { groups: x!.shape[1]! / w!.shape[1]!, stride: pick.int(1, 2), padding: pick.int(0, 1), dilation: pick.int(1, 2) }),
};
