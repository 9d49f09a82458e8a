/**
 * The reverse pass. From the output, collect the nodes that lead to it (iteratively: a
 * 100,000-node chain must not overflow the stack), keep those on a path to a wanted tensor, and
 * visit them by decreasing id (a reverse topological order). Each node's VJP turns the gradient
 * of its output into gradients of its inputs; gradients arriving at one tensor over several paths
 * are summed — the total derivative.
 */
import { ArgumentError, GraphError, ShapeError, Tensor, asTensor, describe, fmtShape, ones, sameShape, zeros } from '../lib';
import { accumulate } from './builtin-ops';
import { anomalyMode, checkBackward, checkSum, withoutForwardChecks } from './anomaly';
import { withRecording } from './mode';
import { Node, nodeOf } from './node';
import { ancestors } from './ancestors';

export interface BackwardOptions {
  /** Tensors whose gradients are wanted; the walk is pruned to paths that reach them. Default: all. */
  wrt?: readonly Tensor[];
  /** Record the backward pass itself, for higher-order derivatives. Default false. */
  createGraph?: boolean;
  /** Keep the graph for another backward pass. Default: the value of createGraph. */
  retainGraph?: boolean;
  /** ∂L/∂output, shaped like the output. Default 1 for a one-element output (required otherwise). */
  gradient?: Tensor;
  /**
   * Check every VJP's gradients: the first node whose VJP turns a finite gradient and finite
   * inputs into NaN or ±∞ throws an AnomalyError naming it. Default: on inside detectAnomaly.
   */
  checkFinite?: boolean;
}

/**
 * The gradients of one backward pass: ∂L/∂t for every tensor t on a path from a wanted tensor to
 * the output — parameters, inputs and intermediate results (a layer's delta) alike.
 */
export class Gradients {
  constructor(
    private readonly byTensor: Map<Tensor, Tensor>,
    private readonly wanted: ReadonlySet<Tensor> | null,
  ) {
    if (!(byTensor instanceof Map)) throw new ArgumentError(`Gradients: byTensor must be a Map from tensors to their gradients, got ${describe(byTensor)}`);
    for (const [t, g] of byTensor) {
      if (!(t instanceof Tensor) || !(g instanceof Tensor)) throw new ArgumentError(`Gradients: byTensor must map tensors to tensors, got ${describe(t)} → ${describe(g)}`);
    }
    if (wanted !== null && !(wanted instanceof Set)) throw new ArgumentError(`Gradients: wanted must be a Set of tensors or null, got ${describe(wanted)}`);
  }

  /**
   * ∂L/∂t, shaped like t. A tensor the output does not depend on has gradient zero; asking for an
   * intermediate that the pass pruned (not on a path to `wrt`) is an error.
   */
  get(t: Tensor): Tensor {
    const g = this.byTensor.get(t);
    if (g !== undefined) return g;
    if (!(t instanceof Tensor)) throw new GraphError(`Gradients.get: expected a tensor, got ${describe(t)}`);
    if (this.wanted !== null && !this.wanted.has(t)) {
      throw new GraphError(
        `Gradients.get: the tensor of shape ${fmtShape(t.shape)} was not part of this backward pass; ` +
          'list it in { wrt } (intermediate tensors may be listed too)',
      );
    }
    return zeros(t.shape);
  }

  has(t: Tensor): boolean {
    return this.byTensor.has(t);
  }
}

/** The nodes with some input on a path to a wanted tensor (visited in increasing id order). */
function reaching(nodes: readonly Node[], wanted: ReadonlySet<Tensor>): Set<Node> {
  const reach = new Set<Node>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    for (const x of node.inputs!) {
      const p = nodeOf(x);
      if (wanted.has(x) || (p !== null && reach.has(p))) {
        reach.add(node);
        break;
      }
    }
  }
  return reach;
}

/** Checks backward's options object and its fields, naming the field that is wrong. */
function checkOptions(options: unknown): asserts options is BackwardOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(`backward: options must be an object such as { wrt: [w] }, got ${describe(options)}`);
  }
  const { wrt, createGraph, retainGraph, checkFinite } = options as Record<string, unknown>;
  for (const [name, value] of [['createGraph', createGraph], ['retainGraph', retainGraph], ['checkFinite', checkFinite]] as const) {
    if (value !== undefined && typeof value !== 'boolean') {
      throw new ArgumentError(`backward: ${name} must be true or false, got ${describe(value)}`);
    }
  }
  if (wrt !== undefined) {
    if (!Array.isArray(wrt)) throw new ArgumentError(`backward: wrt must be an array of tensors, got ${describe(wrt)}`);
    for (let i = 0; i < wrt.length; i++) {
      const t: unknown = wrt[i];
      if (!(t instanceof Tensor)) throw new ArgumentError(`backward: wrt[${i}] must be a tensor, got ${describe(t)}`);
    }
  }
}

export function backward(output: Tensor, options: BackwardOptions = {}): Gradients {
  if (!(output instanceof Tensor)) throw new GraphError(`backward: expected a tensor, got ${describe(output)}`);
  asTensor('backward', output, 'the output');
  checkOptions(options);
  if (options.gradient instanceof Tensor) asTensor('backward', options.gradient, 'the gradient');
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const checkFinite = options.checkFinite ?? anomalyMode();
  const wanted = options.wrt ? new Set(options.wrt) : null;

  let seed = options.gradient;
  if (seed === undefined) {
    if (output.size !== 1) {
      throw new GraphError(
        `backward: the output has shape ${fmtShape(output.shape)}; reduce it to one element (sum, mean, a loss) ` +
          'or pass { gradient } shaped like the output',
      );
    }
    seed = ones(output.shape);
  } else if (!(seed instanceof Tensor) || !sameShape(seed.shape, output.shape)) {
    throw new ShapeError(
      `backward: the gradient must have the output's shape ${fmtShape(output.shape)}, got ${describe(seed)}`,
    );
  }

  const grads = new Map<Tensor, Tensor>([[output, seed]]);
  // Reverse topological order: every consumer of a tensor runs before its producer.
  const nodes = ancestors(output, 'backward', 'pass { retainGraph: true } to the first backward to run a second one').reverse();
  const onPath = wanted === null ? null : reaching(nodes, wanted);

  const visit = () => {
    for (const node of nodes) {
      if (onPath !== null && !onPath.has(node)) continue;
      const g = grads.get(node.output);
      if (g === undefined) continue;
      const inputs = node.inputs!;
      const needs = inputs.map((x) => {
        if (!x.requiresGrad) return false;
        if (wanted === null) return true;
        const p = nodeOf(x);
        return wanted.has(x) || (p !== null && onPath!.has(p));
      });
      const results: unknown = node.op.vjp(g, { inputs, output: node.output, attrs: node.attrs, needs });
      if (!Array.isArray(results) || results.length !== inputs.length) {
        throw new GraphError(
          `backward: the VJP of '${node.op.name}' returned ${describe(results)}, expected an array of ${inputs.length} gradients (one per input, null for none)`,
        );
      }
      for (let i = 0; i < inputs.length; i++) {
        if (!needs[i]) continue;
        const x = inputs[i]!;
        const gx: unknown = results[i];
        if (gx === null || gx === undefined) continue;
        if (!(gx instanceof Tensor)) {
          throw new GraphError(
            `backward: the VJP of '${node.op.name}' returned ${describe(gx)} for its input ${i}, expected a tensor of shape ${fmtShape(x.shape)} or null`,
          );
        }
        if (!sameShape(gx.shape, x.shape)) {
          throw new ShapeError(
            `backward: the VJP of '${node.op.name}' returned a gradient of shape ${fmtShape(gx.shape)} ` +
              `for its input ${i} of shape ${fmtShape(x.shape)}; a gradient must have its input's shape (use sumTo)`,
          );
        }
        if (checkFinite) checkBackward(node, inputs, g, i, gx);
        const before = grads.get(x);
        const total = before === undefined ? gx : accumulate.apply([before, gx], undefined);
        if (checkFinite && before !== undefined) checkSum(node, i, before, gx, total);
        grads.set(x, total);
      }
    }
  };
  // A checked pass checks the VJPs' results, not the ops a VJP is made of.
  withRecording(createGraph, () => (checkFinite ? withoutForwardChecks(visit) : visit()));

  if (!retainGraph) for (const node of nodes) node.release();
  return new Gradients(grads, wanted);
}
