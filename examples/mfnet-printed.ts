/**
 * The numbers printed in the mfnet report's worked example (document 000, §3.3), transcribed once:
 * the example and the specs that check it read them from here. Columns are the m = 4 examples;
 * row 0 is the bias feature (the report folds the bias into augmented matrices).
 */
export type Matrix = number[][];

export const X: Matrix = [[1, 1, 2, 2], [2, 2, 2, 3]];
export const Y: Matrix = [[1, 1, 2, 2]];
export const A0: Matrix = [[1, 1, 1, 1], ...X];
export const Ytilde: Matrix = [[1, 1, 1, 1], ...Y];
export const W1: Matrix = [[1, 0, 0], [0, 0, 1], [0, 1, 1], [1, 0, 0]];
export const W2: Matrix = [[1, 0, 0, 0], [1, 1, 0, 1], [-1, 1, 2, -2]];
export const W3: Matrix = [[1, 0, 0], [0, 1, -1]];
/** The learning rate of the printed update, and the number of examples. */
export const ETA = 4;
export const M = 4;

const quarter = (a: Matrix): Matrix => a.map((r) => r.map((v) => v / 4));

/** What §3.3 prints, quantity by quantity (gradients as printed, in quarters). */
export const PRINTED = {
  Z1: [[1, 1, 1, 1], [2, 3, 2, 3], [3, 4, 4, 5], [2, 2, 3, 3]],
  A1: [[1, 1, 1, 1], [2, 3, 2, 3], [3, 4, 4, 5], [2, 2, 3, 3]],
  Z2: [[1, 1, 1, 1], [5, 6, 6, 7], [3, 6, 3, 6]],
  A2: [[1, 1, 1, 1], [5, 6, 6, 7], [3, 6, 3, 6]],
  Z3: [[1, 1, 1, 1], [2, 0, 3, 1]],
  Yhat: [[1, 1, 1, 1], [2, 0, 3, 1]],
  J: [[1]],
  dYhat: quarter([[0, 0, 0, 0], [1, -1, 1, -1]]),
  Delta3: quarter([[0, 0, 0, 0], [1, -1, 1, -1]]),
  dW3: quarter([[0, 0, 0], [0, -2, -6]]),
  dA2: quarter([[0, 0, 0, 0], [1, -1, 1, -1], [-1, 1, -1, 1]]),
  Delta2: quarter([[0, 0, 0, 0], [1, -1, 1, -1], [-1, 1, -1, 1]]),
  dW2: quarter([[0, 0, 0, 0], [0, -2, -2, 0], [0, 2, 2, 0]]),
  dA1: quarter([[2, -2, 2, -2], [0, 0, 0, 0], [-2, 2, -2, 2], [3, -3, 3, -3]]),
  Delta1: quarter([[0, 0, 0, 0], [0, 0, 0, 0], [-2, 2, -2, 2], [3, -3, 3, -3]]),
  dW1: quarter([[0, 0, 0], [0, 0, 0], [0, 0, 4], [0, 0, -6]]),
  dA0: quarter([[3, -3, 3, -3], [1, -1, 1, -1], [-2, 2, -2, 2]]),
  W3new: [[1, 0, 0], [0, 3, 5]],
  W2new: [[1, 0, 0, 0], [1, 3, 2, 1], [-1, -1, 0, -2]],
  W1new: [[1, 0, 0], [0, 0, 1], [0, 1, -3], [1, 0, 6]],
} satisfies Record<string, Matrix>;
