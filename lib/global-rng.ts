/**
 * The global generator, like PyTorch's default generator: what draws random numbers without being
 * given a seed or a generator (the nn layers' initial weights and dropout masks, fit's shuffling,
 * randn and rand) draws from this one generator, so two fresh layers get different weights.
 *
 * It starts from DEFAULT_SEED (0) whenever the library is loaded (each process, page, worker
 * thread and Jest test file), so a program that never seeds still gives the same numbers on every
 * run. manualSeed(seed) reseeds it in place, as torch.manual_seed does; what is then drawn is the
 * same whatever was drawn before. An explicit seed or generator never touches it.
 */
import { ArgumentError, describe } from './errors';
import { Rng, RngState } from './rng';
import { Tensor } from './tensor';
import { checkShape, sizeOf } from './shape';
import { checkTensorBytes } from './memory';

/** The seed of the global generator until manualSeed is called. */
export const DEFAULT_SEED = 0;

const MAX_SEED = 0xffffffff;

// One object for the life of the module: manualSeed reseeds it in place, so layers that hold it
// (an unseeded Dropout, an unseeded MLP's layers) follow the new seed.
const generator = new Rng(DEFAULT_SEED);

/** The global generator (torch.default_generator): library code draws from it when given no seed or generator. */
export function globalRng(): Rng {
  return generator;
}

/**
 * Reseeds the global generator (torch.manual_seed). The seed is an integer in 0 … 2³² − 1, the
 * seeds that give distinct generators; afterwards the global generator draws what rng(seed) draws.
 * Returns the global generator.
 */
export function manualSeed(seed: number): Rng {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new ArgumentError(`manualSeed: seed must be an integer in [0, ${MAX_SEED}], got ${describe(seed)}`);
  }
  return generator.manualSeed(seed);
}

/** The seed the global generator was last seeded with: DEFAULT_SEED until manualSeed (torch.initial_seed). */
export function initialSeed(): number {
  return generator.initialSeed();
}

/**
 * A copy of the global generator's state (torch.get_rng_state), plain JSON: setRngState puts it
 * back, after which the global generator draws what it drew from the moment the copy was taken.
 */
export function getRngState(): RngState {
  return generator.state();
}

/** Puts back a state of the global generator that getRngState (or any rng's state()) gave (torch.set_rng_state). */
export function setRngState(state: RngState): void {
  try {
    generator.setState(state);
  } catch (e) {
    if (e instanceof ArgumentError) throw new ArgumentError(e.message.replace(/^Rng\.setState:/, 'setRngState:'));
    throw e;
  }
}

/** Standard normal values of the given shape, drawn from `rng` (default: the global generator). */
export function randn(shape: readonly number[], rng: Rng = generator): Tensor {
  const s = checkShape('randn', shape);
  if (!(rng instanceof Rng)) throw new ArgumentError(`randn: expected an rng(seed) or nothing as second argument, got ${describe(rng)}`);
  checkTensorBytes('randn', s);
  const data = new Float64Array(sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return new Tensor(data, s);
}

/**
 * Uniform values in [low, high) of the given shape, drawn from `rng` (default: the global
 * generator; pass undefined to give a range without one).
 */
export function rand(shape: readonly number[], rng: Rng = generator, low = 0, high = 1): Tensor {
  const s = checkShape('rand', shape);
  if (!(rng instanceof Rng)) throw new ArgumentError(`rand: expected an rng(seed) or nothing as second argument, got ${describe(rng)}`);
  if (typeof low !== 'number' || typeof high !== 'number' || !(low <= high) || !Number.isFinite(high - low)) {
    throw new ArgumentError(`rand: the range [low, high) = [${describe(low)}, ${describe(high)}) must be finite numbers with low ≤ high and a finite width high − low`);
  }
  checkTensorBytes('rand', s);
  const data = new Float64Array(sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.uniform();
  return new Tensor(data, s);
}
