/**
 * Nets with a fixed architecture that more than one place trains: defined once here, used by the
 * runnable examples (examples/mnist-cnn.ts) and the command line (deltagraph train mnist-cnn).
 */
import { manualSeed } from '../lib';
import { Conv2d } from './conv';
import { Linear } from './linear';
import { ReLU } from './activations';
import { Flatten, MaxPool2d, Unflatten } from './pool';
import { Sequential } from './sequential';

/**
 * The MNIST CNN: Unflatten(1, [1, 28, 28]) · Conv2d(1→16, 5×5, padding 2) · ReLU · MaxPool2d(2) ·
 * Conv2d(16→32, 5×5, padding 2) · ReLU · MaxPool2d(2) · Flatten · Linear(1568→10), on rows of 784
 * pixels. Its weights are drawn from the global generator after manualSeed(seed).
 */
export function mnistCnn(seed: number): Sequential {
  manualSeed(seed);
  return new Sequential(
    new Unflatten(1, [1, 28, 28]),
    new Conv2d(1, 16, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(16, 32, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(32 * 7 * 7, 10),
  );
}
