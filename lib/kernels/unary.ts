/** Elementwise unary kernels: one plain loop each over a contiguous Float64Array. */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import * as libm from '../math';


export function neg(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = -src[i]!;
  return kernelTensor(out, x.shape);
}
export function exp(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = libm.exp(src[i]!);
  return kernelTensor(out, x.shape);
}
export function log(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = libm.log(src[i]!);
  return kernelTensor(out, x.shape);
}
export function sqrt(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(src[i]!);
  return kernelTensor(out, x.shape);
}
export function abs(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.abs(src[i]!);
  return kernelTensor(out, x.shape);
}
/** sign(x) ∈ {−1, 0, 1}. */
export function sign(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v > 0 ? 1 : v < 0 ? -1 : v; // keeps 0 and NaN
  }
  return kernelTensor(out, x.shape);
}
export function sin(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = libm.sin(src[i]!);
  return kernelTensor(out, x.shape);
}
export function cos(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = libm.cos(src[i]!);
  return kernelTensor(out, x.shape);
}
export function tanh(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = libm.tanh(src[i]!);
  return kernelTensor(out, x.shape);
}
/** σ(x) = 1 / (1 + e^−x), evaluated without overflow for large |x|. */
export function sigmoid(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    if (v >= 0) out[i] = 1 / (1 + libm.exp(-v));
    else {
      const e = libm.exp(v);
      out[i] = e / (1 + e);
    }
  }
  return kernelTensor(out, x.shape);
}
export function relu(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v > 0 ? v : v === v ? 0 : v;
  }
  return kernelTensor(out, x.shape);
}
/** x for x > 0, αx otherwise. */
export function leakyRelu(x: Tensor, alpha: number): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = v > 0 ? v : alpha * v;
  }
  return kernelTensor(out, x.shape);
}
/** log(1 + eˣ) = max(x, 0) + log1p(e^−|x|): no overflow for large x, no lost digits for small. */
export function softplus(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    out[i] = (v > 0 ? v : 0) + libm.log1p(libm.exp(-Math.abs(v)));
  }
  return kernelTensor(out, x.shape);
}
/**
 * The elementwise loss of bceWithLogits, softplus(z) − y z, as (max(z, 0) − y z) + log1p(e^−|z|):
 * the shift by max(z, 0) first, so a confident right logit keeps its small loss (z = 40, y = 1
 * gives e^−40, where softplus(z) − y z rounds to 0) and z = ±1e308 gives 0 or |z|. z and y have
 * one shape.
 */
export function bceWithLogits(z: Tensor, y: Tensor): Tensor {
  const zs = z.data;
  const ys = y.data;
  const n = zs.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) {
    const v = zs[i]!;
    out[i] = (v > 0 ? v : 0) - ys[i]! * v + libm.log1p(libm.exp(-Math.abs(v)));
  }
  return kernelTensor(out, z.shape);
}
/** 1 where x > 0, else 0: the derivative mask of ReLU (ReLU′(0) = 0). */
export function positiveMask(x: Tensor): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = src[i]! > 0 ? 1 : 0;
  return kernelTensor(out, x.shape);
}
/** 1 where x > 0, α elsewhere: the derivative of leakyRelu (taken as α at 0). */
export function leakyMask(x: Tensor, alpha: number): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = src[i]! > 0 ? 1 : alpha;
  return kernelTensor(out, x.shape);
}
/** x · s for a scalar s. */
export function scale(x: Tensor, s: number): Tensor {
  const src = x.data;
  const n = src.length;
  const out = alloc(n);
  for (let i = 0; i < n; i++) out[i] = src[i]! * s;
  return kernelTensor(out, x.shape);
}
