/**
 * Pooling and reshaping layers: MaxPool2d and AvgPool2d over kernel windows of x [N, C, H, W]
 * (stride defaults to the kernel size, as PyTorch), and Flatten (axes startAxis … endAxis into
 * one, by default everything after the batch axis).
 */
import { ArgumentError, Tensor, TensorLike, asTensor, describe } from '../lib';
import { avgPool2d, flatten, maxPool2d } from '../ops';
import { Module } from './module';
import { pairIn } from './conv';

type Pair = number | [number, number];

export interface PoolOptions {
  stride?: Pair;
  padding?: Pair;
}

export class MaxPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly options: PoolOptions = {}) {
    super();
    pairIn('MaxPool2d', 'kernelSize', kernelSize);
  }

  forward(x: TensorLike): Tensor {
    return maxPool2d(asTensor('MaxPool2d.forward', x, 'x'), this.kernelSize, this.options);
  }

  describe(): string {
    return `MaxPool2d(${describe(this.kernelSize)})`;
  }
}

export class AvgPool2d extends Module {
  constructor(readonly kernelSize: Pair, readonly options: PoolOptions & { countIncludePad?: boolean } = {}) {
    super();
    pairIn('AvgPool2d', 'kernelSize', kernelSize);
  }

  forward(x: TensorLike): Tensor {
    return avgPool2d(asTensor('AvgPool2d.forward', x, 'x'), this.kernelSize, this.options);
  }

  describe(): string {
    return `AvgPool2d(${describe(this.kernelSize)})`;
  }
}

export class Flatten extends Module {
  constructor(readonly startAxis = 1, readonly endAxis = -1) {
    super();
    for (const [name, v] of [['startAxis', startAxis], ['endAxis', endAxis]] as const) {
      if (!Number.isSafeInteger(v)) throw new ArgumentError(`Flatten: ${name} must be an integer axis, got ${describe(v)}`);
    }
  }

  forward(input: TensorLike): Tensor {
    return flatten(asTensor('Flatten.forward', input, 'x'), this.startAxis, this.endAxis);
  }

  describe(): string {
    return 'Flatten';
  }
}
