/** Elementwise kernels of the activations in ops/activations/ (elu, clamp) and their masks. */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import * as libm from '../math';

/**
 * eˣ − 1 without the cancellation of exp(x) − 1 near 0, by Kahan's trick (u − 1)·x / log u with
 * u = eˣ (a few ulps), in lib/math's functions so it is the same bits in every engine.
 */
export function expm1Scalar(x: number): number {
  const u = libm.exp(x);
  if (u === 1) return x; // |x| below half an ulp of 1 (keeps −0)
  const um1 = u - 1;
  if (um1 === -1) return -1;
  if (u === Infinity) return Infinity;
  return (um1 * x) / libm.log(u);
}

/** x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha: number): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v > 0 ? v : alpha * expm1Scalar(v);
  }
  return kernelTensor(out, x.shape);
}

/** min(max(x, lo), hi): NaN stays NaN; when lo > hi every value becomes hi (as torch.clamp). */
export function clamp(x: Tensor, lo: number, hi: number): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(Math.max(src[i]!, lo), hi);
  return kernelTensor(out, x.shape);
}

/** 1 where lo ≤ x ≤ hi, else 0 (also for NaN): the derivative mask of clamp, PyTorch's convention. */
export function clampMask(x: Tensor, lo: number, hi: number): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v >= lo && v <= hi ? 1 : 0;
  }
  return kernelTensor(out, x.shape);
}
