/**
 * Anomaly detection: the first op whose forward or VJP turns finite values into NaN or ±∞ is
 * named, with its shapes, the pass and the user's frames of the call that created it; nothing is
 * checked or captured outside anomaly mode; backward's checkFinite alone checks the VJPs.
 */
import {
  AnomalyError, ArgumentError, DeltaGraphError, Tensor, add, backward, checkpoint, customVjp, detectAnomaly, exp, grad, log, minimum, mul, nodeOf,
  param, sqrt, sub, sum, tensor,
} from '../../index';

function thrown(fn: () => unknown): AnomalyError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AnomalyError) return e;
    throw e;
  }
  throw new Error('expected an AnomalyError');
}

describe('detectAnomaly', () => {
  it('names the first forward op that makes NaN or ±∞ from finite inputs, and where it was created', () => {
    const x = tensor([1, 2, 3]);
    const e = thrown(() => detectAnomaly(() => sum(log(sub(x, x)))));
    expect(e).toBeInstanceOf(DeltaGraphError);
    expect(e.op).toBe('log');
    expect(e.phase).toBe('forward');
    expect(e.inputShapes).toEqual([[3]]);
    expect(e.outputShape).toEqual([3]);
    expect(e.message).toMatch(/^detectAnomaly: the forward pass of 'log' turned finite inputs \[3\] into -Infinity at index 0 of its output \[3\]; created at\n/);
    expect(e.createdAt).toMatch(/anomaly\.spec\.ts/);
    // The library's own frames are left out.
    expect(e.createdAt).not.toMatch(/define-op|anomaly\.ts|ops[/\\]log\.ts/);
  });

  it('does not blame an op for non-finite values it was given', () => {
    const y = detectAnomaly(() => add(tensor([NaN, 1]), 1));
    expect(Number.isNaN(y.data[0])).toBe(true);
  });

  it('names the first VJP that makes NaN or ±∞ from a finite gradient and finite inputs', () => {
    const x = param(tensor([0, 4]));
    const e = thrown(() => detectAnomaly(() => backward(sum(sqrt(x)))));
    expect(e.op).toBe('sqrt');
    expect(e.phase).toBe('backward');
    expect(e.message).toMatch(/^backward: the VJP of 'sqrt' \(node \d+, inputs \[2\] → output \[2\]\) turned a finite gradient and finite inputs into Infinity at index 0 of the gradient of its input 0; created at\n/);
    expect(e.createdAt).toMatch(/anomaly\.spec\.ts/);
  });

  it('works through the transforms (the error carries their name)', () => {
    const e = thrown(() => detectAnomaly(() => grad((z: Tensor) => sum(sqrt(z)))(tensor([0, 1]))));
    expect(e.op).toBe('sqrt');
    expect(e.message).toMatch(/^grad: backward: the VJP of 'sqrt'/);
  });

  it('checks a VJP’s results, not the ops it is made of', () => {
    // The rule computes e^1000 = ∞ on the way, then clips it: its result is finite.
    const safe = customVjp(function safe(x: Tensor) { return mul(x, 2); }, (g) => [minimum(mul(g, exp(1000)), 2)]);
    const x = param(tensor([1, 2]));
    const g = detectAnomaly(() => backward(sum(safe(x))).get(x));
    expect(g.toArray()).toEqual([2, 2]);
  });

  it('looks inside a checkpoint: its forward ops, and the VJPs of its recomputation', () => {
    const inner = checkpoint(function inner(z: Tensor) { return sqrt(mul(z, z)); });
    const forward = thrown(() => detectAnomaly(() => inner(param(tensor([1e200, 1])))));
    expect([forward.op, forward.phase]).toEqual(['mul', 'forward']);
    const x = param(tensor([0, 1]));
    const backwardError = thrown(() => detectAnomaly(() => backward(sum(inner(x)))));
    expect([backwardError.op, backwardError.phase]).toEqual(['sqrt', 'backward']);
  });

  it('finds an overflow where gradients over two paths are summed', () => {
    const x = param(tensor([1]));
    const loss = add(sum(mul(x, 1e308)), sum(mul(x, 1e308)));
    const e = thrown(() => backward(loss, { checkFinite: true }));
    expect(e.op).toBe('accumulate');
    expect(e.message).toMatch(/^backward: summing the finite gradients that reach input 0 \(\[1\]\) of 'mul' \(node \d+\) over several paths gave Infinity at index 0 \(an overflow\); where it was created is unknown/);
  });

  it('returns fn’s value, and switches itself off after fn, also when fn throws', () => {
    expect(detectAnomaly(() => 42)).toBe(42);
    expect(() => detectAnomaly(() => { throw new Error('mine'); })).toThrow('mine');
    expect(log(tensor([0])).data[0]).toBe(-Infinity);
    const x = param(tensor([2]));
    expect(nodeOf(mul(x, x))!.createdAt).toBeNull();
    expect(nodeOf(detectAnomaly(() => mul(x, x)))!.createdAt).toMatch(/anomaly\.spec\.ts/);
    expect(() => detectAnomaly(3 as never)).toThrow(ArgumentError);
    expect(() => detectAnomaly(3 as never)).toThrow(/^detectAnomaly: fn must be a function/);
  });
});

describe('backward { checkFinite: true }', () => {
  it('names the VJP outside detectAnomaly, without a creation stack', () => {
    const x = param(tensor([0, 1]));
    const loss = sum(sqrt(x));
    const e = thrown(() => backward(loss, { checkFinite: true }));
    expect(e.op).toBe('sqrt');
    expect(e.createdAt).toBeNull();
    expect(e.message).toMatch(/where it was created is unknown \(run the forward pass inside detectAnomaly to record it\)$/);
  });

  it('is off by default and refuses a value that is not a boolean', () => {
    const x = param(tensor([0, 1]));
    expect(backward(sum(sqrt(x))).get(x).data[0]).toBe(Infinity);
    expect(() => backward(sum(sqrt(x)), { checkFinite: 1 as never })).toThrow(/^backward: checkFinite must be true or false, got 1$/);
    expect(backward(sum(sqrt(param(tensor([1, 4])))), { checkFinite: true })).toBeDefined();
  });
});
