/**
 * Shared by the specs that compare deltagraph with PyTorch 1.13 on the fixtures of
 * spec/interop/fixtures (expected.json: PyTorch's logits, loss and gradients): the tolerance
 * and the run of a model on a fixture's inputs and batch.
 *
 * The tolerance is relative, per element, with a floor for elements near zero: an element a of
 * the result matches b of PyTorch's when |a − b| ≤ tol · max(|b|, 1e-2 · max|b|), max|b| taken over
 * the whole tensor. PyTorch computed in float32 and deltagraph in float64: the difference is
 * float32's rounding of sums of hundreds of terms, which scales with the terms (about 1e-7 of the
 * tensor's largest element), not with a result that cancels to near zero; hence the floor.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Module, Tensor, backward, crossEntropy, noGrad, tensor } from '../../index';

export interface Stored {
  shape: number[];
  data: number[];
}

/** One model's entry in expected.json. */
export interface Expected {
  inputs: Stored;
  outputs: Stored;
  batch: { x_shape: number[]; x: number[]; labels: number[] };
  loss: number;
  grads: Record<string, Stored>;
}

export const FIXTURES = join(__dirname, 'fixtures');

let cache: Record<string, Expected> | null = null;

/** PyTorch's results for a fixture model ('mlp' or 'cnn'). */
export function expectedFor(model: 'mlp' | 'cnn'): Expected {
  cache ??= JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expected>;
  return cache[model]!;
}

/** max over elements of |a − b| / max(|b|, 1e-2 · max|b|): the worst relative error, with a floor for near-zero b (NaN counts as Infinity). */
export function maxRelativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  if (actual.length !== reference.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < reference.length; i++) scale = Math.max(scale, Math.abs(reference[i]!));
  const floor = 1e-2 * scale;
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    const err = Math.abs(actual[i]! - reference[i]!) / Math.max(Math.abs(reference[i]!), floor);
    worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
  }
  return worst;
}

export interface Run {
  /** The logits on the fixture's inputs. */
  outputs: Float64Array;
  /** The mean cross-entropy on the fixture's batch. */
  loss: number;
  /** Its gradient for every parameter, in PyTorch's layout under PyTorch's keys. */
  grads: Record<string, Tensor>;
  /** The gradient of each parameter as deltagraph holds it (W [in, out]), by deltagraph's names. */
  raw: Record<string, Float64Array>;
}

/**
 * Loads `dict` into `make()` (strictly), runs it on the fixture's inputs (noGrad) and its batch,
 * and gives the gradients in PyTorch's layout: put into the parameters of a second `make()`, whose
 * stateDict names and lays them out as PyTorch does.
 */
export function runFixture(expected: Expected, make: () => Module, dict: Record<string, Tensor>): Run {
  const model = make();
  expect(model.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  const outputs = logitsOf(expected, model);
  const loss = crossEntropy(model.forward(tensor(Float64Array.from(expected.batch.x), expected.batch.x_shape)), expected.batch.labels);
  const g = backward(loss);
  const carrier = make();
  const mine = model.namedParameters();
  const raw: Record<string, Float64Array> = {};
  carrier.namedParameters().forEach(([name, p], i) => {
    expect(name).toBe(mine[i]![0]);
    raw[name] = g.get(mine[i]![1]).data;
    p.data.set(raw[name]!);
  });
  return { outputs, loss: loss.item(), grads: carrier.stateDict(), raw };
}

/** The model's logits on the fixture's inputs, in eval mode and without a graph. */
export function logitsOf(expected: Expected, model: Module): Float64Array {
  model.eval();
  const outputs = noGrad(() => model.forward(tensor(Float64Array.from(expected.inputs.data), expected.inputs.shape))).data;
  model.train();
  return outputs;
}

/** [key, worst relative error] of every gradient PyTorch gives, in its order. */
export function gradientErrors(run: Run, expected: Expected): Array<readonly [string, number]> {
  expect(Object.keys(run.grads)).toEqual(Object.keys(expected.grads));
  return Object.entries(expected.grads).map(([key, want]) => {
    expect([key, run.grads[key]!.shape]).toEqual([key, want.shape]);
    return [key, maxRelativeError(run.grads[key]!.data, want.data)] as const;
  });
}
