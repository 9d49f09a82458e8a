/**
 * checkpoint: trade computation for memory (gradient checkpointing, JAX's checkpoint/remat). The
 * function's intermediates are not kept for the backward pass: f runs once forward, and again,
 * recorded, inside the backward pass, which then backpropagates through that recomputation.
 */
import { ArgumentError, GraphError, Tensor, TensorLike, asTensor, describe, fmtShape, isCallable, param, sameShape, within } from '../lib';
import { backward } from './backward';
import { identity } from './builtin-ops';
import { defineOp } from './define-op';
import { enableGrad, isRecording, noGrad } from './mode';
import { Node, nextNodeId, nodeOf } from './node';
import { constantOf, customVjpBatched, isBatched, leafOf } from './vmap';

/**
 * The tensors that f read without taking them as arguments and that require a gradient, found
 * among the nodes f recorded (ids from `start` on): parameters in a closure, which become inputs
 * of the checkpoint's node. Each must be a leaf (a parameter); a recorded result from outside f
 * is a GraphError, since its gradient would have to flow on through a graph f does not own.
 */
function closedOver(out: Tensor, inputs: readonly Tensor[], start: number): Tensor[] {
  const root = nodeOf(out);
  if (root === null || root.id < start) return [];
  const own = new Set(inputs);
  const found = new Set<Tensor>();
  const seen = new Set<Node>([root]);
  const stack: Node[] = [root];
  while (stack.length > 0) {
    for (const x of stack.pop()!.inputs!) {
      if (own.has(x)) continue;
      const p = nodeOf(x);
      if (p !== null && p.id >= start) {
        if (!seen.has(p)) {
          seen.add(p);
          stack.push(p);
        }
      } else if (p !== null && x.requiresGrad) {
        throw new GraphError(
          `checkpoint: f read a tensor of shape ${fmtShape(x.shape)} computed by a recorded op ('${p.op.name}') outside it, without taking it as an argument; ` +
            'pass it as an argument, e.g. checkpoint((x, h) => …)(x, h)',
        );
      } else if (x.requiresGrad) found.add(x);
    }
  }
  return [...found];
}

/** Whether two tensors hold the same values bit for bit (NaN where NaN is). */
function sameValues(a: Tensor, b: Tensor): boolean {
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i] && !(Number.isNaN(x[i]!) && Number.isNaN(y[i]!))) return false;
  return true;
}

interface CheckpointAttrs {
  /** f's value, computed before the node is made (a constant sharing its values). */
  value: Tensor;
  /** How many of the node's inputs are f's arguments; the rest are parameters f read from a closure. */
  arity: number;
}

/**
 * checkpoint(f) is the function x ↦ f(x) that records one node instead of f's whole graph: the
 * values inside f are not kept, and the node's VJP runs f again under recording and
 * backpropagates its gradient g through that recomputation, x̄ᵢ = ∂⟨g, f(x)⟩/∂xᵢ. The
 * gradients are the same bits as without the checkpoint, with one exception: an argument that f
 * uses more than once and that is used again after f receives the same terms summed in another
 * order (f's own terms are summed first). Under a recorded backward pass (createGraph,
 * grad(grad(·))) the recomputation is recorded too, so higher derivatives work.
 *
 * f may read parameters (leaves that require a gradient, such as a layer's weights) from a
 * closure: checkpoint((h) => layer.forward(h)) gives the layer's parameters their gradients. A
 * recorded result from outside f must be passed as an argument instead (a GraphError says so).
 * f must be deterministic: its recomputation must give the same values (no dropout or random
 * draws inside), which the backward pass checks.
 */
export function checkpoint<F extends (...inputs: Tensor[]) => Tensor>(f: F): (...inputs: TensorLike[]) => Tensor {
  if (!isCallable(f)) throw new ArgumentError(`checkpoint: f must be a function of tensors returning a tensor, got ${describe(f)}`);
  const name = `checkpoint(${typeof f.name === 'string' && f.name !== '' ? f.name : 'f'})`;
  const returned = (out: unknown): Tensor => {
    if (!(out instanceof Tensor)) throw new GraphError(`checkpoint: f must return a tensor, got ${describe(out)}`);
    return asTensor('checkpoint', out, "f's result");
  };
  const op = defineOp<CheckpointAttrs>({
    name,
    forward: (_, { value }) => value,
    vjp: (g, { inputs, output, attrs: { arity }, needs }) => {
      // A recorded backward pass (createGraph) records the recomputation, connected to the inputs.
      const higher = isRecording();
      const targets = inputs.map((x, i) => {
        if (i >= arity) return x; // a parameter from f's closure: f reads it itself
        if (higher) return needs[i] ? enableGrad(() => identity.apply([x], undefined)) : x;
        return needs[i] ? leafOf(x) : constantOf(x);
      });
      const out = returned(enableGrad(() => f(...targets.slice(0, arity))));
      // (Inside vmap the values are not compared: a batched tensor's values are the batch's.)
      if (!sameShape(out.shape, output.shape) || (!isBatched(out) && !isBatched(output) && !sameValues(out, output))) {
        throw new GraphError(
          `checkpoint: recomputing f for the backward pass gave ${sameShape(out.shape, output.shape) ? 'other values' : `shape ${fmtShape(out.shape)}`} than its forward pass ` +
            `(${fmtShape(output.shape)}); f must be deterministic (no dropout or random draws inside a checkpoint)`,
        );
      }
      const wanted = targets.filter((_, i) => needs[i]);
      if (!out.requiresGrad || wanted.length === 0) return inputs.map(() => null);
      const grads = backward(out, { wrt: wanted, gradient: g, createGraph: higher, retainGraph: higher });
      return inputs.map((_, i) => (needs[i] ? grads.get(targets[i]!) : null));
    },
  });
  return (...inputs: TensorLike[]): Tensor => {
    const xs = inputs.map((x, i) => asTensor('checkpoint', x, `input ${i}`));
    return within('checkpoint', null, () => {
      if (!isRecording()) return returned(noGrad(() => f(...xs)));
      // Recorded once, to see what f reads; those nodes are dropped when this returns.
      const start = nextNodeId();
      const out = returned(f(...xs));
      if (isBatched(out) || xs.some(isBatched)) {
        // Inside vmap: one node on the batch whose VJP recomputes f on the batched tensors.
        if (!out.requiresGrad && !(isBatched(out) && out.physical.requiresGrad)) return out;
        const hiddenHere = out.requiresGrad ? closedOver(out, xs, start) : [];
        const arity = xs.length;
        const all = [...xs, ...hiddenHere];
        return customVjpBatched(op, (...a: Tensor[]) => f(...a.slice(0, arity)), all, returned, { value: out, arity }, out) ?? out;
      }
      if (!out.requiresGrad) return out;
      const hidden = closedOver(out, xs, start);
      return op.apply([...xs, ...hidden], { value: new Tensor(out.data, out.shape), arity: xs.length });
    });
  };
}
