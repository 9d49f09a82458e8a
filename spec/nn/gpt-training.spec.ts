/**
 * GPT.generate (sampling from the softmax of the last position's logits) and trainGpt's options:
 * a hand-written sampler over forward's logits, temperature limits, the time limit, the
 * per-iteration and per-evaluation callbacks, and argument errors.
 */
import { ArgumentError, Linear, Tensor, charDataset, gpt, rng, trainGpt } from '../../node';

const TINY = { layers: 1, heads: 2, embedding: 8, context: 4, vocabSize: 7 };
const data = charDataset('abcdefg'.repeat(12) + 'gfedcba'.repeat(4), { validationFraction: 0.25 });

/** The next id by inverse CDF of softmax(logits / T) at the last position of the window. */
function nextId(model: ReturnType<typeof gpt>, window: number[], u: number, temperature: number): number {
  const V = TINY.vocabSize;
  const logits = model.forward(new Tensor(Float64Array.from(window), [1, window.length])).data;
  const last = Array.from(logits.slice((window.length - 1) * V));
  const top = Math.max(...last);
  const p = last.map((v) => Math.exp((v - top) / temperature));
  let rest = u * p.reduce((a, b) => a + b, 0);
  for (let j = 0; j < V; j++) if ((rest -= p[j]!) < 0) return j;
  return V - 1;
}

describe('GPT.generate', () => {
  const model = gpt(TINY, 3);

  it('samples each id from the softmax of the logits at the last position of the latest context ids', () => {
    for (const temperature of [1, 0.5, 2]) {
      const out = model.generate([1, 2], 9, { rng: 11, temperature });
      const draws = rng(11);
      const ids = [1, 2];
      for (let i = 0; i < 9; i++) ids.push(nextId(model, ids.slice(-TINY.context), draws.uniform(), temperature));
      expect(Array.from(out)).toEqual(ids.slice(2));
    }
  });

  it('is the argmax at a tiny temperature, and draws from the global generator by default', () => {
    const cold = model.generate(Int32Array.of(4), 5, { temperature: 1e-6, rng: 1 });
    const ids = [4];
    for (let i = 0; i < 5; i++) {
      const V = TINY.vocabSize;
      const window = ids.slice(-TINY.context);
      const last = Array.from(model.forward(new Tensor(Float64Array.from(window), [1, window.length])).data.slice((window.length - 1) * V));
      ids.push(last.indexOf(Math.max(...last)));
    }
    expect(Array.from(cold)).toEqual(ids.slice(1));
    expect(model.generate([0], 0)).toEqual(new Int32Array(0));
  });

  it.each([
    [() => model.generate([], 3), /GPT\.generate: start must hold at least one id/],
    [() => model.generate([9], 3), /GPT\.generate: ids must be integers in \[0, 6\], got 9/],
    [() => model.generate([1.5], 3), /GPT\.generate: start must hold integers, got 1\.5/],
    [() => model.generate([1], -1), /GPT\.generate: n must be an integer in \[0, /],
    [() => model.generate([1], 2, { temperature: 0 }), /GPT\.generate: temperature must be a finite number > 0, got 0/],
    [() => model.generate([1], 2, 'hot' as never), /GPT\.generate/],
  ])('rejects bad arguments with a DeltaGraphError naming generate (%#)', (call, message) => {
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });
});

describe('trainGpt', () => {
  it('calls back after every iteration and evaluation, and stops at the time limit', () => {
    const model = gpt(TINY, 0);
    const seen: number[] = [];
    const losses: number[] = [];
    const rates: number[] = [];
    const evaluations: number[] = [];
    const r = trainGpt(model, data, {
      iterations: 6,
      batch: 2,
      evalEvery: 2,
      warmup: 5,
      progress: false,
      onIteration: ({ iteration, loss, lr }) => {
        seen.push(iteration);
        losses.push(loss);
        rates.push(lr);
      },
      onEvaluation: (iteration, loss) => {
        evaluations.push(iteration);
        expect(Number.isFinite(loss)).toBe(true);
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(losses).toEqual(r.losses);
    // Five warm-up iterations from 0 up to 1e-3, then the cosine down towards 1e-4.
    expect(rates[0]).toBe(0);
    expect(rates[5]).toBeCloseTo(1e-3, 12);
    expect(evaluations).toEqual([2, 4, 6]);
    expect(r.validation.map(([t]) => t)).toEqual([2, 4, 6]);
    const stopped = trainGpt(gpt(TINY, 0), data, { iterations: 50, batch: 2, timeLimit: 0, progress: false });
    expect(stopped.iterations).toBe(1);
    expect(stopped.losses[0]).toBe(r.losses[0]);
  });

  it('writes a bar to the given stream, ended by a summary line', () => {
    const lines: string[] = [];
    trainGpt(gpt(TINY, 0), data, { iterations: 3, batch: 2, progress: { stream: { write: (s: string) => lines.push(s) }, tty: true } });
    const text = lines.join('');
    expect(text).toMatch(/training \[[█░]+\] +\d+% loss \d\.\d{4} · \d\.\d{3} s\/iteration/);
    expect(text).toMatch(/training 3 of 3 iterations, \d+ s \(\d\.\d{3} s per iteration\)\n$/);
  });

  it.each([
    [() => trainGpt(new Linear(2, 2) as never, data), /trainGpt: model must be a GPT/],
    [() => trainGpt(gpt(TINY, 0), data, { iterations: 0 }), /trainGpt: iterations must be an integer ≥ 1, got 0/],
    [() => trainGpt(gpt(TINY, 0), data, { iterations: 5, warmup: 5 }), /trainGpt: warmup must be an integer in \[0, 4\], got 5/],
    [() => trainGpt(gpt(TINY, 0), data, { clip: 0 }), /trainGpt: clip must be a finite number > 0, got 0/],
    [() => trainGpt(gpt(TINY, 0), data, { onIteration: 3 as never }), /trainGpt: onIteration/],
  ])('rejects bad arguments with a DeltaGraphError naming trainGpt (%#)', (call, message) => {
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(message);
  });
});
