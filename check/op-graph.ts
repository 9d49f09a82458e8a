/**
 * Random op graphs with shared sub-expressions: each step applies an op to earlier values, chosen
 * at random, so values are reused and gradients meet over several paths — the case that tests
 * the engine's accumulation rather than any single VJP.
 */
import fc from 'fast-check';
import { ArgumentError, Tensor, asTensor, describe, within } from '../lib';
import { add, cos, mul, sigmoid, sin, sub, sum, tanh, softplus } from '../ops';
import { shapes, tensorOf } from './arbitraries';

const UNARY = { tanh, sin, cos, sigmoid, softplus } as const;
// Smooth ops only: a kink such as maximum's tie at equal inputs would defeat finite differences.
const BINARY = { add, sub, mul } as const;
/**
 * The ops a random graph may use: the smooth unary ops of UNARY and the binary ops of BINARY.
 * @inline
 */
type OpName = keyof typeof UNARY | keyof typeof BINARY;
const OPS = [...Object.keys(UNARY), ...Object.keys(BINARY)] as OpName[];

export interface GraphStep {
  op: OpName;
  /** Indices into the values so far (the inputs, then the results of earlier steps). */
  args: [number, number];
}

export interface OpGraph {
  shape: number[];
  inputs: Tensor[];
  steps: GraphStep[];
}

/** Evaluates a random graph: Σ of its last value (a scalar), with the given input tensors. */
export function evaluateGraph(graph: OpGraph, inputs: readonly Tensor[]): Tensor {
  const steps: unknown = graph !== null && typeof graph === 'object' ? (graph as { steps?: unknown }).steps : undefined;
  if (!Array.isArray(steps)) throw new ArgumentError(`evaluateGraph: expected a graph { shape, inputs, steps } from opGraph, got ${describe(graph)}`);
  if (!Array.isArray(inputs) || inputs.length === 0) throw new ArgumentError(`evaluateGraph: inputs must be a non-empty array of tensors, got ${describe(inputs)}`);
  const values: Tensor[] = inputs.map((x, i) => asTensor('evaluateGraph', x, `inputs[${i}]`));
  steps.forEach((step: unknown, i) => {
    const { op, args } = (step !== null && typeof step === 'object' ? step : {}) as Partial<GraphStep>;
    if (typeof op !== 'string' || !OPS.includes(op as OpName)) {
      throw new ArgumentError(`evaluateGraph: steps[${i}].op must be one of ${OPS.join(', ')}, got ${describe(op)}`);
    }
    const index = (k: number): Tensor => {
      const j: unknown = Array.isArray(args) ? args[k] : undefined;
      if (typeof j !== 'number' || !Number.isInteger(j) || j < 0 || j >= values.length) {
        throw new ArgumentError(`evaluateGraph: steps[${i}].args must be two indices of earlier values in [0, ${values.length - 1}], got ${describe(args)}`);
      }
      return values[j]!;
    };
    const a = index(0);
    const b = index(1);
    values.push(within('evaluateGraph', `steps[${i}] (${op})`, () => (op in UNARY ? UNARY[op as keyof typeof UNARY](a) : BINARY[op as keyof typeof BINARY](a, b))));
  });
  return within('evaluateGraph', null, () => sum(values[values.length - 1]!));
}

/** Random graphs of 1–3 inputs of one shape and 1–maxSteps steps that reuse earlier values. */
export function opGraph(options: { maxSteps?: number } = {}): fc.Arbitrary<OpGraph> {
  const maxSteps: unknown = (options as { maxSteps?: unknown } | null)?.maxSteps;
  if (typeof options !== 'object' || options === null || (maxSteps !== undefined && !(typeof maxSteps === 'number' && Number.isSafeInteger(maxSteps) && maxSteps >= 1 && maxSteps <= 1000))) {
    throw new ArgumentError(`opGraph: expected options { maxSteps } with maxSteps an integer in [1, 1000], got ${describe(options)}${maxSteps === undefined ? '' : ` with maxSteps ${describe(maxSteps)}`}`);
  }
  return fc
    .tuple(shapes({ maxRank: 2 }), fc.integer({ min: 1, max: 3 }))
    .chain(([shape, n]) =>
      fc.record({
        shape: fc.constant(shape),
        inputs: fc.array(tensorOf(shape), { minLength: n, maxLength: n }),
        steps: fc.array(fc.tuple(fc.constantFrom(...OPS), fc.nat(), fc.nat()), { minLength: 1, maxLength: options.maxSteps ?? 8 }),
      }),
    )
    .map(({ shape, inputs, steps }) => ({
      shape,
      inputs,
      steps: steps.map(([op, a, b], i): GraphStep => {
        const available = inputs.length + i;
        // Lean toward recent values so that chains form, while older ones are still reused.
        return { op, args: [available - 1 - (a % available), b % available] };
      }),
    }));
}
