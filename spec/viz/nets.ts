/** Small traced graphs shared by the picture tests. */
import { MLP, MSELoss, Tensor, add, exp, mul, param, sin, sum, xorDataset } from '../../index';
import { nextNodeId } from '../../graph/node';

export interface TracedXor {
  model: MLP;
  X: Tensor;
  y: Tensor;
  loss: Tensor;
  /** The ids [first, end) of every node the forward pass and the loss created. */
  span: [number, number];
}

/** The Siena slides' 2-4-3-1 sigmoid net on the 8 XOR examples, loss ‖o − y‖². */
export function tracedXor(): TracedXor {
  const { X, y } = xorDataset();
  const model = new MLP({ layers: [2, 4, 3, 1], hidden: 'sigmoid', output: 'sigmoid', init: 'xavier', seed: 0 });
  const first = nextNodeId();
  const loss = new MSELoss('sum').forward(model.forward(X), y);
  return { model, X, y, loss, span: [first, nextNodeId()] };
}

/** A diamond: t = exp(x) feeds two branches, L = Σ (2t + sin t); ∂L/∂t = 2 + cos t sums both paths. */
export function diamond(): { x: Tensor; t: Tensor; loss: Tensor } {
  const x = param([0.1, -0.4, 0.7]);
  const t = exp(x);
  const loss = sum(add(mul(t, 2), sin(t)));
  return { x, t, loss };
}
