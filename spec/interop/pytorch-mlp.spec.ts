/**
 * A PyTorch model in deltagraph: the state dict of PyTorch 1.13's
 * nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), saved as safetensors (F32, and
 * F64), read by loadSafetensors into Sequential(Linear(784, 128), ReLU(), Linear(128, 10)) with
 * loadStateDict, gives PyTorch's logits on 8 MNIST test images, its mean cross-entropy on 16
 * training examples and its gradient of that loss for every parameter (compared in PyTorch's
 * layout, through stateDict's naming: weight [out, in]).
 *
 * The tolerance (pytorch-fixtures.ts): |a − b| ≤ tol · max(|b|, 1e-2 · max|b|) per element, with
 * tol = 1e-5 for the logits and the loss and 1e-4 for the gradients. (With a floor of
 * 1e-3 · max|b| instead, the logits differ by up to 1.1e-5 and the first layer's weight gradient
 * by 4.5e-4: as much as a float32 evaluation of the same model differs from a float64 one.)
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Linear, ReLU, Sequential, loadSafetensors, tensor } from '../../index';
import { FIXTURES, expectedFor, gradientErrors, logitsOf, maxRelativeError, runFixture } from './pytorch-fixtures';

const expected = expectedFor('mlp');
const read = (file: string) => loadSafetensors(new Uint8Array(readFileSync(join(FIXTURES, file))));

/** The deltagraph twin of the PyTorch MLP, its weights drawn from other seeds than PyTorch's. */
const mlp = () => new Sequential(new Linear(784, 128, { rng: 7 }), new ReLU(), new Linear(128, 10, { rng: 8 }));

describe.each(['mlp.safetensors', 'mlp_f64.safetensors'])("PyTorch's MLP from %s", (file) => {
  const dict = read(file);
  const result = runFixture(expected, mlp, dict);

  it("holds PyTorch's state-dict keys and shapes", () => {
    expect(Object.entries(dict).map(([k, t]) => [k, t.shape])).toEqual([
      ['0.weight', [128, 784]],
      ['0.bias', [128]],
      ['2.weight', [10, 128]],
      ['2.bias', [10]],
    ]);
  });

  it("gives PyTorch's logits within 1e-5", () => {
    expect(expected.outputs.shape).toEqual([8, 10]);
    expect(maxRelativeError(result.outputs, expected.outputs.data)).toBeLessThanOrEqual(1e-5);
  });

  it("gives PyTorch's mean cross-entropy within 1e-5", () => {
    expect(maxRelativeError([result.loss], [expected.loss])).toBeLessThanOrEqual(1e-5);
  });

  it("gives PyTorch's gradient of every parameter within 1e-4, in PyTorch's layout", () => {
    expect(gradientErrors(result, expected).filter(([, e]) => !(e <= 1e-4))).toEqual([]);
  });

  it('fails the same checks with one weight or one gradient element perturbed', () => {
    const perturbed = { ...dict, '2.bias': tensor(Float64Array.from(dict['2.bias']!.data, (v, i) => (i === 3 ? v + 1e-3 : v))) };
    const model = mlp();
    model.loadStateDict(perturbed);
    expect(maxRelativeError(logitsOf(expected, model), expected.outputs.data)).toBeGreaterThan(1e-5);
    const grad = expected.grads['0.weight']!.data;
    const shifted = Float64Array.from(result.grads['0.weight']!.data);
    let k = 0;
    grad.forEach((v, i) => (Math.abs(v) > Math.abs(grad[k]!) ? (k = i) : 0));
    shifted[k] = shifted[k]! * (1 + 1e-3);
    expect(maxRelativeError(shifted, grad)).toBeGreaterThan(1e-4);
    // The gradient in deltagraph's own layout (W [in, out]) does not pass: the transpose matters.
    expect(maxRelativeError(result.raw['2.W']!, expected.grads['2.weight']!.data)).toBeGreaterThan(1e-4);
  });
});

describe('the F64 file', () => {
  it('holds float32 values widened to float64, the same as the F32 file', () => {
    const f32 = read('mlp.safetensors');
    const f64 = read('mlp_f64.safetensors');
    for (const [key, t] of Object.entries(f64)) {
      expect(t.data.every((v) => Math.fround(v) === v)).toBe(true);
      expect(Array.from(t.data)).toEqual(Array.from(f32[key]!.data));
    }
  });
});
