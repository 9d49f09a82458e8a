/**
 * Pooling and reshaping layers: MaxPool2d and AvgPool2d over kernel windows of x [N, C, H, W]
 * (stride defaults to the kernel size, as PyTorch), Flatten (axes startAxis … endAxis into one,
 * by default everything after the batch axis) and Unflatten (one axis into a shape, e.g. rows of
 * 784 pixels into [1, 28, 28] images).
 */
import { ArgumentError, Tensor, TensorLike, asTensor, describe, within } from '../lib';
import { avgPool2d, flatten, maxPool2d, reshape } from '../ops';
import type { Pair } from '../ops';
import { Module } from './module';
import { pairIn } from './conv';


export interface PoolOptions {
  stride?: Pair;
  padding?: Pair;
}

/** A pooling layer: a window op applied with fixed kernel and options. */
abstract class Pool2d<O extends PoolOptions> extends Module {
  constructor(readonly kernelSize: Pair, readonly options: O) {
    super();
    pairIn(this.constructor.name, 'kernelSize', kernelSize);
  }

  protected abstract pool(x: Tensor): Tensor;

  forward(x: TensorLike): Tensor {
    const who = `${this.constructor.name}.forward`;
    const t = asTensor(who, x, 'x');
    return within(who, null, () => this.pool(t));
  }

  describe(): string {
    return `${this.constructor.name}(${describe(this.kernelSize)})`;
  }
}

export class MaxPool2d extends Pool2d<PoolOptions> {
  constructor(kernelSize: Pair, options: PoolOptions = {}) {
    super(kernelSize, options);
  }

  protected pool(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }
}

export class AvgPool2d extends Pool2d<PoolOptions & { countIncludePad?: boolean }> {
  constructor(kernelSize: Pair, options: PoolOptions & { countIncludePad?: boolean } = {}) {
    super(kernelSize, options);
  }

  protected pool(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
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
    const x = asTensor('Flatten.forward', input, 'x');
    return within('Flatten.forward', null, () => flatten(x, this.startAxis, this.endAxis));
  }

  describe(): string {
    return 'Flatten';
  }
}

export class Unflatten extends Module {
  constructor(readonly axis: number, readonly shape: readonly number[]) {
    super();
    if (!Number.isSafeInteger(axis)) throw new ArgumentError(`Unflatten: axis must be an integer, got ${describe(axis)}`);
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d >= 1)) {
      throw new ArgumentError(`Unflatten: shape must be a non-empty list of integers ≥ 1, got ${describe(shape)}`);
    }
  }

  forward(input: TensorLike): Tensor {
    const x = asTensor('Unflatten.forward', input, 'x');
    const axis = this.axis < 0 ? this.axis + x.rank : this.axis;
    const size = this.shape.reduce((a, b) => a * b, 1);
    if (axis < 0 || axis >= x.rank || x.shape[axis] !== size) {
      throw new ArgumentError(`Unflatten.forward: cannot unflatten axis ${this.axis} of an input of shape [${x.shape.join(', ')}] into [${this.shape.join(', ')}] (${size} elements)`);
    }
    return reshape(x, [...x.shape.slice(0, axis), ...this.shape, ...x.shape.slice(axis + 1)]);
  }

  describe(): string {
    return `Unflatten(${this.axis}, [${this.shape.join(', ')}])`;
  }
}
