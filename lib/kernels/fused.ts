/**
 * Fused loops for the activations' backward passes: one pass over two equal-shaped tensors
 * instead of three elementwise ops and their temporaries.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';

/** g ⊙ y ⊙ (1 − y): σ′ written through y = σ(x). */
export function sigmoidBackward(g: Tensor, y: Tensor): Tensor {
  const gd = g.data;
  const yd = y.data;
  const n = gd.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = yd[i]!;
    out[i] = gd[i]! * v * (1 - v);
  }
  return kernelTensor(out, g.shape);
}

/** g ⊙ (1 − y²): tanh′ written through y = tanh(x). */
export function tanhBackward(g: Tensor, y: Tensor): Tensor {
  const gd = g.data;
  const yd = y.data;
  const n = gd.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = yd[i]!;
    out[i] = gd[i]! * (1 - v * v);
  }
  return kernelTensor(out, g.shape);
}
