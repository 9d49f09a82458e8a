/** Gradchecking a module as a whole: its input and every parameter at once, through its own forward pass. */
import { Tensor, backward, mul, param, sum } from '../../index';
import { gradcheck } from '../../check';

/** A place a module keeps a tensor (a parameter): read it, and put a stand-in there. */
export interface Slot {
  name: string;
  get(): Tensor;
  set(t: Tensor): void;
}

/** A slot for module[key] (a readonly field, written over while the check runs). */
export function fieldSlot<M extends object>(name: string, module: M, key: keyof M): Slot {
  return { name, get: () => module[key] as unknown as Tensor, set: (t) => ((module as Record<keyof M, unknown>)[key] = t) };
}

/** A slot for list[i] (a readonly array of a module's parameters). */
export function itemSlot(name: string, list: readonly Tensor[], i: number): Slot {
  return { name, get: () => list[i]!, set: (t) => ((list as Tensor[])[i] = t) };
}

/** A fixed weighting of a layer's output, so that the checked scalar depends on every element. */
export const weighted = (y: Tensor): Tensor =>
  sum(mul(y, new Tensor(Float64Array.from({ length: y.size }, (_, i) => Math.sin(i + 1)), y.shape)));

/**
 * Gradchecks (x, p₁, …, pₖ) ↦ weighted(run(x)) with the module holding pᵢ in slot i, at the
 * given input and the parameters' current values; also checks that each input really gets a
 * nonzero gradient (a module ignoring a stand-in would pass with zeros both ways).
 */
export function expectWholeGradcheck(name: string, inputs: readonly Tensor[], slots: readonly Slot[], run: (...inputs: Tensor[]) => Tensor): void {
  const k = inputs.length;
  const f = (...args: Tensor[]): Tensor => {
    const held = slots.map((s) => s.get());
    slots.forEach((s, i) => s.set(args[k + i]!));
    try {
      return weighted(run(...args.slice(0, k)));
    } finally {
      slots.forEach((s, i) => s.set(held[i]!));
    }
  };
  const points = [...inputs, ...slots.map((s) => new Tensor(s.get().data.slice(), s.get().shape))];
  const leaves = points.map((p) => param(p));
  const grads = backward(f(...leaves));
  leaves.forEach((leaf, i) => {
    const label = i < k ? `input ${i}` : slots[i - k]!.name;
    const g = grads.get(leaf);
    expect([label, g !== undefined && g.data.some((v) => v !== 0)]).toEqual([label, true]);
  });
  // gradcheck throws a GradcheckError naming the worst element when it fails.
  expect(gradcheck(f, points, { name }).ok).toBe(true);
}
