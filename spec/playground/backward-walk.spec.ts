/** The step-through's backward walk: the library's own backward pass, node by node, joins summed. */
import { Tensor, ancestors, backward, mul, sin, sum } from 'deltagraph';
import { DEFAULT_CONFIG, PlaygroundConfig } from '../../playground/config';
import { walkBackward } from '../../playground/backward-walk';
import { TrainingSession } from '../../playground/session';

const configs: Array<Partial<PlaygroundConfig>> = [{}, { dataset: 'circles', activation: 'relu', hidden: [5] }, { dataset: 'regression', activation: 'gelu', loss: 'mse' }];

describe('walkBackward', () => {
  it.each(configs)('ends with the gradients backward gives, for every parameter and pre-activation (%o)', (patch) => {
    const session = new TrainingSession({ ...DEFAULT_CONFIG, ...patch });
    for (let i = 0; i < 3; i++) session.step();
    const graph = session.lossGraph();
    const walk = walkBackward(graph.loss);
    expect(walk.steps.map((s) => s.node)).toEqual(ancestors(graph.loss, 'spec', '').reverse());
    const grads = backward(graph.loss, { retainGraph: true });
    const watched = [...session.model.parameters(), ...session.model.preActivations()];
    for (const t of watched) expect(Array.from(walk.totals.get(t)!.data)).toEqual(Array.from(grads.get(t).data));
    // Nothing flows into the data.
    for (const s of walk.steps) for (const input of s.inputs) if (input.tensor === graph.X || input.tensor === graph.y) expect(input.share).toBeNull();
  });

  it('adds the gradients of a tensor used twice where the second one arrives', () => {
    // L = Σ sin(x) ⊙ x: x feeds sin and mul, so ∂L/∂x = cos(x) ⊙ x + sin(x).
    const x = new Tensor(Float64Array.from([0.3, -1.2, 2]), [3], null, true);
    const loss = sum(mul(sin(x), x));
    const walk = walkBackward(loss);
    const joins = walk.steps.flatMap((s) => s.inputs.filter((i) => i.tensor === x && i.before !== null));
    expect(joins).toHaveLength(1);
    const [join] = joins;
    for (let k = 0; k < 3; k++) expect(join!.after!.data[k]).toBeCloseTo(join!.before!.data[k]! + join!.share!.data[k]!, 15);
    const expected = Array.from(x.data, (v) => Math.cos(v) * v + Math.sin(v));
    Array.from(walk.totals.get(x)!.data).forEach((g, k) => expect(g).toBeCloseTo(expected[k]!, 14));
    // The walk leaves the graph recorded: backward can still run over it.
    expect(Array.from(backward(loss).get(x).data)).toEqual(Array.from(walk.totals.get(x)!.data));
    expect(walk.totals.get(x)).toBeInstanceOf(Tensor);
  });
});
