/**
 * vmap: f written for one example runs on a batch (JAX's vmap, torch.func.vmap).
 *
 * Design. While vmap runs f, every tensor that carries the batch is a `BatchedTensor`: a tensor
 * whose `shape` is the shape of one example (the *logical* shape, what f sees and what the ops'
 * argument checks and attributes are computed from) and which holds the *physical* tensor, the
 * whole batch with the batch axis in front. While f runs, defineOp's `apply` hands every
 * application that has a batched input to this file (a hook, so that graph/ still never imports
 * ops/; a batched tensor that escapes f cannot be used after vmap returns), which
 *
 * 1. runs the op's **batching rule** on the physical tensors: a function, registered per op name
 *    with `registerBatchRule` (the rules of ops/ live in ops/batching/, those of the engine's own
 *    ops here), that computes the whole batch at once with the ordinary ops — elementwise ops
 *    broadcast, reductions shift their axes by one, matmul batches, and so on — and returns the
 *    physical result with the batch axis in front. Since it is made of ordinary ops, the batched
 *    computation is recorded like any other: `grad` of a function that uses vmap differentiates
 *    through it;
 * 2. or, for an op without a rule (or whose rule declines a case), **falls back** to a loop over
 *    the batch: each example is picked (`pickLeading`), the op runs on it, and the results are
 *    stacked (`stackLeading`) — correct for every op, also recorded, but one application per
 *    example. The first fallback of each op name prints one `console.warn` naming the op;
 * 3. records, when recording is on and a logical input requires a gradient, a *logical* node on
 *    the BatchedTensors, so that transforms called inside f (`vmap(grad(f))`, `vmap(jvp(...))`)
 *    see an ordinary graph of per-example tensors. The VJP of a logical node is the op's own VJP
 *    called on the BatchedTensors (its ops batch in turn). When that VJP reads an input's values
 *    (kernels called on the inputs: pow, maximum, minimum, logSumExp), the op is remembered and
 *    its VJP is computed on the physical level instead: the rule runs again on fresh leaves (an
 *    unbatched input that wants a gradient is first broadcast over the batch, so that its
 *    gradient is per example) and an ordinary backward pass gives the batched gradients; that
 *    computation is itself a logical node of the same kind, so gradients inside vmap can be
 *    differentiated again (jvp, hessian).
 *
 * An unbatched tensor (an argument with `inAxes` null, a tensor f closes over, a constant f
 * makes) stays unbatched: the rules broadcast it. A batched tensor's values cannot be read inside
 * f (`data`, `item`, `toArray` throw a GraphError): a function that reads a tensor's values to
 * decide what to compute (indices or labels given as a tensor, oneHot) needs that tensor
 * unbatched (inAxes null); crossEntropy's integer labels are the exception, batched with
 * `batchedCall`. Inside vmap, a `customVjp` function runs f and its rule on the batched tensors
 * and a `checkpoint` stays one node whose VJP recomputes f on them (`customVjpBatched`; inside
 * nested vmaps a checkpoint is computed without checkpointing, a customVjp in the loop). vmaps nest: each has a level, and an op is batched over the innermost
 * level among its inputs.
 */
import { ArgumentError, GraphError, ShapeError, Tensor, asTensor, describe, fmtShape, isCallable, kernels, param, sameShape, zeros } from '../lib';
import { backward } from './backward';
import { accumulate, identity, pickTrailing, stackTrailing } from './builtin-ops';
import { Op, defineOp, firstOpNamed, setBatchHook } from './define-op';
import { enableGrad, isRecording, noGrad } from './mode';
import { Node, OpSpec, VjpContext } from './node';
import { pairing, pickLeading, scaleBy, stackLeading } from './pairing-ops';

/** A tensor carrying a batch inside vmap: the shape of one example, and the whole batch (batch axis first). */
export class BatchedTensor extends Tensor {
  constructor(
    /** The whole batch, batch axis first: shape [size, ...shape]. */
    readonly physical: Tensor,
    /** The vmap nesting level the batch belongs to. */
    readonly level: number,
    producer: Node | null = null,
    requiresGrad = producer !== null,
  ) {
    if (!(physical instanceof Tensor) || physical.rank === 0) throw new ArgumentError(`BatchedTensor: physical must be a tensor whose first axis is the batch, got ${describe(physical)}`);
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 1) throw new ArgumentError(`BatchedTensor: level must be a vmap nesting level (an integer ≥ 1), got ${describe(level)}`);
    if (producer !== null && !(producer instanceof Node)) throw new ArgumentError(`BatchedTensor: producer must be a graph node or null, got ${describe(producer)}`);
    if (typeof requiresGrad !== 'boolean') throw new ArgumentError(`BatchedTensor: requiresGrad must be true or false, got ${describe(requiresGrad)}`);
    const shape = physical.shape.slice(1);
    let n = 1;
    for (const d of shape) n *= d;
    let root = physical;
    while (root instanceof BatchedTensor) root = root.physical;
    const values = root.data;
    const view = values.length >= n ? values.subarray(0, n) : new Float64Array(n);
    super(view, shape, producer, requiresGrad);
  }

  /** The batch size. */
  get batchSize(): number {
    return this.physical.shape[0]!;
  }

  override get data(): Float64Array {
    throw new BatchedValuesError(
      `vmap: the values of a batched tensor (one example of shape ${fmtShape(this.shape)}, batch of ${this.batchSize}) cannot be read inside f; ` +
        'pass the tensor with inAxes null if its values are needed, or compute with ops only',
    );
  }

  override get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  override toString(): string {
    return `BatchedTensor(shape ${fmtShape(this.shape)}, batch of ${this.batchSize})`;
  }
}

/** Reading the values of a batched tensor inside vmap's f. */
export class BatchedValuesError extends GraphError {}

/** What a batching rule is given: the physical inputs (batched ones with the batch axis first) and the logical shapes. */
export interface BatchCall<A> {
  readonly op: Op<A>;
  /** The inputs; a batched one is the whole batch with the batch axis first. */
  readonly inputs: readonly Tensor[];
  /** batched[i]: input i carries the batch (its shape is [size, ...shapes[i]]). */
  readonly batched: readonly boolean[];
  /** The shape of each input for one example. */
  readonly shapes: ReadonlyArray<readonly number[]>;
  readonly attrs: A;
  /** The batch size. */
  readonly size: number;
}

/**
 * A batching rule: the op's result for the whole batch, batch axis first (shape [size, ...the
 * result's shape for one example]), computed with ordinary ops; or undefined to fall back to the loop.
 */
export type BatchRule<A = any> = (call: BatchCall<A>) => Tensor | undefined;

const rules = new Map<string, BatchRule>();

/** Registers the batching rule of the op named `name` (the first op defined with that name). */
export function registerBatchRule<A = any>(name: string, rule: BatchRule<A>): void {
  if (typeof name !== 'string' || name === '') throw new ArgumentError(`registerBatchRule: name must be an op's name, got ${describe(name)}`);
  if (!isCallable(rule)) throw new ArgumentError(`registerBatchRule: the rule of '${name}' must be a function, got ${describe(rule)}`);
  rules.set(name, rule as BatchRule);
}

/** Whether the op has a batching rule (else vmap runs it in a loop over the batch). */
export function hasBatchRule(op: OpSpec<unknown>): boolean {
  if (op === null || typeof op !== 'object' || typeof op.name !== 'string') throw new ArgumentError(`hasBatchRule: expected an op, got ${describe(op)}`);
  return rules.has(op.name) && firstOpNamed(op.name) === op;
}

const warned = new Set<string>();

/** The ops whose VJP read the values of a batched tensor: their VJPs inside vmap differentiate the batched computation instead. */
const readsValues = new Set<string>();

/** Forgets which ops have warned about the loop fallback (for tests). */
export function resetBatchWarnings(): void {
  warned.clear();
}

/** x broadcast over a new leading axis of the batch size: [size, ...x.shape].  x̄ = Σ over the leading axis */
export const expandLeading: Op<{ size: number }> = defineOp<{ size: number }>({
  name: 'expandLeading',
  forward: ([x], { size }) => kernels.broadcastTo(x!, [size, ...x!.shape]),
  vjp: (g) => [sumLeading.apply([g], undefined)],
});

/** y = Σ over the leading axis of x.  x̄ = g broadcast over it */
export const sumLeading: Op<undefined> = defineOp<undefined>({
  name: 'sumLeading',
  forward: ([x]) => {
    const r = kernels.reduce(x!, [0], 'sum');
    return new Tensor(r.data, x!.shape.slice(1));
  },
  vjp: (g, { inputs: [x] }) => [expandLeading.apply([g], { size: x!.shape[0]! })],
});

/** The axis `from` of x moved to position `to` (the others keep their order).  x̄ = g with `to` moved back to `from` */
export const moveAxis: Op<{ from: number; to: number }> = defineOp<{ from: number; to: number }>({
  name: 'moveAxis',
  forward: ([x], { from, to }) => {
    if (from === to) return new Tensor(x!.data, x!.shape);
    const perm = x!.shape.map((_, i) => i).filter((i) => i !== from);
    perm.splice(to, 0, from);
    return kernels.transpose(x!, perm);
  },
  vjp: (g, { attrs: { from, to } }) => [moveAxis.apply([g], { from: to, to: from })],
});

/**
 * s[b…] = Σᵢ ⟨aᵢ[b…], bᵢ[b…]⟩ over the first `lead` axes b… of inputs [a₁ … aₙ, b₁ … bₙ] (the
 * batch axes first), s of their shape.  āᵢ = scaleLeading(ḡ, bᵢ)
 */
export const pairingLeading: Op<number> = defineOp<number>({
  name: 'pairingLeading',
  forward: (xs, lead) => {
    const n = xs.length / 2;
    const shape = xs[0]!.shape.slice(0, lead);
    let size = 1;
    for (const d of shape) size *= d;
    const out = new Float64Array(size);
    for (let i = 0; i < n; i++) {
      const a = xs[i]!.data;
      const b = xs[n + i]!.data;
      const m = a.length / Math.max(size, 1);
      for (let s = 0; s < size; s++) {
        let acc = 0;
        for (let k = s * m; k < (s + 1) * m; k++) acc += a[k]! * b[k]!;
        out[s] = out[s]! + acc;
      }
    }
    return new Tensor(out, shape);
  },
  vjp: (g, { inputs, needs }) => {
    const n = inputs.length / 2;
    return inputs.map((_, j) => (needs[j] ? scaleLeading.apply([g, inputs[j < n ? n + j : j - n]!], undefined) : null));
  },
});

/** y[b…] = c[b…]·x[b…] for c of the shape of x's first axes.  c̄ = pairingLeading(g, x),  x̄ = scaleLeading(c, g) */
export const scaleLeading: Op<undefined> = defineOp<undefined>({
  name: 'scaleLeading',
  forward: ([c, x]) => {
    const size = c!.size;
    const xd = x!.data;
    const m = xd.length / Math.max(size, 1);
    const out = new Float64Array(xd.length);
    for (let s = 0; s < size; s++) {
      const k = c!.data[s]!;
      for (let i = s * m; i < (s + 1) * m; i++) out[i] = k * xd[i]!;
    }
    return new Tensor(out, x!.shape);
  },
  vjp: (g, { inputs: [c, x], needs }) => [
    needs[0] ? pairingLeading.apply([g, x!], c!.rank) : null,
    needs[1] ? scaleLeading.apply([c!, g], undefined) : null,
  ],
});

/** The input broadcast over the batch when it does not carry it. */
export function batchedInput(call: BatchCall<unknown>, i: number): Tensor {
  return call.batched[i] ? call.inputs[i]! : expandLeading.apply([call.inputs[i]!], { size: call.size });
}

/** Every input batched (the unbatched ones broadcast over the batch). */
export function allBatched(call: BatchCall<unknown>): Tensor[] {
  return call.inputs.map((_, i) => batchedInput(call, i));
}

// The engine's own ops.
registerBatchRule('identity', ({ inputs: [x] }) => identity.apply([x!], undefined));
registerBatchRule('accumulate', (c) => accumulate.apply(allBatched(c), undefined));
registerBatchRule('expandLeading', ({ inputs: [x], attrs }) => moveAxis.apply([expandLeading.apply([x!], attrs)], { from: 1, to: 0 }));
registerBatchRule('sumLeading', ({ inputs: [x] }) => sumLeading.apply([moveAxis.apply([x!], { from: 1, to: 0 })], undefined));
registerBatchRule<{ from: number; to: number }>('moveAxis', ({ inputs: [x], attrs: { from, to } }) => moveAxis.apply([x!], { from: from + 1, to: to + 1 }));
registerBatchRule('pairing', (c) => pairingLeading.apply(allBatched(c), 1));
registerBatchRule<number>('pairingLeading', (c) => pairingLeading.apply(allBatched(c), c.attrs + 1));
registerBatchRule('scaleLeading', (c) => scaleLeading.apply(allBatched(c), undefined));
registerBatchRule('scaleBy', (c) => scaleLeading.apply(allBatched(c), undefined));
registerBatchRule<{ outer: readonly number[]; inner: readonly number[] }>('stackLeading', (c) => {
  const stacked = stackLeading.apply(allBatched(c), { outer: c.attrs.outer, inner: [c.size, ...c.attrs.inner] });
  return moveAxis.apply([stacked], { from: c.attrs.outer.length, to: 0 });
});
registerBatchRule<{ outer: readonly number[]; inner: readonly number[]; index: number }>('pickLeading', ({ inputs: [x], attrs, size }) =>
  pickLeading.apply([moveAxis.apply([x!], { from: 0, to: attrs.outer.length })], { ...attrs, inner: [size, ...attrs.inner] }),
);

registerBatchRule<{ inner: readonly number[]; outer: readonly number[] }>('stackTrailing', (c) =>
  stackTrailing.apply(allBatched(c), { ...c.attrs, inner: [c.size, ...c.attrs.inner] }),
);
registerBatchRule<{ inner: readonly number[]; outer: readonly number[]; index: number }>('pickTrailing', ({ inputs: [J], attrs, size }) =>
  pickTrailing.apply([J!], { ...attrs, inner: [size, ...attrs.inner] }),
);

/** The loop fallback: each example picked, the op run on it, the results stacked. */
function loop(call: BatchCall<unknown>): Tensor {
  if (!warned.has(call.op.name)) {
    warned.add(call.op.name);
    console.warn(`vmap: op '${call.op.name}' has no batching rule; it runs once per example in a loop`);
  }
  const outs: Tensor[] = [];
  for (let b = 0; b < call.size; b++) {
    const args = call.inputs.map((x, i) => (call.batched[i] ? pickLeading.apply([x], { outer: [call.size], inner: call.shapes[i]!, index: b }) : x));
    outs.push(call.op.apply(args, call.attrs));
  }
  const inner = outs[0]?.shape ?? [];
  outs.forEach((o, b) => {
    if (!sameShape(o.shape, inner)) throw new ShapeError(`vmap: op '${call.op.name}' gave shape ${fmtShape(o.shape)} for example ${b} and ${fmtShape(inner)} for example 0`);
  });
  return stackLeading.apply(outs, { outer: [call.size], inner });
}

/** The physical result of the op on the batch: its rule, or the loop. */
function runBatched(call: BatchCall<unknown>): Tensor {
  const rule = hasBatchRule(call.op) ? rules.get(call.op.name)! : null;
  const out = rule !== null ? rule(call) : undefined;
  const phys = out === undefined ? loop(call) : out;
  if (!(phys instanceof Tensor) || phys.shape[0] !== call.size) {
    throw new GraphError(`vmap: the batching rule of '${call.op.name}' returned ${describe(phys)}, expected a tensor whose first axis is the batch (${call.size})`);
  }
  return phys;
}

/** The innermost vmap level among the inputs, or −1. */
function levelOf(inputs: readonly Tensor[]): number {
  let level = -1;
  for (const x of inputs) if (x instanceof BatchedTensor && x.level > level) level = x.level;
  return level;
}

/**
 * Applies a physical computation to logical inputs at a level: `compute` gets the inputs (batched
 * ones as their physical tensors, batch axis first) and returns the physical result; the result
 * is a BatchedTensor, recorded as a logical node when an input requires a gradient. The node's VJP
 * is `direct` (the op's own VJP on the logical tensors) unless it is absent or has read a batched
 * tensor's values; then the VJP for input i differentiates `compute` on the physical level (input
 * i broadcast over the batch first if unbatched, so that its gradient is per example), itself
 * through this function.
 */
function lift(
  name: string,
  inputs: readonly Tensor[],
  level: number,
  compute: (physical: Tensor[], batched: boolean[], size: number) => Tensor,
  direct?: (g: Tensor, ctx: VjpContext<undefined>) => ReadonlyArray<Tensor | null>,
): Tensor {
  const batched = inputs.map((x) => x instanceof BatchedTensor && x.level === level);
  const physical = inputs.map((x, i) => (batched[i] ? (x as BatchedTensor).physical : x));
  const size = (inputs.find((_, i) => batched[i]) as BatchedTensor).batchSize;
  const out = compute(physical, batched, size);
  if (!isRecording() || !inputs.some((x) => x.requiresGrad)) return new BatchedTensor(out, level);
  const spec: OpSpec<undefined> = {
    name,
    forward: () => {
      throw new GraphError(`vmap: the node '${name}' of a batched computation cannot be run again`);
    },
    vjp: (g, ctx) => {
      if (direct !== undefined && !readsValues.has(name)) {
        try {
          return direct(g, ctx);
        } catch (e) {
          if (!(e instanceof BatchedValuesError)) throw e;
          readsValues.add(name);
        }
      }
      const { inputs: xs, needs } = ctx;
      return xs.map((_, i) => {
        if (!needs[i]) return null;
        return lift(`${name}'`, [...xs, g], level, (ps, bs, n) => {
          const pg = bs[xs.length] ? ps[xs.length]! : expandLeading.apply([ps[xs.length]!], { size: n });
          const record = isRecording();
          const leaves = ps.slice(0, xs.length).map((p, j) => {
            const q = j === i && !bs[j] ? expandLeading.apply([p], { size: n }) : p;
            return leaf(q, record);
          });
          const flags = bs.slice(0, xs.length).map((b, j) => b || j === i);
          const o = enableGrad(() => compute(leaves, flags, n));
          if (!o.requiresGrad) return expandLeading.apply([zeros(xs[i]!.shape)], { size: n });
          return backward(o, { wrt: [leaves[i]!], gradient: pg, createGraph: record, retainGraph: record }).get(leaves[i]!);
        });
      });
    },
  };
  const node = new Node<undefined>(spec, inputs, undefined);
  const result = new BatchedTensor(out, level, node);
  node.output = result;
  return result;
}

/**
 * A computation on tensors some of which may carry a batch, for a function that cannot be one op
 * (a comparison, a where whose condition is batched): null when no input is batched, else the
 * batched result of `compute` on the physical tensors (batched ones with the batch axis first),
 * recorded as a node when an input requires a gradient (as an op's batching rule is).
 */
export function batchedCall(name: string, inputs: readonly Tensor[], compute: (physical: Tensor[], batched: boolean[], size: number) => Tensor): Tensor | null {
  const level = levelOf(inputs);
  return level < 0 ? null : lift(name, inputs, level, compute);
}

/** Runs fn with one more vmap level open (the hook installed), for a VJP computed outside f. */
function atNewLevel<T>(fn: (level: number) => T): T {
  if (depth++ === 0) setBatchHook(hook);
  try {
    return fn(depth);
  } finally {
    if (--depth === 0) setBatchHook(null);
  }
}

interface CustomAttrs {
  value: Tensor;
  batched: readonly boolean[];
  size: number;
}

/**
 * A customVjp function applied inside vmap to inputs some of which are batched (graph/custom-vjp.ts):
 * f runs on the batched tensors (its ops batch), and both the logical node and the physical one
 * (for a transform outside vmap) take their gradients from the user's rule, `op.vjp`, applied to
 * batched tensors — the rule batches like any function of ops. An unbatched input's gradient on
 * the physical level is summed over the batch.
 */
export function customVjpBatched<A>(
  op: Op<A>,
  f: (...xs: Tensor[]) => Tensor,
  xs: readonly Tensor[],
  check: (out: unknown) => Tensor,
  attrs?: A,
  value?: Tensor,
): Tensor | null {
  const level = levelOf(xs);
  if (level < 0) return null;
  // Nested vmaps (an input of an outer level, or batched twice) take the loop of op.apply.
  if (xs.some((x) => x instanceof BatchedTensor && (x.level !== level || x.physical instanceof BatchedTensor))) return null;
  const out = value ?? check(noGrad(() => f(...xs)));
  const physicalOp = defineOp<CustomAttrs>({
    name: op.name,
    forward: (_, { value }) => value,
    vjp: (pg, { inputs: ps, output, needs, attrs: { batched, size } }) =>
      atNewLevel((inner) => {
        const wrap = (p: Tensor) => new BatchedTensor(p, inner);
        const grads = op.vjp(wrap(pg), { inputs: ps.map((p, i) => (batched[i] ? wrap(p) : p)), output: wrap(output), needs, attrs: attrs as A });
        return grads.map((gx, i) => {
          if (gx === null) return null;
          const phys = gx instanceof BatchedTensor && gx.level === inner ? gx.physical : expandLeading.apply([gx], { size });
          return batched[i] ? phys : sumLeading.apply([phys], undefined);
        });
      }),
  });
  return lift(
    op.name,
    xs,
    level,
    (physical, batched, size) => {
      const value = out instanceof BatchedTensor && out.level === level ? out.physical : expandLeading.apply([out], { size });
      return physicalOp.apply(physical, { value: constantOf(value), batched, size });
    },
    (g, ctx) => op.vjp(g, { ...ctx, attrs: attrs as A }),
  );
}

/** A fresh edge for a physical tensor (see transforms' attach). */
function leaf(x: Tensor, record: boolean): Tensor {
  if (record && x.requiresGrad) return identity.apply([x], undefined);
  return leafOf(x);
}

/** A new leaf that wants a gradient with x's values; for a batched tensor, a batched leaf. */
export function leafOf(x: Tensor): Tensor {
  return x instanceof BatchedTensor ? new BatchedTensor(x.physical, x.level, null, true) : param(x);
}

/** The same values with no history; for a batched tensor, a batched constant. */
export function constantOf(x: Tensor): Tensor {
  return x instanceof BatchedTensor ? new BatchedTensor(x.physical, x.level, null, false) : new Tensor(x.data, x.shape);
}

/** Whether x carries the batch of a running vmap. */
export function isBatched(x: unknown): x is BatchedTensor {
  return x instanceof BatchedTensor;
}

/** defineOp's hook, installed while a vmap runs its f (outside, applications pay nothing). */
const hook = (op: Op<any>, inputs: readonly Tensor[], attrs: unknown): Tensor | null => {
  const level = levelOf(inputs);
  if (level < 0) return null;
  const shapes = inputs.map((x) => x.shape);
  return lift(
    op.name,
    inputs,
    level,
    (physical, batched, size) => runBatched({ op, inputs: physical, batched, shapes, attrs, size }),
    (g, ctx) => op.vjp(g, { inputs: ctx.inputs, output: ctx.output, needs: ctx.needs, attrs }),
  );
};

/** Axes for vmap: one for every argument (or output), or one per argument; null for unbatched. */
export type VmapAxes = number | null | ReadonlyArray<number | null>;

export interface VmapOptions {
  /** The batch axis of each argument: a number for all, or one entry per argument (null: shared by the whole batch). Default 0. */
  inAxes?: VmapAxes;
  /** Where the batch axis goes in each output: a number for all, or one per output when f returns an array. Default 0. */
  outAxes?: VmapAxes;
}

let depth = 0;

function axisList(what: 'inAxes' | 'outAxes', axes: unknown, n: number, noun: string): Array<number | null> {
  if (axes === null || typeof axes === 'number') return new Array<number | null>(n).fill(axes as number | null);
  if (!Array.isArray(axes)) throw new ArgumentError(`vmap: ${what} must be a number, null or an array of them, got ${describe(axes)}`);
  if (axes.length !== n) throw new ArgumentError(`vmap: ${what} has ${axes.length} entries but there ${n === 1 ? 'is' : 'are'} ${n} ${noun}${n === 1 ? '' : 's'}`);
  return axes.map((a, i) => {
    if (a !== null && (typeof a !== 'number' || !Number.isInteger(a))) throw new ArgumentError(`vmap: ${what}[${i}] must be an integer axis or null, got ${describe(a)}`);
    return a as number | null;
  });
}

/**
 * vmap(f, { inAxes = 0, outAxes = 0 }): the function that runs f, written for one example, on a
 * batch: argument i is batched along its axis inAxes[i] (null: shared by every example), and
 * every output gets the batch along axis outAxes (one entry per output when f returns an array).
 * vmap(f)(xs) equals stacking f(xs[b]) over the examples b, computed with each op's batching
 * rule (see the file's comment); it nests with grad, jvp, checkpoint, customVjp and itself.
 */
export function vmap(f: (...args: any[]) => Tensor | readonly Tensor[], options: VmapOptions = {}): (...args: unknown[]) => any {
  if (!isCallable(f)) throw new ArgumentError(`vmap: f must be a function, got ${describe(f)}`);
  if (options === null || typeof options !== 'object') throw new ArgumentError(`vmap: options must be an object { inAxes, outAxes }, got ${describe(options)}`);
  const { inAxes = 0, outAxes = 0 } = options;
  return (...args: unknown[]): any => {
    const axes = axisList('inAxes', inAxes, args.length, 'argument');
    let size = -1;
    let first = -1;
    const level = depth + 1;
    const callArgs = args.map((a, i) => {
      const axis = axes[i]!;
      if (axis === null) return a;
      const x = asTensor('vmap', a, `argument ${i}`);
      if (axis < -x.rank || axis >= x.rank) {
        throw new ShapeError(`vmap: inAxes ${axis} of argument ${i} is out of range for its shape ${fmtShape(x.shape)} (rank ${x.rank})`);
      }
      const ax = axis < 0 ? axis + x.rank : axis;
      const n = x.shape[ax]!;
      if (size < 0) {
        size = n;
        first = i;
      } else if (n !== size) {
        throw new ShapeError(
          `vmap: argument ${i} of shape ${fmtShape(x.shape)} has batch size ${n} on axis ${ax}, but argument ${first} of shape ${fmtShape((args[first] as Tensor).shape)} has ${size}`,
        );
      }
      return new BatchedTensor(ax === 0 ? x : moveAxis.apply([x], { from: ax, to: 0 }), level);
    });
    if (size < 0) throw new ArgumentError(`vmap: no argument is batched (inAxes is null for all ${args.length}), so the batch size is unknown`);
    if (depth++ === 0) setBatchHook(hook);
    let result: unknown;
    try {
      result = f(...callArgs);
    } finally {
      if (--depth === 0) setBatchHook(null);
    }
    const many = Array.isArray(result);
    const outs: unknown[] = many ? (result as unknown[]) : [result];
    const oAxes = axisList('outAxes', outAxes, outs.length, 'output');
    const finished = outs.map((o, k) => {
      const what = many ? `output ${k}` : 'its result';
      if (!(o instanceof Tensor)) throw new GraphError(`vmap: f must return a tensor or an array of tensors, got ${describe(o)}${many ? ` at index ${k}` : ''}`);
      const batchedHere = o instanceof BatchedTensor && o.level === level;
      const axis = oAxes[k]!;
      if (axis === null) {
        if (batchedHere) throw new ShapeError(`vmap: outAxes is null for ${what}, but it depends on the batch (one example of shape ${fmtShape(o.shape)})`);
        return o;
      }
      const rank = o.rank + 1;
      if (axis < -rank || axis >= rank) throw new ShapeError(`vmap: outAxes ${axis} of ${what} is out of range for its batched shape ${fmtShape([size, ...o.shape])} (rank ${rank})`);
      const ax = axis < 0 ? axis + rank : axis;
      const phys = batchedHere ? (o as BatchedTensor).physical : expandLeading.apply([o], { size });
      return ax === 0 ? phys : moveAxis.apply([phys], { from: 0, to: ax });
    });
    return many ? finished : finished[0];
  };
}
