/** Activation functions as modules, so they can stand in a Sequential. Each wraps one op. */
import { Tensor } from '../lib';
import { leakyRelu, relu, sigmoid, softmax, tanh } from '../ops';
import { Module } from './module';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
  describe(): string {
    return 'ReLU';
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
  describe(): string {
    return 'Sigmoid';
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
  describe(): string {
    return 'Tanh';
  }
}

export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
  describe(): string {
    return 'Identity';
  }
}

export class LeakyReLU extends Module {
  constructor(readonly alpha = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
  describe(): string {
    return `LeakyReLU(${this.alpha})`;
  }
}

/** Softmax over the last axis (each row of a batch sums to 1). */
export class Softmax extends Module {
  forward(x: Tensor): Tensor {
    return softmax(x, -1);
  }
  describe(): string {
    return 'Softmax';
  }
}

export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'identity' | 'leakyRelu' | 'softmax';

export const ACTIVATIONS: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  identity: () => new Identity(),
  leakyRelu: () => new LeakyReLU(),
  softmax: () => new Softmax(),
};
