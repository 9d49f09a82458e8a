/**
 * Argument checking shared by the layers, optimizers, schedules, training loop, metrics and
 * loaders. Each check names its caller (`who`, e.g. "Adam" or "Linear.forward"), the argument,
 * the value given and what was expected, and throws an ArgumentError.
 */
import { ArgumentError, MAX_ELEMENTS, Rng, Tensor, asTensor, describe, globalRng, rng, within } from '../lib';
import { numberIn } from '../lib/args';

export { asTensor, within };
export { boolIn, choiceIn, functionIn, isRecord, numberIn, optionsIn, rangeText, stringIn } from '../lib/args';
export type { NumberRange } from '../lib/args';

/** A size such as a layer width: an integer in 1 … MAX_ELEMENTS. */
export function sizeIn(who: string, name: string, value: unknown): number {
  return numberIn(who, name, value, { min: 1, max: MAX_ELEMENTS, integer: true });
}

/** Checks that a weight matrix [inFeatures, outFeatures] fits in a tensor. */
export function checkLayerSize(who: string, inFeatures: number, outFeatures: number): void {
  if (inFeatures * outFeatures > MAX_ELEMENTS) {
    throw new ArgumentError(
      `${who}: a ${inFeatures} × ${outFeatures} weight matrix has ${inFeatures * outFeatures} elements, more than the ${MAX_ELEMENTS} a tensor may hold`,
    );
  }
}

/** An array of tensors (holes in a sparse array included in the check). */
export function tensorsIn(who: string, name: string, value: unknown): Tensor[] {
  if (!Array.isArray(value)) throw new ArgumentError(`${who}: ${name} must be an array of tensors, got ${describe(value)}`);
  for (let i = 0; i < value.length; i++) {
    const t: unknown = value[i];
    if (!(t instanceof Tensor)) throw new ArgumentError(`${who}: ${name}[${i}] must be a tensor, got ${describe(t)}`);
    asTensor(who, t, `${name}[${i}]`);
  }
  return value.slice() as Tensor[];
}

/**
 * A generator, or a seed (a finite number) to make a fresh one from, so that the caller draws the
 * same numbers whatever else ran; undefined gives the global generator (see manualSeed).
 */
export function rngIn(who: string, name: string, value: unknown): Rng {
  if (value instanceof Rng) return value;
  if (value === undefined) return globalRng();
  return rng(numberIn(who, name, value, {}));
}

