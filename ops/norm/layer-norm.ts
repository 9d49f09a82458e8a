import { ArgumentError, ShapeError, Tensor, TensorLike, describe, fmtShape } from '../../lib';
import { asTensor, numberOf, shapeOf } from '../args';
import { add } from '../add';
import { sub } from '../sub';
import { mul } from '../mul';
import { div } from '../div';
import { sqrt } from '../sqrt';
import { mean } from '../mean';
import { sum } from '../sum';
import { reshape } from '../reshape';
import { square } from '../activations/square';
import { Domain } from '../domain';

function affineOf(name: 'weight' | 'bias', value: unknown, normalized: readonly number[]): Tensor | undefined {
  if (value === undefined || value === null) return undefined;
  const t = asTensor('layerNorm', value, name);
  if (t.rank !== normalized.length || t.shape.some((d, i) => d !== normalized[i])) {
    throw new ShapeError(`layerNorm: ${name} has shape ${fmtShape(t.shape)}, expected normalizedShape ${fmtShape(normalized)}`);
  }
  return t;
}

/**
 * y = (x − mean x) / √(var x + eps) ⊙ weight + bias, mean and the biased variance taken over the
 * trailing axes given by normalizedShape (F.layer_norm; weight and bias optional, shaped like
 * normalizedShape). A composite: its gradients for x, weight and bias come from mean, sub, square,
 * sqrt, div, mul and add. As in PyTorch, eps = 0 on a constant slice is 0/0 = NaN, and deviations
 * above ~1.3e154 overflow the variance, so ±1e300 normalises to 0 (with finite gradients).
 */
export function layerNorm(
  x: TensorLike,
  normalizedShape: number | readonly number[],
  weight?: TensorLike | null,
  bias?: TensorLike | null,
  eps = 1e-5,
): Tensor {
  const t = asTensor('layerNorm', x);
  const normalized = shapeOf('layerNorm', typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape);
  const k = normalized.length;
  if (k === 0) throw new ShapeError(`layerNorm: normalizedShape must have at least one dimension, got []`);
  if (k > t.rank || t.shape.slice(t.rank - k).some((d, i) => d !== normalized[i])) {
    throw new ShapeError(
      `layerNorm: normalizedShape ${fmtShape(normalized)} must equal the trailing dimensions of the input, got an input of shape ${fmtShape(t.shape)}`,
    );
  }
  const w = affineOf('weight', weight, normalized);
  const b = affineOf('bias', bias, normalized);
  const e = numberOf('layerNorm', 'eps', eps, 1e-5);
  if (e < 0) throw new ArgumentError(`layerNorm: eps must be ≥ 0, got ${describe(eps)}`);
  const axes = Array.from({ length: k }, (_, i) => t.rank - k + i);
  const centred = sub(t, mean(t, axes, true));
  let y = div(centred, sqrt(add(mean(square(centred), axes, true), e)));
  if (w !== undefined) y = mul(y, w);
  if (b !== undefined) y = add(y, b);
  return y;
}

/**
 * x, weight and bias drawn with one shape; normalizedShape is its last 1…rank dimensions, and
 * weight and bias (each used or left out) are summed down to it. Distinct values keep the variance
 * away from 0, where the normalisation is ill-conditioned.
 */
export const domain: Domain = {
  arity: 3,
  shapes: 'any',
  values: { min: -3, max: 3 },
  distinct: true,
  call: (inputs, pick) => {
    const [x, w, b] = inputs.map((t) => (t.rank === 0 ? reshape(t, [1]) : t)) as [Tensor, Tensor, Tensor];
    const k = pick.int(1, x.rank);
    const lead = Array.from({ length: x.rank - k }, (_, i) => i);
    const normalized = x.shape.slice(x.rank - k);
    const weight = pick.int(0, 1) === 1 ? sum(w, lead) : undefined;
    const bias = pick.int(0, 1) === 1 ? sum(b, lead) : undefined;
    return layerNorm(x, normalized, weight, bias, pick.int(0, 1) === 1 ? 0.5 : undefined);
  },
};
