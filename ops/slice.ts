import { AxisError, Tensor, TensorLike, kernels, fmtShape } from '../lib';
import { defineOp } from '../graph';
import { asTensor, indicesOf } from './args';
import { pad } from './pad';
import { Domain } from './domain';

interface Window {
  begin: readonly number[];
  size: readonly number[];
}

/** y = x[begin : begin + size] along every axis.  x̄ = pad(g, x.shape, begin) (zeros elsewhere) */
const op = defineOp<Window>({
  name: 'slice',
  forward: ([x], { begin, size }) => kernels.slice(x!, begin, size),
  vjp: (g, { inputs: [x], attrs: { begin } }) => [pad(g, x!.shape, begin)],
});

/**
 * The block of x that starts at `begin` with extent `size` per axis (as tf.slice). A size of −1
 * runs to the end of the axis; `begin` and `size` may be shorter than the rank (the rest is whole).
 */
export function slice(x: TensorLike, begin: readonly number[], size?: readonly number[]): Tensor {
  const t = asTensor('slice', x);
  const given = indicesOf('slice', 'begin', begin, t.rank);
  const sizes = size === undefined ? [] : indicesOf('slice', 'size', size, t.rank, -1);
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < t.rank; i++) {
    const n = t.shape[i]!;
    const bi = given[i] ?? 0;
    const si = sizes[i] ?? -1;
    const extent = si === -1 ? n - bi : si;
    if (extent < 0 || bi + extent > n) {
      throw new AxisError(
        `slice: begin ${fmtShape(given)} with size ${fmtShape(sizes)} falls outside shape ${fmtShape(t.shape)} on axis ${i} (extent ${n})`,
      );
    }
    b.push(bi);
    s.push(extent);
  }
  return op.apply([t], { begin: b, size: s });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const begin = x!.shape.map((d) => pick.int(0, d - 1));
    return slice(x!, begin, x!.shape.map((d, i) => pick.int(1, d - begin[i]!)));
  },
};
