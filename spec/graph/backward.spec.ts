/** The reverse pass: multi-path accumulation, pruning, deep chains, release and retain, noGrad. */
import {
  GraphError, Tensor, add, backward, exp, mul, noGrad, param, sin, sum, tanh, tensor, isRecording,
} from '../../index';

describe('backward', () => {
  it('sums the gradients that arrive over several paths (a diamond)', () => {
    // f = sin(x)·x + eˣ: x reaches f over three paths; df/dx = cos(x)·x + sin(x) + eˣ.
    const x = param(0.7);
    const f = add(mul(sin(x), x), exp(x));
    const g = backward(f).get(x).item();
    expect(g).toBeCloseTo(Math.cos(0.7) * 0.7 + Math.sin(0.7) + Math.exp(0.7), 14);
  });

  it('gives the gradient of intermediate tensors (deltas) as well as of leaves', () => {
    const x = param([1, 2, 3]);
    const z = mul(x, 2); // intermediate
    const loss = sum(mul(z, z)); // ∂loss/∂z = 2z, ∂loss/∂x = 8x
    const g = backward(loss);
    expect(Array.from(g.get(z).data)).toEqual([4, 8, 12]);
    expect(Array.from(g.get(x).data)).toEqual([8, 16, 24]);
  });

  it('prunes to the tensors asked for, and refuses intermediates outside the pruned walk', () => {
    const a = param([1, 2]);
    const b = param([3, 4]);
    const ab = mul(a, b);
    const loss = sum(add(ab, exp(b)));
    const g = backward(loss, { wrt: [a] });
    expect(Array.from(g.get(a).data)).toEqual([3, 4]);
    expect(g.has(b)).toBe(false);
    expect(() => g.get(b)).toThrow(GraphError);
  });

  it('returns zeros for a wanted tensor the output does not depend on', () => {
    const a = param([1, 2]);
    const unused = param([[5]]);
    const g = backward(sum(a), { wrt: [a, unused] });
    expect(g.get(unused).shape).toEqual([1, 1]);
    expect(g.get(unused).item()).toBe(0);
  });

  it('walks a 100,000-node chain without overflowing the stack', () => {
    const x = param(0.5);
    let y: Tensor = x;
    for (let i = 0; i < 100_000; i++) y = mul(y, 1);
    expect(backward(y).get(x).item()).toBe(1);
  });

  it('releases the graph after a backward pass, and a second one throws naming retainGraph', () => {
    const x = param(2);
    const y = mul(tanh(x), x);
    backward(y);
    expect(() => backward(y)).toThrow(GraphError);
    expect(() => backward(y)).toThrow(/retainGraph/);
  });

  it('keeps the graph with retainGraph, and both passes agree', () => {
    const x = param(2);
    const y = mul(tanh(x), x);
    const first = backward(y, { retainGraph: true }).get(x).item();
    const second = backward(y).get(x).item();
    expect(second).toBe(first);
  });

  it('records nothing inside noGrad, and restores recording afterwards (even on throw)', () => {
    const x = param(1);
    const y = noGrad(() => mul(x, 3));
    expect(y.requiresGrad).toBe(false);
    expect(y.producer).toBeNull();
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isRecording()).toBe(true);
  });

  it('accepts a gradient seed for a non-scalar output and rejects one of the wrong shape', () => {
    const x = param([1, 2, 3]);
    const y = mul(x, x);
    expect(() => backward(y)).toThrow(/reduce it to one element/);
    expect(() => backward(y, { gradient: tensor([1, 1]), retainGraph: true })).toThrow(/\[3\]/);
    const g = backward(y, { gradient: tensor([1, 0, 2]) }).get(x);
    expect(Array.from(g.data)).toEqual([2, 0, 12]);
  });

  it('with createGraph, the gradient is itself differentiable', () => {
    const x = param(0.3);
    const y = exp(mul(x, x)); // y' = 2x e^{x²}, y'' = (2 + 4x²) e^{x²}
    const dy = backward(y, { wrt: [x], createGraph: true }).get(x);
    expect(dy.requiresGrad).toBe(true);
    const d2 = backward(dy, { wrt: [x] }).get(x).item();
    expect(d2).toBeCloseTo((2 + 4 * 0.09) * Math.exp(0.09), 13);
  });
});
