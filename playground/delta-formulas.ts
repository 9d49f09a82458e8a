/**
 * The slides' compact backpropagation formulas, evaluated with plain loops over the recorded
 * pre-activations and weights, so that the delta panel can set them beside the graph's deltas.
 * Rows are examples (n of them), layers are counted from 1 to L, A⁰ = X:
 *
 *   Δᴸ = (σ(Zᴸ) − Y) / n             binary cross-entropy on logits (the mean over n)
 *   Δᴸ = 2 (Zᴸ − Y) / n              mean squared error
 *   Δˡ = (Δˡ⁺¹ · Wˡ⁺¹ᵀ) ⊙ f′(Zˡ)       each hidden layer, f its activation
 *   ∂L/∂Wˡ = Aˡ⁻¹ᵀ · Δˡ,  ∂L/∂bˡ = Σ over the rows of Δˡ
 *
 * None of this uses the graph's gradients: agreement with them is a check of the engine (and
 * of the formulas), to the last few bits.
 */
import { Tensor, erf, noGrad } from 'deltagraph';
import type { HiddenActivation, LossName } from './config';

export interface CompactInputs {
  X: Tensor;
  y: Tensor;
  /** Wˡ [widthˡ⁻¹, widthˡ] and the pre-activations Zˡ [n, widthˡ] of layers 1 … L. */
  W: readonly Tensor[];
  Z: readonly Tensor[];
  activation: HiddenActivation;
  loss: LossName;
}

export interface CompactLayer {
  /** Δˡ [n, units], row-major. */
  delta: Float64Array;
  units: number;
  /** ∂L/∂Wˡ [in, units] and ∂L/∂bˡ [units]. */
  weightGrad: Float64Array;
  biasGrad: Float64Array;
}

const LEAKY_SLOPE = 0.01; // nn's LeakyReLU default, which the playground's MLP uses
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Slides' notation for f′(Zˡ) of each activation. */
export const DERIVATIVE_TEXT: Record<HiddenActivation, string> = {
  tanh: '(1 − tanh²(Zˡ))',
  sigmoid: 'σ(Zˡ) ⊙ (1 − σ(Zˡ))',
  relu: '[Zˡ > 0]',
  leakyRelu: '(1 where Zˡ > 0, else 0.01)',
  gelu: '(Φ(Zˡ) + Zˡ ⊙ φ(Zˡ))',
  silu: 'σ(Zˡ) ⊙ (1 + Zˡ ⊙ (1 − σ(Zˡ)))',
};

export const OUTPUT_DELTA_TEXT: Record<LossName, string> = {
  bce: 'Δᴸ = (σ(Zᴸ) − Y) / n',
  mse: 'Δᴸ = 2 (Zᴸ − Y) / n',
};

/** f(z) and f′(z) of every element of Z [n, units]. */
function activationAndSlope(z: Tensor, activation: HiddenActivation): { value: Float64Array; slope: Float64Array } {
  const src = z.data;
  const value = new Float64Array(src.length);
  const slope = new Float64Array(src.length);
  // Φ(z) = (1 + erf(z/√2)) / 2 needs erf, which Math lacks: the library's, as a value only.
  const phi = activation === 'gelu' ? noGrad(() => erf(new Tensor(src.map((v) => v / Math.SQRT2), z.shape)).data) : null;
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    switch (activation) {
      case 'tanh': {
        const t = Math.tanh(x);
        value[i] = t;
        slope[i] = 1 - t * t;
        break;
      }
      case 'sigmoid': {
        const s = sigmoid(x);
        value[i] = s;
        slope[i] = s * (1 - s);
        break;
      }
      case 'relu':
        value[i] = x > 0 ? x : 0;
        slope[i] = x > 0 ? 1 : 0;
        break;
      case 'leakyRelu':
        value[i] = x > 0 ? x : LEAKY_SLOPE * x;
        slope[i] = x > 0 ? 1 : LEAKY_SLOPE;
        break;
      case 'gelu': {
        const cdf = (1 + phi![i]!) / 2;
        value[i] = x * cdf;
        slope[i] = cdf + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
        break;
      }
      case 'silu': {
        const s = sigmoid(x);
        value[i] = x * s;
        slope[i] = s * (1 + x * (1 - s));
        break;
      }
    }
  }
  return { value, slope };
}

/** The compact formulas' Δˡ, ∂L/∂Wˡ and ∂L/∂bˡ for layers 1 … L (index 0 is layer 1). */
export function compactDeltas(inputs: CompactInputs): CompactLayer[] {
  const { X, y, W, Z, activation, loss } = inputs;
  const L = Z.length;
  const n = X.shape[0]!;
  const hidden = Z.slice(0, L - 1).map((z) => activationAndSlope(z, activation));
  const layers: CompactLayer[] = new Array(L);
  // Output layer: the identity output, so Zᴸ is the net's output.
  const zL = Z[L - 1]!.data;
  const outUnits = Z[L - 1]!.shape[1]!;
  let delta = new Float64Array(zL.length);
  for (let i = 0; i < zL.length; i++) delta[i] = loss === 'bce' ? (sigmoid(zL[i]!) - y.data[i]!) / n : (2 * (zL[i]! - y.data[i]!)) / n;
  let units = outUnits;
  for (let l = L - 1; l >= 0; l--) {
    if (l < L - 1) {
      // Δˡ = (Δˡ⁺¹ · Wˡ⁺¹ᵀ) ⊙ f′(Zˡ): Wˡ⁺¹ is [units of l, units of l+1].
      const w = W[l + 1]!.data;
      const next = delta;
      const nextUnits = units;
      units = Z[l]!.shape[1]!;
      delta = new Float64Array(n * units);
      const slope = hidden[l]!.slope;
      for (let r = 0; r < n; r++) {
        for (let j = 0; j < units; j++) {
          let s = 0;
          for (let k = 0; k < nextUnits; k++) s += next[r * nextUnits + k]! * w[j * nextUnits + k]!;
          delta[r * units + j] = s * slope[r * units + j]!;
        }
      }
    }
    // ∂L/∂Wˡ = Aˡ⁻¹ᵀ · Δˡ and ∂L/∂bˡ = column sums of Δˡ.
    const previous = l === 0 ? X.data : hidden[l - 1]!.value;
    const inUnits = W[l]!.shape[0]!;
    const weightGrad = new Float64Array(inUnits * units);
    const biasGrad = new Float64Array(units);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < units; j++) {
        const d = delta[r * units + j]!;
        biasGrad[j] = biasGrad[j]! + d;
        for (let i = 0; i < inUnits; i++) weightGrad[i * units + j] = weightGrad[i * units + j]! + previous[r * inUnits + i]! * d;
      }
    }
    layers[l] = { delta, units, weightGrad, biasGrad };
  }
  return layers;
}

/** The largest |a − b| over two arrays of one length. */
export function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
