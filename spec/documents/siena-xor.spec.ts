/**
 * The Siena slides' XOR net (8 examples, 4 per class; 2-4-3-1, a sigmoid on every layer; rows are
 * examples; Aˡ = Oˡ⁻¹Wˡ + bˡ, Oˡ = σ(Aˡ), loss = ‖O³ − Y‖²) built from ops. One backward pass gives
 * the deltas ∂loss/∂Aˡ as well as ∂loss/∂Wˡ and ∂loss/∂bˡ; they equal the slides' compact formulas
 *   Δᴸ = σ′(Aᴸ) ⊙ ∂loss/∂Oᴸ,  Δˡ = σ′(Aˡ) ⊙ Δˡ⁺¹(Wˡ⁺¹)ᵀ,  ∂loss/∂Wˡ = (Oˡ⁻¹)ᵀΔˡ,  ∂loss/∂bˡ = (Δˡ)ᵀ1
 * evaluated independently with plain loops over Float64Arrays (no op of the library). The whole
 * net's gradient is also checked against central differences.
 *
 * The slides describe the training set (an 8×2 matrix X, one row per example, and 8 binary targets,
 * 4 of class 0 and 4 of class 1, an XOR problem) but show its values only in a picture. The set used
 * here has exactly that structure: the XOR corners and the same corners pulled towards the centre.
 */
import {
  Tensor,
  add,
  backward,
  gradcheck,
  matmul,
  mul,
  param,
  randn,
  rng,
  sigmoid,
  sub,
  sum,
  tensor,
} from '../../index';

const XOR_X = [
  [0, 0], [1, 1], [0.2, 0.2], [0.8, 0.8], // class 0: both features alike
  [0, 1], [1, 0], [0.2, 0.8], [0.8, 0.2], // class 1: the features differ
];
const XOR_Y = [[0], [0], [0], [0], [1], [1], [1], [1]];
const SIZES = [2, 4, 3, 1] as const;
const M = XOR_X.length;

/** A plain row-major matrix, for the independent reference computation. */
interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

const mat = (rows: number, cols: number, data?: Float64Array): Mat => ({ rows, cols, data: data ? data.slice() : new Float64Array(rows * cols) });
const at = (a: Mat, i: number, j: number): number => a.data[i * a.cols + j]!;

function matmulRef(a: Mat, b: Mat): Mat {
  if (a.cols !== b.rows) throw new Error('matmulRef: inner dimensions differ');
  const c = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += at(a, i, k) * at(b, k, j);
      c.data[i * c.cols + j] = s;
    }
  }
  return c;
}

function transposeRef(a: Mat): Mat {
  const t = mat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * t.cols + i] = at(a, i, j);
  return t;
}

function mapRef(a: Mat, f: (v: number, k: number) => number): Mat {
  const r = mat(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k++) r.data[k] = f(a.data[k]!, k);
  return r;
}

const sigma = (v: number): number => 1 / (1 + Math.exp(-v));
const sigmaPrime = (v: number): number => sigma(v) * (1 - sigma(v));

function expectClose(actual: Tensor, expected: Mat, tol: number): void {
  expect(actual.size).toBe(expected.data.length);
  for (let k = 0; k < expected.data.length; k++) {
    expect(Math.abs(actual.data[k]! - expected.data[k]!)).toBeLessThanOrEqual(tol);
  }
}

function initialWeights(seed: number): { W: Tensor[]; b: Tensor[] } {
  const g = rng(seed);
  const W: Tensor[] = [];
  const b: Tensor[] = [];
  for (let l = 1; l < SIZES.length; l++) {
    W.push(randn([SIZES[l - 1]!, SIZES[l]!], g));
    b.push(randn([SIZES[l]!], g));
  }
  return { W, b };
}

/** The net's forward pass from ops, keeping every pre-activation Aˡ and output Oˡ. */
function forward(X: Tensor, Y: Tensor, W: readonly Tensor[], b: readonly Tensor[]) {
  const A: Tensor[] = [];
  const O: Tensor[] = [X];
  for (let l = 0; l < W.length; l++) {
    const a = add(matmul(O[l]!, W[l]!), b[l]!);
    A.push(a);
    O.push(sigmoid(a));
  }
  const r = sub(O[O.length - 1]!, Y);
  return { A, O, loss: sum(mul(r, r)) };
}

describe('the Siena slides XOR net: deltas of the graph = the slides compact formulas', () => {
  const X = tensor(XOR_X);
  const Y = tensor(XOR_Y);

  it('uses 8 two-feature examples, 4 of each class, with XOR targets', () => {
    expect(X.shape).toEqual([8, 2]);
    expect(Y.shape).toEqual([8, 1]);
    expect(XOR_Y.filter(([y]) => y === 1)).toHaveLength(4);
    for (let i = 0; i < M; i++) {
      const [x1, x2] = XOR_X[i]! as [number, number];
      expect(XOR_Y[i]![0]).toBe((x1 >= 0.5) !== (x2 >= 0.5) ? 1 : 0);
    }
  });

  it.each([1, 2, 3])('one backward pass gives Δˡ, ∂loss/∂Wˡ and ∂loss/∂bˡ equal to the formulas (seed %i)', (seed) => {
    const init = initialWeights(seed);
    const W = init.W.map((w) => param(w));
    const b = init.b.map((v) => param(v));
    const { A, loss } = forward(X, Y, W, b);
    const grads = backward(loss, { wrt: [...A, ...W, ...b] });
    const L = W.length;

    // Independent forward pass with loops: Aˡ = Oˡ⁻¹Wˡ + 1(bˡ)ᵀ, Oˡ = σ(Aˡ).
    const Wm = init.W.map((w, l) => mat(SIZES[l]!, SIZES[l + 1]!, w.data));
    const Ar: Mat[] = [];
    const Or: Mat[] = [mat(M, 2, X.data)];
    for (let l = 0; l < L; l++) {
      const s = matmulRef(Or[l]!, Wm[l]!);
      const bl = init.b[l]!.data;
      const a = mapRef(s, (v, k) => v + bl[k % s.cols]!);
      Ar.push(a);
      Or.push(mapRef(a, sigma));
    }
    const OL = Or[L]!;
    const lossRef = OL.data.reduce((acc, o, k) => acc + (o - Y.data[k]!) ** 2, 0);
    expect(Math.abs(loss.item() - lossRef)).toBeLessThanOrEqual(1e-12);

    // The slides' deltas: ∂loss/∂Oᴸ = 2(Oᴸ − Y), then backwards through the layers.
    const dLdOL = mapRef(OL, (o, k) => 2 * (o - Y.data[k]!));
    const Delta: Mat[] = new Array<Mat>(L);
    Delta[L - 1] = mapRef(Ar[L - 1]!, (a, k) => sigmaPrime(a) * dLdOL.data[k]!);
    for (let l = L - 2; l >= 0; l--) {
      const back = matmulRef(Delta[l + 1]!, transposeRef(Wm[l + 1]!));
      Delta[l] = mapRef(Ar[l]!, (a, k) => sigmaPrime(a) * back.data[k]!);
    }

    for (let l = 0; l < L; l++) {
      const delta = Delta[l]!;
      expect(grads.get(A[l]!).shape).toEqual([M, SIZES[l + 1]]);
      expectClose(grads.get(A[l]!), delta, 1e-12);
      expectClose(grads.get(W[l]!), matmulRef(transposeRef(Or[l]!), delta), 1e-12);
      const ones = mat(M, 1, new Float64Array(M).fill(1));
      expectClose(grads.get(b[l]!), matmulRef(transposeRef(delta), ones), 1e-12);
      // The gradient has its input's shape (denominator layout).
      expect(grads.get(W[l]!).shape).toEqual(W[l]!.shape);
      expect(grads.get(b[l]!).shape).toEqual(b[l]!.shape);
    }
  });

  it('the deltas are not trivially zero: the output delta is far from 0 at a random start', () => {
    const init = initialWeights(7);
    const W = init.W.map((w) => param(w));
    const b = init.b.map((v) => param(v));
    const { A, loss } = forward(X, Y, W, b);
    const grads = backward(loss, { wrt: A });
    const d = grads.get(A[A.length - 1]!).data;
    expect(Math.max(...Array.from(d, Math.abs))).toBeGreaterThan(1e-3);
  });

  it('the gradient of the whole loss with respect to every weight and bias matches central differences', () => {
    const init = initialWeights(11);
    const f = (...ps: Tensor[]): Tensor => forward(X, Y, ps.slice(0, 3), ps.slice(3)).loss;
    const result = gradcheck(f, [...init.W, ...init.b], { name: 'xor-loss', mode: 'full', atol: 1e-7, rtol: 1e-6 });
    expect(result.ok).toBe(true);
    expect(result.mode).toBe('full');
  });
});
