/**
 * MultiHeadAttention and LSTM called with random, partly invalid arguments: each returns finite
 * tensors of the promised shapes or throws a DeltaGraphError subclass naming the callee, never a
 * TypeError, a RangeError or a silent NaN (a query whose every key is masked, by padding or the
 * causal mask, is NaN as PyTorch's, and nothing else is).
 */
import fc from 'fast-check';
import { LSTM, MultiHeadAttention, Tensor, rng, tensor, zeros } from '../../index';
import { expectSane } from '../errors/fuzz-harness';

const WILD: unknown[] = [
  null, undefined, NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1, 2, 1e300, 2 ** 31, '', 'abc', true, {}, [], [[]], [1, 'a'], [[1, 2], [3]],
  [NaN], () => 1, Symbol('s'), 10n, Object.create(null), new Float32Array(2), new Float64Array(0), tensor([1, 2]), tensor(3), zeros([2, 0]), rng(1), new Map(),
];
const wild = fc.constantFrom(...WILD);
const mixed = (plausible: fc.Arbitrary<unknown>, weight = 6) => fc.oneof({ weight, arbitrary: plausible }, { weight: 1, arbitrary: wild });
const optionsOf = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.oneof({ weight: 8, arbitrary: fc.record(Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, mixed(a, 20)])), { requiredKeys: [] }) }, { weight: 1, arbitrary: wild });
/** A size: mostly 1–4, sometimes −1 or 0, or a wild value. */
const size = mixed(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) }), 12);
/** A number of heads: mostly one that divides e, or any size. */
const headsFor = (e: unknown) => {
  const divisors = typeof e === 'number' && Number.isInteger(e) && e >= 1 && e <= 4 ? [1, 2, 3, 4].filter((d) => e % d === 0) : [1];
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...divisors) }, { weight: 1, arbitrary: size });
};
const value = fc.double({ min: -3, max: 3, noNaN: true });
/** A tensor of a random shape of rank 0–4 with sizes 0–4 (biased to rank 3), or its nested array. */
const anyTensor = fc.oneof(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 3, maxLength: 3 })).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.boolean()).map(([v, nested]) => {
    const t = new Tensor(Float64Array.from(v), shape);
    return nested && shape.length > 0 ? t.toArray() : t;
  });
});
/** A tensor [n, t, width] with n in 0–3 and t in minSteps–3, or sometimes any tensor or a wild value. */
const sequenceOf = (width: unknown, minSteps = 0) =>
  mixed(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: minSteps, max: 3 }), fc.boolean()).chain(([n, t, nested]) => {
    const w = typeof width === 'number' && Number.isInteger(width) && width >= 0 && width <= 4 ? width : 2;
    return fc.array(value, { minLength: n * t * w, maxLength: n * t * w }).map((v) => {
      const x = new Tensor(Float64Array.from(v), [n, t, w]);
      return nested ? x.toArray() : x;
    });
  }), 6).chain((x) => fc.oneof({ weight: 6, arbitrary: fc.constant(x) }, { weight: 1, arbitrary: mixed(anyTensor) }));
const mask = mixed(fc.array(fc.array(fc.oneof(fc.constantFrom(0, 1, true, false), fc.constant(2)), { minLength: 0, maxLength: 4 }), { maxLength: 3 }));

/** The rows of x's batch (for a mask or a state that fits), or 2. */
const batchOf = (x: unknown): [number, number] => (x instanceof Tensor && x.rank === 3 ? [x.shape[0]!, x.shape[1]!] : [2, 2]);

/** No forward options, { keyPaddingMask } shaped [N, T] of 0/1 (mostly 0) or booleans, or a bad one. */
const maskFor = (x: unknown) => {
  const [n, t] = batchOf(x);
  const flags = fc.array(fc.array(fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) }), { minLength: t, maxLength: t }), { minLength: n, maxLength: n });
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.tuple(flags, fc.boolean()).map(([m, asBool]) => ({ keyPaddingMask: asBool ? m.map((r) => r.map((v) => v === 1)) : m })) },
    { weight: 1, arbitrary: fc.record({ keyPaddingMask: mask }) },
    { weight: 1, arbitrary: wild },
  );
};

/** No state, { h, c } that fit x and the layer [numLayers, N, H] (random values), or bad ones. */
const stateFor = (x: unknown, o: unknown, hs: unknown) => {
  const [n] = batchOf(x);
  const layers = (o as { numLayers?: unknown } | null)?.numLayers;
  const l = typeof layers === 'number' && Number.isInteger(layers) && layers >= 0 && layers <= 3 ? layers : 1;
  const h = typeof hs === 'number' && Number.isInteger(hs) && hs >= 0 && hs <= 4 ? hs : 2;
  const part = fc.array(value, { minLength: l * n * h, maxLength: l * n * h }).map((v) => new Tensor(Float64Array.from(v), [l, n, h]));
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.record({ h: part, c: part }) },
    { weight: 1, arbitrary: fc.record({ h: mixed(anyTensor), c: mixed(part) }) },
    { weight: 1, arbitrary: wild },
  );
};

/**
 * The rows (n·T + i) of queries whose every key is masked (padding, or the future when causal):
 * their outputs are NaN, as PyTorch's.
 */
function fullyMasked(x: Tensor, causal: boolean, fo: unknown): Set<number> {
  const rows = new Set<number>();
  const m = (fo as { keyPaddingMask?: unknown } | undefined)?.keyPaddingMask;
  if (!Array.isArray(m)) return rows;
  const [n, t] = x.shape as number[];
  for (let b = 0; b < n!; b++) {
    for (let i = 0; i < t!; i++) {
      let open = false;
      for (let j = 0; j < t!; j++) if (!(causal && j > i) && !(m[b][j] === 1 || m[b][j] === true)) open = true;
      if (!open) rows.add(b * t! + i);
    }
  }
  return rows;
}

/** t is a tensor of the shape, finite except in the rows (of its last axis) listed as NaN rows, which are all NaN. */
function expectFinite(name: string, t: unknown, shape: number[], nanRows: ReadonlySet<number> = new Set()): void {
  if (!(t instanceof Tensor)) throw new Error(`${name} returned ${String(t)}, expected a tensor`);
  if (JSON.stringify(t.shape) !== JSON.stringify(shape)) throw new Error(`${name} returned shape [${t.shape}], expected [${shape}]`);
  const w = shape[shape.length - 1]!;
  const bad = Array.from(t.data).some((v, i) => (nanRows.has(Math.floor(i / w)) ? !Number.isNaN(v) : !Number.isFinite(v)));
  if (bad) throw new Error(`${name} returned non-finite values (or finite ones where every key is masked) ${Array.from(t.data).join(', ')}`);
}

describe('MultiHeadAttention with random arguments', () => {
  it('returns [N, T, E] or throws a DeltaGraphError naming it', () => {
    fc.assert(
      fc.property(fc.tuple(size, optionsOf({ bias: fc.boolean(), causal: fc.boolean(), rng: fc.integer() })).chain(([e, o]) => headsFor(e).map((h) => [e, h, o] as const)).chain(([e, h, o]) => sequenceOf(e).chain((x) => maskFor(x).map((fo) => [e, h, o, x, fo] as const))), (args) => {
        const [e, h, o, x, fo] = args;
        expectSane('MultiHeadAttention', ['MultiHeadAttention'], args, () => new MultiHeadAttention(e as number, h as number, o as object).forward(x as Tensor, fo as object), (y) => {
          const t = x instanceof Tensor ? x : tensor(x as number[]);
          expectFinite('MultiHeadAttention', y, t.shape.slice(), fullyMasked(t, (o as { causal?: unknown } | null)?.causal === true, fo));
        });
      }),
      { numRuns: 400, seed: 20261202 },
    );
  });
});

describe('LSTM with random arguments', () => {
  it('returns { output, h, c } or throws a DeltaGraphError naming it', () => {
    fc.assert(
      fc.property(fc.tuple(size, size, optionsOf({ numLayers: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -1, max: 0 }) }), bias: fc.boolean(), rng: fc.integer() })).chain(([i, hs, o]) => sequenceOf(i, 1).chain((x) => stateFor(x, o, hs).map((st) => [i, hs, o, x, st] as const))), (args) => {
        const [i, hs, o, x, state] = args;
        expectSane('LSTM', ['LSTM'], args, () => new LSTM(i as number, hs as number, o as object).forwardWithState(x as Tensor, state as never), (r) => {
          const { output, h, c } = r as { output: Tensor; h: Tensor; c: Tensor };
          const [N, T] = output.shape as number[];
          const [L] = h.shape as number[];
          expectFinite('LSTM output', output, [N!, T!, hs as number]);
          expectFinite('LSTM h', h, [L!, N!, hs as number]);
          expectFinite('LSTM c', c, [L!, N!, hs as number]);
        });
      }),
      { numRuns: 400, seed: 20261202 },
    );
  });
});

