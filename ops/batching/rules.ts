/**
 * The batching rules of the ops (see graph/vmap.ts): for each op, its result on a whole batch
 * computed by one application of the op, with the batch axis first. Grouped by concern:
 *
 * - elementwise (unary ops run as they are; binary ops and where align each batched operand as
 *   [size, 1…, ...example] so that broadcasting against the unbatched ones is per example);
 * - reductions, scans, softmax and flip shift their axes by one;
 * - layout ops (reshape, transpose, broadcastTo, sumTo, concat, slice, pad, take and the other
 *   indexing ops) get the batch prepended to their shapes, begins, axes or flat indices;
 * - matmul batches over its leading axes (either, or both, operands batched).
 *
 * Composite functions (mean, variance, std, layerNorm, the losses, einsum, stack, split,
 * squeeze, unsqueeze, flatten, tile, the convolutions and pools) are built from these ops and
 * batch through them; unfold and fold (under conv1d, conv2d, convTranspose2d and the pools) and
 * maxPool2d's kernel take the batch into N. Functions that cannot be one op batch with
 * `batchedElementwise` (the comparisons, where with a batched condition) and `batchedAsN`
 * (maxPool2d); the constant masks of VJPs (relu, abs, leakyRelu, elu, clamp) with `maskOf`.
 * An op without a rule (a user's defineOp) runs in vmap's loop over the batch.
 */
import { Tensor, sizeOf } from '../../lib';
import { BatchCall, allBatched, batchedCall, constantOf, isBatched, registerBatchRule } from '../../graph/vmap';
import { reshape } from '../reshape';

/** The op applied again to other inputs and attributes. */
function again<A>(call: BatchCall<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  return call.op.apply(inputs, attrs);
}

/** Batched operands reshaped to [size, 1…, ...example] of rank r + 1; unbatched ones as they are. */
function aligned(call: BatchCall<unknown>, rank: number): Tensor[] {
  return call.inputs.map((x, i) => {
    if (!call.batched[i]) return x;
    const s = call.shapes[i]!;
    return s.length === rank ? x : reshape(x, [call.size, ...new Array<number>(rank - s.length).fill(1), ...s]);
  });
}

function maxRank(call: BatchCall<unknown>, extra = 0): number {
  return Math.max(extra, ...call.shapes.map((s) => s.length));
}

/**
 * fn (an elementwise function of broadcasting tensors that is not one op) on inputs some of which
 * may carry a batch: null when none does, else fn once on the physical tensors, the batched ones
 * aligned as [size, 1…, ...example].
 */
export function batchedElementwise(name: string, inputs: readonly Tensor[], fn: (physical: Tensor[]) => Tensor): Tensor | null {
  const shapes = inputs.map((x) => x.shape);
  const rank = Math.max(...shapes.map((s) => s.length));
  return batchedCall(name, inputs, (ps, bs, size) =>
    fn(ps.map((p, i) => (bs[i] && shapes[i]!.length < rank ? reshape(p, [size, ...new Array<number>(rank - shapes[i]!.length).fill(1), ...shapes[i]!]) : p))),
  );
}

/**
 * fn (an image op whose first axis is N) on x when x carries a batch: null when it does not, else
 * fn once on the batch joined with N ([size·N, …]), the result split again into [size, N, …].
 */
export function batchedAsN(name: string, x: Tensor, fn: (x: Tensor) => Tensor): Tensor | null {
  if (!isBatched(x)) return null;
  const [n, ...rest] = x.shape;
  return batchedCall(name, [x], ([p], _, size) => {
    const out = fn(reshape(p!, [size * n!, ...rest]));
    return reshape(out, [size, n!, ...out.shape.slice(1)]);
  });
}

/**
 * A VJP's constant mask from an elementwise kernel of x (relu's [x > 0], abs's sign): the kernel
 * itself outside vmap; for a batched x, the kernel once on the whole batch, a batched constant.
 */
export function maskOf(x: Tensor, kernel: (x: Tensor) => Tensor): Tensor {
  if (!isBatched(x)) return kernel(x);
  return batchedCall('mask', [constantOf(x)], ([p]) => kernel(p!))!;
}

const shift = (axes: readonly number[]): number[] => axes.map((a) => a + 1);

// Elementwise.
for (const name of ['neg', 'exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'sigmoid', 'relu', 'leakyRelu', 'softplus', 'square', 'erf', 'elu', 'clamp', 'triu', 'tril']) {
  registerBatchRule(name, (c) => again(c, c.inputs, c.attrs));
}
for (const name of ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum']) {
  registerBatchRule(name, (c) => again(c, aligned(c, maxRank(c)), c.attrs));
}
// The fused loops want operands of one shape.
for (const name of ['tanhBackward', 'sigmoidBackward', 'bceWithLogits']) registerBatchRule(name, (c) => again(c, allBatched(c), c.attrs));
registerBatchRule<Tensor>('where', (c) => again(c, aligned(c, maxRank(c, c.attrs.rank)), c.attrs));

// Reductions and axis-wise ops.
interface ReduceAttrs {
  axes: readonly number[];
  keepDims: boolean;
}
for (const name of ['sum', 'max', 'min', 'logSumExp']) {
  registerBatchRule<ReduceAttrs>(name, (c) => again(c, c.inputs, { ...c.attrs, axes: shift(c.attrs.axes) }));
}
for (const name of ['softmax', 'logSoftmax']) registerBatchRule<number>(name, (c) => again(c, c.inputs, c.attrs + 1));
registerBatchRule<{ axis: number; reverse: boolean }>('cumsum', (c) => again(c, c.inputs, { ...c.attrs, axis: c.attrs.axis + 1 }));
registerBatchRule<readonly number[]>('flip', (c) => again(c, c.inputs, shift(c.attrs)));

// Layout.
registerBatchRule<readonly number[]>('reshape', (c) => again(c, c.inputs, [c.size, ...c.attrs]));
registerBatchRule<readonly number[]>('transpose', (c) => again(c, c.inputs, [0, ...shift(c.attrs)]));
registerBatchRule<readonly number[]>('broadcastTo', (c) => {
  const [x] = aligned(c, c.attrs.length);
  return again(c, [x!], [c.size, ...c.attrs]);
});
registerBatchRule<readonly number[]>('sumTo', (c) => {
  const s = c.shapes[0]!;
  const target = [c.size, ...new Array<number>(s.length - c.attrs.length).fill(1), ...c.attrs];
  return reshape(again(c, c.inputs, target), [c.size, ...c.attrs]);
});
registerBatchRule<number>('concat', (c) => again(c, allBatched(c), c.attrs + 1));
registerBatchRule<{ begin: readonly number[]; size: readonly number[] }>('slice', (c) => again(c, c.inputs, { begin: [0, ...c.attrs.begin], size: [c.size, ...c.attrs.size] }));
registerBatchRule<{ shape: readonly number[]; begin: readonly number[] }>('pad', (c) => again(c, c.inputs, { shape: [c.size, ...c.attrs.shape], begin: [0, ...c.attrs.begin] }));

// Indexing.
interface AxisAttrs {
  axis: number;
}
for (const name of ['take', 'takeBackward']) registerBatchRule<AxisAttrs>(name, (c) => again(c, c.inputs, { ...c.attrs, axis: c.attrs.axis + 1 }));

/** Indices repeated for every example, each copy offset by `step` times its example's index. */
function perExample(indices: Int32Array, size: number, step: number): Int32Array {
  const out = new Int32Array(indices.length * size);
  for (let b = 0; b < size; b++) for (let i = 0; i < indices.length; i++) out[b * indices.length + i] = indices[i]! + b * step;
  return out;
}
for (const name of ['takeAlongAxis', 'takeAlongAxisBackward']) {
  registerBatchRule<AxisAttrs & { indices: Int32Array }>(name, (c) => again(c, c.inputs, { ...c.attrs, indices: perExample(c.attrs.indices, c.size, 0), axis: c.attrs.axis + 1 }));
}
registerBatchRule<{ indices: Int32Array; shape: readonly number[] }>('gatherAt', (c) =>
  again(c, c.inputs, { indices: perExample(c.attrs.indices, c.size, sizeOf(c.shapes[0]!)), shape: [c.size, ...c.attrs.shape] }),
);
registerBatchRule<{ indices: Int32Array; shape: readonly number[] }>('scatterAddAt', (c) =>
  again(c, c.inputs, { indices: perExample(c.attrs.indices, c.size, sizeOf(c.attrs.shape)), shape: [c.size, ...c.attrs.shape] }),
);

// Images: the batch joins the first axis (N, or N·L for windows laid out positions first).
for (const name of ['unfold', 'fold']) {
  registerBatchRule(name, (c) => {
    const [first, ...rest] = c.shapes[0]!;
    const out = again(c, [reshape(c.inputs[0]!, [c.size * first!, ...rest])], c.attrs);
    return reshape(out, [c.size, out.shape[0]! / c.size, ...out.shape.slice(1)]);
  });
}

// Products.
registerBatchRule('matmul', (c) => {
  if (c.shapes.some((s) => s.length < 2)) return undefined;
  if (c.batched[0] && !c.batched[1] && c.shapes[1]!.length === 2 && !(c.attrs as { a: boolean }).a) {
    // [size, …, n, k] · [k, m]: one product with the examples' rows stacked.
    const s = c.shapes[0]!;
    const rows = reshape(c.inputs[0]!, [c.size * sizeOf(s.slice(0, -1)), s[s.length - 1]!]);
    const out = again(c, [rows, c.inputs[1]!], c.attrs);
    return reshape(out, [c.size, ...s.slice(0, -1), out.shape[1]!]);
  }
  return again(c, aligned(c, maxRank(c)), c.attrs);
});

