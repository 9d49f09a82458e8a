/**
 * The convolution layouts against PyTorch itself: PyTorch 1.13's MNIST CNN
 * (Conv2d(1, 16, 5, padding 2) · ReLU · MaxPool2d(2) · Conv2d(16, 32, 5, padding 2) · ReLU ·
 * MaxPool2d(2) · Flatten · Linear(1568, 10)), whose weights reach us in cnn.onnx under PyTorch's
 * state-dict names. They are taken from the imported model's stateDict, written with
 * saveSafetensors and read back (float32 values: F32 is exact for them), and loaded with
 * loadStateDict into deltagraph's own layers; the logits, the loss and the gradient of every
 * weight in PyTorch's layout must be PyTorch's (the tolerance of pytorch-fixtures.ts: 1e-5 for
 * logits and loss, 1e-4 for gradients).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, Tensor, fromOnnx, loadSafetensors, saveSafetensors } from '../../index';
import { FIXTURES, expectedFor, gradientErrors, logitsOf, maxRelativeError, runFixture } from './pytorch-fixtures';

const expected = expectedFor('cnn');

const cnn = () =>
  new Sequential(
    new Conv2d(1, 16, 5, { padding: 2, rng: 1 }), new ReLU(), new MaxPool2d(2),
    new Conv2d(16, 32, 5, { padding: 2, rng: 2 }), new ReLU(), new MaxPool2d(2),
    new Flatten(), new Linear(32 * 7 * 7, 10, { rng: 3 }),
  );

describe("PyTorch's CNN through safetensors and loadStateDict", () => {
  const exported = fromOnnx(new Uint8Array(readFileSync(join(FIXTURES, 'cnn.onnx')))).stateDict();
  const dict = loadSafetensors(saveSafetensors(exported));
  const result = runFixture(expected, cnn, dict);

  it("has PyTorch's keys and shapes, and F32 keeps the float32 weights exactly", () => {
    expect(Object.entries(dict).map(([k, t]) => [k, t.shape]).sort()).toEqual(Object.entries(cnn().stateDict()).map(([k, t]) => [k, t.shape]).sort());
    for (const [k, t] of Object.entries(exported)) expect(Array.from(dict[k]!.data)).toEqual(Array.from(t.data));
  });

  it("gives PyTorch's logits and loss within 1e-5", () => {
    expect(maxRelativeError(result.outputs, expected.outputs.data)).toBeLessThanOrEqual(1e-5);
    expect(maxRelativeError([result.loss], [expected.loss])).toBeLessThanOrEqual(1e-5);
  });

  it("gives PyTorch's gradient of every weight within 1e-4, in PyTorch's layout", () => {
    expect(gradientErrors(result, expected).filter(([, e]) => !(e <= 1e-4))).toEqual([]);
  });

  it('fails with a convolution kernel flipped (a convolution, not a cross-correlation)', () => {
    const w = dict['0.weight']!;
    const flipped = Float64Array.from(w.data, (_, i) => w.data[Math.floor(i / 25) * 25 + 24 - (i % 25)]!);
    const model = cnn();
    model.loadStateDict({ ...dict, '0.weight': new Tensor(flipped, w.shape) });
    expect(maxRelativeError(logitsOf(expected, model), expected.outputs.data)).toBeGreaterThan(1e-5);
  });
});
