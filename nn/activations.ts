/** Activation functions as modules, so they can stand in a Sequential. Each wraps one op. */
import { Tensor, TensorLike } from '../lib';
import { leakyRelu, relu, sigmoid, softmax, tanh } from '../ops';
import { asTensor, numberIn } from './args';
import { Module } from './module';
import { GELU, SiLU } from './smooth-activations';

/** The input of an activation's forward pass as a tensor, or an error naming the activation. */
function inputOf(module: string, x: TensorLike): Tensor {
  return asTensor(`${module}.forward`, x, 'x');
}

export class ReLU extends Module {
  forward(x: TensorLike): Tensor {
    return relu(inputOf('ReLU', x));
  }
  describe(): string {
    return 'ReLU';
  }
}

export class Sigmoid extends Module {
  forward(x: TensorLike): Tensor {
    return sigmoid(inputOf('Sigmoid', x));
  }
  describe(): string {
    return 'Sigmoid';
  }
}

export class Tanh extends Module {
  forward(x: TensorLike): Tensor {
    return tanh(inputOf('Tanh', x));
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
    return leakyRelu(inputOf('LeakyReLU', x), this.alpha);
  }
  describe(): string {
    return `LeakyReLU(${this.alpha})`;
  }
}

/** Softmax over the last axis (each row of a batch sums to 1). */
export class Softmax extends Module {
  forward(x: TensorLike): Tensor {
    return softmax(inputOf('Softmax', x), -1);
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
