/**
 * Sequential: modules applied in order. It remembers the tensors that flowed between its layers
 * on the last forward pass, so that after a backward pass each layer's output gradient — the
 * delta ∂L/∂Z of a pre-activation — can be read from the Gradients. It also remembers which
 * graph nodes each layer created, so that a picture of the graph can box them per layer.
 */
import { ArgumentError, GraphError, Tensor, TensorLike, describe } from '../lib';
import { Gradients, nextNodeId } from '../graph';

import { asTensor, within } from './args';
import { Module } from './module';

/** The ids [first, end) of the graph nodes created by one call (node ids increase with creation). */
export type NodeSpan = readonly [first: number, end: number];

export class Sequential extends Module {
  readonly layers: Module[];
  /** outputs[i] is the output of layers[i] on the last forward pass. */
  private outputs: Tensor[] = [];
  /** spans[i] holds the ids of the nodes layers[i] created on the last forward pass. */
  private spans: NodeSpan[] = [];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer: unknown, i) => {
      if (!(layer instanceof Module)) throw new ArgumentError(`Sequential: layer ${i} must be a Module, got ${describe(layer)}`);
    });
    this.layers = layers;
    layers.forEach((layer, i) => this.addModule(String(i), layer));
  }

  forward(x: TensorLike): Tensor {
    this.outputs = [];
    this.spans = [];
    let h = asTensor('Sequential.forward', x, 'x');
    for (const [i, layer] of this.layers.entries()) {
      const first = nextNodeId();
      const input = h;
      h = within('Sequential.forward', () => `layer ${i} (${layer.describe().split('\n')[0]})`, () => layer.forward(input));
      this.outputs.push(h);
      this.spans.push([first, nextNodeId()]);
    }
    return h;
  }

  /** The output of layer i on the last forward pass. */
  outputOf(i: number): Tensor {
    return this.outputIn('Sequential.outputOf', i);
  }

  private layerIndex(who: string, i: unknown): number {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= this.layers.length) {
      throw new ArgumentError(`${who}: i must be the index of one of the ${this.layers.length} layers, an integer in [0, ${this.layers.length - 1}], got ${describe(i)}`);
    }
    return i;
  }

  private outputIn(who: string, i: unknown): Tensor {
    const t = this.outputs[this.layerIndex(who, i)];
    if (t === undefined) throw new GraphError(`${who}: no output for layer ${i}; run forward first`);
    return t;
  }

  /** The ids [first, end) of the nodes layer i created on the last forward pass (empty when nothing was recorded). */
  nodeSpanOf(i: number): NodeSpan {
    const span = this.spans[this.layerIndex('Sequential.nodeSpanOf', i)];
    if (span === undefined) throw new GraphError(`Sequential.nodeSpanOf: no node span for layer ${i}; run forward first`);
    return span;
  }

  /** ∂L/∂(output of layer i) from a backward pass over the last forward pass. */
  gradientOf(i: number, grads: Gradients): Tensor {
    const out = this.outputIn('Sequential.gradientOf', i);
    if (!(grads instanceof Gradients)) throw new ArgumentError(`Sequential.gradientOf: grads must be the result of backward(…), got ${describe(grads)}`);
    return within('Sequential.gradientOf', null, () => grads.get(out));
  }

  /**
   * Sequential(\n  (0) …\n  (1) …\n), each layer as it describes itself. Nested Sequentials are
   * written from a stack, so the depth of nesting is not bounded by the call stack.
   */
  describe(): string {
    const out: string[] = [];
    const stack: Array<string | Module> = [this];
    while (stack.length > 0) {
      const item = stack.pop()!;
      if (typeof item === 'string') out.push(item);
      else if (item instanceof Sequential && item.describe === Sequential.prototype.describe) {
        const parts: Array<string | Module> = ['Sequential(\n'];
        item.layers.forEach((l, i) => parts.push(i === 0 ? '' : '\n', `  (${i}) `, l));
        parts.push('\n)');
        for (let k = parts.length - 1; k >= 0; k--) stack.push(parts[k]!);
      } else out.push(item.describe());
    }
    return out.join('');
  }
}
