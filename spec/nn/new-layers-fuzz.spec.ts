/**
 * Embedding (with paddingIdx), LayerNorm, BatchNorm2d, GELU, SiLU, Linear on any rank, AdamW,
 * WarmupCosineLR and fit's clipGradNorm called with random, partly invalid arguments: each returns
 * normally or throws a DeltaGraphError subclass naming the callee, never a TypeError, a
 * RangeError or a silent NaN.
 */
import fc from 'fast-check';
import {
  AdamW, BatchNorm2d, Embedding, GELU, LayerNorm, Linear, MSELoss, SGD, SiLU, Tensor, WarmupCosineLR, fit, param, rng, tensor, zeros,
} from '../../index';
import { expectSane } from '../errors/fuzz-harness';

const WILD: unknown[] = [
  null, undefined, NaN, Infinity, -Infinity, -1, 0, -0, 0.5, 1, 2, 1e300, 2 ** 31, '', 'abc', 'tanh', true, {}, [], [[]], [1, 'a'], [[1, 2], [3]],
  [NaN], [-1], () => 1, Symbol('s'), 10n, Object.create(null), new Float32Array(2), new Int32Array([1, -1]), new Float64Array(0), tensor([1, 2]),
  tensor(3), zeros([2, 0]), rng(1), new Map(),
];
const wild = fc.constantFrom(...WILD);
const mixed = (plausible: fc.Arbitrary<unknown>, weight = 6) => fc.oneof({ weight, arbitrary: plausible }, { weight: 1, arbitrary: wild });
const optionsOf = (fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []) =>
  fc.oneof({ weight: 8, arbitrary: fc.record(Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, mixed(a, 20)])), { requiredKeys: required }) }, { weight: 1, arbitrary: wild });
const size = mixed(fc.integer({ min: -1, max: 3 }));
const value = fc.double({ min: -3, max: 3, noNaN: true });
/** A tensor of a random shape of rank 0–4 with sizes 0–3, or its nested array. */
const anyTensor = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }).chain((shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return fc.tuple(fc.array(value, { minLength: n, maxLength: n }), fc.boolean()).map(([v, nested]) => {
    const t = new Tensor(Float64Array.from(v), shape);
    return nested && shape.length > 0 ? t.toArray() : t;
  });
});
const indices = mixed(fc.oneof(
  fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 5 }),
  fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 2 }), { maxLength: 3 }),
  fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }).map((v) => Int32Array.from(v)),
  fc.array(fc.double({ min: -1, max: 4 }), { maxLength: 3 }).map((v) => tensor(v)),
));
/** Every number among the arguments (in tensors, arrays and options too) is finite and moderate. */
function tame(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) <= 1e3;
  if (v instanceof Tensor || ArrayBuffer.isView(v)) return Array.from(v instanceof Tensor ? v.data : (v as unknown as ArrayLike<number>)).every((x) => tame(x));
  if (Array.isArray(v)) return depth < 6 && v.every((x) => tame(x, depth + 1));
  if (v !== null && typeof v === 'object') return depth < 6 && Object.values(v).every((x) => tame(x, depth + 1));
  return true;
}

/**
 * The result is a tensor, and, from moderate arguments, finite (unless `anyValues`: LayerNorm
 * with eps 0 on a constant row is rightly NaN).
 */
const finite = (name: string, anyValues = false) => (r: unknown, args: unknown[]) => {
  if (!(r instanceof Tensor)) throw new Error(`${name} returned ${String(r)}, expected a tensor`);
  if (!anyValues && tame(args) && !r.data.every(Number.isFinite)) throw new Error(`${name} returned non-finite values ${Array.from(r.data).join(', ')}`);
};

interface Callee {
  name: string;
  args: fc.Arbitrary<unknown[]>;
  call: (...args: any[]) => unknown;
  validate?: (r: unknown, args: unknown[]) => void;
}

const callees: Callee[] = [
  {
    name: 'Embedding',
    args: fc.tuple(size, size, optionsOf({ rng: fc.oneof(fc.integer(), fc.constant(rng(2))), paddingIdx: fc.integer({ min: -4, max: 4 }) }), indices),
    call: (n: number, d: number, o: object, idx: unknown) => new Embedding(n, d, o).forward(idx as Tensor),
    validate: finite('Embedding'),
  },
  {
    name: 'LayerNorm',
    args: fc.tuple(mixed(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }))), optionsOf({ eps: fc.double({ min: -1, max: 1 }), elementwiseAffine: fc.boolean(), bias: fc.boolean() }), mixed(anyTensor)),
    call: (shape: number[], o: object, x: unknown) => new LayerNorm(shape, o).forward(x as Tensor),
    validate: finite('LayerNorm', true),
  },
  {
    name: 'BatchNorm2d',
    args: fc.tuple(size, optionsOf({ eps: fc.double({ min: -1, max: 1 }), momentum: fc.double({ min: -1, max: 2 }), affine: fc.boolean() }), fc.boolean(), mixed(anyTensor)),
    call: (c: number, o: object, training: boolean, x: unknown) => new BatchNorm2d(c, o).train(training).forward(x as Tensor),
    validate: finite('BatchNorm2d'),
  },
  {
    name: 'GELU',
    args: fc.tuple(optionsOf({ approximate: fc.constantFrom('none', 'tanh', 'erf') }), mixed(anyTensor)),
    call: (o: object, x: unknown) => new GELU(o).forward(x as Tensor),
    validate: finite('GELU'),
  },
  { name: 'SiLU', args: fc.tuple(mixed(anyTensor)), call: (x: unknown) => new SiLU().forward(x as Tensor), validate: finite('SiLU') },
  {
    name: 'Linear',
    args: fc.tuple(size, size, mixed(anyTensor)),
    call: (a: number, b: number, x: unknown) => new Linear(a, b, { rng: 1 }).forward(x as Tensor),
    validate: finite('Linear'),
  },
  {
    name: 'AdamW',
    args: fc.tuple(
      mixed(fc.constantFrom<unknown>('tensors', 'named', 'mixed')),
      optionsOf({
        lr: fc.double({ min: -0.1, max: 1 }),
        betas: fc.oneof(fc.tuple(fc.double({ min: -0.5, max: 1.5 }), fc.double({ min: 0, max: 0.999 })), fc.constant([0.9])),
        eps: fc.double({ min: -1, max: 1 }),
        weightDecay: fc.double({ min: -1, max: 1 }),
        decay: fc.constantFrom<unknown>((p: Tensor) => p.rank >= 2, (_: Tensor, n?: string) => n === 'b', () => 'yes', 3),
      }),
    ),
    call: (kind: unknown, o: object) => {
      const [w, b] = [param([[1, 2]]), param([3])];
      const ps = kind === 'tensors' ? [w, b] : kind === 'named' ? [['W', w], ['b', b]] : kind === 'mixed' ? [w, ['b', b]] : kind;
      const opt = new AdamW(ps as Tensor[], o);
      opt.step({ get: (t: Tensor) => tensor(t.shape.length === 2 ? [[0.1, -0.2]] : [0.3]) });
      return w;
    },
    validate: finite('AdamW'),
  },
  {
    name: 'WarmupCosineLR',
    args: fc.tuple(optionsOf({ warmup: fc.integer({ min: -1, max: 5 }), total: fc.integer({ min: -1, max: 5 }), minLr: fc.double({ min: -0.1, max: 0.2 }) }, ['warmup', 'total']), mixed(fc.integer({ min: -1, max: 8 }))),
    call: (o: object, t: number) => {
      const opt = new SGD([], { lr: 0.1 });
      new WarmupCosineLR(opt, o as never).apply(t);
      if (!(Number.isFinite(opt.lr) && opt.lr >= 0 && opt.lr <= 0.1)) throw new Error(`WarmupCosineLR set lr ${opt.lr}`);
      return tensor(opt.lr);
    },
  },
  {
    name: 'fit',
    args: fc.tuple(mixed(fc.double({ min: -1, max: 10 })), mixed(fc.double({ min: -1, max: 10 }))),
    call: (clipGradNorm: number, clipNorm: number) => {
      const model = new Linear(2, 1, { rng: 1 });
      const options: Record<string, unknown> = { loss: new MSELoss(), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 1, progress: false };
      if (clipGradNorm !== undefined) options.clipGradNorm = clipGradNorm;
      if (clipNorm !== undefined) options.clipNorm = clipNorm;
      fit(model, { x: tensor([[1, 2], [3, 4]]), y: tensor([[1], [2]]) }, options as never);
      return model.W;
    },
  },
];

describe.each(callees.map((c) => [c.name, c] as const))('%s with random arguments', (name, callee) => {
  it('returns or throws a DeltaGraphError naming it', () => {
    fc.assert(
      fc.property(callee.args, (args) => {
        expectSane(name, [name], args, () => callee.call(...args), callee.validate && ((r) => callee.validate!(r, args)));
      }),
      { numRuns: 200, seed: 20261202 },
    );
  });
});
