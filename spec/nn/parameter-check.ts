/** Helpers for gradchecking a module with respect to one of its parameters. */
import { Tensor, noGrad } from '../../index';

/**
 * A function of one of a module's parameters: while it runs, the module holds the argument in
 * place of that parameter, so that gradcheck differentiates through the module's own forward pass
 * with respect to it (both the recorded pass and the finite differences).
 */
export function ofParameter<M extends object, K extends keyof M>(module: M, key: K, run: () => Tensor): (p: Tensor) => Tensor {
  return (p: Tensor) => {
    const held = module[key];
    (module as Record<K, unknown>)[key] = p;
    try {
      return run();
    } finally {
      (module as Record<K, unknown>)[key] = held;
    }
  };
}

/** Checks that f really depends on its argument (a module that ignored the stand-in would pass gradcheck with zeros). */
export function expectDependence(f: (p: Tensor) => Tensor, p: Tensor): void {
  const moved = new Tensor(p.data.map((v) => v + 0.1), p.shape);
  expect(noGrad(() => f(moved).item())).not.toBeCloseTo(noGrad(() => f(p).item()), 6);
}
