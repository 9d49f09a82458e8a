/** describeGraph: every op and edge of a traced graph as plain JSON, joins, kinds, names, gradients. */
import { GraphError, backward, mlpTensorNames, moduleGroups, mul, neg, param, sum, tensor } from '../../index';
import { describeGraph } from '../../viz';
import { diamond, tracedXor } from './nets';

describe('describeGraph on the Siena XOR net', () => {
  it('lists every op of the graph, in creation order, with the layers they belong to', () => {
    const { loss, span, model } = tracedXor();
    const d = describeGraph(loss, { groups: moduleGroups(model) });
    const ops = d.nodes.filter((n) => n.kind === 'op');
    // The forward pass and the loss created exactly these nodes, all of which the loss depends on.
    expect(ops.map((n) => n.graphId)).toEqual(Array.from({ length: span[1] - span[0] }, (_, i) => span[0] + i));
    expect(ops.map((n) => n.op)).toEqual([
      'matmul', 'add', 'sigmoid', 'matmul', 'add', 'sigmoid', 'matmul', 'add', 'sigmoid', 'sub', 'mul', 'sum',
    ]);
    expect(ops.map((n) => n.group)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, undefined, undefined, undefined]);
    expect(d.groups.map((g) => `${g.label}: ${g.detail}`)).toEqual([
      'layer 1: Linear(2 → 4) · Sigmoid',
      'layer 2: Linear(4 → 3) · Sigmoid',
      'layer 3: Linear(3 → 1) · Sigmoid',
    ]);
  });

  it('puts the shape of its tensor on every edge', () => {
    const { loss, model, X, y } = tracedXor();
    const names = mlpTensorNames(model, { preActivation: 'A', activation: 'O' });
    names.set(X, 'X').set(y, 'y');
    const d = describeGraph(loss, { names });
    const byKey = new Map(d.nodes.map((n) => [n.key, n]));
    // One edge per input of every op, plus the one into the output.
    const arity: Record<string, number> = { matmul: 2, add: 2, sigmoid: 1, sub: 2, mul: 2, sum: 1 };
    expect(d.edges).toHaveLength(d.nodes.filter((n) => n.kind === 'op').reduce((k, n) => k + arity[n.op!]!, 0) + 1);
    for (const e of d.edges) {
      expect(Array.isArray(e.shape)).toBe(true);
      expect(e.shape).toEqual(byKey.get(e.from)!.shape);
    }
    const into = (label: string) => d.edges.filter((e) => byKey.get(e.to)!.kind === 'op' && byKey.get(e.from)!.label === label).map((e) => e.shape);
    expect(into('X')).toEqual([[8, 2]]);
    expect(into('W1')).toEqual([[2, 4]]);
    expect(into('b2')).toEqual([[3]]);
    expect(into('W3')).toEqual([[3, 1]]);
    const named = (name: string) => d.nodes.find((n) => n.name === name)!;
    expect([named('A1').shape, named('O1').shape, named('A2').shape, named('O2').shape, named('A3').shape]).toEqual([[8, 4], [8, 4], [8, 3], [8, 3], [8, 1]]);
    expect(d.edges.find((e) => e.to === d.output)!.shape).toEqual([]);
  });

  it('tells parameters, inputs, the output and one-element constants apart', () => {
    const { loss, model, X, y } = tracedXor();
    const d = describeGraph(loss, { names: new Map([[X, 'X'], [y, 'y']]), paths: model.namedParameters() });
    const kinds = (kind: string) => d.nodes.filter((n) => n.kind === kind);
    expect(kinds('parameter')).toHaveLength(6);
    expect(kinds('parameter').map((n) => n.path)).toEqual(['net.0.W', 'net.0.b', 'net.2.W', 'net.2.b', 'net.4.W', 'net.4.b']);
    expect(kinds('input').map((n) => n.label)).toEqual(['X', 'y']);
    expect(kinds('output')).toHaveLength(1);
    expect(kinds('output')[0]!.value!.mean).toBeCloseTo(loss.item(), 12);

    // The 2 of 2w is an unnamed one-element leaf: a constant, labelled by its value.
    const c = describeGraph(sum(mul(param([1, 2]), 2)));
    expect(c.nodes.map((n) => n.kind)).toEqual(['parameter', 'constant', 'op', 'op', 'output']);
    expect(c.nodes[1]!.label).toBe('2');
    // An unnamed data tensor is an input all the same.
    const e = describeGraph(sum(mul(param([1, 2]), tensor([3, 4]))));
    expect(e.nodes.map((n) => n.kind)).toEqual(['parameter', 'input', 'op', 'op', 'output']);
  });

  it('is plain JSON: it survives a round trip through JSON.stringify', () => {
    const { loss, model } = tracedXor();
    const d = describeGraph(loss, { groups: moduleGroups(model), gradients: backward(loss, { retainGraph: true }), values: true });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });

  it('labels edges with gradient norms after a backward pass', () => {
    const { loss, model } = tracedXor();
    const grads = backward(loss, { retainGraph: true });
    const d = describeGraph(loss, { gradients: grads, names: model.namedParameters() });
    expect(d.withGradients).toBe(true);
    const w1 = d.nodes.find((n) => n.label === 'net.0.W')!;
    const norm = Math.hypot(...grads.get(model.linears()[0]!.W).data);
    expect(d.edges.find((e) => e.from === w1.key)!.gradNorm).toBeCloseTo(norm, 12);
    expect(d.edges.find((e) => e.to === d.output)!.gradNorm).toBe(1);
    // Without gradients there is nothing to show.
    expect(describeGraph(loss).edges.every((e) => e.gradNorm === undefined)).toBe(true);
  });

  it('refuses a graph that a backward pass released', () => {
    const { loss } = tracedXor();
    backward(loss);
    expect(() => describeGraph(loss)).toThrow(GraphError);
    expect(() => describeGraph(loss)).toThrow(/retainGraph: true/);
  });
});

describe('joins: tensors whose gradients are summed over several paths', () => {
  it('marks the fan-out of a diamond, and its gradient is the sum of both paths', () => {
    const { x, t, loss } = diamond();
    const grads = backward(loss, { retainGraph: true });
    const d = describeGraph(loss, { names: new Map([[x, 'x'], [t, 't']]), gradients: grads });
    expect(d.joins).toHaveLength(1);
    const join = d.joins[0]!;
    const tNode = d.nodes.find((n) => n.name === 't')!;
    expect(join.from).toBe(tNode.key);
    expect(join.to.map((k) => d.nodes.find((n) => n.key === k)!.op).sort()).toEqual(['mul', 'sin']);
    expect(tNode.fanOut).toBe(2);
    expect(d.edges.filter((e) => e.join).map((e) => e.from)).toEqual([tNode.key, tNode.key]);
    expect(d.edges.filter((e) => !e.join).every((e) => e.from !== tNode.key)).toBe(true);
    // ∂L/∂t = 2 + cos t, elementwise: both paths' contributions.
    const expected = Math.hypot(...Array.from(t.data, (v) => 2 + Math.cos(v)));
    expect(join.gradNorm).toBeCloseTo(expected, 12);
  });

  it('counts a tensor used twice by one op (x ⊙ x) as a join', () => {
    const { loss } = tracedXor(); // the loss squares o − y with mul(d, d)
    const d = describeGraph(loss);
    expect(d.joins).toHaveLength(1);
    const [sub] = d.nodes.filter((n) => n.op === 'sub');
    expect(d.joins[0]!.from).toBe(sub!.key);
    expect(new Set(d.joins[0]!.to).size).toBe(1);
    expect(d.edges.filter((e) => e.from === sub!.key).map((e) => e.slot)).toEqual([0, 1]);
  });
});

describe('describeGraph on large graphs', () => {
  it('walks a 30,000-node chain without recursion', () => {
    let h = param([1]);
    for (let i = 0; i < 30_000; i++) h = neg(h);
    const d = describeGraph(h);
    expect(d.nodes.filter((n) => n.kind === 'op')).toHaveLength(30_000);
    expect(d.edges).toHaveLength(30_001);
  });
});
