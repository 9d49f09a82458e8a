/**
 * Softmax cross-entropy (document 000, §4.2): for the mean loss over m examples,
 * L = −(1/m) Σᵢ Σⱼ Yᵢⱼ log Sᵢⱼ with S = softmax(Z) row-wise, the graph's gradient is
 * ∂L/∂Z = (S − Y)/m, for one-hot targets and for integer labels alike (property-based, S computed
 * independently). The report's eq. 4.8 gives S − Y/m instead: central differences agree with
 * (S − Y)/m and disagree with S − Y/m whenever m ≥ 2. Logits of ±1000 give a finite loss and gradient.
 */
import fc from 'fast-check';
import { Tensor, crossEntropy, grad, numericJacobian, tensor } from '../../index';

const RUNS = 100;

/** Row-wise softmax with plain loops (max subtracted first, so ±1000 is fine). */
function softmaxRef(z: readonly number[][]): number[][] {
  return z.map((row) => {
    const top = Math.max(...row);
    const e = row.map((v) => Math.exp(v - top));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

const oneHotRef = (labels: readonly number[], c: number): number[][] =>
  labels.map((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)));

/** A batch: m examples, c classes, logits and integer labels. */
const batch = (minM: number, range: number) =>
  fc
    .tuple(fc.integer({ min: minM, max: 6 }), fc.integer({ min: 2, max: 5 }))
    .chain(([m, c]) =>
      fc.tuple(
        fc.array(fc.array(fc.double({ min: -range, max: range, noNaN: true }), { minLength: c, maxLength: c }), { minLength: m, maxLength: m }),
        fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: m, maxLength: m }),
      ),
    );

/** The gradient formula (S − Y)/m, from the independent softmax. */
function correctGradient(z: number[][], labels: number[]): number[][] {
  const m = z.length;
  const S = softmaxRef(z);
  const Y = oneHotRef(labels, z[0]!.length);
  return S.map((row, i) => row.map((s, j) => (s - Y[i]![j]!) / m));
}

/** Document 000's eq. 4.8 as printed: S − Y/m. */
function eq48Gradient(z: number[][], labels: number[]): number[][] {
  const m = z.length;
  const S = softmaxRef(z);
  const Y = oneHotRef(labels, z[0]!.length);
  return S.map((row, i) => row.map((s, j) => s - Y[i]![j]! / m));
}

function maxAbsDiff(actual: ArrayLike<number>, expected: number[][]): number {
  const flat = expected.flat();
  expect(actual.length).toBe(flat.length);
  let worst = 0;
  for (let k = 0; k < flat.length; k++) worst = Math.max(worst, Math.abs(actual[k]! - flat[k]!));
  return worst;
}

describe('mean softmax cross-entropy: ∂L/∂Z = (S − Y)/m', () => {
  it('with one-hot targets', () => {
    fc.assert(
      fc.property(batch(1, 10), ([z, labels]) => {
        const Y = oneHotRef(labels, z[0]!.length);
        const g: Tensor = grad((zt: Tensor) => crossEntropy(zt, Y))(tensor(z));
        expect(g.shape).toEqual([z.length, z[0]!.length]);
        expect(maxAbsDiff(g.data, correctGradient(z, labels))).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: RUNS },
    );
  });

  it('with integer class labels, the same gradient', () => {
    fc.assert(
      fc.property(batch(1, 10), ([z, labels]) => {
        const g: Tensor = grad((zt: Tensor) => crossEntropy(zt, labels))(tensor(z));
        expect(maxAbsDiff(g.data, correctGradient(z, labels))).toBeLessThanOrEqual(1e-13);
      }),
      { numRuns: RUNS },
    );
  });

  it('the loss value is −(1/m) Σ log S at the labels', () => {
    fc.assert(
      fc.property(batch(1, 10), ([z, labels]) => {
        const S = softmaxRef(z);
        const expected = -labels.reduce((acc, k, i) => acc + Math.log(S[i]![k]!), 0) / z.length;
        const loss = crossEntropy(z, labels).item();
        expect(Math.abs(loss - expected)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(expected)));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("document 000 eq. 4.8 (S − Y/m) is wrong; (S − Y)/m is right", () => {
  const fd = (z: number[][], labels: number[]): Float64Array =>
    numericJacobian((zt: Tensor) => crossEntropy(zt, labels), [tensor(z)], 0, 1e-6);

  it('central differences agree with (S − Y)/m and disagree with S − Y/m for m ≥ 2', () => {
    fc.assert(
      fc.property(batch(2, 4), ([z, labels]) => {
        const numeric = fd(z, labels);
        expect(maxAbsDiff(numeric, correctGradient(z, labels))).toBeLessThanOrEqual(1e-8);
        // The two formulas differ by S(1 − 1/m); its largest entry is at least (1 − 1/m)/c ≥ 1/(2c).
        expect(maxAbsDiff(numeric, eq48Gradient(z, labels))).toBeGreaterThan(0.05);
      }),
      { numRuns: RUNS },
    );
  });

  it('a worked case: m = 2, c = 2, Z = 0 — eq. 4.8 gives entries 0 and 0.5, the true gradient ±0.25', () => {
    const z = [[0, 0], [0, 0]];
    const labels = [0, 1];
    const numeric = Array.from(fd(z, labels));
    // S = ½ everywhere: (S − Y)/m = (½ − Y)/2, S − Y/m = ½ − Y/2.
    expect(numeric.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([-0.25, 0.25, 0.25, -0.25]);
    expect(eq48Gradient(z, labels).flat()).toEqual([0, 0.5, 0.5, 0]);
  });

  it('for a single example (m = 1) the two formulas coincide, which is why the slip is easy to miss', () => {
    fc.assert(
      fc.property(batch(1, 4).filter(([z]) => z.length === 1), ([z, labels]) => {
        expect(maxAbsDiff(Float64Array.from(eq48Gradient(z, labels).flat()), correctGradient(z, labels))).toBeLessThanOrEqual(1e-15);
      }),
      { numRuns: 20 },
    );
  });
});

describe('numerical stability', () => {
  const z = [
    [1000, -1000, 0],
    [-1000, 1000, 1000],
    [-1000, -1000, -1000],
  ];

  it.each([
    ['integer labels', [1, 2, 0]],
    ['one-hot targets', oneHotRef([1, 2, 0], 3)],
  ] as const)('logits of ±1000 give a finite loss and gradient (%s)', (_, targets) => {
    const loss = crossEntropy(z, targets as number[] | number[][]).item();
    const g: Tensor = grad((zt: Tensor) => crossEntropy(zt, targets as number[] | number[][]))(tensor(z));
    expect(Number.isFinite(loss)).toBe(true);
    // Per example: −log S at the label = logSumExp(row) − z_label: 2000, log 2, log 3.
    expect(loss).toBeCloseTo((2000 + Math.log(2) + Math.log(3)) / 3, 9);
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
    expect(maxAbsDiff(g.data, correctGradient(z, [1, 2, 0]))).toBeLessThanOrEqual(1e-12);
  });
});
