/**
 * Losses as objects with a forward(prediction, target), over the ops (no hand-written gradients).
 * MSE comes in the conventions of the source documents:
 *   'mean'         mean over all elements: (1/N) Σ (ŷ − y)² (PyTorch's MSELoss, the mfnet report)
 *   'exampleMean'  mean over the m examples of the squared norm: (1/m) Σᵢ ‖ŷᵢ − yᵢ‖²
 *   'halfMean'     ½ · mean over all elements: (1/2N) Σ (ŷ − y)² (the NN tutorial's J)
 *   'sum'          Σ (ŷ − y)² = ‖Ŷ − Y‖² (the Siena slides' loss)
 */
import { ArgumentError, Tensor, TensorLike, describe, within } from '../lib';
import { bceWithLogits, binaryCrossEntropy, crossEntropy, div, mseLoss, mul } from '../ops';
import { asTensor, boolIn, optionsIn } from './args';

export interface Loss {
  readonly name: string;
  forward(prediction: Tensor, target: Tensor): Tensor;
}

/** A loss's two arguments as tensors, or an error naming the loss. */
function pairOf(loss: string, prediction: TensorLike, target: TensorLike): [Tensor, Tensor] {
  return [asTensor(`${loss}.forward`, prediction, 'prediction'), asTensor(`${loss}.forward`, target, 'target')];
}

export type MSEConvention = 'mean' | 'exampleMean' | 'halfMean' | 'sum';

export class MSELoss implements Loss {
  readonly name: string;
  constructor(readonly convention: MSEConvention = 'mean') {
    if (typeof convention !== 'string' || !['mean', 'exampleMean', 'halfMean', 'sum'].includes(convention)) {
      throw new ArgumentError(`MSELoss: unknown convention ${describe(convention)}; expected mean, exampleMean, halfMean or sum`);
    }
    this.name = `MSE (${convention})`;
  }

  forward(predictionLike: TensorLike, targetLike: TensorLike): Tensor {
    const [prediction, target] = pairOf('MSELoss', predictionLike, targetLike);
    return within('MSELoss.forward', null, () => {
      switch (this.convention) {
        case 'mean':
          return mseLoss(prediction, target);
        case 'halfMean':
          return mul(mseLoss(prediction, target), 0.5);
        case 'sum':
          return mseLoss(prediction, target, { reduction: 'sum' });
        case 'exampleMean':
          return div(mseLoss(prediction, target, { reduction: 'sum' }), prediction.shape[0] ?? 1);
      }
    });
  }
}

/** Softmax cross-entropy on logits [n, c] with one-hot rows or integer labels (stable at ±1000). */
export class CrossEntropyLoss implements Loss {
  readonly name = 'cross-entropy';
  forward(logits: TensorLike, target: TensorLike): Tensor {
    const pair = pairOf('CrossEntropyLoss', logits, target);
    return within('CrossEntropyLoss.forward', null, () => crossEntropy(...pair));
  }
}

/** Binary cross-entropy: on probabilities, or on logits with { logits: true } (stable, preferred). */
export class BCELoss implements Loss {
  readonly name: string;
  constructor(readonly options: { logits?: boolean } = {}) {
    const logits = boolIn('BCELoss', 'logits', optionsIn('BCELoss', options).logits, false);
    this.options = { logits };
    this.name = logits ? 'binary cross-entropy (logits)' : 'binary cross-entropy';
  }
  forward(predictionLike: TensorLike, targetLike: TensorLike): Tensor {
    const [prediction, target] = pairOf('BCELoss', predictionLike, targetLike);
    return within('BCELoss.forward', null, () => (this.options.logits ? bceWithLogits(prediction, target) : binaryCrossEntropy(prediction, target)));
  }
}
