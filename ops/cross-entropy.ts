import { ArgumentError, ShapeError, Tensor, TensorLike, fmtShape, kernels, sameShape } from '../lib';
import { batchedCall, constantOf, expandLeading, isBatched } from '../graph/vmap';
import { equal } from './compare/comparisons';
import { asTensor } from './args';
import { logSoftmax } from './log-softmax';
import { mul } from './mul';
import { neg } from './neg';
import { reshape } from './reshape';
import { sum } from './sum';
import { where } from './where';
import { takeAlongAxisChecked } from './indexing/take-along-axis';
import { LossOptions, reduceLoss, pickLossOptions } from './reduction';
import { Domain } from './domain';

/** Integer class labels, checked to lie in 0 … c − 1. */
function labelIndices(labels: Tensor, classes: number): Int32Array {
  const n = labels.size;
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = labels.data[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= classes) {
      throw new ArgumentError(`crossEntropy: label ${k} of example ${i} is not a class index in 0 … ${classes - 1}`);
    }
    indices[i] = k;
  }
  return indices;
}

/** One-hot rows [n, c] from integer class labels, checked to lie in 0 … c − 1. */
function oneHot(labels: Tensor, classes: number): Tensor {
  const indices = labelIndices(labels, classes);
  const data = new Float64Array(indices.length * classes);
  indices.forEach((k, i) => (data[i * classes + k] = 1));
  return new Tensor(data, [indices.length, classes]);
}

const ZERO = new Tensor(Float64Array.of(0), []);

/**
 * L = −(1/n) Σᵢ Σ_c Yᵢc log softmax(Zᵢ)_c for logits Z [n, c] and targets Y: one-hot (or
 * probability) rows [n, c], or integer class labels [n]. Built on the stable logSoftmax (which
 * subtracts each row's maximum first), so equal logits of any size give exactly log c, and
 * Z = [[1e308, −1e308]] with label 0 gives 0 with gradient [[0, 0]]. Labels pick their log
 * probability (PyTorch's nll_loss); with target rows a zero target contributes 0 even where the
 * log probability is −∞ (0 · log 0 = 0, as in PyTorch's xlogy). A +∞ or NaN logit makes its row
 * NaN, as in PyTorch. Its gradient is ∂L/∂Z = (softmax(Z) − Y)/n.
 */
export function crossEntropy(logits: TensorLike, targets: TensorLike, options?: LossOptions): Tensor {
  const z = asTensor('crossEntropy', logits, 'logits');
  const t = asTensor('crossEntropy', targets, 'targets');
  if (z.rank !== 2) throw new ShapeError(`crossEntropy: logits must be [n, c] (rows are examples), got ${fmtShape(z.shape)}`);
  const [n, c] = z.shape as [number, number];
  if (t.rank === 1 && t.shape[0] === n) {
    if (isBatched(t)) {
      // Inside vmap with batched labels (whose values f cannot read): the losses of the whole batch at once.
      const losses = batchedCall('crossEntropy', [z, constantOf(t)], (ps, bs, size) => {
        const [pz, pt] = ps.map((p, i) => (bs[i] ? p : expandLeading.apply([p], { size })));
        return reshape(crossEntropy(reshape(pz!, [size * n, c]), reshape(pt!, [size * n]), { reduction: 'none' }), [size, n]);
      })!;
      return reduceLoss('crossEntropy', losses, options);
    }
    const indices = labelIndices(t, c);
    const picked = takeAlongAxisChecked(logSoftmax(z, 1), { indices, m: 1, axis: 1 });
    return reduceLoss('crossEntropy', neg(reshape(picked, [n])), options);
  }
  if (!sameShape(t.shape, z.shape)) {
    throw new ShapeError(
      `crossEntropy: targets ${fmtShape(t.shape)} fit neither logits ${fmtShape(z.shape)} (one-hot rows) nor [${n}] (class labels)`,
    );
  }
  const terms = where(equal(t, ZERO), ZERO, mul(t, logSoftmax(z, 1)));
  return reduceLoss('crossEntropy', neg(sum(terms, 1)), options);
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
