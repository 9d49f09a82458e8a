/** The slides' compact formulas, in plain loops, give the engine's deltas and weight gradients. */
import { backward } from 'deltagraph';
import { DEFAULT_CONFIG, HiddenActivation, LossName } from '../../playground/config';
import { compactDeltas, largestDifference } from '../../playground/delta-formulas';
import { TrainingSession } from '../../playground/session';

const activations: HiddenActivation[] = ['tanh', 'sigmoid', 'relu', 'leakyRelu', 'gelu', 'silu'];
const cases = activations.flatMap((activation) => (['bce', 'mse'] as LossName[]).map((loss) => [activation, loss] as const));

describe('compactDeltas', () => {
  it.each(cases)('%s with %s: Δˡ, ∂L/∂Wˡ and ∂L/∂bˡ of every layer equal the backward pass', (activation, loss) => {
    const session = new TrainingSession({ ...DEFAULT_CONFIG, dataset: 'circles', hidden: [5, 3], activation, loss, seed: 3 });
    for (let i = 0; i < 5; i++) session.step();
    const graph = session.lossGraph();
    const grads = backward(graph.loss);
    const linears = session.model.linears();
    const layers = compactDeltas({ X: graph.X, y: graph.y, W: linears.map((l) => l.W), Z: session.model.preActivations(), activation, loss });
    const deltas = session.model.deltas(grads);
    expect(layers).toHaveLength(3);
    layers.forEach((layer, l) => {
      const scale = (t: ArrayLike<number>) => Math.max(1e-300, ...Array.from(t, Math.abs));
      expect(layer.units).toBe(deltas[l]!.shape[1]);
      expect(largestDifference(layer.delta, deltas[l]!.data)).toBeLessThanOrEqual(1e-13 * scale(deltas[l]!.data));
      expect(largestDifference(layer.weightGrad, grads.get(linears[l]!.W).data)).toBeLessThanOrEqual(1e-13 * scale(grads.get(linears[l]!.W).data));
      expect(largestDifference(layer.biasGrad, grads.get(linears[l]!.b!).data)).toBeLessThanOrEqual(1e-13 * scale(grads.get(linears[l]!.b!).data));
    });
  });

  it('is not the graph in disguise: a wrong activation gives other deltas', () => {
    const session = new TrainingSession({ ...DEFAULT_CONFIG, activation: 'tanh' });
    const graph = session.lossGraph();
    const deltas = session.model.deltas(backward(graph.loss));
    const wrong = compactDeltas({ X: graph.X, y: graph.y, W: session.model.linears().map((l) => l.W), Z: session.model.preActivations(), activation: 'sigmoid', loss: 'bce' });
    expect(largestDifference(wrong[0]!.delta, deltas[0]!.data)).toBeGreaterThan(1e-3);
  });
});
