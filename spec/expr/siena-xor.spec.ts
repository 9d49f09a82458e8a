/**
 * The Siena slides' XOR net (2-4-3-1, sigmoids, loss ‖o³ − y‖²) written as formulas. Every formula
 * of the slides, and the slides' compact delta formulas, parse with fromExpression and give the
 * loss, the gradients and the deltas of the same net built directly from ops.
 */
import fc from 'fast-check';
import { Tensor, add, backward, fromExpression, matmul, mT, mul, noGrad, ones, param, randn, rng, sigmoid, sub, sum, tensor } from '../../index';
import { expectClose } from './helpers';

const RUNS = 100;

/**
 * The slides give the XOR training set (8 two-feature examples, 4 per class) only as a picture. This
 * set has that structure: the XOR corners, and the same corners pulled towards the centre.
 */
const X_DATA = [
  [0, 0], [1, 1], [0.2, 0.2], [0.8, 0.8],
  [0, 1], [1, 0], [0.2, 0.8], [0.8, 0.2],
];
const Y_DATA = [[0], [0], [0], [0], [1], [1], [1], [1]];

/**
 * The slides' forward pass, transcribed: O¹ = σ(XW¹ + (b¹1ᵀ)ᵀ), O² = σ(O¹W² + (b²1ᵀ)ᵀ),
 * o³ = σ(O²w³ + 1b³), loss = ‖o³ − y‖², with 1 the column of 8 ones (`ones`), the biases b¹, b²
 * columns, b³ a scalar. The pre-activations are named A¹, A², a³ so that their gradients (the deltas)
 * can be read after backward.
 */
const SLIDES = {
  A1: "X * W1 + (b1 * ones')'",
  O1: 'sigmoid(A1)',
  A2: "O1 * W2 + (b2 * ones')'",
  O2: 'sigmoid(A2)',
  a3: 'O2 * w3 + ones * b3',
  o3: 'sigmoid(a3)',
  loss: 'norm(o3 - y)^2',
};

/** The slides' compact summary: deltas, then weight and bias gradients. σ′(A) is written σ(A) ⊙ (1 − σ(A)). */
const COMPACT = {
  delta3: 'sigmoid(a3) .* (1 - sigmoid(a3)) .* (2 * (o3 - y))',
  Delta2: "sigmoid(A2) .* (1 - sigmoid(A2)) .* (delta3 * w3')",
  Delta1: "sigmoid(A1) .* (1 - sigmoid(A1)) .* (Delta2 * W2')",
  dw3: "O2' * delta3",
  dW2: "O1' * Delta2",
  dW1: "X' * Delta1",
  db3: "ones' * delta3",
  db2: "Delta2' * ones",
  db1: "Delta1' * ones",
};

/** The whole net as one formula, and the loss written as a sum of squares. */
const ONE_FORMULA = "norm(sigmoid(sigmoid(sigmoid(X * W1 + (b1 * ones')') * W2 + (b2 * ones')') * w3 + ones * b3) - y)^2";
const SUM_OF_SQUARES = 'sum((o3 - y).^2)';

interface Weights {
  W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor; w3: Tensor; b3: Tensor;
}

function weights(seed: number): Weights {
  const g = rng(seed);
  return {
    W1: param(randn([2, 4], g)), b1: param(randn([4, 1], g)),
    W2: param(randn([4, 3], g)), b2: param(randn([3, 1], g)),
    w3: param(randn([3, 1], g)), b3: param(randn([], g)),
  };
}

/** The same net built directly from ops, with broadcasting biases instead of the slides' outer products. */
function directNet(X: Tensor, y: Tensor, w: Weights) {
  const A1 = add(matmul(X, w.W1), mT(w.b1));
  const A2 = add(matmul(sigmoid(A1), w.W2), mT(w.b2));
  const a3 = add(matmul(sigmoid(A2), w.w3), w.b3);
  const r = sub(sigmoid(a3), y);
  return { A1, A2, a3, loss: sum(mul(r, r)) };
}


describe("the Siena slides' XOR net written as formulas", () => {
  const X = tensor(X_DATA);
  const y = tensor(Y_DATA);
  const ONES = ones([8, 1]);
  const layer = Object.fromEntries(Object.entries(SLIDES).map(([k, text]) => [k, fromExpression(text)]));
  const compact = Object.fromEntries(Object.entries(COMPACT).map(([k, text]) => [k, fromExpression(text)]));

  /** Evaluates the slides' formulas in order, each seeing the data, the weights and the results so far. */
  function slidesNet(w: Weights): Record<string, Tensor> {
    const env: Record<string, Tensor> = { X, y, ones: ONES, ...w };
    for (const name of Object.keys(SLIDES)) env[name] = layer[name]!(env);
    return env;
  }

  it('every formula parses, with the variables the slides name', () => {
    expect(layer.A1!.symbols).toEqual(['X', 'W1', 'b1', 'ones']);
    expect(layer.a3!.symbols).toEqual(['O2', 'w3', 'ones', 'b3']);
    expect(layer.loss!.symbols).toEqual(['o3', 'y']);
    expect(compact.Delta2!.symbols).toEqual(['A2', 'delta3', 'w3']);
    expect(fromExpression(ONE_FORMULA).symbols).toEqual(['X', 'W1', 'b1', 'ones', 'W2', 'b2', 'w3', 'b3', 'y']);
  });

  it('has the shapes of the slides: A¹ 8×4, A² 8×3, a³ and o³ 8×1, a scalar loss', () => {
    const env = slidesNet(weights(1));
    expect(env.A1!.shape).toEqual([8, 4]);
    expect(env.A2!.shape).toEqual([8, 3]);
    expect(env.a3!.shape).toEqual([8, 1]);
    expect(env.o3!.shape).toEqual([8, 1]);
    expect(env.loss!.shape).toEqual([]);
  });

  it('on random weights, gives the loss, the weight and bias gradients and the deltas of the net built from ops', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const w = weights(seed);
        const env = slidesNet(w);
        const direct = directNet(X, y, w);
        expectClose(env.loss!, direct.loss);

        const leaves = [w.W1, w.b1, w.W2, w.b2, w.w3, w.b3];
        const ours_ = backward(env.loss!, { wrt: [...leaves, env.A1!, env.A2!, env.a3!] });
        const theirs_ = backward(direct.loss, { wrt: [...leaves, direct.A1, direct.A2, direct.a3] });
        for (const leaf of leaves) expectClose(ours_.get(leaf), theirs_.get(leaf));
        expectClose(ours_.get(env.A1!), theirs_.get(direct.A1));
        expectClose(ours_.get(env.A2!), theirs_.get(direct.A2));
        expectClose(ours_.get(env.a3!), theirs_.get(direct.a3));
      }),
      { numRuns: RUNS },
    );
  });

  it("on random weights, backward's deltas and gradients equal the slides' compact formulas, parsed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const w = weights(seed);
        const env = slidesNet(w);
        const g = backward(env.loss!, { wrt: [w.W1, w.b1, w.W2, w.b2, w.w3, w.b3, env.A1!, env.A2!, env.a3!] });
        const c: Record<string, Tensor> = { ...env };
        noGrad(() => {
          for (const name of Object.keys(COMPACT)) c[name] = compact[name]!(c);
        });
        expectClose(g.get(env.a3!), c.delta3!);
        expectClose(g.get(env.A2!), c.Delta2!);
        expectClose(g.get(env.A1!), c.Delta1!);
        expectClose(g.get(w.w3), c.dw3!);
        expectClose(g.get(w.W2), c.dW2!);
        expectClose(g.get(w.W1), c.dW1!);
        expectClose(g.get(w.b3), c.db3!);
        expectClose(g.get(w.b2), c.db2!);
        expectClose(g.get(w.b1), c.db1!);
      }),
      { numRuns: RUNS },
    );
  });

  it('the whole net as one formula, and the loss as sum((o3 - y).^2), give the same loss and gradients', () => {
    const net = fromExpression(ONE_FORMULA);
    const squares = fromExpression(SUM_OF_SQUARES);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const w = weights(seed);
        const leaves = [w.W1, w.b1, w.W2, w.b2, w.w3, w.b3];
        const env = slidesNet(w);
        const whole = net({ X, y, ones: ONES, ...w });
        const summed = squares(env);
        const direct = directNet(X, y, w);
        expectClose(whole, direct.loss);
        expectClose(summed, direct.loss);
        const gWhole = backward(whole, { wrt: leaves });
        const gSummed = backward(summed, { wrt: leaves });
        const gDirect = backward(direct.loss, { wrt: leaves });
        for (const leaf of leaves) {
          expectClose(gWhole.get(leaf), gDirect.get(leaf));
          expectClose(gSummed.get(leaf), gDirect.get(leaf));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a case with a closed form: with every weight 0, o³ = 1/2, loss = 8 · 1/4 = 2 and δ³ = σ′(0) · 2(1/2 − y) = ±1/4', () => {
    const zero: Weights = {
      W1: param(tensor([[0, 0, 0, 0], [0, 0, 0, 0]])), b1: param(tensor([[0], [0], [0], [0]])),
      W2: param(tensor([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]])), b2: param(tensor([[0], [0], [0]])),
      w3: param(tensor([[0], [0], [0]])), b3: param(tensor(0)),
    };
    const env = slidesNet(zero);
    expect(env.loss!.item()).toBe(2);
    const delta3 = backward(env.loss!).get(env.a3!);
    expect(delta3.toArray()).toEqual(Y_DATA.map(([t]) => [t === 0 ? 0.25 : -0.25]));
  });
});

