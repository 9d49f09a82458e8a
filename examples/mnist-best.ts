/**
 * How far an MLP goes on MNIST with a longer, wider run than the quality bar's 784-128-10 for five
 * epochs: 784-512-256-10 with ReLU and dropout 0.2, Adam (lr 1e-3) on a cosine schedule, batch 128,
 * 15 epochs. Prints the test accuracy after each epoch and at the end.
 *
 *   npx ts-node --transpile-only examples/mnist-best.ts [--seed S] [--epochs N]
 */
import { parseArgs } from 'util';
import { Adam, CosineLR, CrossEntropyLoss, MLP, evaluate, fit, loadMnist } from '../node';

export function main(options: { seed?: number; epochs?: number } = {}): number {
  const seed = options.seed ?? 0;
  const epochs = options.epochs ?? 15;
  const data = loadMnist();
  const model = new MLP({ layers: [784, 512, 256, 10], hidden: 'relu', dropout: 0.2, seed });
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const loss = new CrossEntropyLoss();
  const started = Date.now();
  fit(model, data.train, {
    loss,
    optimizer,
    epochs,
    batchSize: 128,
    seed,
    schedule: new CosineLR(optimizer, epochs),
    validation: data.test,
    metrics: ['accuracy'],
  });
  const accuracy = evaluate(model, data.test, loss, ['accuracy']).metrics.accuracy!;
  console.log(`MLP 784-512-256-10, dropout 0.2, ${epochs} epochs, seed ${seed}: test accuracy ${(100 * accuracy).toFixed(2)}% (${((Date.now() - started) / 60000).toFixed(1)} min)`);
  return accuracy;
}

if (require.main === module) {
  const { values } = parseArgs({ options: { seed: { type: 'string' }, epochs: { type: 'string' } } });
  main({ seed: values.seed === undefined ? 0 : Number(values.seed), epochs: values.epochs === undefined ? undefined : Number(values.epochs) });
}
