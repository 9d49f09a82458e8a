/** fit's clipGradNorm: each step's gradients are clipped to a global norm before the optimizer's step. */
import { ArgumentError, Linear, MSELoss, SGD, backward, fit, gradNorm, tensor } from '../../index';
import { expectError } from '../errors/expect-error';

const data = { x: tensor([[1000, -2000], [3000, 500]]), y: tensor([[1e6], [-1e6]]) };
const flat = (layer: Linear) => [...layer.W.data, ...layer.b!.data];

/** The parameters of a fresh Linear(2, 1) before and after one full-batch SGD epoch of fit with these options. */
function oneStep(extra: Record<string, unknown>, lr = 0.01): { before: number[]; after: number[]; grad: number[]; norm: number } {
  const layer = new Linear(2, 1, { rng: 3 });
  const before = flat(layer);
  const loss = new MSELoss();
  const grads = backward(loss.forward(layer.forward(data.x), data.y), { wrt: layer.parameters() });
  const grad = layer.parameters().flatMap((p) => Array.from(grads.get(p).data));
  const norm = gradNorm(grads, layer.parameters());
  fit(layer, data, { loss, optimizer: new SGD(layer.parameters(), { lr }), epochs: 1, shuffle: false, progress: false, ...extra });
  return { before, after: flat(layer), grad, norm };
}

describe('fit({ clipGradNorm })', () => {
  it('a huge-gradient SGD step moves the parameters by exactly lr · clip, along the gradient', () => {
    const { before, after, grad, norm } = oneStep({ clipGradNorm: 1 });
    expect(norm).toBeGreaterThan(1e9);
    const moved = after.map((v, k) => v - before[k]!);
    expect(Math.hypot(...moved)).toBeCloseTo(0.01 * 1, 12);
    moved.forEach((d, k) => expect(d).toBeCloseTo((-0.01 * grad[k]!) / norm, 12));
    // Without clipping the same step is enormous.
    const free = oneStep({});
    expect(Math.hypot(...free.after.map((v, k) => v - free.before[k]!))).toBeGreaterThan(1e6);
  });

  it('leaves gradients below the norm alone, and clipNorm (the former name) does the same', () => {
    const free = oneStep({});
    expect(oneStep({ clipGradNorm: 1e12 }).after).toEqual(free.after);
    expect(oneStep({ clipNorm: 2 }).after).toEqual(oneStep({ clipGradNorm: 2 }).after);
    expect(oneStep({ clipNorm: 2, clipGradNorm: 2 }).after).toEqual(oneStep({ clipGradNorm: 2 }).after);
  });

  it('refuses a norm that is not > 0, and two different values under both names', () => {
    const layer = new Linear(2, 1);
    const base = { loss: new MSELoss(), optimizer: new SGD(layer.parameters(), { lr: 0.1 }), epochs: 1, progress: false };
    expectError(() => fit(layer, data, { ...base, clipGradNorm: 0 }), ArgumentError, 'fit', 'clipGradNorm', '0', '> 0');
    expectError(() => fit(layer, data, { ...base, clipGradNorm: 'big' as any }), ArgumentError, 'fit', 'clipGradNorm', '"big"');
    expectError(() => fit(layer, data, { ...base, clipGradNorm: 1, clipNorm: 2 }), ArgumentError, 'fit', 'clipGradNorm 1', 'clipNorm 2', 'one of them');
  });
});

