/** Activation functions as modules, so they can stand in a Sequential. Each wraps one op. */
import { Tensor, TensorLike } from '../lib';
import { leakyRelu, relu, sigmoid, softmax, tanh } from '../ops';
import { asTensor, numberIn, within } from './args';
import { Module } from './module';
import { GELU, SiLU } from './smooth-activations';

/** The input of an activation's forward pass as a tensor, or an error naming the activation. */
function inputOf(module: string, x: TensorLike): Tensor {
  return asTensor(`${module}.forward`, x, 'x');
}

export class ReLU extends Module {
  forward(x: TensorLike): Tensor {
    const t = inputOf('ReLU', x);
    return within('ReLU.forward', null, () => relu(t));
  }
  describe(): string {
    return 'ReLU';
  }
}

export class Sigmoid extends Module {
  forward(x: TensorLike): Tensor {
    const t = inputOf('Sigmoid', x);
    return within('Sigmoid.forward', null, () => sigmoid(t));
  }
  describe(): string {
    return 'Sigmoid';
  }
}

export class Tanh extends Module {
  forward(x: TensorLike): Tensor {
    const t = inputOf('Tanh', x);
    return within('Tanh.forward', null, () => tanh(t));
  }
  describe(): string {
    return 'Tanh';
  }
}

export class Identity extends Module {
  forward(x: TensorLike): Tensor {
    return inputOf('Identity', x);
  }
  describe(): string {
    return 'Identity';
  }
}

export class LeakyReLU extends Module {
  constructor(readonly alpha = 0.01) {
    super();
    numberIn('LeakyReLU', 'alpha', alpha, {});
  }
  forward(x: TensorLike): Tensor {
    const t = inputOf('LeakyReLU', x);
    return within('LeakyReLU.forward', null, () => leakyRelu(t, this.alpha));
  }
  describe(): string {
    return `LeakyReLU(${this.alpha})`;
  }
}

/** Softmax over the last axis (each row of a batch sums to 1). */
export class Softmax extends Module {
  forward(x: TensorLike): Tensor {
    const t = inputOf('Softmax', x);
    return within('Softmax.forward', null, () => softmax(t, -1));
  }
  describe(): string {
    return 'Softmax';
  }
}

export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'identity' | 'leakyRelu' | 'softmax' | 'gelu' | 'silu';

export const ACTIVATIONS: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  identity: () => new Identity(),
  leakyRelu: () => new LeakyReLU(),
  softmax: () => new Softmax(),
  gelu: () => new GELU(),
  silu: () => new SiLU(),
};
