/**
 * Sliding windows of an image batch as the columns of a matrix, and back: what lets a convolution
 * run as one matrix product on the gemm kernels.
 *   im2col: x [N, C, H, W] → cols [N, C·kH·kW, Ho·Wo], cols[n, (c·kH + i)·kW + j, oh·Wo + ow] =
 *           x[n, c, oh·sH − pH + i·dH, ow·sW − pW + j·dW] (padValue outside the image)
 *   col2im: the transpose map, cols → x, summing where windows overlap and dropping the padding.
 * With positionsFirst, cols is laid out [N·Ho·Wo, C·kH·kW] instead (one row per window position),
 * so that a convolution with one group is a single large product cols · Wᵀ, which the gemm kernels
 * split across threads, and its weight gradient needs no sum over the batch.
 */
import { Tensor, kernelTensor } from '../tensor';
import { alloc } from '../arena';
import { checkBytes } from '../memory';

/** A 2-d window: its size, stride, padding and dilation along height and width. */
export interface Window2d {
  kH: number;
  kW: number;
  sH: number;
  sW: number;
  pH: number;
  pW: number;
  dH: number;
  dW: number;
}

/** The number of window positions along one axis of extent n, or ≤ 0 when none fits. */
export function windowCount(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** cols of x [N, C, H, W] for windows w with Ho × Wo positions; padValue fills what lies outside. */
export function im2col(x: Tensor, w: Window2d, outH: number, outW: number, padValue: number, positionsFirst = false): Tensor {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const { kH, kW, sH, sW, pH, pW, dH, dW } = w;
  const L = outH * outW;
  const rows = C * kH * kW;
  const src = x.data;
  const out = alloc(N * rows * L, 'im2col (unfold)', positionsFirst ? [N * L, rows] : [N, rows, L]);
  if (positionsFirst) {
    // Row by row of the output (one window position each), written in order.
    let o = 0;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const iw0 = ow * sW - pW;
          // Windows clear of the left and right padding need no test per tap.
          const interior = iw0 >= 0 && iw0 + (kW - 1) * dW < W;
          for (let c = 0; c < C; c++) {
            const plane = (n * C + c) * H * W;
            for (let i = 0; i < kH; i++) {
              const ih = oh * sH - pH + i * dH;
              if (ih < 0 || ih >= H) {
                for (let j = 0; j < kW; j++) out[o++] = padValue;
                continue;
              }
              const line = plane + ih * W + iw0;
              if (interior) {
                for (let j = 0; j < kW; j++) out[o++] = src[line + j * dW]!;
              } else {
                for (let j = 0; j < kW; j++, o++) {
                  const iw = iw0 + j * dW;
                  out[o] = iw >= 0 && iw < W ? src[line + j * dW]! : padValue;
                }
              }
            }
          }
        }
      }
    }
    return kernelTensor(out, [N * L, rows]);
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < kH; i++) {
        for (let j = 0; j < kW; j++) {
          let o = (n * rows + (c * kH + i) * kW + j) * L;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * sH - pH + i * dH;
            if (ih < 0 || ih >= H) {
              out.fill(padValue, o, o + outW);
              o += outW;
              continue;
            }
            const line = plane + ih * W;
            for (let ow = 0; ow < outW; ow++, o++) {
              const iw = ow * sW - pW + j * dW;
              out[o] = iw >= 0 && iw < W ? src[line + iw]! : padValue;
            }
          }
        }
      }
    }
  }
  return kernelTensor(out, [N, rows, L]);
}

/** x [N, C, H, W] from cols [N, C·kH·kW, Ho·Wo] (or [N·Ho·Wo, C·kH·kW]): the sum of every window's values at each pixel. */
export function col2im(cols: Tensor, C: number, H: number, W: number, w: Window2d, outH: number, outW: number, positionsFirst = false): Tensor {
  const N = positionsFirst ? cols.shape[0]! / (outH * outW) : cols.shape[0]!;
  const { kH, kW, sH, sW, pH, pW, dH, dW } = w;
  const L = outH * outW;
  const rows = C * kH * kW;
  const src = cols.data;
  const out = alloc(N * C * H * W, 'col2im (fold)', [N, C, H, W]);
  if (positionsFirst) {
    let o = 0;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          const iw0 = ow * sW - pW;
          const interior = iw0 >= 0 && iw0 + (kW - 1) * dW < W;
          for (let c = 0; c < C; c++) {
            const plane = (n * C + c) * H * W;
            for (let i = 0; i < kH; i++) {
              const ih = oh * sH - pH + i * dH;
              if (ih < 0 || ih >= H) {
                o += kW;
                continue;
              }
              const line = plane + ih * W + iw0;
              if (interior) {
                for (let j = 0; j < kW; j++, o++) out[line + j * dW] = out[line + j * dW]! + src[o]!;
              } else {
                for (let j = 0; j < kW; j++, o++) {
                  const iw = iw0 + j * dW;
                  if (iw >= 0 && iw < W) out[line + j * dW] = out[line + j * dW]! + src[o]!;
                }
              }
            }
          }
        }
      }
    }
    return kernelTensor(out, [N, C, H, W]);
  }
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const plane = (n * C + c) * H * W;
      for (let i = 0; i < kH; i++) {
        for (let j = 0; j < kW; j++) {
          let o = (n * rows + (c * kH + i) * kW + j) * L;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * sH - pH + i * dH;
            if (ih < 0 || ih >= H) {
              o += outW;
              continue;
            }
            const line = plane + ih * W;
            for (let ow = 0; ow < outW; ow++, o++) {
              const iw = ow * sW - pW + j * dW;
              if (iw >= 0 && iw < W) out[line + iw] = out[line + iw]! + src[o]!;
            }
          }
        }
      }
    }
  }
  return kernelTensor(out, [N, C, H, W]);
}

/**
 * The maximum of every window of x [N, C, H, W] (padding counts as −∞), and where it is: out
 * [N, C, Ho, Wo] and, for each output element, the flat index into x of its first maximum in
 * row-major window order (the element PyTorch's max_pool2d sends the gradient to).
 */
export function maxPool(x: Tensor, w: Window2d, outH: number, outW: number): { out: Tensor; argmax: Int32Array } {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const { kH, kW, sH, sW, pH, pW, dH, dW } = w;
  const src = x.data;
  // The positions take 4 bytes per output element on top of the values' 8.
  checkBytes('maxPool', [N, C, outH, outW], 12 * N * C * outH * outW, 'the values and positions of shape');
  const out = alloc(N * C * outH * outW, 'maxPool', [N, C, outH, outW]);
  const argmax = new Int32Array(out.length);
  let o = 0;
  for (let nc = 0; nc < N * C; nc++) {
    const plane = nc * H * W;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, o++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < kH; i++) {
          const ih = oh * sH - pH + i * dH;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < kW; j++) {
            const iw = ow * sW - pW + j * dW;
            if (iw < 0 || iw >= W) continue;
            const v = src[plane + ih * W + iw]!;
            // NaN wins, as in PyTorch: a NaN in a window makes its maximum NaN.
            if (v > best || at < 0 || (v !== v && best === best)) {
              best = v;
              at = plane + ih * W + iw;
            }
          }
        }
        out[o] = best;
        argmax[o] = at;
      }
    }
  }
  return { out: kernelTensor(out, [N, C, outH, outW]), argmax };
}

/** Gathers x's values at flat indices into a tensor of `shape`: out[i] = x[indices[i]]. */
export function gatherFlat(x: Tensor, indices: Int32Array, shape: readonly number[]): Tensor {
  const src = x.data;
  const out = alloc(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = src[indices[i]!]!;
  return kernelTensor(out, shape);
}

/** Adds g's values into a zero tensor of `shape` at flat indices: out[indices[i]] += g[i]. */
export function scatterAddFlat(g: Tensor, indices: Int32Array, shape: readonly number[], size: number): Tensor {
  const src = g.data;
  const out = alloc(size, 'scatterAdd', shape);
  for (let i = 0; i < indices.length; i++) {
    const at = indices[i]!;
    out[at] = out[at]! + src[i]!;
  }
  return kernelTensor(out, shape);
}
