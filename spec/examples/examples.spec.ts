/**
 * The runnable examples: each exports main(), which returns its key numbers. The expectations here
 * are derived independently of the examples (plain-loop arithmetic on the documents' numbers, the
 * data sets' definitions), not copied from their output.
 */
import { main as mfnet, Matrix } from '../../examples/mfnet-worked-example';
import { main as xor } from '../../examples/siena-xor';
import { main as tutorial } from '../../examples/tutorial-regression';
import { main as housing } from '../../examples/batchnorm-housing';
import { xorDataset } from '../../index';
import * as printedMfnet from '../../examples/mfnet-printed';

const quiet = (): void => undefined;

// ---- Plain matrix arithmetic for the mfnet expectations (entries are multiples of ¼: exact in float64). ----
const mm = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: Matrix): Matrix => a[0]!.map((_, j) => a.map((row) => row[j]!));
const scale = (a: Matrix, c: number): Matrix => a.map((r) => r.map((v) => v * c));
const minus = (a: Matrix, b: Matrix): Matrix => a.map((r, i) => r.map((v, j) => v - b[i]![j]!));
const biasRowOnes = (a: Matrix): Matrix => a.map((r, i) => (i === 0 ? r.map(() => 1) : r));
const biasRowZero = (a: Matrix): Matrix => a.map((r, i) => (i === 0 ? r.map(() => 0) : r));
const equal = (a: Matrix, b: Matrix): boolean => a.length === b.length && a.every((r, i) => r.every((v, j) => Math.abs(v - b[i]![j]!) <= 1e-12));
const q = (a: Matrix): Matrix => scale(a, 1 / 4);
/** Entry by entry within 1e-12 (so −0 and 0 count as equal). */
const expectMatrix = (actual: Matrix, expected: Matrix): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(v - expected[i]![j]!)).toBeLessThanOrEqual(1e-12)));
};

describe('examples/mfnet-worked-example', () => {
  // Document 000 §3.3 as printed (the shared transcription).
  const { A0, Ytilde: Yt, W1, W2, W3, M: m, ETA: eta } = printedMfnet;
  const printed: Record<string, Matrix> = printedMfnet.PRINTED;
  const lossOf = (yhat: Matrix): number => minus(yhat, Yt).flat().reduce((s, v) => s + v * v, 0) / m;

  // The true values, continuing from the printed Z¹ as the document does, by eqs. 3.4–3.8 with ∂J/∂Ŷ = (2/m)(Ŷ − Ỹ).
  const A1 = biasRowOnes(printed.Z1!);
  const Z2 = mm(W2, A1);
  const A2 = biasRowOnes(Z2);
  const Z3 = mm(W3, A2);
  const Yhat = biasRowOnes(Z3);
  const dYhat = scale(minus(Yhat, Yt), 2 / m);
  const Delta3 = biasRowZero(dYhat);
  const dW3 = mm(Delta3, tr(A2));
  const dA2 = mm(tr(W3), Delta3);
  const Delta2 = biasRowZero(dA2);
  const dW2 = mm(Delta2, tr(A1));
  const dA1 = mm(tr(W2), Delta2);
  const Delta1 = biasRowZero(dA1);
  const dW1 = mm(Delta1, tr(A0));
  const dA0 = mm(tr(W1), Delta1);
  const truth: Record<string, Matrix> = {
    Z1: mm(W1, A0), A1, Z2, A2, Z3, Yhat, J: [[lossOf(Yhat)]], dYhat, Delta3, dW3, dA2, Delta2, dW2, dA1, Delta1, dW1, dA0,
    W3new: minus(W3, scale(dW3, eta)), W2new: minus(W2, scale(dW2, eta)), W1new: minus(W1, scale(dW1, eta)),
  };
  // The document's formulas evaluated on its own printed inputs.
  const P = printed;
  const own: Record<string, Matrix> = {
    Z1: mm(W1, A0), A1: biasRowOnes(P.Z1!), Z2: mm(W2, P.A1!), A2: biasRowOnes(P.Z2!), Z3: mm(W3, P.A2!), Yhat: biasRowOnes(P.Z3!),
    J: [[lossOf(P.Yhat!)]], dYhat: scale(minus(P.Yhat!, Yt), 2 / m), Delta3: biasRowZero(P.dYhat!), dW3: mm(P.Delta3!, tr(P.A2!)),
    dA2: mm(tr(W3), P.Delta3!), Delta2: biasRowZero(P.dA2!), dW2: mm(P.Delta2!, tr(P.A1!)), dA1: mm(tr(W2), P.Delta2!),
    Delta1: biasRowZero(P.dA1!), dW1: mm(P.Delta1!, tr(A0)), dA0: mm(tr(W1), P.Delta1!),
    W3new: minus(W3, scale(P.dW3!, eta)), W2new: minus(W2, scale(P.dW2!, eta)), W1new: minus(W1, scale(P.dW1!, eta)),
  };

  let result: ReturnType<typeof mfnet>;
  beforeAll(() => {
    result = mfnet({ log: quiet });
  });

  it('computes W¹A⁰, the loss from the printed Z¹ on, every true gradient and the update', () => {
    expectMatrix(result.w1a0, truth.Z1!);
    expect(result.loss).toBe(truth.J![0]![0]);
    for (const k of ['dYhat', 'Delta3', 'dW3', 'dA2', 'Delta2', 'dW2', 'dA1', 'Delta1', 'dW1', 'dA0'] as const) {
      expectMatrix(result.gradients[k], truth[k]!);
    }
    expectMatrix(result.updated.W3, truth.W3new!);
    expectMatrix(result.updated.W2, truth.W2new!);
    expectMatrix(result.updated.W1, truth.W1new!);
    expect(result.gradcheckOk).toBe(true);
  });

  it('lists exactly the printed quantities that differ from the true value or from their own formula', () => {
    const expected = Object.keys(printed).filter((k) => !equal(printed[k]!, truth[k]!) || !equal(printed[k]!, own[k]!));
    expect(result.disagreements.map((d) => d.quantity).sort()).toEqual([...expected].sort());
    // The ones the document's errata name, and the ones that agree.
    for (const k of ['Z1', 'dYhat', 'Delta3', 'dW3', 'Delta2', 'dW2', 'Delta1', 'dW1', 'W3new', 'W2new']) expect(expected).toContain(k);
    for (const k of ['A1', 'Z2', 'A2', 'Z3', 'Yhat', 'J', 'W1new']) expect(expected).not.toContain(k);
  });

  it('names the factor in each case: ∂J/∂Ŷ half of its written 2/m, ∂J/∂W¹ twice Δ¹A⁰ᵀ yet equal to the truth', () => {
    const by = (k: string) => result.comparisons.find((c) => c.quantity === k)!;
    expect(equal(printed.dYhat!, scale(own.dYhat!, 0.5))).toBe(true);
    expect(by('dYhat').vsOwnFormula).toBe('half');
    expect(by('dYhat').vsComputed).toBe('half');
    for (const k of ['Delta3', 'dW3', 'dA2', 'Delta2', 'dW2', 'dA1', 'Delta1']) {
      expect(equal(printed[k]!, scale(truth[k]!, 0.5))).toBe(true);
      expect(by(k).vsComputed).toBe('half');
      expect(by(k).vsOwnFormula).toBe('equal');
    }
    expect(equal(printed.dW1!, scale(own.dW1!, 2))).toBe(true);
    expect(by('dW1').vsOwnFormula).toBe('twice');
    expect(by('dW1').vsComputed).toBe('equal');
    expect(by('Z1').vsComputed).toMatch(/^differs/);
    expect(by('W3new').vsOwnFormula).toBe('equal');
    expect(by('W3new').vsComputed).toMatch(/^differs/);
  });

  it('recomputes the example end to end from its inputs (Z¹ = W¹A⁰)', () => {
    const z1 = mm(W1, A0);
    const yhat = biasRowOnes(mm(W3, biasRowOnes(mm(W2, biasRowOnes(z1)))));
    expect(result.endToEnd.loss).toBe(lossOf(yhat));
    expectMatrix(result.endToEnd.Z1, z1);
    expectMatrix(result.endToEnd.Yhat, yhat);
  });
});

describe('examples/siena-xor', () => {
  let result: ReturnType<typeof xor>;
  beforeAll(() => {
    result = xor({ log: quiet });
  }, 30_000);

  it('trains the 2-4-3-1 sigmoid net below a loss of 1e-3 with full-batch gradient descent', () => {
    expect(result.reachedTarget).toBe(true);
    expect(result.finalLoss).toBeLessThan(1e-3);
    expect(result.steps).toBeGreaterThan(0);
    expect(result.history[0]!.loss).toBeGreaterThan(result.finalLoss);
    // Every example on the right side of ½.
    const { y } = xorDataset();
    result.predictions.forEach((o, i) => expect(o > 0.5 ? 1 : 0).toBe(y.data[i]));
  });

  it("gives deltas equal to the slides' formulas to 1e-12, before and after training", () => {
    expect(result.atStart).toHaveLength(3);
    expect(result.atEnd).toHaveLength(3);
    for (const c of [...result.atStart, ...result.atEnd]) {
      expect(c.delta).toBeLessThanOrEqual(1e-12);
      expect(c.weight).toBeLessThanOrEqual(1e-12);
      expect(c.bias).toBeLessThanOrEqual(1e-12);
      expect(c.maxAbsDelta).toBeGreaterThan(0); // not vacuous
    }
    expect(result.maxDifference).toBeLessThanOrEqual(1e-12);
  });
});

describe('examples/tutorial-regression (short run)', () => {
  let result: ReturnType<typeof tutorial>;
  beforeAll(() => {
    result = tutorial({ iterations: 300, log: quiet });
  }, 30_000);

  it('the loss decreases under gradient descent and is printed every 100 iterations', () => {
    expect(result.history.map((h) => h.iteration)).toEqual([0, 100, 200, 299]);
    expect(result.finalLoss).toBeLessThan(result.initialLoss / 10);
    for (let i = 1; i < result.history.length; i++) expect(result.history[i]!.loss).toBeLessThan(result.history[i - 1]!.loss);
    expect(result.finalLoss).toBeLessThan(2 * result.leastSquaresLoss);
  });

  it('the N(0, 0.001²) init starts more slowly than He init', () => {
    expect(result.halvingIterations.tinyInit).toBeGreaterThan(result.halvingIterations.heInit);
  });
});

describe('examples/batchnorm-housing (short run)', () => {
  let result: ReturnType<typeof housing>;
  beforeAll(() => {
    result = housing({ epochs: 2, treatments: ['none', 'log1p+clip'], log: quiet });
  }, 60_000);

  it("the BatchNorm layer's training-mode gradient matches central differences; the document's does not", () => {
    expect(result.gradient.layerOk).toBe(true);
    expect(result.gradient.documentOk).toBe(false);
    expect(result.gradient.engineError).toBeLessThan(1e-6);
    expect(result.gradient.correctedFormulaError).toBeLessThan(1e-6);
    expect(result.gradient.documentFormulaError).toBeGreaterThan(1e-2);
  });

  it('bounds the inputs and reaches a modest R² after two epochs', () => {
    expect(result.testMaxAbs.none).toBeGreaterThan(100);
    expect(result.testMaxAbs['log1p+clip']).toBeLessThanOrEqual(5);
    const chosen = result.results.find((r) => r.treatment === result.chosen)!;
    expect(chosen.testR2).toBeGreaterThan(0.6);
    expect(chosen.testRmse).toBeLessThan(0.7);
    // Without outlier handling the test error is larger (seed 0, two epochs: by more than twice).
    const none = result.results.find((r) => r.treatment === 'none')!;
    expect(none.testRmse).toBeGreaterThan(chosen.testRmse);
  });
});
