/** MLP with 'gelu' and 'silu' hidden activations (ACTIVATIONS holds the GELU and SiLU modules). */
import { ACTIVATIONS, ArgumentError, GELU, Linear, MLP, SiLU, Tensor, gelu, randn, rng, silu } from '../../index';
import { gradcheck } from '../../check';
import { expectError } from '../errors/expect-error';
import { weighted } from './whole-check';

describe("MLP({ hidden: 'gelu' | 'silu' })", () => {
  it('ACTIVATIONS makes fresh GELU (exact) and SiLU modules', () => {
    expect(ACTIVATIONS.gelu()).toBeInstanceOf(GELU);
    expect((ACTIVATIONS.gelu() as GELU).approximate).toBe('none');
    expect(ACTIVATIONS.silu()).toBeInstanceOf(SiLU);
    expect(ACTIVATIONS.gelu()).not.toBe(ACTIVATIONS.gelu());
  });

  it('puts them between the Linears, one name for all or one per hidden layer, and computes gelu/silu of the pre-activations', () => {
    const net = new MLP({ layers: [3, 4, 5, 2], hidden: ['gelu', 'silu'], seed: 1 });
    const [l0, a0, l1, a1, l2] = net.net.layers as [Linear, GELU, Linear, SiLU, Linear];
    expect(a0).toBeInstanceOf(GELU);
    expect(a1).toBeInstanceOf(SiLU);
    const x = randn([6, 3], rng(2));
    const expected = l2.forward(silu(l1.forward(gelu(l0.forward(x)))));
    expect(net.forward(x).toArray()).toEqual(expected.toArray());
    const all = new MLP({ layers: [2, 3, 3, 1], hidden: 'gelu', seed: 3 });
    expect(all.net.layers.filter((m) => m instanceof GELU)).toHaveLength(2);
    expect(new MLP({ layers: [2, 3, 1], output: 'silu', seed: 4 }).net.layers[3]).toBeInstanceOf(SiLU);
  });

  it('passes gradcheck with respect to its input', () => {
    const net = new MLP({ layers: [3, 4, 2], hidden: 'silu', seed: 5 });
    const gnet = new MLP({ layers: [3, 4, 2], hidden: 'gelu', seed: 5 });
    const x = randn([2, 3], rng(6));
    for (const m of [net, gnet]) expect(gradcheck((t: Tensor) => weighted(m.forward(t)), [x], { name: 'MLP' }).ok).toBe(true);
  });

  it('lists them among the known activations in its error', () => {
    expectError(() => new MLP({ layers: [2, 3, 1], hidden: 'swish' as any }), ArgumentError, 'MLP', '"swish"', 'gelu', 'silu');
  });
});
