import { ArgumentError, ShapeError, Tensor, TensorLike, fmtShape, sameShape } from '../lib';
import { asTensor } from './args';
import { logSoftmax } from './log-softmax';
import { mul } from './mul';
import { neg } from './neg';
import { sum } from './sum';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

/** One-hot rows [n, c] from integer class labels, checked to lie in 0 … c − 1. */
function oneHot(labels: Tensor, classes: number): Tensor {
  const n = labels.size;
  const data = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    const k = labels.data[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= classes) {
      throw new ArgumentError(`crossEntropy: label ${k} of example ${i} is not a class index in 0 … ${classes - 1}`);
    }
    data[i * classes + k] = 1;
  }
  return new Tensor(data, [n, classes]);
}

/**
 * L = −(1/n) Σᵢ Σ_c Yᵢc log softmax(Zᵢ)_c for logits Z [n, c] and targets Y: one-hot (or
 * probability) rows [n, c], or integer class labels [n]. Built on the stable logSoftmax, so logits
 * of ±1000 are fine, and its gradient is ∂L/∂Z = (softmax(Z) − Y)/n.
 */
export function crossEntropy(logits: TensorLike, targets: TensorLike, options?: LossOptions): Tensor {
  const z = asTensor('crossEntropy', logits, 'logits');
  const t = asTensor('crossEntropy', targets, 'targets');
  if (z.rank !== 2) throw new ShapeError(`crossEntropy: logits must be [n, c] (rows are examples), got ${fmtShape(z.shape)}`);
  const [n, c] = z.shape as [number, number];
  let y: Tensor;
  if (t.rank === 1 && t.shape[0] === n) y = oneHot(t, c);
  else if (sameShape(t.shape, z.shape)) y = t;
  else {
    throw new ShapeError(
      `crossEntropy: targets ${fmtShape(t.shape)} fit neither logits ${fmtShape(z.shape)} (one-hot rows) nor [${n}] (class labels)`,
    );
  }
  return reduceLoss('crossEntropy', neg(sum(mul(y, logSoftmax(z, 1)), 1)), options);
}

export const domain: Domain = {
  arity: 1,
  shapes: 'matrix',
  values: { min: -3, max: 3 },
  call: ([z], pick) => {
    const [n, c] = z!.shape as [number, number];
    const labels = new Tensor(Float64Array.from({ length: n }, () => pick.int(0, c - 1)), [n]);
    return crossEntropy(z!, pick.int(0, 1) ? labels : oneHot(labels, c), pickLossOptions(pick));
  },
};
