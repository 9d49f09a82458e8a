/**
 * The kernels' one door (lib/kernels/backend.ts): kernelInfo() says which matmul kernel runs and on
 * how many threads; where a synchronous WebAssembly compile is refused, the TypeScript kernel serves
 * until ready() has compiled the SIMD one asynchronously, with the same bits either way.
 */
import { Tensor, kernelInfo } from '../../index';

type Backend = typeof import('../../lib/kernels/backend');
type Kernels = typeof import('../../lib/kernels');

/** Fresh copies of the kernel modules, loaded while `new WebAssembly.Module` throws as a strict page's would. */
function loadWithSyncCompileRefused(): { backend: Backend; kernels: Kernels } {
  const original = WebAssembly.Module;
  const refuse = function () {
    throw new RangeError('WebAssembly.Module(): Wasm code generation disallowed by embedder');
  };
  (WebAssembly as unknown as { Module: unknown }).Module = refuse;
  let loaded: { backend: Backend; kernels: Kernels } | undefined;
  try {
    jest.isolateModules(() => {
      loaded = { backend: require('../../lib/kernels/backend'), kernels: require('../../lib/kernels') };
    });
  } finally {
    (WebAssembly as unknown as { Module: unknown }).Module = original;
  }
  return loaded!;
}

const seq = (shape: number[]) => new Tensor(Float64Array.from({ length: shape[0]! * shape[1]! }, (_, i) => Math.sin(i * 0.37)), shape);

describe('kernelInfo', () => {
  it('reports the SIMD kernel and the Node worker threads in this process', () => {
    expect(kernelInfo()).toEqual({ matmul: 'wasm-simd', simdAvailable: true, threads: expect.any(Number), threadHost: 'worker_threads' });
    expect(kernelInfo().threads).toBeGreaterThanOrEqual(1);
  });
});

describe('a refused synchronous compile', () => {
  it('serves the TypeScript kernel until ready() brings in SIMD; the products agree bit for bit', async () => {
    const { backend, kernels } = loadWithSyncCompileRefused();
    // A fresh module graph has no thread host registered: one thread, as in a browser.
    expect(backend.kernelInfo()).toEqual({ matmul: 'typescript', simdAvailable: false, threads: 1, threadHost: 'none' });
    const a = seq([70, 90]);
    const b = seq([90, 50]);
    const before = kernels.matmul(a, b);
    await expect(backend.ready()).resolves.toMatchObject({ matmul: 'wasm-simd', simdAvailable: true });
    expect(backend.kernelInfo().matmul).toBe('wasm-simd');
    const after = kernels.matmul(a, b);
    expect(Array.from(after.data)).toEqual(Array.from(before.data));
  });

  it('ready() resolves at once, to the same report, where the kernel already loaded', async () => {
    const { ready } = await import('../../index');
    await expect(ready()).resolves.toEqual(kernelInfo());
  });
});
