/**
 * No recursion whose depth a user controls: long charts, long and deeply nested formulas,
 * deeply nested arrays, long graphs and deeply nested modules are handled by loops, or refused
 * with a DeltaGraphError naming the callee — never a RangeError from the call stack.
 */
import {
  ArgumentError, ExpressionSyntaxError, Linear, ReLU, Sequential, Tensor, backward, describeGraph, formatTensor, fromExpression, grad,
  lineChartSvg, mul, param, sin, sum, tensor, toDot,
} from '../../index';
import { expectError, thrown } from './expect-error';

function nested(depth: number): unknown {
  let a: unknown = 1;
  for (let i = 0; i < depth; i++) a = [a];
  return a;
}

describe('charts', () => {
  it('draws a series of 130,000 points (thinned to maxPoints)', () => {
    const points = Array.from({ length: 130_000 }, (_, i): [number, number] => [i, Math.sin(i / 1000) + 2]);
    const svg = lineChartSvg([{ yLabel: 'loss', series: [{ name: 'train', color: '#123456', points }] }], { maxPoints: 500 });
    expect(svg).toContain('<polyline');
    expect(svg).toContain('>120k<'); // an x tick
  });
});

describe('formulas', () => {
  it('parse, evaluate and differentiate a sum of 6,000 terms', () => {
    const text = Array.from({ length: 6_000 }, (_, i) => `${(i % 7) + 1} * x`).join(' + ');
    const f = fromExpression(text);
    const x = tensor([1, 2]);
    const expected = Array.from({ length: 6_000 }, (_, i) => (i % 7) + 1).reduce((a, b) => a + b, 0);
    expect(Array.from(f({ x }).data)).toEqual([expected, 2 * expected]);
    const g = grad((v: Tensor) => sum(f({ x: v })))(x) as Tensor;
    expect(Array.from(g.data)).toEqual([expected, expected]);
  }, 30_000);

  it('refuse brackets nested deeper than 256 with a syntax error, and take 256', () => {
    expect(fromExpression(`${'('.repeat(256)}x${')'.repeat(256)}`)({ x: tensor(3) }).item()).toBe(3);
    expectError(() => fromExpression(`${'('.repeat(10_000)}x${')'.repeat(10_000)}`), ExpressionSyntaxError, 'fromExpression', 'nested more than 256 deep');
  });

  it('cut a long formula short in messages', () => {
    const text = `${Array.from({ length: 2_000 }, () => 'x').join(' + ')} + foo(x)`;
    const e = thrown(() => fromExpression(text)) as Error;
    expect(e.message).toContain('fromExpression');
    expect(e.message).toContain('unknown function foo');
    expect(e.message.length).toBeLessThan(1_500);
  });
});

describe('nested arrays', () => {
  it('are refused past 64 levels, however deep, naming the callee', () => {
    for (const depth of [65, 100_000]) {
      expectError(() => tensor(nested(depth) as number[]), ArgumentError, 'tensor', 'deeper than 64');
      expectError(() => formatTensor(nested(depth) as number[]), ArgumentError, 'formatTensor', 'deeper than 64');
      expectError(() => mul(nested(depth) as number[], 2), ArgumentError, 'mul', 'deeper than 64');
    }
  });

  it('print at 64 levels', () => {
    expect(formatTensor(nested(64) as number[])).toBe(`${'['.repeat(64)}1.0000${']'.repeat(64)}`);
  });
});

describe('graphs', () => {
  it('of 20,000 ops are described, drawn and differentiated', () => {
    const x = param(tensor([0.1, 0.2]));
    let y: Tensor = x;
    for (let i = 0; i < 20_000; i++) y = sin(y);
    const loss = sum(mul(y, y));
    const d = describeGraph(loss);
    expect(d.nodes.filter((n) => n.kind === 'op')).toHaveLength(20_002);
    expect(toDot(d)).toContain('digraph');
    expect(backward(loss).get(x).shape).toEqual([2]);
  });
});

describe('modules', () => {
  it('nested 20,000 deep list their parameters, switch mode and describe themselves', () => {
    let m: Linear | Sequential = new Linear(2, 2);
    for (let i = 0; i < 20_000; i++) m = new Sequential(m);
    expect(m.parameters()).toHaveLength(2);
    expect(m.namedParameters()[0]![0]).toBe(`${'0.'.repeat(20_000)}W`);
    m.eval();
    expect(m.training).toBe(false);
    expect(m.describe().split('\n')).toHaveLength(40_001);
  });

  it('describe as before when shallow', () => {
    const s = new Sequential(new Linear(2, 3), new Sequential(new ReLU()), new Sequential());
    expect(s.describe()).toBe('Sequential(\n  (0) Linear(2 → 3)\n  (1) Sequential(\n  (0) ReLU\n)\n  (2) Sequential(\n\n)\n)');
  });
});
