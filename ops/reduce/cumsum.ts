import { Tensor, TensorLike, kernels, normalizeAxis } from '../../lib';
import { defineOp } from '../../graph';
import { asTensor, axisOf } from '../args';
import { reshape } from '../reshape';
import { Domain } from '../domain';

interface ScanAttrs {
  axis: number;
  /** Sum from the end: y_i = Σ_{j ≥ i} x_j (the VJP of the forward scan, and its own VJP's). */
  reverse: boolean;
}

/** y_i = Σ_{j ≤ i} x_j along the axis (reversed: Σ_{j ≥ i}).  x̄ = the cumsum of g in the other direction (x̄_j = Σ_{i ≥ j} g_i) */
const op = defineOp<ScanAttrs>({
  name: 'cumsum',
  forward: ([x], { axis, reverse }) => kernels.cumsum(x!, axis, reverse),
  vjp: (g, { attrs: { axis, reverse } }) => [scan(g, { axis, reverse: !reverse })],
});

function scan(x: Tensor, attrs: ScanAttrs): Tensor {
  return op.apply([x], attrs);
}

/** Running sums along `axis` (required, negative counts from the end), as torch.cumsum(x, dim). */
export function cumsum(x: TensorLike, axis: number): Tensor {
  const t = asTensor('cumsum', x);
  if (t.rank === 0) {
    // As torch: a scalar takes axis 0 or −1 and is its own running sum.
    normalizeAxis('cumsum', axis, 1);
    return reshape(scan(reshape(t, [1]), { axis: 0, reverse: false }), []);
  }
  return scan(t, { axis: axisOf('cumsum', t, axis), reverse: false });
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => cumsum(x!, x!.rank === 0 ? -pick.int(0, 1) : pick.int(-x!.rank, x!.rank - 1)),
};
