/**
 * saveSafetensors / loadSafetensors: round trips (F64 exact, F32 rounded as Math.fround), the
 * writer's layout (names in UTF-8 byte order, __metadata__ first, the header padded with spaces),
 * every element type read from bit patterns built by hand, each kind of hostile file as an
 * ArgumentError naming loadSafetensors and the tensor, and properties: random dicts round-trip,
 * and corrupted files load or throw a DeltaGraphError, never another exception.
 */
import fc from 'fast-check';
import { ArgumentError, DeltaGraphError, MemoryError, Tensor, loadSafetensors, safetensorsMetadata, saveSafetensors, setMemoryLimit, tensor } from '../../index';
import { expectError } from '../errors/expect-error';

/** A file from a header (an object, written as JSON, or the header's text itself) and the data bytes; `length` overrides the declared header length. */
function file(header: unknown, data: ArrayLike<number> = [], length?: number): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  const view = new DataView(out.buffer);
  const n = length ?? text.length;
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(text, 8);
  out.set(Array.from(data), 8 + text.length);
  return out;
}

/** Little-endian bytes of 16-bit values. */
const u16 = (values: number[]) => values.flatMap((v) => [v & 0xff, v >> 8]);

/** One tensor of the given dtype, shape and bytes, as a whole file. */
const one = (dtype: string, shape: number[], bytes: number[]) => file({ t: { dtype, shape, data_offsets: [0, bytes.length] } }, bytes);

/** The header text of a file. */
const headerOf = (bytes: Uint8Array) => new TextDecoder().decode(bytes.subarray(8, 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true)));

const values = (t: Tensor | undefined) => Array.from(t!.data);

/** Expects loadSafetensors(bytes) to throw an ArgumentError whose message has every part. */
const refused = (bytes: Uint8Array, ...parts: string[]) => expectError(() => loadSafetensors(bytes), ArgumentError, 'loadSafetensors: ', ...parts);

describe('round trips', () => {
  const special = [0, -0, 1, -1.5, Math.PI, 1e308, -1e-308, 5e-324, Infinity, -Infinity, NaN, 2 ** 53 + 2];

  it('F64 is exact, bit for bit (−0, NaN, ±∞ and subnormals included), for every shape', () => {
    const dict = { a: tensor(special), s: tensor(7.25), empty: new Tensor(new Float64Array(0), [2, 0, 3]), m: tensor([[1, 2, 3], [4, 5, 6]]) };
    const back = loadSafetensors(saveSafetensors(dict, undefined, { dtype: 'float64' }));
    expect(Object.keys(back).sort()).toEqual(['a', 'empty', 'm', 's']);
    for (const [k, t] of Object.entries(dict)) {
      expect(back[k]!.shape).toEqual(t.shape);
      t.data.forEach((v, i) => expect(Object.is(back[k]!.data[i], v)).toBe(true));
    }
  });

  it('F32 is the default and rounds every value as Math.fround', () => {
    const bytes = saveSafetensors({ a: tensor(special) });
    expect(headerOf(bytes)).toContain('"dtype":"F32"');
    expect(bytes.length % 4).toBe(0);
    const back = values(loadSafetensors(bytes).a);
    special.forEach((v, i) => expect(Object.is(back[i], Math.fround(v))).toBe(true));
  });

  it("round-trips a module's state dict, and the metadata", () => {
    const dict = { '0.weight': tensor([[1, 2], [3, 4]]), '0.bias': tensor([5, 6]) };
    const bytes = saveSafetensors(dict, { format: 'pt', note: 'ünïcödé ✓' });
    expect(safetensorsMetadata(bytes)).toEqual({ format: 'pt', note: 'ünïcödé ✓' });
    expect(safetensorsMetadata(saveSafetensors(dict))).toBeNull();
    expect(Object.fromEntries(Object.entries(loadSafetensors(bytes)).map(([k, t]) => [k, t.toArray()]))).toEqual({ '0.weight': [[1, 2], [3, 4]], '0.bias': [5, 6] });
  });

  it('random dicts round-trip: F64 exactly, F32 as Math.fround', () => {
    const name = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 6 }).filter((s) => s !== '__metadata__');
    const entry = fc.tuple(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), fc.array(fc.double(), { minLength: 27, maxLength: 27 }));
    fc.assert(
      fc.property(fc.dictionary(name, entry, { maxKeys: 5 }), fc.dictionary(name, fc.string(), { maxKeys: 3 }), (spec, metadata) => {
        const dict: Record<string, Tensor> = {};
        for (const [k, [shape, pool]] of Object.entries(spec)) {
          const size = shape.reduce((a, b) => a * b, 1);
          Object.defineProperty(dict, k, { value: new Tensor(Float64Array.from(pool.slice(0, size)), shape), enumerable: true });
        }
        for (const dtype of ['float64', 'float32'] as const) {
          const bytes = saveSafetensors(dict, metadata, { dtype });
          const back = loadSafetensors(bytes);
          expect(Object.keys(back).sort()).toEqual(Object.keys(dict).sort());
          for (const k of Object.keys(dict)) {
            expect(back[k]!.shape).toEqual(dict[k]!.shape);
            dict[k]!.data.forEach((v, i) => expect(Object.is(back[k]!.data[i], dtype === 'float64' ? v : Math.fround(v))).toBe(true));
          }
          expect(safetensorsMetadata(bytes)).toEqual({ ...metadata });
        }
      }),
      { numRuns: 150, seed: 1 },
    );
  });
});

describe("the writer's layout", () => {
  it('writes __metadata__ first, then the tensors sorted by the bytes of their UTF-8 names, contiguous, the header padded with spaces to a multiple of 8', () => {
    // JavaScript's default sort would put U+1F600 (a surrogate pair, 0xD83D…) before U+FF61; UTF-8 puts it after.
    const names = ['b', '\u{1F600}', 'a', '\uFF61', 'B'];
    const dict = Object.fromEntries(names.map((n, i) => [n, tensor([i])]));
    const bytes = saveSafetensors(dict, { format: 'pt' }, { dtype: 'float64' });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(n % 8).toBe(0);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(0);
    const text = headerOf(bytes);
    const body = '{"__metadata__":{"format":"pt"},' +
      ['B', 'a', 'b', '\uFF61', '\u{1F600}'].map((k, i) => `${JSON.stringify(k)}:{"dtype":"F64","shape":[1],"data_offsets":[${8 * i},${8 * i + 8}]}`).join(',') + '}';
    expect(text.startsWith(body)).toBe(true);
    expect(text.slice(body.length)).toMatch(/^ {0,7}$/);
    expect(new TextEncoder().encode(text).length).toBe(n);
    expect(bytes.length).toBe(8 + n + 5 * 8);
    expect(values(loadSafetensors(bytes)['\u{1F600}'])).toEqual([1]);
  });

  it('writes the little-endian bytes of each value', () => {
    const bytes = saveSafetensors({ x: tensor([1, -2]) });
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(Array.from(bytes.subarray(8 + n))).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it.each<[string, () => unknown, string[]]>([
    ['a dict that is not a plain object', () => saveSafetensors(new Map() as never), ['dict must be a plain object']],
    ['a value that is not a tensor', () => saveSafetensors({ a: 'x' as never }), ['dict["a"]', 'must be a tensor']],
    ['a tensor named __metadata__', () => saveSafetensors({ __metadata__: tensor(1) }), ['"__metadata__"']],
    ['metadata that is not an object', () => saveSafetensors({}, 3 as never), ['metadata must be a plain object']],
    ['a metadata value that is not a string', () => saveSafetensors({}, { a: 1 as never }), ['metadata "a" must be a string, got 1']],
    ['a name with a lone surrogate', () => saveSafetensors({ ['a\uD800']: tensor(1) }), ['lone surrogate']],
    ['an unknown dtype', () => saveSafetensors({}, undefined, { dtype: 'float16' as never }), ["options.dtype must be one of 'float32', 'float64'"]],
  ])('%s is an ArgumentError naming saveSafetensors', (_, call, parts) => {
    expectError(call, ArgumentError, 'saveSafetensors: ', ...parts);
  });
});

describe('element types, widened exactly to float64', () => {
  it('F16: 1, −2, 65504, the smallest subnormal 2⁻²⁴, the largest subnormal, the smallest normal, −0, ±∞ and NaN', () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const got = values(loadSafetensors(one('F16', [bits.length], u16(bits))).t);
    const want = [1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, -0, Infinity, -Infinity, NaN, 0.333251953125];
    want.forEach((v, i) => expect([i, got[i]]).toEqual([i, v]));
    expect(Object.is(got[6], -0)).toBe(true);
  });

  it('BF16: 1.0 = 0x3F80, −2, 3.140625, the smallest subnormal 2⁻¹³³, ±∞ and NaN', () => {
    const bits = [0x3f80, 0xc000, 0x4049, 0x0001, 0x7f80, 0xff80, 0x7fc0];
    expect(values(loadSafetensors(one('BF16', [7], u16(bits))).t)).toEqual([1, -2, 3.140625, 2 ** -133, Infinity, -Infinity, NaN]);
  });

  it('F32 and F64 from their bytes', () => {
    expect(values(loadSafetensors(one('F32', [2], [0, 0, 0x80, 0x3f, 0x01, 0, 0, 0])).t)).toEqual([1, 2 ** -149]);
    expect(values(loadSafetensors(one('F64', [1], [0x18, 0x2d, 0x44, 0x54, 0xfb, 0x21, 0x09, 0x40])).t)).toEqual([Math.PI]);
  });

  it('the integers and BOOL', () => {
    const i64 = (lo: number, hi: number) => [lo, lo >>> 8, lo >>> 16, lo >>> 24, hi, hi >>> 8, hi >>> 16, hi >>> 24].map((b) => b & 0xff);
    expect(values(loadSafetensors(one('I64', [4], [...i64(-1, -1), ...i64(0xffffffff, 0x1fffff), ...i64(1, 0xffe00000), ...i64(5, 0)])).t)).toEqual([-1, 2 ** 53 - 1, -(2 ** 53) + 1, 5]);
    expect(values(loadSafetensors(one('U64', [1], i64(0xffffffff, 0x1fffff))).t)).toEqual([2 ** 53 - 1]);
    expect(values(loadSafetensors(one('I32', [2], [0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0x7f])).t)).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(values(loadSafetensors(one('U32', [1], [0xff, 0xff, 0xff, 0xff])).t)).toEqual([2 ** 32 - 1]);
    expect(values(loadSafetensors(one('I16', [2], u16([0x8000, 0x7fff]))).t)).toEqual([-32768, 32767]);
    expect(values(loadSafetensors(one('U16', [1], u16([0xffff]))).t)).toEqual([65535]);
    expect(values(loadSafetensors(one('I8', [3], [0x80, 0x7f, 0xff])).t)).toEqual([-128, 127, -1]);
    expect(values(loadSafetensors(one('U8', [2], [0, 255])).t)).toEqual([0, 255]);
    expect(values(loadSafetensors(one('BOOL', [3], [1, 0, 1])).t)).toEqual([1, 0, 1]);
  });

  it('I64 and U64 beyond 2⁵³ − 1, and BOOL bytes other than 0 and 1, are errors naming the tensor', () => {
    refused(one('I64', [2], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0]), 'tensor "t" (I64)', 'beyond ±(2^53 − 1)', 'flat position 1');
    refused(one('I64', [1], [0, 0, 0, 0, 0, 0, 0xe0, 0xff]), 'tensor "t" (I64)', 'beyond');
    refused(one('U64', [1], [0, 0, 0, 0, 0, 0, 0, 0x80]), 'tensor "t" (U64)', 'beyond');
    refused(one('BOOL', [2], [1, 2]), 'tensor "t" (BOOL)', 'byte 2', 'expected 0 or 1');
  });

  it('reads a file that is a view into a larger buffer, its floats aligned or not', () => {
    const data = [1, -0, 2 ** -149, 1e-310, NaN, -Infinity, Math.PI];
    for (const dtype of ['float32', 'float64'] as const) {
      const bytes = saveSafetensors({ a: tensor(data) }, undefined, { dtype });
      const want = data.map((v) => (dtype === 'float32' ? Math.fround(v) : v));
      for (const shift of [0, 1, 4, 5, 8]) {
        const big = new Uint8Array(bytes.length + 13);
        big.set(bytes, shift);
        const got = values(loadSafetensors(big.subarray(shift, shift + bytes.length)).a);
        want.forEach((v, i) => expect([dtype, shift, i, Object.is(got[i], v)]).toEqual([dtype, shift, i, true]));
      }
    }
    expect(values(loadSafetensors(saveSafetensors({ a: tensor([1, 2, 3]) }).buffer as unknown as Uint8Array).a)).toEqual([1, 2, 3]);
  });
});

describe('hostile files are ArgumentErrors naming loadSafetensors, the tensor and what was expected', () => {
  const good = { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const eight = [0, 0, 0x80, 0x3f, 0, 0, 0, 0x40];

  it('bytes that are not a Uint8Array', () => {
    for (const v of ['file', 3, new Float64Array(2), null]) expectError(() => loadSafetensors(v as never), ArgumentError, 'loadSafetensors: bytes must be a Uint8Array');
  });
  it('fewer than 8 bytes', () => {
    refused(new Uint8Array(0), 'is 0 bytes, fewer than the 8');
    refused(new Uint8Array(7), 'is 7 bytes, fewer than the 8');
  });
  it('a header length larger than the file', () => {
    refused(file(good, eight, 1000), 'header length is 1000 bytes, but the file has only');
  });
  it('an absurd header length (over 100 MB)', () => {
    refused(file(good, eight, 100_000_001), 'more than the 100000000 (100 MB)');
    refused(file(good, eight, 2 ** 40), 'more than the 100000000');
    const max = file(good, eight);
    max.fill(0xff, 0, 8);
    refused(max, 'more than the 100000000');
  });
  it('a header that is not UTF-8', () => {
    const bytes = file('{"t"  :{}}');
    bytes[10] = 0xff;
    refused(bytes, 'not valid UTF-8');
  });
  it('a header that is not JSON', () => {
    refused(file('{"t": '), 'not valid JSON');
    refused(file(''), 'not valid JSON');
    refused(file('\uFEFF{}'), 'not valid JSON');
  });
  it('a header that is not an object', () => {
    refused(file([1, 2]), 'must be a JSON object', 'an array');
    refused(file('3'), 'must be a JSON object', 'got 3');
    refused(file('null'), 'must be a JSON object', 'null');
    refused(file('"x"'), 'must be a JSON object');
  });
  it('an entry that is not an object', () => {
    refused(file({ t: [1] }), 'tensor "t" must be an object { dtype, shape, data_offsets }');
  });
  it.each(['dtype', 'shape', 'data_offsets'])('an entry without %s', (field) => {
    const entry: Record<string, unknown> = { ...good.t };
    delete entry[field];
    refused(file({ t: entry }, eight), `tensor "t" has no ${field}`);
  });
  it('entries of the wrong types', () => {
    refused(file({ t: { ...good.t, dtype: 4 } }, eight), 'tensor "t" has dtype 4, expected a string');
    refused(file({ t: { ...good.t, shape: '2' } }, eight), 'tensor "t" has a shape that is "2"');
    refused(file({ t: { ...good.t, shape: [2, '1'] } }, eight), 'tensor "t" has a shape that holds "1"');
    refused(file({ t: { ...good.t, data_offsets: [0, 4, 8] } }, eight), 'tensor "t" has data_offsets', 'expected [begin, end]');
    refused(file({ t: { ...good.t, data_offsets: ['0', 8] } }, eight), 'tensor "t" has data_offsets', 'expected [begin, end]');
    refused(file({ t: { ...good.t, data_offsets: 8 } }, eight), 'tensor "t" has data_offsets 8');
  });
  it('an unknown dtype', () => {
    refused(file({ t: { ...good.t, dtype: 'F8_E4M3' } }, eight), 'tensor "t" has dtype "F8_E4M3", which is not read', 'F64, F32, F16, BF16');
    refused(file({ t: { ...good.t, dtype: 'f32' } }, eight), 'dtype "f32"');
  });
  it('negative, fractional, unsafe and too many dimensions', () => {
    refused(file({ t: { ...good.t, shape: [-2] } }, eight), 'tensor "t" has a shape that holds -2', 'non-negative integers');
    refused(file({ t: { ...good.t, shape: [2.5] } }, eight), 'holds 2.5');
    refused(file({ t: { ...good.t, shape: [1e20] } }, eight), 'holds 100000000000000000000');
    refused(file('{"t":{"dtype":"F32","shape":[1e400],"data_offsets":[0,8]}}', eight), 'holds Infinity');
    refused(file({ t: { ...good.t, shape: new Array(65).fill(1) } }, eight), 'a shape deltagraph cannot hold', 'at most 64');
    refused(file({ t: { ...good.t, shape: [65536, 65536] } }, eight), 'a shape deltagraph cannot hold', 'too large');
  });
  it('offsets out of range', () => {
    refused(file({ t: { ...good.t, data_offsets: [8, 16] } }, eight), 'tensor "t" has data_offsets [8, 16] beyond the 8 bytes of data');
  });
  it('begin after end', () => {
    refused(file({ t: { ...good.t, data_offsets: [8, 0] } }, eight), 'tensor "t" has data_offsets [8, 0]: begin after end');
  });
  it('overlapping tensors', () => {
    const header = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    refused(file(header, eight), 'tensor "b" at [4, 8] overlaps tensor "a" at [0, 8]');
  });
  it('a hole between tensors', () => {
    const header = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
    refused(file(header, [...eight, 0, 0, 0, 0]), 'bytes [4, 8) of the data belong to no tensor', 'hole before tensor "b"');
    refused(file({ b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, eight), 'bytes [0, 4)', 'tensor "b"');
  });
  it('bytes after the last tensor', () => {
    refused(file({ t: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, eight), 'has 8 bytes of data after the header but its tensors take 4');
  });
  it('a byte count other than product(shape) × the dtype size', () => {
    refused(file({ t: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, eight), 'tensor "t" (F32, shape [3]) has 8 bytes at [0, 8], expected 3 × 4 = 12');
    refused(file({ t: { dtype: 'F16', shape: [2, 0], data_offsets: [0, 8] } }, eight), 'expected 0 × 2 = 0');
  });
  it('metadata that is not an object of strings', () => {
    refused(file({ ...good, __metadata__: 'pt' }, eight), '__metadata__ must be an object of strings, got "pt"');
    refused(file({ ...good, __metadata__: { format: 1 } }, eight), '__metadata__ "format" must be a string, got 1');
    expectError(() => safetensorsMetadata(file({ __metadata__: { a: null } })), ArgumentError, 'safetensorsMetadata: __metadata__ "a"');
  });
  it('a key twice', () => {
    const t = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    refused(file(`{"t":${t},"t" :${t}}`, [0, 0, 0, 0]), 'the key "t" twice');
    refused(file(`{"__metadata__":{"a":"1","\\u0061":"2"},"t":${t}}`, [0, 0, 0, 0]), 'the key "a" twice');
    refused(file(`{"t":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, [0, 0, 0, 0]), 'the key "dtype" twice');
    // The same key in different objects, or as a string value, is not a duplicate.
    expect(values(loadSafetensors(file(`{"__metadata__":{"t":"t"},"t":${t}}`, [0, 0, 0x80, 0x3f])).t)).toEqual([1]);
  });
  it('a header nested 100,000 deep is refused (no recursion reads it)', () => {
    const depth = 100_000;
    const header = `{"u":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"t":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    refused(file(header), 'tensor "u" has no dtype');
    refused(file(`{"u":${'{"a":'.repeat(depth)}1${'}'.repeat(depth - 1)},"a":2}}`), 'the key "a" twice');
  });
  it('a "__proto__" tensor is a tensor like any other', () => {
    const bytes = file('{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', [7]);
    const out = loadSafetensors(bytes);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(values(out['__proto__'])).toEqual([7]);
  });
  it('tensors whose float64 values exceed the memory budget: a MemoryError before any is allocated', () => {
    const bytes = one('U8', [1000], new Array(1000).fill(1));
    const before = setMemoryLimit(4000);
    try {
      expectError(() => loadSafetensors(bytes), MemoryError, 'loadSafetensors: ', 'tensor "t" [1000]', '8000 bytes');
    } finally {
      setMemoryLimit(before);
    }
    expect(loadSafetensors(bytes).t!.size).toBe(1000);
  });

  it('a corrupted file loads or throws a DeltaGraphError, never another exception', () => {
    const base = saveSafetensors(
      { w: tensor([[1, 2], [3, 4]]), b: tensor([0.5]), s: tensor(2) },
      { format: 'pt' },
    );
    const typed = file(
      { a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'I64', shape: [1], data_offsets: [4, 12] }, c: { dtype: 'BOOL', shape: [2], data_offsets: [12, 14] } },
      [0, 0x3c, 0, 0xc0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0],
    );
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(base, typed), fc.array(edit, { minLength: 1, maxLength: 4 }), (start, edits) => {
        let bytes = start.slice();
        for (const e of edits) {
          const at = bytes.length === 0 ? 0 : e.at % (bytes.length + 1);
          if (e.kind === 'set' && at < bytes.length) bytes[at] = e.byte;
          else if (e.kind === 'cut') bytes = bytes.slice(0, at);
          else if (e.kind === 'insert') bytes = Uint8Array.from([...bytes.subarray(0, at), e.byte, ...bytes.subarray(at)]);
        }
        try {
          const out = loadSafetensors(bytes);
          for (const t of Object.values(out)) expect(t).toBeInstanceOf(Tensor);
        } catch (e) {
          if (!(e instanceof DeltaGraphError)) throw e;
          expect(e.message.startsWith('loadSafetensors: ')).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 2 },
    );
  });
});

describe('saveSafetensors options', () => {
  it("refuses { dtype } given as the metadata, pointing to the third argument; with options given, 'dtype' is metadata", () => {
    const dict = { a: tensor([1, 2]) };
    expect(() => saveSafetensors(dict, { dtype: 'float64' })).toThrow(/metadata has an entry 'dtype' .* saveSafetensors\(dict, metadata, \{ dtype \}\)/);
    expect(safetensorsMetadata(saveSafetensors(dict, { dtype: 'float64' }, {}))).toEqual({ dtype: 'float64' });
  });
});
