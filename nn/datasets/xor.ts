/**
 * The XOR problem of the Siena backpropagation slides: 8 two-dimensional examples, 4 of class 0
 * (near (0, 0) and (1, 1)) and 4 of class 1 (near (0, 1) and (1, 0)). The slides show the points
 * only as a picture; these coordinates place two examples at each corner of the unit square.
 */
import { Tensor, tensor } from '../../lib';

export interface XorData {
  /** [8, 2], one row per example. */
  X: Tensor;
  /** [8, 1] binary targets. */
  y: Tensor;
}

export function xorDataset(): XorData {
  return {
    X: tensor([
      [0, 0], [0.1, 0.1], [1, 1], [0.9, 0.9], // class 0
      [0, 1], [0.1, 0.9], [1, 0], [0.9, 0.1], // class 1
    ]),
    y: tensor([[0], [0], [0], [0], [1], [1], [1], [1]]),
  };
}
