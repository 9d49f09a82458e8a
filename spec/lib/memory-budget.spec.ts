/**
 * The memory budget: every request that cannot fit fails at once with a MemoryError naming the op,
 * the shape and the bytes, before anything is allocated or filled; the limit is settable (and read
 * from DELTAGRAPH_MEMORY_LIMIT by the Node face); WebAssembly growth failures become the same error;
 * the command line and the model loader check declared sizes first; normal work is unaffected.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  ArgumentError, DeltaGraphError, Linear, MLP, MemoryError, add, arange, eye, full, kernelInfo, matmul, memoryLimit, ones, param, rand,
  randn, rng, setMemoryLimit, sum, tensor, tidy, zeros, backward, mul, modelToJson, parseModel, loadModelJson,
} from '../../index';
import { readModel } from '../../node';
import { arenaBytes } from '../../lib/arena';
import { formatBytes, parseMemorySize } from '../../lib/memory';
import { setParallel } from '../../lib/kernels';
import { configureNodeMemory, machineMemory } from '../../node/memory';
import { run } from '../bin/run';

const GiB = 2 ** 30;

/** Runs f once, timed; returns what it threw and how long it took. */
function attempt(f: () => unknown): { caught: unknown; ms: number } {
  const started = performance.now();
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  return { caught, ms: performance.now() - started };
}

/**
 * Runs f, expecting a MemoryError in under a second; returns it. A loaded machine (the other
 * suites run beside this one) or a collection can stall one call, so a slow refusal is timed once
 * more and fails only when it is slow twice.
 */
function refused(f: () => unknown): MemoryError {
  let { caught, ms } = attempt(f);
  if (ms >= 1000) ({ caught, ms } = attempt(f));
  expect(caught).toBeInstanceOf(MemoryError);
  expect(caught).toBeInstanceOf(DeltaGraphError);
  expect(ms).toBeLessThan(1000);
  return caught as MemoryError;
}

/** The message names the op, the shape, the bytes (exact and human readable) and the limit. */
function expectNamed(e: MemoryError, op: string, shape: number[], bytes: number, human: string): void {
  expect(e.op).toBe(op);
  expect(e.shape).toEqual(shape);
  expect(e.bytes).toBe(bytes);
  expect(e.limit).toBe(memoryLimit());
  expect(e.message.startsWith(`${op}: `)).toBe(true);
  expect(e.message).toContain(`[${shape.join(', ')}]`);
  expect(e.message).toContain(`${bytes} bytes`);
  expect(e.message).toContain(human);
  expect(e.message).toContain(`memory limit of ${formatBytes(memoryLimit())}`);
  expect(e.message).toMatch(/setMemoryLimit/);
}

const simd = kernelInfo().matmul === 'wasm-simd';

describe('WebAssembly memory growth', () => {
  // These run first, while the module's memory is still small: a product of depth 256 over
  // 16,384 columns packs 32 MB of B panels into it, which no earlier product has needed.
  const m = 4;
  const n = 16384;
  const k = 256;
  const a = () => randn([m, k], rng(1));
  // Cheap values (drawing 4M normals takes seconds).
  const b = () => tensor(Float64Array.from({ length: k * n }, (_, i) => ((i * 7919) % 13) - 6), [k, n]);

  (simd ? it : it.skip)('a RangeError from Memory.grow becomes a MemoryError naming matmul and the shape', () => {
    const [x, y] = [a(), b()];
    const grow = jest.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Unable to grow instance memory');
    });
    try {
      const e = refused(() => matmul(x, y));
      expect(e.op).toBe('matmul');
      expect(e.shape).toEqual([m, n]);
      expect(e.bytes).toBeGreaterThan(8 * k * n);
      expect(e.message).toMatch(/^matmul: the WebAssembly workspace \(depth k = 256\) of a product of shape \[4, 16384\] needs 3\d\.\d MB/);
      expect(e.message).toContain('Unable to grow instance memory');
      expect(grow).toHaveBeenCalled();
    } finally {
      grow.mockRestore();
    }
  });

  (simd ? it : it.skip)('growth past the limit is refused before growing, though the result itself fits', () => {
    const [x, y] = [a(), b()];
    const before = setMemoryLimit(8e6);
    const grow = jest.spyOn(WebAssembly.Memory.prototype, 'grow');
    try {
      const e = refused(() => matmul(x, y));
      expect(e.op).toBe('matmul');
      expect(e.shape).toEqual([m, n]);
      expect(e.message).toMatch(/WebAssembly workspace/);
      expect(e.message).toContain('memory limit of 8 MB (set by setMemoryLimit)');
      expect(grow).not.toHaveBeenCalled();
    } finally {
      grow.mockRestore();
      setMemoryLimit(before);
    }
    // With the limit back, the same product runs and agrees with a plain loop.
    const z = matmul(x, y);
    const xd = x.data;
    const yd = y.data;
    for (const [i, j] of [[0, 0], [3, n - 1], [2, 777]] as const) {
      let s = 0;
      for (let p = 0; p < k; p++) s += xd[i * k + p]! * yd[p * n + j]!;
      expect(z.data[i * n + j]).toBeCloseTo(s, 10);
    }
  });
});

describe("the issue's runaway sizes fail at once", () => {
  // A limit below all of them on any machine (the Node default is a quarter of its memory).
  let before: number;
  beforeAll(() => {
    before = setMemoryLimit(4 * GiB);
  });
  afterAll(() => {
    setMemoryLimit(before);
  });

  it('ones([2³¹ − 1]), full([1e9], 0.5) and the other creators', () => {
    expectNamed(refused(() => ones([2 ** 31 - 1])), 'ones', [2 ** 31 - 1], 8 * (2 ** 31 - 1), '17.2 GB');
    expectNamed(refused(() => full([1e9], 0.5)), 'full', [1e9], 8e9, '8 GB');
    expectNamed(refused(() => zeros([1e5, 1e4])), 'zeros', [1e5, 1e4], 8e9, '8 GB');
    expectNamed(refused(() => randn([46340, 46340])), 'randn', [46340, 46340], 8 * 46340 ** 2, '17.2 GB');
    expectNamed(refused(() => rand([46340, 46340], rng(0), -1, 1)), 'rand', [46340, 46340], 8 * 46340 ** 2, '17.2 GB');
    expectNamed(refused(() => eye(46340)), 'eye', [46340, 46340], 8 * 46340 ** 2, '17.2 GB');
    expectNamed(refused(() => arange(2 ** 31 - 1)), 'arange', [2 ** 31 - 1], 8 * (2 ** 31 - 1), '17.2 GB');
  });

  it('matmul(zeros([46340, 1]), zeros([1, 46340])): its 17.2 GB result', () => {
    const e = refused(() => matmul(zeros([46340, 1]), zeros([1, 46340])));
    expectNamed(e, 'matmul', [46340, 46340], 8 * 46340 * 46340, '17.2 GB');
    expect(e.message).toMatch(/^matmul: the result of shape \[46340, 46340\] needs 17\.2 GB/);
    // The method and a broadcast are the same.
    expectNamed(refused(() => zeros([46340, 1]).matmul(zeros([1, 46340]))), 'matmul', [46340, 46340], 8 * 46340 ** 2, '17.2 GB');
    expectNamed(refused(() => add(zeros([46340, 1]), zeros([1, 46340]))), 'add', [46340, 46340], 8 * 46340 ** 2, '17.2 GB');
  });

  it('new Linear(46340, 46340) and new MLP({ layers: [2, 1e9] }) name the layer, before drawing a weight', () => {
    const linear = refused(() => new Linear(46340, 46340));
    expect(linear.op).toBe('Linear');
    expect(linear.shape).toEqual([46340, 46340]);
    expect(linear.bytes).toBe(8 * (46340 * 46340 + 46340));
    expect(linear.message).toMatch(/^Linear: Linear\(46340 → 46340\) needs 17\.2 GB \(17179535520 bytes\) for 2147441940 parameters \(W \[46340, 46340\], b \[46340\]\)/);
    const mlp = refused(() => new MLP({ layers: [2, 1e9] }));
    expect(mlp.op).toBe('MLP');
    expect(mlp.shape).toEqual([2, 1e9]);
    expect(mlp.bytes).toBe(8 * 3e9);
    expect(mlp.message).toMatch(/^MLP: an MLP of layers \[2, 1000000000\] needs 24 GB \(24000000000 bytes\)/);
    // Layers that fit one by one but not together.
    const deep = refused(() => new MLP({ layers: [10, 20000, 20000, 20000, 1] }));
    expect(deep.message).toMatch(/layer 2 W \[20000, 20000\]/);
    expect(deep.bytes).toBe(8 * (10 * 20000 + 20000 + 2 * (20000 * 20000 + 20000) + 20000 + 1));
  });

  it('deltagraph train xor --hidden 1000000000 is a one-line usage error', () => {
    const started = performance.now();
    const { code, err, out } = run(['train', 'xor', '--hidden', '1000000000']);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(/^deltagraph train: --hidden 1000000000: MLP: an MLP of layers \[2, 1000000000, 1\] needs 32 GB \(32000000008 bytes\)/);
    expect(err).toContain('memory limit of 4.29 GB');
  });

  describe('model files declaring [2, 46340, 46340, 1]', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'deltagraph-memory-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('graph MODEL.json refuses a meta.mlp it cannot build, naming the file, the layers and the bytes', () => {
      const path = join(dir, 'wide.json');
      const layers = [2, 46340, 46340, 1];
      writeFileSync(path, JSON.stringify({ format: 'deltagraph-model', version: 1, meta: { mlp: { layers } }, parameters: {}, buffers: {} }));
      const started = performance.now();
      const { code, err } = run(['graph', path, '--format', 'dot']);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(code).toBe(2);
      expect(err.split('\n')).toHaveLength(1);
      expect(err).toContain(`deltagraph graph: '${path}' has a meta.mlp that does not make an MLP: MLP: an MLP of layers [2, 46340, 46340, 1] needs 17.2 GB`);
      expect(err).toContain('layer 2 W [46340, 46340]');
    });

    it('readModel, parseModel and loadModelJson refuse tensors whose declared shapes cannot fit, before reading their values', () => {
      const text = JSON.stringify({
        format: 'deltagraph-model',
        version: 1,
        parameters: { 'net.0.W': { shape: [2, 46340], data: [] }, 'net.2.W': { shape: [46340, 46340], data: [] } },
        buffers: {},
      });
      const path = join(dir, 'declared.json');
      writeFileSync(path, text);
      const e = refused(() => readModel(path));
      expect(e.op).toBe('readModel');
      expect(e.shape).toEqual([46340, 46340]);
      expect(e.message).toMatch(/^readModel: .*declared\.json, whose tensors needs 17\.2 GB \(\d+ bytes\) for \d+ parameters \(parameter 'net\.0\.W' \[2, 46340\], parameter 'net\.2\.W' \[46340, 46340\]\)/);
      expect(refused(() => parseModel(text)).op).toBe('parseModel');
      expect(refused(() => loadModelJson(new Linear(2, 1), text)).op).toBe('loadModelJson');
    });
  });
});

describe('setMemoryLimit', () => {
  it('lowering the limit makes a modest allocation fail; restoring it makes it work again', () => {
    const before = setMemoryLimit(1e6);
    try {
      expect(memoryLimit()).toBe(1e6);
      const e = refused(() => zeros([1000, 1000]));
      expectNamed(e, 'zeros', [1000, 1000], 8e6, '8 MB');
      expect(e.message).toContain('memory limit of 1 MB (set by setMemoryLimit)');
      expect(zeros([100, 100]).size).toBe(10000);
      // Kernels name themselves.
      expect(refused(() => mul(ones([400, 1]), ones([1, 400]))).op).toBe('mul');
      expect(refused(() => tensor([[1, 2]]).T.matmul(ones([1, 70000]))).shape).toEqual([2, 70000]);
    } finally {
      expect(setMemoryLimit(before)).toBe(1e6);
    }
    expect(zeros([1000, 1000]).size).toBe(1e6);
  });

  it('takes sizes as text, Infinity, and nothing for the default; returns the previous limit', () => {
    const original = memoryLimit();
    try {
      setMemoryLimit('512 MiB');
      expect(memoryLimit()).toBe(512 * 2 ** 20);
      expect(setMemoryLimit(Infinity)).toBe(512 * 2 ** 20);
      expect(memoryLimit()).toBe(Infinity);
      setMemoryLimit(1234.9);
      expect(memoryLimit()).toBe(1234);
      setMemoryLimit();
      expect(memoryLimit()).toBe(original);
    } finally {
      setMemoryLimit(original);
    }
  });

  it('rejects what is not a size with an ArgumentError naming itself', () => {
    const original = memoryLimit();
    for (const bad of [0, -1, NaN, '', 'lots', '4 parsecs', '-1GB', null, {}, [1], true, 10n] as unknown[]) {
      expect(() => setMemoryLimit(bad as number)).toThrow(ArgumentError);
      expect(() => setMemoryLimit(bad as number)).toThrow(/^setMemoryLimit: /);
    }
    expect(memoryLimit()).toBe(original);
  });
});

describe('inside tidy, the arena counts what its scopes and free lists hold', () => {
  it('fails when the scope would hold more than the limit, empties the free lists first, and never drifts', () => {
    const base = arenaBytes().held;
    const x = ones([1000]); // 8 kB
    const before = setMemoryLimit(64e3 + 100);
    try {
      // Seven results of 8 kB fit under 64.1 kB; the ninth does not.
      tidy(() => {
        for (let i = 0; i < 7; i++) mul(x, i);
        return 0;
      });
      // Those seven now sit in the free list (56 kB held); a scope reuses them without a new check.
      expect(arenaBytes().pooled).toBeGreaterThanOrEqual(56e3);
      tidy(() => {
        for (let i = 0; i < 7; i++) mul(x, i);
        return 0;
      });
      let e: MemoryError | undefined;
      tidy(() => {
        e = refused(() => {
          for (let i = 0; i < 9; i++) mul(x, i);
        });
        return 0;
      });
      expect(e!.op).toBe('alloc');
      expect(e!.message).toMatch(/tidy scopes and the arena already hold 64 kB: together more than the memory limit/);
      // A fresh size evicts the free lists rather than failing.
      const y = ones([2000]);
      tidy(() => {
        for (let i = 0; i < 3; i++) mul(y, i); // 48 kB, with 56 kB pooled of another size
        return 0;
      });
      expect(arenaBytes().pooled).toBeLessThanOrEqual(48e3);
    } finally {
      setMemoryLimit(before);
    }
    // Nested scopes, survivors, and a scope that throws leave the count where it was (plus the pool).
    const kept = tidy(() => tidy(() => [mul(x, 2), add(x, 1)])[0]!);
    expect(() =>
      tidy(() => {
        mul(x, 3);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(kept.data[0]).toBe(2);
    const { held, pooled } = arenaBytes();
    expect(held - pooled).toBe(base);
  });
});

describe('DELTAGRAPH_MEMORY_LIMIT and the Node default', () => {
  afterAll(() => configureNodeMemory(process.env));

  it('parses bytes and sizes with units', () => {
    const cases: Array<[string, number]> = [
      ['4294967296', 4294967296],
      ['4GB', 4e9],
      ['4 gb', 4e9],
      ['1.5GiB', 1.5 * GiB],
      ['512M', 512 * 2 ** 20],
      ['512MB', 512e6],
      ['100kB', 1e5],
      ['2KiB', 2048],
      ['1e9', 1e9],
      ['2.5e3 B', 2500],
      ['1T', 2 ** 40],
      ['  3g ', 3 * GiB],
      ['Infinity', Infinity],
      ['none', Infinity],
    ];
    for (const [text, bytes] of cases) expect([text, parseMemorySize('DELTAGRAPH_MEMORY_LIMIT', text)]).toEqual([text, bytes]);
    for (const bad of ['', 'GB', '4 parsecs', '-4GB', '0', '0.1', '4GBs', '1e400', 'constructor', '0x10', '4 G B']) {
      expect(() => parseMemorySize('DELTAGRAPH_MEMORY_LIMIT', bad)).toThrow(ArgumentError);
      expect(() => parseMemorySize('DELTAGRAPH_MEMORY_LIMIT', bad)).toThrow(/^DELTAGRAPH_MEMORY_LIMIT: /);
    }
    expect(formatBytes(17179869184)).toBe('17.2 GB');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1500)).toBe('1.5 kB');
  });

  it('the variable sets the limit (and the default setMemoryLimit() restores); without it, a quarter of the machine', () => {
    configureNodeMemory({ DELTAGRAPH_MEMORY_LIMIT: '3GB' });
    expect(memoryLimit()).toBe(3e9);
    expect(refused(() => zeros([1e9])).message).toContain('memory limit of 3 GB (DELTAGRAPH_MEMORY_LIMIT=3GB)');
    setMemoryLimit(5);
    setMemoryLimit();
    expect(memoryLimit()).toBe(3e9);
    expect(() => configureNodeMemory({ DELTAGRAPH_MEMORY_LIMIT: 'plenty' })).toThrow(/^DELTAGRAPH_MEMORY_LIMIT: expected a number of bytes/);
    configureNodeMemory({});
    expect(memoryLimit()).toBe(Math.floor(machineMemory() / 4));
    expect(machineMemory()).toBeGreaterThan(0);
    // On a machine of less than 64 GiB, the default refuses the 2³¹ − 1 ones and 17.2 GB product.
    if (machineMemory() < 64 * GiB) {
      expect(refused(() => ones([2 ** 31 - 1])).message).toMatch(/a quarter of this machine's/);
      expect(refused(() => matmul(zeros([46340, 1]), zeros([1, 46340]))).op).toBe('matmul');
    }
  });
});

describe('normal work is unaffected', () => {
  it('a training step in tidy, products on one and on several threads, and creators under a tight limit', () => {
    const net = new MLP({ layers: [3, 16, 2], seed: 0 });
    const x = randn([8, 3], rng(1));
    const before = setMemoryLimit(2e6);
    try {
      const losses: number[] = [];
      for (let step = 0; step < 3; step++) {
        losses.push(
          tidy(() => {
            const loss = sum(mul(net.forward(x), net.forward(x)));
            const grads = backward(loss);
            for (const p of net.parameters()) p.data.set(p.data.map((v, i) => v - 1e-3 * grads.get(p).data[i]!));
            return loss.item();
          }),
        );
      }
      expect(losses[2]!).toBeLessThan(losses[0]!);
    } finally {
      setMemoryLimit(before);
    }
    // A product large enough for the worker threads, with the same bits as on one thread.
    const a = randn([256, 256], rng(3));
    const b = param(randn([256, 256], rng(4)));
    const threaded = matmul(a, b).data;
    setParallel(false);
    try {
      expect(Array.from(matmul(a, b).data)).toEqual(Array.from(threaded));
    } finally {
      setParallel(true);
    }
    expect(modelToJson(new Linear(2, 2, { rng: 0 })).length).toBeGreaterThan(10);
  });

  (simd ? it : it.skip)('a MemoryError in the calling thread\'s share of a threaded product waits for the workers, and the next product is right', () => {
    // The calling thread's 2,048 × 4,096 block (67 MB) grows the WebAssembly memory; the workers' do not share the stub.
    const u = tensor(Float64Array.from({ length: 4096 }, (_, i) => i % 5), [4096, 1]);
    const v = tensor(Float64Array.from({ length: 4096 }, (_, j) => (j % 3) - 1), [1, 4096]);
    const grow = jest.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Unable to grow instance memory');
    });
    try {
      // It names the rows of the calling thread's share (all 4,096 when the workers are not up).
      const e = refused(() => matmul(u, v));
      expect(e.op).toBe('matmul');
      expect(e.shape[1]).toBe(4096);
    } finally {
      grow.mockRestore();
    }
    for (let round = 0; round < 2; round++) {
      const z = matmul(u, v).data;
      for (const [i, j] of [[0, 0], [4095, 4095], [2047, 1], [3000, 3001], [4094, 2]] as const) expect(z[i * 4096 + j]! + 0).toBe((i % 5) * ((j % 3) - 1) + 0);
    }
  });
});
