/** tidy: tensors made in a scope are released at its end and their buffers reused; returned and kept ones survive. */
import { GraphError, Tensor, add, backward, keep, mul, param, sum, tensor, tidy } from '../../index';

describe('tidy', () => {
  it('releases what the scope made, and reading a released tensor is a GraphError', () => {
    const x = tensor([1, 2, 3]);
    let inner: Tensor | undefined;
    const out = tidy(() => {
      inner = mul(x, 2);
      return add(inner, 1);
    });
    expect(out.toArray()).toEqual([3, 5, 7]);
    expect(inner!.disposed).toBe(true);
    expect(() => inner!.data).toThrow(GraphError);
    expect(() => inner!.toArray()).toThrow(/tidy scope/);
    expect(x.disposed).toBe(false);
  });

  it('reuses a released buffer for the next tensor of the same size', () => {
    const x = tensor([1, 2, 3, 4]);
    let first: Float64Array | undefined;
    tidy(() => {
      first = mul(x, 2).data;
      return 0;
    });
    const again = tidy(() => {
      const t = mul(x, 3);
      return { same: t.data === first, values: Array.from(t.data) };
    });
    expect(again.same).toBe(true);
    // A reused buffer holds only the new values.
    expect(again.values).toEqual([3, 6, 9, 12]);
  });

  it('keeps tensors passed to keep, returned in arrays or objects, and the buffers they share', () => {
    const x = tensor([1, 2]);
    let kept: Tensor | undefined;
    const { a, list } = tidy(() => {
      kept = keep(mul(x, 5));
      const doubled = mul(x, 2);
      return { a: doubled, list: [add(doubled, 1)] };
    });
    expect(kept!.toArray()).toEqual([5, 10]);
    expect(a.toArray()).toEqual([2, 4]);
    expect(list[0]!.toArray()).toEqual([3, 5]);
  });

  it('a training step in a scope leaves parameters intact and gives the same gradients as without', () => {
    const w = param([0.5, -1]);
    const step = () => {
      const g = backward(sum(mul(mul(w, w), 3)), { wrt: [w] }).get(w);
      return Array.from(g.data);
    };
    const plain = step();
    const scoped = tidy(step);
    expect(scoped).toEqual(plain);
    expect(w.disposed).toBe(false);
    expect(w.toArray()).toEqual([0.5, -1]);
  });

  it('nested scopes: what an inner scope returns is released by the outer one', () => {
    const x = tensor([1]);
    let innerResult: Tensor | undefined;
    tidy(() => {
      innerResult = tidy(() => mul(x, 2));
      expect(innerResult.disposed).toBe(false);
      return 0;
    });
    expect(innerResult!.disposed).toBe(true);
  });
});
