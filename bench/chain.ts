/**
 * Row family "chain": the per-op overhead of the graph. A chain of 1,000 elementwise ops on a
 * 16-element vector, cycling through h + h, sin, ×0.5 and tanh, then summed; one forward and
 * backward pass, in microseconds per op. At 16 elements the arithmetic is negligible and the time
 * is the framework's own: creating tensors, recording nodes and walking them back.
 *
 * The cycle h ↦ tanh(½ sin(h + h)) has derivative exactly 1 at its fixed point 0, so over 250
 * cycles the gradient decays only algebraically (to between 1e-5 and 1) instead of geometrically:
 * it stays far from float32's underflow and the float32 peers can be checked against it. (A
 * contracting cycle such as tanh(sin(1.25h) + 0.25) gives gradients near 1e-148, zero in
 * float32.) h + h also makes two paths meet at every fourth op, so gradients are summed.
 *
 * deltagraph: x = param(x₀), the chain, backward(sum(y)). tfjs: tf.grad of the same function.
 * Both must agree on the chain's output and on the gradient before anything is timed.
 */
import { Tensor, add, backward, mul, param, randn, rng, sin, sum, tanh } from '../node';
import { expectAllClose } from './check';
import { Context } from './profile';
import { Row, fillRow } from './report';
import { measure } from './timing';
import { PEERS, f32, onPeer, tf } from './tfjs';

export const CHAIN_LENGTH = 1000;
export const CHAIN_WIDTH = 16;
const HALF = 0.5;

/**
 * Normwise relative tolerances of float32 against float64. The output is compared before the
 * sum, whose terms of both signs cancel and would magnify the error. Because the cycle is neutral
 * at its fixed point, rounding errors are not damped but accumulate over the 1,000 ops: observed
 * errors are 6e-7 (output) and 6e-8 (gradient) on tfjs-cpu, and 1e-4 and 1e-5 on tfjs-wasm, whose
 * float32 sin and tanh are coarser approximations.
 */
const TOLERANCE = { output: 1e-3, gradient: 1e-4 };

/** deltagraph: chain(x) (before the sum) and the gradient of Σ chain(x). */
export function deltagraphChain(x0: Tensor): { output: Float64Array; gradient: Float64Array } {
  const x = param(x0);
  let h = x;
  for (let i = 0; i < CHAIN_LENGTH; i++) {
    switch (i % 4) {
      case 0: h = add(h, h); break;
      case 1: h = sin(h); break;
      case 2: h = mul(h, HALF); break;
      default: h = tanh(h);
    }
  }
  const y = sum(h);
  const grads = backward(y, { wrt: [x] });
  return { output: h.data, gradient: grads.get(x).data };
}

/** tfjs: the chain itself (for the forward check). */
function tfjsChainOutput(x: tf.Tensor): tf.Tensor {
  let h = x;
  for (let i = 0; i < CHAIN_LENGTH; i++) {
    switch (i % 4) {
      case 0: h = tf.add(h, h); break;
      case 1: h = tf.sin(h); break;
      case 2: h = tf.mul(h, HALF); break;
      default: h = tf.tanh(h);
    }
  }
  return h;
}

/** tfjs: Σ chain(x), for tf.grad. */
function tfjsChain(x: tf.Tensor): tf.Scalar {
  return tf.sum(tfjsChainOutput(x));
}

export async function runChain(ctx: Context): Promise<Row[]> {
  const row: Row = {
    family: 'chain',
    id: 'chain-1000',
    label: `chain of ${CHAIN_LENGTH.toLocaleString('en-US')} ops, ${CHAIN_WIDTH} el., fwd+bwd`,
    unit: 'µs/op',
    better: 'lower',
    cells: {},
    checks: [],
  };
  const perOp = (ms: number): number => (ms * 1000) / CHAIN_LENGTH;
  return [
    await fillRow(row, async () => {
      const x0 = randn([CHAIN_WIDTH], rng(3));

      ctx.log('chain: deltagraph');
      const reference = deltagraphChain(x0);
      const m = measure(() => deltagraphChain(x0), ctx.profile.chain);
      row.cells.deltagraph = { value: perOp(m.median), measurement: m };

      for (const peer of PEERS) {
        ctx.log(`chain: ${peer}`);
        row.cells[peer] = await onPeer(peer, () => {
          const x = tf.tensor1d(f32(x0.data));
          const gradient = tf.grad(tfjsChain);
          const run = (): Float32Array | Int32Array | Uint8Array => {
            const g = tf.tidy(() => gradient(x));
            const values = g.dataSync();
            g.dispose();
            return values;
          };
          try {
            const y = tf.tidy(() => tfjsChainOutput(x));
            const output = y.dataSync();
            y.dispose();
            row.checks.push(expectAllClose(`chain ${peer} against deltagraph: output`, output, reference.output, TOLERANCE.output));
            row.checks.push(expectAllClose(`chain ${peer} against deltagraph: gradient`, run(), reference.gradient, TOLERANCE.gradient));
            const t = measure(run, ctx.profile.chain);
            return { value: perOp(t.median), measurement: t };
          } finally {
            x.dispose();
          }
        });
      }
    }),
  ];
}
