import { Tensor, TensorLike, normalizeAxes } from '../../lib';
import { asTensor } from '../args';
import { reshape } from '../reshape';
import { Domain } from '../domain';

/**
 * y = reshape(x, x.shape without its size-1 axes among `axes`). Without `axes`, every axis of
 * extent 1 goes (torch.squeeze(x)). Given axes (a number or a list) must lie within the rank; as
 * in PyTorch, those whose extent is not 1 are left in place rather than refused (NumPy would
 * raise). A scalar accepts axis 0 or −1, as in PyTorch.
 * x̄ = reshape(g, x.shape)
 */
export function squeeze(x: TensorLike, axes?: number | readonly number[]): Tensor {
  const t = asTensor('squeeze', x);
  const list = normalizeAxes('squeeze', axes, Math.max(t.rank, axes === undefined ? 0 : 1));
  const shape = t.shape.filter((d, k) => !(d === 1 && list.includes(k)));
  return reshape(t, shape);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'any',
  values: { min: -3, max: 3 },
  call: ([x], pick) => {
    const choice = pick.int(0, 2);
    if (choice === 0 || x!.rank === 0) return squeeze(x!);
    const axes = x!.shape.map((_, k) => k).filter(() => pick.int(0, 1) === 1);
    return choice === 1 ? squeeze(x!, axes) : squeeze(x!, pick.int(-x!.rank, x!.rank - 1));
  },
};
