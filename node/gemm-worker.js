// A gemm worker thread: waits for row blocks of a product on shared memory and computes them.
// It runs the compiled kernels of the package, or the TypeScript sources through ts-node in a
// development checkout.
const { workerData, receiveMessageOnPort } = require('worker_threads');
const path = require('path');
const fs = require('fs');

const kernels = path.join(__dirname, '..', 'lib', 'kernels');
if (!fs.existsSync(path.join(kernels, 'gemm.js'))) {
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
}
const { gemm } = require(path.join(kernels, 'gemm'));
const { wasmGemm, simdLoaded } = require(path.join(kernels, 'gemm-wasm'));
const { port, signal } = workerData;

for (;;) {
  // Sleep until the signal is 1 (a job was posted); 0 and 2 (done, not yet collected) mean wait.
  let state;
  while ((state = Atomics.load(signal, 0)) !== 1) Atomics.wait(signal, 0, state);
  let message = receiveMessageOnPort(port);
  while (message === undefined) message = receiveMessageOnPort(port);
  const j = message.message;
  try {
    const kernel = j.simd && simdLoaded() ? wasmGemm : gemm;
    kernel(
      j.m, j.n, j.k,
      { data: j.a, offset: j.aOffset, rowStride: j.aRow, colStride: j.aCol },
      { data: j.b, offset: j.bOffset, rowStride: j.bRow, colStride: j.bCol },
      j.c, j.cOffset,
    );
    Atomics.store(signal, 0, 2);
  } catch (e) {
    Atomics.store(signal, 0, 3);
  }
  Atomics.notify(signal, 0);
}
