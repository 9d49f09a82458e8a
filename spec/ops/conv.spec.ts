/**
 * Convolution, pooling, unfold and fold against direct definitions in plain loops (independent of
 * the im2col kernels and of matmul), PyTorch's conventions where they choose (the gradient of a
 * max goes to the first maximum of a window), and their argument errors.
 */
import fc from 'fast-check';
import {
  DeltaGraphError, Tensor, avgPool2d, backward, conv1d, conv2d, convTranspose2d, fold, maxPool2d, mul, param, sum, tensor, unfold, zeros,
} from '../../index';

const at4 = (x: Tensor, shape: readonly number[]) => {
  const [, C, H, W] = shape as [number, number, number, number];
  return (n: number, c: number, h: number, w: number) => x.data[((n * C + c) * H + h) * W + w]!;
};

/** conv2d by its definition: a sum over each output's window, channel group by channel group. */
function naiveConv2d(x: Tensor, w: Tensor, s: [number, number], p: [number, number], d: [number, number], groups: number): { data: number[]; shape: number[] } {
  const [N, C, H, W] = x.shape as number[];
  const [O, Cg, kH, kW] = w.shape as number[];
  const Ho = Math.floor((H! + 2 * p[0] - d[0] * (kH! - 1) - 1) / s[0]) + 1;
  const Wo = Math.floor((W! + 2 * p[1] - d[1] * (kW! - 1) - 1) / s[1]) + 1;
  const X = at4(x, x.shape as number[]);
  const Wt = at4(w, w.shape as number[]);
  const out: number[] = [];
  for (let n = 0; n < N!; n++) for (let o = 0; o < O!; o++) for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) {
    const group = Math.floor(o / (O! / groups));
    let acc = 0;
    for (let c = 0; c < Cg!; c++) for (let a = 0; a < kH!; a++) for (let b = 0; b < kW!; b++) {
      const h = i * s[0] - p[0] + a * d[0];
      const v = j * s[1] - p[1] + b * d[1];
      if (h >= 0 && h < H! && v >= 0 && v < W!) acc += Wt(o, c, a, b) * X(n, group * Cg! + c, h, v);
    }
    out.push(acc);
  }
  return { data: out, shape: [N!, O!, Ho, Wo] };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i]!)));
};

const values = (shape: number[]) => fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }).map((v) => new Tensor(Float64Array.from(v), shape));

describe('conv2d', () => {
  it('equals the direct sum over windows for random shapes, strides, paddings, dilations and groups', () => {
    const config = fc.record({
      n: fc.integer({ min: 1, max: 2 }), groups: fc.integer({ min: 1, max: 2 }), cg: fc.integer({ min: 1, max: 2 }), og: fc.integer({ min: 1, max: 2 }),
      h: fc.integer({ min: 3, max: 7 }), w: fc.integer({ min: 3, max: 7 }), kh: fc.integer({ min: 1, max: 3 }), kw: fc.integer({ min: 1, max: 3 }),
      sh: fc.integer({ min: 1, max: 3 }), sw: fc.integer({ min: 1, max: 2 }), ph: fc.integer({ min: 0, max: 2 }), pw: fc.integer({ min: 0, max: 1 }), d: fc.integer({ min: 1, max: 2 }),
    }).filter((c) => c.h + 2 * c.ph >= c.d * (c.kh - 1) + 1 && c.w + 2 * c.pw >= c.d * (c.kw - 1) + 1);
    fc.assert(fc.property(config.chain((c) => fc.tuple(fc.constant(c), values([c.n, c.groups * c.cg, c.h, c.w]), values([c.groups * c.og, c.cg, c.kh, c.kw]))), ([c, x, w]) => {
      const y = conv2d(x, w, { stride: [c.sh, c.sw], padding: [c.ph, c.pw], dilation: c.d, groups: c.groups });
      const ref = naiveConv2d(x, w, [c.sh, c.sw], [c.ph, c.pw], [c.d, c.d], c.groups);
      expect(y.shape).toEqual(ref.shape);
      close(y.data, ref.data);
    }), { numRuns: 60 });
  });

  it('on a large enough input runs the matmul kernels and still equals the direct sum', () => {
    const x = new Tensor(Float64Array.from({ length: 2 * 3 * 20 * 20 }, (_, i) => Math.sin(i)), [2, 3, 20, 20]);
    const w = new Tensor(Float64Array.from({ length: 8 * 3 * 5 * 5 }, (_, i) => Math.cos(i)), [8, 3, 5, 5]);
    const ref = naiveConv2d(x, w, [1, 1], [2, 2], [1, 1], 1);
    close(conv2d(x, w, { padding: 2 }).data, ref.data);
  });

  it('names the op, the argument and what was expected on bad input', () => {
    const x = zeros([1, 2, 4, 4]);
    expect(() => conv2d(zeros([2, 4, 4]), zeros([1, 2, 3, 3]))).toThrow(/conv2d: x must have rank 4 \(\[N, C, H, W\]\), got shape \[2, 4, 4\]/);
    expect(() => conv2d(x, zeros([1, 3, 3, 3]))).toThrow(/conv2d: w of shape \[1, 3, 3, 3\] has 3 input channels per group.*expected w.shape\[1\] = 2/);
    expect(() => conv2d(x, zeros([3, 1, 3, 3]), { groups: 2 })).toThrow(/conv2d: groups 2 must divide both the 2 input and the 3 output channels/);
    expect(() => conv2d(x, zeros([1, 2, 5, 5]))).toThrow(/conv2d: a 5×5 kernel .* does not fit the input of shape \[1, 2, 4, 4\]/);
    expect(() => conv2d(x, zeros([1, 2, 3, 3]), { stride: 0 })).toThrow(/conv2d: stride must be an integer ≥ 1 or a pair \[h, w\] of them, got 0/);
    expect(() => conv2d(x, zeros([1, 2, 3, 3]), { padding: [1, -1] })).toThrow(/conv2d: padding must be an integer ≥ 0/);
    expect(() => conv2d(x, zeros([1, 2, 3, 3]), 5 as never)).toThrow(DeltaGraphError);
  });
});

describe('conv1d', () => {
  it('equals conv2d on a height of 1, and the direct sum', () => {
    const x = new Tensor(Float64Array.from({ length: 2 * 4 * 9 }, (_, i) => Math.sin(3 * i)), [2, 4, 9]);
    const w = new Tensor(Float64Array.from({ length: 6 * 2 * 3 }, (_, i) => Math.cos(i)), [6, 2, 3]);
    const y = conv1d(x, w, { stride: 2, padding: 1, dilation: 2, groups: 2 });
    const ref = naiveConv2d(new Tensor(x.data, [2, 4, 1, 9]), new Tensor(w.data, [6, 2, 1, 3]), [1, 2], [0, 1], [1, 2], 2);
    expect(y.shape).toEqual([2, 6, ref.shape[3]]);
    close(y.data, ref.data);
  });
});

describe('convTranspose2d', () => {
  it('is the adjoint of conv2d in x: ⟨conv2d(x, w), v⟩ = ⟨x, convTranspose2d(v, w)⟩', () => {
    const inner = (a: Tensor, b: Tensor) => a.data.reduce((sum, q, i) => sum + q * b.data[i]!, 0);
    for (const [stride, padding, dilation, groups] of [[1, 0, 1, 1], [2, 1, 1, 1], [2, 0, 2, 2], [3, 1, 1, 2]] as const) {
      const [H, W, kH, kW] = [7, 6, 3, 2];
      const x = new Tensor(Float64Array.from({ length: 4 * H * W }, (_, i) => Math.sin(i)), [1, 4, H, W]);
      // conv2d's w [O, C/g, kH, kW] is, read as [C_in, O_out/g, kH, kW], the kernel of its transpose.
      const w = new Tensor(Float64Array.from({ length: 6 * (4 / groups) * kH * kW }, (_, i) => Math.cos(2 * i)), [6, 4 / groups, kH, kW]);
      const y = conv2d(x, w, { stride, padding, dilation, groups });
      const v = new Tensor(Float64Array.from({ length: y.size }, (_, i) => Math.cos(5 * i)), y.shape);
      // The rows and columns that conv2d's stride skips at the end come back through outputPadding.
      const outputPadding: [number, number] = [(H + 2 * padding - dilation * (kH - 1) - 1) % stride, (W + 2 * padding - dilation * (kW - 1) - 1) % stride];
      const back = convTranspose2d(v, w, { stride, padding, dilation, groups, outputPadding });
      expect(back.shape).toEqual(x.shape);
      expect(Math.abs(inner(y, v) - inner(x, back))).toBeLessThan(1e-10);
    }
  });

  it('gives PyTorch\'s output size (H − 1)·s − 2p + d(k − 1) + outputPadding + 1', () => {
    const y = convTranspose2d(zeros([1, 2, 5, 4]), zeros([2, 3, 3, 2]), { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], dilation: [1, 2] });
    expect(y.shape).toEqual([1, 3, (5 - 1) * 2 - 2 + 2 + 1 + 1, (4 - 1) * 3 + 2 + 2 + 1]);
    expect(() => convTranspose2d(zeros([1, 2, 3, 3]), zeros([2, 1, 2, 2]), { stride: 2, outputPadding: 2 })).toThrow(/convTranspose2d: outputPadding 2×2 must be smaller than the stride 2×2/);
  });
});

describe('maxPool2d', () => {
  it('equals the maximum of each window (padding −∞) and sends the gradient to its first maximum', () => {
    const x = param(tensor([[[[1, 5, 5, 2], [0, 3, 4, 4], [7, 1, 0, 0], [2, 2, 0, 9]]]]));
    const y = maxPool2d(x, 2);
    expect(y.toArray()).toEqual([[[[5, 5], [7, 9]]]]);
    const g = backward(sum(y)).get(x).toArray();
    // The tie 5, 5 in the first window sends everything to the first one (row-major), as PyTorch.
    expect(g).toEqual([[[[0, 1, 1, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]]]);
    const padded = maxPool2d(tensor([[[[-1, -2], [-3, -4]]]]), 2, { stride: 1, padding: 1 });
    expect(padded.toArray()).toEqual([[[[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]]]);
    expect(() => maxPool2d(x, 2, { padding: 2 })).toThrow(/maxPool2d: padding 2×2 must be at most half the kernel 2×2/);
  });

  it('of all-equal windows (ReLU zeros) routes each window\'s gradient to one element', () => {
    const x = param(zeros([1, 1, 4, 4]));
    const g = backward(sum(mul(maxPool2d(x, 2), tensor([[[[1, 2], [3, 4]]]])))).get(x);
    expect(Array.from(g.data)).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0]);
  });
});

describe('avgPool2d', () => {
  it('divides by the window, or by the taps inside x when countIncludePad is false', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    expect(avgPool2d(x, 2, { stride: 1 }).toArray()).toEqual([[[[3, 4], [6, 7]]]]);
    expect(avgPool2d(x, 2, { stride: 2, padding: 1 }).toArray()).toEqual([[[[0.25, 1.25], [2.75, 7]]]]);
    expect(avgPool2d(x, 2, { stride: 2, padding: 1, countIncludePad: false }).toArray()).toEqual([[[[1, 2.5], [5.5, 7]]]]);
  });
});

describe('unfold and fold', () => {
  it('unfold lays out windows as PyTorch does, and fold is its transpose: ⟨unfold(x), c⟩ = ⟨x, fold(c)⟩', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6]]]]);
    expect(unfold(x, 2).toArray()).toEqual([[[1, 2], [2, 3], [4, 5], [5, 6]]]);
    const big = new Tensor(Float64Array.from({ length: 2 * 3 * 5 * 6 }, (_, i) => Math.sin(i)), [2, 3, 5, 6]);
    const cols = unfold(big, [2, 3], { stride: [2, 1], padding: 1, dilation: [1, 2] });
    const c = new Tensor(Float64Array.from({ length: cols.size }, (_, i) => Math.cos(i)), cols.shape);
    const back = fold(c, [5, 6], [2, 3], { stride: [2, 1], padding: 1, dilation: [1, 2] });
    const inner = (a: Tensor, b: Tensor) => a.data.reduce((s, q, i) => s + q * b.data[i]!, 0);
    expect(Math.abs(inner(cols, c) - inner(big, back))).toBeLessThan(1e-10);
    expect(() => fold(c, [5, 6], [2, 2])).toThrow(/fold: x of shape \[2, 18, 12\] does not hold 2×2 windows of a 5×6 output/);
  });
});
