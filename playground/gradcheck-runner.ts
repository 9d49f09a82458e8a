/**
 * The gradient check behind the playground's panel (no DOM, so that it runs under Node too).
 *
 * - checkNet compares, for each weight matrix and bias of the current net, the gradient of the
 *   whole-training-set loss that the backward pass gives with central differences of the loss in
 *   float64 (the library's gradcheck). It tests the net as it is now, at its current weights.
 * - checkOpsStepwise runs the library's property-based check of every registered op (random shapes
 *   and values, first and second order: checkOps) one op at a time, giving the event loop a turn
 *   between ops so that a page stays responsive and can draw its progress.
 */
import { checkOps, gradcheck, registry } from 'deltagraph';
import type { GradcheckResult, Linear, OpCheckRow, Tensor } from 'deltagraph';
import type { Session } from './host';

/** One parameter of the net: did the backward pass agree with the central differences? */
export interface NetCheckRow {
  /** 'W1', 'b1', 'W2', …: the weights and bias of the l-th Linear layer, counted from 1. */
  name: string;
  shape: number[];
  /** 'full': every element of the gradient compared; 'dot': one random direction (large parameters). */
  mode: GradcheckResult['mode'];
  ok: boolean;
  /** Largest |analytic − numeric| / (atol + rtol·|numeric|): the check passes when it is ≤ 1. */
  worstRatio: number;
  /** |analytic − numeric| at the worst element (0 when the parameter has no elements). */
  absError: number;
  /** The backward pass's and the central differences' values at the worst element. */
  analytic: number;
  numeric: number;
}

/** fast-check's seed for the op checks: the same cases on every run, so that a failure can be replayed. */
export const OP_CHECK_SEED = 20240601;

/**
 * The loss over the whole training set as a function of one parameter of one layer: while it
 * runs, the layer holds the argument in place of that parameter (so that gradcheck differentiates
 * through the net's own forward pass, both the recorded pass and the finite differences), and the
 * parameter is put back afterwards, even when the forward pass throws.
 */
function lossOfParameter(session: Session, layer: Linear, key: 'W' | 'b'): (p: Tensor) => Tensor {
  // W and b are readonly for users of Linear; the stand-in lives only for one forward pass.
  const slot = layer as unknown as Record<'W' | 'b', Tensor | null>;
  return (p: Tensor) => {
    const held = slot[key];
    slot[key] = p;
    try {
      return session.lossGraph().loss;
    } finally {
      slot[key] = held;
    }
  };
}

/**
 * Gradchecks the loss over the whole training set with respect to each parameter of the net, one
 * parameter at a time (the others held fixed): W1, b1, W2, b2, … A row fails when some element of
 * ∂loss/∂parameter from the backward pass differs from the central difference by more than
 * gradcheck's tolerance (|error| ≤ 1e-5 + 1e-4·|numeric|). Parameters of up to 400 elements are
 * compared element by element, larger ones along a random direction. The model's parameters are
 * the same tensors, with the same values, afterwards.
 */
export function checkNet(session: Session): NetCheckRow[] {
  const rows: NetCheckRow[] = [];
  session.model.linears().forEach((layer, i) => {
    const keys: Array<'W' | 'b'> = layer.b === null ? ['W'] : ['W', 'b'];
    for (const key of keys) {
      const parameter = layer[key]!;
      const name = `${key}${i + 1}`;
      const r = gradcheck(lossOfParameter(session, layer, key), [parameter], { name, raise: false });
      rows.push({
        name,
        shape: parameter.shape.slice(),
        mode: r.mode,
        ok: r.ok,
        worstRatio: r.worstRatio,
        absError: r.worst?.absError ?? 0,
        analytic: r.worst?.analytic ?? 0,
        numeric: r.worst?.numeric ?? 0,
      });
    }
  });
  return rows;
}

/** The names of the ops that checkOpsStepwise checks, in its order (the library's registry). */
export function checkedOpNames(): string[] {
  return registry.map((e) => e.name);
}

/**
 * Property-checks every registered op with `runs` random cases per op and order (checkOps with a
 * fixed seed), one op at a time: after each op it calls onRow(row, index, total) and yields to the
 * event loop. Stops early, returning the rows so far, when shouldStop() turns true (checked before
 * each op).
 */
export async function checkOpsStepwise(
  runs: number,
  onRow: (row: OpCheckRow, index: number, total: number) => void,
  shouldStop?: () => boolean,
): Promise<OpCheckRow[]> {
  const names = checkedOpNames();
  const rows: OpCheckRow[] = [];
  for (let i = 0; i < names.length; i++) {
    if (shouldStop?.()) break;
    const [row] = checkOps([names[i]!], { runs, seed: OP_CHECK_SEED });
    rows.push(row!);
    onRow(row!, i, names.length);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return rows;
}
