/**
 * A convolutional net on MNIST, built from the layers: Conv2d(1→16, 5×5, padding 2) · ReLU ·
 * MaxPool2d(2) · Conv2d(16→32, 5×5, padding 2) · ReLU · MaxPool2d(2) · Flatten · Linear(1568→10),
 * Adam (lr 1e-3), batch 64, 3 epochs. Prints the test accuracy after each epoch, the time per
 * epoch, and the final accuracy.
 *
 *   npx ts-node --transpile-only examples/mnist-cnn.ts [--seed S] [--epochs N] [--train-limit N]
 *
 * The net itself is mnistCnn of nn/zoo.ts; deltagraph train mnist-cnn trains the same one.
 */
import { parseArgs } from 'util';
import { Adam, CrossEntropyLoss, evaluate, fit, loadMnist, mnistCnn } from '../node';

/** The net is nn/zoo.ts's, shared with deltagraph train mnist-cnn. */
export { mnistCnn };

export function main(options: { seed?: number; epochs?: number; trainLimit?: number } = {}): { accuracy: number; secondsPerEpoch: number } {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 3;
  const data = loadMnist({ trainLimit: options.trainLimit });
  const model = mnistCnn(seed);
  const loss = new CrossEntropyLoss();
  const started = Date.now();
  fit(model, data.train, { loss, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), epochs, batchSize: 64, seed, validation: data.test, validationName: 'test', metrics: ['accuracy'] });
  const secondsPerEpoch = (Date.now() - started) / 1000 / epochs;
  const accuracy = evaluate(model, data.test, loss, ['accuracy']).metrics.accuracy!;
  console.log(`CNN on MNIST, ${epochs} epochs, seed ${seed}: test accuracy ${(100 * accuracy).toFixed(2)}% (${secondsPerEpoch.toFixed(0)} s per epoch)`);
  return { accuracy, secondsPerEpoch };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, epochs: { type: 'string' }, 'train-limit': { type: 'string' } } });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  main({ seed: num(values.seed), epochs: num(values.epochs), trainLimit: num(values['train-limit']) });
}
