/**
 * Sigmoid + binary cross-entropy (document 002): for a = σ(z) and the mean loss
 * L = −(1/n) Σ y log a + (1 − y) log(1 − a), the graph's gradient is ∂L/∂z = (a − y)/n — the
 * document's δᴸ = a − y for one example, divided by n for the mean. Checked property-based, both for
 * binaryCrossEntropy(sigmoid(z), y), where the cancellation happens numerically through the graph,
 * and for bceWithLogits(z, y). Also: document 002's eq. 15 writes the loss with a squared norm; that
 * function is not the cross-entropy and its gradient is not a − y.
 */
import fc from 'fast-check';
import {
  Tensor,
  add,
  bceWithLogits,
  binaryCrossEntropy,
  grad,
  log,
  mul,
  neg,
  numericJacobian,
  sigmoid,
  sub,
  sum,
  tensor,
} from '../../index';

const RUNS = 100;

/** σ evaluated independently of the library (two branches, so neither side overflows). */
const sigma = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

/** Logits with their targets: n ≥ 1 pairs, targets either hard labels or probabilities. */
const logitsAndTargets = (zRange: number) =>
  fc.integer({ min: 1, max: 8 }).chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: -zRange, max: zRange, noNaN: true }), { minLength: n, maxLength: n }),
      fc.oneof(
        fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
      ),
    ),
  );

function expectGradient(actual: Tensor, z: readonly number[], y: readonly number[], tol: number): void {
  const n = z.length;
  expect(actual.shape).toEqual([n]);
  for (let i = 0; i < n; i++) {
    const expected = (sigma(z[i]!) - y[i]!) / n;
    expect(Math.abs(actual.data[i]! - expected)).toBeLessThanOrEqual(tol);
  }
}

describe('sigmoid + binary cross-entropy: ∂L/∂z = (σ(z) − y)/n', () => {
  it('through binaryCrossEntropy(sigmoid(z), y): the σ′ factors cancel in the graph', () => {
    fc.assert(
      fc.property(logitsAndTargets(8), ([z, y]) => {
        const g: Tensor = grad((zt: Tensor) => binaryCrossEntropy(sigmoid(zt), y))(tensor(z));
        expectGradient(g, z, y, 1e-10);
      }),
      { numRuns: RUNS },
    );
  });

  it('through bceWithLogits(z, y), including large logits', () => {
    fc.assert(
      fc.property(logitsAndTargets(40), ([z, y]) => {
        const g: Tensor = grad((zt: Tensor) => bceWithLogits(zt, y))(tensor(z));
        expectGradient(g, z, y, 1e-14);
      }),
      { numRuns: RUNS },
    );
  });

  it('the two losses agree in value where both are representable', () => {
    fc.assert(
      fc.property(logitsAndTargets(8), ([z, y]) => {
        const a = binaryCrossEntropy(sigmoid(z), y).item();
        const b = bceWithLogits(z, y).item();
        expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(b)));
      }),
      { numRuns: RUNS },
    );
  });

  it('document 002, one example with the summed loss: δᴸ = ∂L/∂z = a − y', () => {
    fc.assert(
      fc.property(logitsAndTargets(8), ([z, y]) => {
        const g: Tensor = grad((zt: Tensor) => binaryCrossEntropy(sigmoid(zt), y, { reduction: 'sum' }))(tensor(z));
        z.forEach((zi, i) => expect(Math.abs(g.data[i]! - (sigma(zi) - y[i]!))).toBeLessThanOrEqual(1e-10));
      }),
      { numRuns: RUNS },
    );
  });

  it('logits of ±1000 give a finite loss and the gradient (σ(z) − y)/n', () => {
    const z = [1000, -1000, 1000, -1000];
    const y = [1, 0, 0, 1];
    const [loss, g] = [bceWithLogits(z, y), grad((zt: Tensor) => bceWithLogits(zt, y))(tensor(z)) as Tensor];
    expect(Number.isFinite(loss.item())).toBe(true);
    // Two confident mistakes of margin 1000 each, averaged over 4: (0 + 0 + 1000 + 1000)/4.
    expect(loss.item()).toBeCloseTo(500, 9);
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
    expectGradient(g, z, y, 1e-15);
  });
});

describe("document 002 eq. 15: the squared-norm form is not the cross-entropy", () => {
  /** u = y log a + (1 − y) log(1 − a), elementwise, for a = σ(z). */
  const u = (z: Tensor, y: number[]): Tensor => {
    const a = sigmoid(z);
    return add(mul(y, log(a)), mul(sub(1, y), log(sub(1, a))));
  };
  /** The sum written after eq. 15's "=": −Σ u. */
  const crossEntropySum = (z: Tensor, y: number[]): Tensor => neg(sum(u(z, y)));
  /** Eq. 15's left side, as printed: −‖u‖². */
  const squaredNorm = (z: Tensor, y: number[]): Tensor => {
    const v = u(z, y);
    return neg(sum(mul(v, v)));
  };

  // Targets and logits kept apart from each other so that a − y is clearly non-zero.
  const separated = fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: 0.5, max: 6, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
    ).map(([mag, y]) => [mag.map((m, i) => (y[i] === 1 ? -m : m)), y] as const),
  );

  it('the two sides of eq. 15 are different functions: −‖u‖² is never positive, the sum never negative', () => {
    fc.assert(
      fc.property(separated, ([z, y]) => {
        const zt = tensor(z);
        const sq = squaredNorm(zt, y).item();
        const ce = crossEntropySum(zt, y).item();
        expect(sq).toBeLessThanOrEqual(0);
        expect(ce).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('only the sum has the gradient a − y; the squared norm has 2u(a − y), checked by central differences', () => {
    fc.assert(
      fc.property(separated, ([z, y]) => {
        const zt = tensor(z);
        const gSum: Tensor = grad((t: Tensor) => crossEntropySum(t, y))(zt);
        const gSq: Tensor = grad((t: Tensor) => squaredNorm(t, y))(zt);
        const fdSq = numericJacobian((t: Tensor) => squaredNorm(t, y), [zt], 0, 1e-6);
        z.forEach((zi, i) => {
          const a = sigma(zi);
          const ui = y[i]! * Math.log(a) + (1 - y[i]!) * Math.log(1 - a);
          expect(Math.abs(gSum.data[i]! - (a - y[i]!))).toBeLessThanOrEqual(1e-10);
          expect(Math.abs(gSq.data[i]! - fdSq[i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fdSq[i]!)));
          expect(Math.abs(gSq.data[i]! - 2 * ui * (a - y[i]!))).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(gSq.data[i]!)));
          // u ≤ 0, so 2u(a − y) points the other way from a − y: descending it would push a away from y.
          expect(Math.sign(gSq.data[i]!)).toBe(-Math.sign(a - y[i]!));
        });
      }),
      { numRuns: RUNS },
    );
  });
});
