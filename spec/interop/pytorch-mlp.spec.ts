/**
 * A PyTorch model in deltagraph: the state dict of PyTorch 1.13's
 * nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), saved as safetensors (F32, and
 * F64), read by loadSafetensors into Sequential(Linear(784, 128), ReLU(), Linear(128, 10)) with
 * loadStateDict, gives PyTorch's logits on 8 MNIST test images, its mean cross-entropy on 16
 * training examples and its gradient of that loss for every parameter (compared in PyTorch's
 * layout, through stateDict's naming: weight [out, in]).
 *
 * The tolerance is relative, per element, with a floor for elements near zero: an element a of
 * the result matches b of PyTorch's when |a − b| ≤ tol · max(|b|, 1e-2 · max|b|), max|b| taken over
 * the whole tensor; outputs and the loss within tol = 1e-5, gradients within 1e-4. PyTorch
 * computed in float32 and deltagraph in float64: the difference is float32's rounding of sums of
 * hundreds of terms, which scales with the terms (about 1e-7 of the tensor's largest element
 * here), not with a result that cancels to near zero; hence the floor. (With a floor of
 * 1e-3 · max|b| the logits differ by up to 1.1e-5 and the first layer's weight gradient by
 * 4.5e-4, as much as a float32 evaluation of the same model differs from a float64 one.)
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Linear, ReLU, Sequential, Tensor, backward, crossEntropy, loadSafetensors, noGrad, tensor } from '../../index';

interface Stored {
  shape: number[];
  data: number[];
}
interface Expected {
  inputs: Stored;
  outputs: Stored;
  batch: { x_shape: number[]; x: number[]; labels: number[] };
  loss: number;
  grads: Record<string, Stored>;
}

const FIXTURES = join(__dirname, 'fixtures');
const expected = (JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { mlp: Expected }).mlp;
const read = (file: string) => loadSafetensors(new Uint8Array(readFileSync(join(FIXTURES, file))));

/** max over elements of |a − b| / max(|b|, 1e-2 · max|b|): the worst relative error, with a floor for near-zero b. */
function maxRelativeError(actual: ArrayLike<number>, reference: ArrayLike<number>): number {
  expect(actual.length).toBe(reference.length);
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

/** The deltagraph twin of the PyTorch MLP, its weights drawn from another seed than PyTorch's. */
const mlp = () => new Sequential(new Linear(784, 128, { rng: 7 }), new ReLU(), new Linear(128, 10, { rng: 8 }));

/** The logits on the 8 test images, PyTorch's mean cross-entropy on the 16 training examples and its gradients (in PyTorch's layout, by PyTorch's keys). */
function run(dict: Record<string, Tensor>): { outputs: Float64Array; loss: number; grads: Record<string, Tensor>; rawLastW: Float64Array } {
  const model = mlp();
  expect(model.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
  const outputs = noGrad(() => model.forward(tensor(Float64Array.from(expected.inputs.data), expected.inputs.shape))).data;
  const loss = crossEntropy(model.forward(tensor(Float64Array.from(expected.batch.x), expected.batch.x_shape)), expected.batch.labels);
  const g = backward(loss);
  // The gradients put in a module of the same architecture, so that its stateDict gives them in PyTorch's layout and names.
  const carrier = mlp();
  const mine = model.namedParameters();
  carrier.namedParameters().forEach(([name, p], i) => {
    expect(name).toBe(mine[i]![0]);
    p.data.set(g.get(mine[i]![1]).data);
  });
  return { outputs, loss: loss.item(), grads: carrier.stateDict(), rawLastW: g.get((model.layers[2] as Linear).W).data };
}

describe.each([
  ['mlp.safetensors', 'F32'],
  ['mlp_f64.safetensors', 'F64'],
])("PyTorch's MLP from %s", (file) => {
  const dict = read(file);
  const result = run(dict);

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
    expect(Object.keys(result.grads)).toEqual(Object.keys(expected.grads));
    const errors = Object.entries(expected.grads).map(([key, want]) => {
      expect([key, result.grads[key]!.shape]).toEqual([key, want.shape]);
      return [key, maxRelativeError(result.grads[key]!.data, want.data)] as const;
    });
    expect(errors.filter(([, e]) => !(e <= 1e-4))).toEqual([]);
  });

  it('fails the same checks with one weight or one gradient element perturbed', () => {
    const perturbed = { ...dict, '2.bias': tensor(Float64Array.from(dict['2.bias']!.data, (v, i) => (i === 3 ? v + 1e-3 : v))) };
    const off = run(perturbed);
    expect(maxRelativeError(off.outputs, expected.outputs.data)).toBeGreaterThan(1e-5);
    const grad = expected.grads['0.weight']!.data;
    const shifted = Float64Array.from(result.grads['0.weight']!.data);
    let k = 0;
    grad.forEach((v, i) => (Math.abs(v) > Math.abs(grad[k]!) ? (k = i) : 0));
    shifted[k] = shifted[k]! * (1 + 1e-3);
    expect(maxRelativeError(shifted, grad)).toBeGreaterThan(1e-4);
    // The gradient in deltagraph's own layout (W [in, out]) does not pass: the transpose matters.
    expect(maxRelativeError(result.rawLastW, expected.grads['2.weight']!.data)).toBeGreaterThan(1e-4);
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
