// A gemm worker thread: waits for row blocks of a product on shared memory and computes them.
// It loads the TypeScript kernel through ts-node unless the kernel is already compiled to JavaScript.
const { workerData, receiveMessageOnPort } = require('worker_threads');
const path = require('path');
const fs = require('fs');

if (!fs.existsSync(path.join(__dirname, 'gemm.js'))) {
  require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
}
const { gemm } = require('./gemm');
const { wasmGemm } = require('./gemm-wasm');
const { port, signal } = workerData;

for (;;) {
  // Sleep until the signal is 1 (a job was posted); 0 and 2 (done, not yet collected) mean wait.
  let state;
  while ((state = Atomics.load(signal, 0)) !== 1) Atomics.wait(signal, 0, state);
  let message = receiveMessageOnPort(port);
  while (message === undefined) message = receiveMessageOnPort(port);
  const j = message.message;
  try {
    const kernel = j.simd && wasmGemm ? wasmGemm : gemm;
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
