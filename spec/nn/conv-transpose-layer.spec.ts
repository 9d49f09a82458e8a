/** ConvTranspose2d: forward against plain loops, output shape, PyTorch's initialisation, whole-layer gradcheck, errors. */
import { ArgumentError, ConvTranspose2d, ShapeError, Tensor, manualSeed, rand, rng } from '../../index';
import { expectWholeGradcheck, fieldSlot } from './whole-check';

type P = [number, number];

/**
 * The transposed convolution + bias by scattering: every x[n, c, h, w] adds W[c, o', i, j]·x to
 * y[n, g·O/g + o', h·sH − pH + i·dH, w·sW − pW + j·dW] for c in group g, where it falls in the output.
 */
function naiveConvTranspose2d(x: Tensor, W: Tensor, b: Tensor | null, s: P, p: P, op: P, d: P, groups: number): { data: number[]; shape: number[] } {
  const [N, C, H, Wd] = x.shape as [number, number, number, number];
  const [, Og, kH, kW] = W.shape as [number, number, number, number];
  const O = Og * groups;
  const Ho = (H - 1) * s[0] - 2 * p[0] + d[0] * (kH - 1) + op[0] + 1;
  const Wo = (Wd - 1) * s[1] - 2 * p[1] + d[1] * (kW - 1) + op[1] + 1;
  const y = new Array<number>(N * O * Ho * Wo).fill(0);
  const Cg = C / groups;
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) for (let r = 0; r < Ho * Wo; r++) y[(n * O + o) * Ho * Wo + r] = b ? b.data[o]! : 0;
    for (let c = 0; c < C; c++) {
      const g = Math.floor(c / Cg);
      for (let h = 0; h < H; h++) for (let w = 0; w < Wd; w++) {
        const v = x.data[((n * C + c) * H + h) * Wd + w]!;
        for (let oo = 0; oo < Og; oo++) for (let i = 0; i < kH; i++) for (let j = 0; j < kW; j++) {
          const r = h * s[0] - p[0] + i * d[0];
          const q = w * s[1] - p[1] + j * d[1];
          if (r < 0 || r >= Ho || q < 0 || q >= Wo) continue;
          y[((n * O + g * Og + oo) * Ho + r) * Wo + q]! += W.data[((c * Og + oo) * kH + i) * kW + j]! * v;
        }
      }
    }
  }
  return { data: y, shape: [N, O, Ho, Wo] };
}

describe('ConvTranspose2d', () => {
  // 4 → 6 channels in 2 groups, a 3×2 kernel, stride 2, padding 1, outputPadding 1, dilation 2×1.
  const options = { stride: 2, padding: 1, outputPadding: 1, dilation: [2, 1] as P, groups: 2, rng: 11 };
  const layer = new ConvTranspose2d(4, 6, [3, 2], options);
  const x = rand([2, 4, 3, 4], rng(12), -1, 1);

  it('equals a plain-loop transposed convolution plus bias, with PyTorch\'s output size', () => {
    const y = layer.forward(x);
    // Ho = (3 − 1)·2 − 2 + 2·2 + 1 + 1 = 8, Wo = (4 − 1)·2 − 2 + 1 + 1 + 1 = 7
    expect(y.shape).toEqual([2, 6, 8, 7]);
    const ref = naiveConvTranspose2d(x, layer.W, layer.b, [2, 2], [1, 1], [1, 1], [2, 1], 2);
    expect(ref.shape).toEqual(y.shape);
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(ref.data[i]!, 12));
    // Per-axis pairs and no bias.
    const plain = new ConvTranspose2d(2, 3, 2, { stride: [1, 3], padding: [0, 1], outputPadding: [0, 2], bias: false, rng: 1 });
    const x2 = rand([1, 2, 2, 3], rng(2), -1, 1);
    const y2 = plain.forward(x2);
    expect(plain.b).toBeNull();
    expect(plain.parameters()).toEqual([plain.W]);
    expect(y2.shape).toEqual([1, 3, 3, 8]);
    const ref2 = naiveConvTranspose2d(x2, plain.W, null, [1, 3], [0, 1], [0, 2], [1, 1], 1);
    Array.from(y2.data).forEach((v, i) => expect(v).toBeCloseTo(ref2.data[i]!, 12));
  });

  it('has W [C, O/groups, kH, kW] and b [O] from U(±1/√fanIn) with fanIn = O/groups · kH · kW, as PyTorch', () => {
    expect(layer.W.shape).toEqual([4, 3, 3, 2]);
    expect(layer.b!.shape).toEqual([6]);
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['W', 'b']);
    const bound = 1 / Math.sqrt(3 * 3 * 2);
    // Within the bound, and reaching near it (Conv2d's fanIn C/groups · kH · kW = 12 would overshoot).
    const big = new ConvTranspose2d(4, 6, [3, 2], { groups: 2, rng: 3 });
    for (const p of [layer.W, layer.b!, big.W, big.b!]) for (const v of p.data) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(big.W.data, Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(layer.describe()).toBe('ConvTranspose2d(4 → 6, 3×2)');
  });

  it('draws from the global generator unless given a seed: two layers differ, a seed repeats', () => {
    manualSeed(5);
    const [a, b] = [new ConvTranspose2d(1, 2, 3), new ConvTranspose2d(1, 2, 3)];
    expect(Array.from(a.W.data)).not.toEqual(Array.from(b.W.data));
    expect(Array.from(new ConvTranspose2d(1, 2, 3, { rng: 9 }).W.data)).toEqual(Array.from(new ConvTranspose2d(1, 2, 3, { rng: 9 }).W.data));
  });

  it('passes gradcheck as a whole: its input, W and b at once', () => {
    const small = new ConvTranspose2d(4, 2, [2, 3], { stride: 2, padding: [1, 0], outputPadding: 1, dilation: [1, 2], groups: 2, rng: 6 });
    const xs = rand([1, 4, 2, 2], rng(7), -1, 1);
    expectWholeGradcheck('ConvTranspose2d', [xs], [fieldSlot('W', small, 'W'), fieldSlot('b', small, 'b')], (t) => small.forward(t));
  });

  it('rejects bad arguments with errors naming ConvTranspose2d, the argument and its value', () => {
    const bad = (o: object, re: RegExp) => {
      expect(() => new ConvTranspose2d(2, 2, 3, o as never)).toThrow(ArgumentError);
      expect(() => new ConvTranspose2d(2, 2, 3, o as never)).toThrow(re);
    };
    bad({ stride: 2, outputPadding: 2 }, /ConvTranspose2d: outputPadding must be smaller than the stride on each axis, got outputPadding 2×2 with stride 2×2/);
    bad({ outputPadding: [0, 1] }, /ConvTranspose2d: outputPadding .* got outputPadding 0×1 with stride 1×1/);
    bad({ outputPadding: -1 }, /ConvTranspose2d: outputPadding must be an integer ≥ 0 or a pair \[h, w\] of them, got -1/);
    bad({ stride: 0 }, /ConvTranspose2d: stride must be an integer ≥ 1 .* got 0/);
    bad({ padding: 0.5 }, /ConvTranspose2d: padding must be an integer ≥ 0 .* got 0.5/);
    bad({ dilation: [1, 0] }, /ConvTranspose2d: dilation must be an integer ≥ 1/);
    bad({ bias: 'yes' }, /ConvTranspose2d: bias must be true or false, got "yes"/);
    expect(() => new ConvTranspose2d(2, 2, [0, 1])).toThrow(/ConvTranspose2d: kernelSize must be an integer ≥ 1/);
    expect(() => new ConvTranspose2d(0, 2, 3)).toThrow(/ConvTranspose2d: inChannels must be an integer in \[1, /);
    expect(() => new ConvTranspose2d(4, 3, 3, { groups: 2 })).toThrow(/ConvTranspose2d: groups 2 must divide both inChannels 4 and outChannels 3/);
    expect(() => layer.forward(rand([2, 3, 3, 4], rng(0)))).toThrow(/ConvTranspose2d\.forward: expected input of shape \[N, 4, H, W\], got \[2, 3, 3, 4\]/);
    expect(() => new ConvTranspose2d(1, 1, 1, { padding: 2 }).forward(rand([1, 1, 2, 2], rng(0)))).toThrow(ShapeError);
  });
});
