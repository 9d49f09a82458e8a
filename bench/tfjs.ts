/**
 * The TensorFlow.js peers: tfjs-core with its cpu backend (plain JavaScript) and its wasm backend
 * (WebAssembly, SIMD when the runtime has it), both float32. Production mode is on, as in a
 * deployed application: no per-op debug checks.
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerTfjsGradients } from './tfjs-gradients';

export { tf };

/** The tfjs configurations deltagraph is compared with. */
export type Peer = 'tfjs-cpu' | 'tfjs-wasm';
export const PEERS: readonly Peer[] = ['tfjs-cpu', 'tfjs-wasm'];

const BACKEND: Record<Peer, string> = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm' };

let configured = false;

/**
 * Once: turns on production mode, registers tfjs's gradients (tfjs-core's CommonJS entry comes
 * without them) and points the wasm backend at its .wasm files.
 */
function configure(): void {
  if (configured) return;
  configured = true;
  tf.enableProdMode();
  registerTfjsGradients();
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  setWasmPaths(dist + path.sep);
}

/** Makes `peer` the active tfjs backend; throws if it cannot be initialised. */
export async function useBackend(peer: Peer): Promise<void> {
  configure();
  const ok = await tf.setBackend(BACKEND[peer]);
  await tf.ready();
  if (!ok || tf.getBackend() !== BACKEND[peer]) {
    throw new Error(`tfjs: could not initialise the ${BACKEND[peer]} backend`);
  }
}

/** What the report says about tfjs: version, and the wasm backend's SIMD and thread support. */
export async function describeTfjs(): Promise<{ version: string; wasmSimd: boolean; wasmThreads: boolean }> {
  await useBackend('tfjs-wasm');
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  return { version: tf.version_core, wasmSimd: simd, wasmThreads: threads };
}

/**
 * Runs fn on `peer` and checks that it left no tensors behind (a leak would make later timings
 * slower and the memory grow), then disposes the variables it registered.
 */
export async function onPeer<T>(peer: Peer, fn: () => T | Promise<T>): Promise<T> {
  await useBackend(peer);
  const before = tf.memory().numTensors;
  try {
    return await fn();
  } finally {
    tf.disposeVariables();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) console.warn(`  warning: ${peer} left ${leaked} tensors undisposed`);
  }
}

/** A float32 copy of float64 values, for tfjs. */
export function f32(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values);
}
