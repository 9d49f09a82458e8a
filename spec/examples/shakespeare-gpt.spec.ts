/**
 * examples/shakespeare-gpt.ts and nn/zoo.ts's GPT on tiny configurations: a short run on the first
 * 2,000 characters, the loss falling from ln 65 on a repeated text, the causal structure, the tied
 * head, and a gradcheck with respect to the token embedding.
 */
import { main, validationLoss } from '../../examples/shakespeare-gpt';
import { Tensor, charDataset, gpt, gradcheck, loadTinyShakespeare } from '../../node';

const TINY = { layers: 1, heads: 2, embedding: 16, context: 8 };
const shakespeare = loadTinyShakespeare();

describe('examples/shakespeare-gpt', () => {
  it('runs a tiny configuration on the first 2,000 characters: finite losses and validation loss', () => {
    const data = charDataset(shakespeare.decode(shakespeare.train.subarray(0, 2000)));
    const r = main({ data, config: TINY, iterations: 5, evalEvery: 2, sample: 20, verbose: false });
    expect(r.iterations).toBe(5);
    expect(r.losses).toHaveLength(5);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    expect(r.validation.map(([t]) => t)).toEqual([2, 4, 5]);
    expect(r.validation.every(([, v]) => Number.isFinite(v))).toBe(true);
    expect(Array.from(r.sample)).toHaveLength(20);
    expect(Array.from(r.sample).every((c) => data.vocab.includes(c))).toBe(true);
  });

  it('starts at ln 65 and learns a tiny repeated text within 30 iterations', () => {
    const text = 'To be, or not to be: that is the question.\n'.repeat(20);
    const data = { ...shakespeare, train: shakespeare.encode(text), validation: shakespeare.encode(text.slice(0, 200)) };
    const r = main({ data, config: TINY, iterations: 30, warmup: 3, verbose: false });
    expect(r.model.config.vocabSize).toBe(65);
    expect(Math.abs(r.losses[0]! - Math.log(65))).toBeLessThan(0.15);
    // Means of the 6 blocks of 5 iterations fall block by block, by 0.25 or more in all (≈ 0.37 seen).
    const blocks = Array.from({ length: 6 }, (_, b) => r.losses.slice(5 * b, 5 * b + 5).reduce((a, c) => a + c, 0) / 5);
    blocks.slice(1).forEach((m, b) => expect(m).toBeLessThan(blocks[b]!));
    expect(blocks[5]!).toBeLessThan(r.losses[0]! - 0.25);
    expect(r.validation[0]![1]).toBeLessThan(Math.log(65) - 0.25);
  });

  it('is causal: the logits at position t do not change when later characters change', () => {
    const model = gpt({ ...TINY, vocabSize: 65 }, 1);
    const a = [5, 17, 33, 2, 60, 11, 40, 7];
    const logits = (ids: number[]) => model.forward(new Tensor(Float64Array.from(ids), [1, 8])).data;
    const before = logits(a);
    for (const t of [0, 3, 6]) {
      const b = a.slice();
      for (let j = t + 1; j < 8; j++) b[j] = (b[j]! + 13) % 65;
      const after = logits(b);
      for (let i = 0; i < (t + 1) * 65; i++) expect(after[i]).toBe(before[i]);
      // …while a change at t itself does move the logits at t.
      let moved = false;
      for (let i = (t + 1) * 65; i < 8 * 65; i++) moved ||= after[i] !== before[i];
      if (t < 7) expect(moved).toBe(true);
    }
  });

  it('ties the head to the token embedding: no weight of its own, logits = h Eᵀ', () => {
    const model = gpt({ ...TINY, vocabSize: 65 }, 2);
    const named = model.namedParameters();
    const withVocab = named.filter(([, p]) => p.shape.includes(65));
    expect(withVocab.map(([n]) => n)).toEqual(['tokens.weight']);
    // Parameters: tokens 65·16, positions 8·16, per block 2 LayerNorm weights, Q K V, out, MLP; the final LayerNorm.
    const C = 16;
    expect(model.parameterCount()).toBe(65 * C + 8 * C + (2 * C + 3 * C * C + C * C + 8 * C * C) + C);
    // Scaling the token embedding's row k changes the logits of class k everywhere (the head reads it).
    const ids = new Tensor(Float64Array.of(1, 2, 3), [1, 3]);
    const before = model.forward(ids).data.slice();
    const E = model.tokens.weight;
    for (let c = 0; c < C; c++) E.data[50 * C + c] = 2 * E.data[50 * C + c]!;
    const after = model.forward(ids).data;
    for (let t = 0; t < 3; t++) {
      expect(after[t * 65 + 50]).toBeCloseTo(2 * before[t * 65 + 50]!, 12);
      expect(after[t * 65 + 49]).toBe(before[t * 65 + 49]);
    }
  });

  it('passes gradcheck of the loss with respect to the token embedding on a 2-character batch', () => {
    const model = gpt({ ...TINY, vocabSize: 65 }, 3);
    const ids = new Tensor(Float64Array.of(4, 9), [1, 2]);
    const targets = new Tensor(Float64Array.of(9, 30), [1, 2]);
    const E = new Tensor(model.tokens.weight.data.slice(), model.tokens.weight.shape);
    const r = gradcheck((e: Tensor) => model.lossWith(ids, targets, e), [E], { name: 'gpt loss', mode: 'full' });
    expect(r.ok).toBe(true);
  });

  it('computes the validation loss over every window, in chunks of any size', () => {
    const model = gpt({ ...TINY, vocabSize: 65 }, 4);
    const ids = shakespeare.validation.subarray(0, 8 * 10 + 1);
    const whole = validationLoss(model, ids, 100);
    expect(validationLoss(model, ids, 3)).toBeCloseTo(whole, 12);
    const x = new Tensor(Float64Array.from(ids.subarray(0, 80)), [10, 8]);
    const y = new Tensor(Float64Array.from(ids.subarray(1, 81)), [10, 8]);
    expect(whole).toBeCloseTo(model.loss(x, y).item(), 12);
  });
});
