/**
 * An MLP's PyTorch state dict is that of the torch.nn.Sequential of its layers, so that the
 * weights of a PyTorch Sequential load as they are (and deltagraph's load into PyTorch).
 */
import { MLP, Sequential, Linear, ReLU, randn, rng } from '../../node';

const keysOf = (dict: Record<string, { shape: readonly number[] }>) => Object.entries(dict).map(([k, t]) => [k, [...t.shape]]);

describe('MLP.stateDict', () => {
  it("has the keys and shapes of PyTorch's Sequential(Linear, BatchNorm1d, ReLU, Linear)", () => {
    expect(keysOf(new MLP({ layers: [2, 3, 1], batchNorm: true }).stateDict())).toEqual([
      ['0.weight', [3, 2]], ['0.bias', [3]],
      ['1.weight', [3]], ['1.bias', [3]], ['1.running_mean', [3]], ['1.running_var', [3]], ['1.num_batches_tracked', []],
      ['3.weight', [1, 3]], ['3.bias', [1]],
    ]);
  });

  it('is the state dict of the same layers in a Sequential, in both directions', () => {
    const mlp = new MLP({ layers: [4, 5, 3], hidden: 'relu', seed: 1 });
    const sequential = new Sequential(new Linear(4, 5, { rng: 7 }), new ReLU(), new Linear(5, 3, { rng: 8 }));
    const x = randn([6, 4], rng(2));
    sequential.loadStateDict(mlp.stateDict());
    expect(Array.from(sequential.forward(x).data)).toEqual(Array.from(mlp.forward(x).data));
    const other = new MLP({ layers: [4, 5, 3], hidden: 'relu', seed: 9 });
    other.loadStateDict(sequential.stateDict());
    expect(Array.from(other.forward(x).data)).toEqual(Array.from(mlp.forward(x).data));
  });

  it('refuses a dict with the prefix of its own child, naming the keys', () => {
    const mlp = new MLP({ layers: [2, 3, 1] });
    const prefixed = Object.fromEntries(Object.entries(mlp.stateDict()).map(([k, t]) => [`net.${k}`, t]));
    expect(() => mlp.loadStateDict(prefixed)).toThrow(/missing.*0\.weight[\s\S]*unexpected.*net\.0\.weight/);
  });
});
