/**
 * Sequential: modules applied in order. It remembers the tensors that flowed between its layers
 * on the last forward pass, so that after a backward pass each layer's output gradient — the
 * delta ∂L/∂Z of a pre-activation — can be read from the Gradients.
 */
import { Tensor } from '../lib';
import { Gradients } from '../graph';
import { Module } from './module';

export class Sequential extends Module {
  readonly layers: Module[];
  /** outputs[i] is the output of layers[i] on the last forward pass. */
  private outputs: Tensor[] = [];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
    layers.forEach((layer, i) => this.addModule(String(i), layer));
  }

  forward(x: Tensor): Tensor {
    this.outputs = [];
    let h = x;
    for (const layer of this.layers) {
      h = layer.forward(h);
      this.outputs.push(h);
    }
    return h;
  }

  /** The output of layer i on the last forward pass. */
  outputOf(i: number): Tensor {
    const t = this.outputs[i];
    if (t === undefined) throw new Error(`Sequential: no output for layer ${i}; run forward first`);
    return t;
  }

  /** ∂L/∂(output of layer i) from a backward pass over the last forward pass. */
  gradientOf(i: number, grads: Gradients): Tensor {
    return grads.get(this.outputOf(i));
  }

  describe(): string {
    return `Sequential(\n${this.layers.map((l, i) => `  (${i}) ${l.describe()}`).join('\n')}\n)`;
  }
}
