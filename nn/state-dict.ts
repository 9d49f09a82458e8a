/**
 * State dicts with PyTorch's names and layouts: `module.stateDict()` and
 * `module.loadStateDict(dict, { strict })` (Module's methods, which use what is here).
 *
 * Each module class says how its own tensors appear in a PyTorch state dict with a protected hook,
 * `torchLayout()`, next to its own code: a list of its tensors, each with PyTorch's key relative to
 * the module (`weight`, `in_proj_bias`, `running_mean`), and whether PyTorch holds it transposed
 * (a Linear's W [in, out] is PyTorch's weight [out, in]); then its children under PyTorch's names.
 * Module's default lists its own parameters, then its own buffers, under their deltagraph names,
 * then its children under theirs, which is right for the modules whose names already are PyTorch's
 * (LSTM, LayerNorm, Embedding, Sequential's indices) and for containers without a PyTorch twin (GPT,
 * GPTBlock: by their child names). A module may also absorb a child (MultiHeadAttention lists its
 * in-projection Linear's tensors as its own in_proj_weight and in_proj_bias) or stand for one (its
 * layout being its child's).
 *
 * The keys are joined by dots from the root, in PyTorch's order: a module's own parameters, then
 * its own buffers, then each child in order, depth first.
 *
 * This is not deltagraph's own JSON format (the free functions stateDict(model) and
 * loadStateDict(model, saved) of nn/serialize.ts): that one keeps deltagraph's names and layouts
 * ("0.W" [in, out]), separates parameters from buffers and writes every value exactly as JSON.
 */
import { ArgumentError, DeltaGraphError, Tensor, asTensor, describe, fmtShape, within } from '../lib';
import { boolIn, isRecord, optionsIn } from './args';
import type { Module } from './module';

/** One of a module's tensors as PyTorch's state dict holds it. */
export interface TorchTensor {
  /** PyTorch's key relative to the module, e.g. 'weight' or 'in_proj_bias'. */
  readonly key: string;
  /** The module's own tensor: stateDict copies it, loadStateDict writes into it in place. */
  readonly tensor: Tensor;
  /** PyTorch holds the transpose of this rank-2 tensor (Linear's weight [out, in] for W [in, out]). */
  readonly transposed?: boolean;
  /**
   * A dict may lack it without it being a missing key; the tensor then keeps its values (BatchNorm's
   * num_batches_tracked, which PyTorch itself fills in when a dict without it is loaded).
   */
  readonly optional?: boolean;
}

/** How a module appears in a PyTorch state dict: its own tensors, then its children. */
export interface TorchLayout {
  /** The module's own tensors in PyTorch's order: parameters first, then buffers. */
  readonly tensors: readonly TorchTensor[];
  /** Its children under PyTorch's names, in order; each is laid out by its own hook. */
  readonly children: ReadonlyArray<readonly [string, Module]>;
}

export interface LoadStateDictOptions {
  /**
   * Every key of the module must be in the dict and every key of the dict in the module (default
   * true). With false, the keys that match are loaded and the others returned. A key whose tensor
   * has another shape than the module's is an error either way.
   */
  strict?: boolean;
}

/** What loadStateDict did not match, as PyTorch's load_state_dict returns it. */
export interface LoadStateDictResult {
  /** The module's keys that the dict lacks (their tensors keep their values). */
  missingKeys: string[];
  /** The dict's keys that the module does not have (ignored). */
  unexpectedKeys: string[];
}

/** One tensor of the whole module tree: its full key and PyTorch's shape of it. */
interface Slot {
  readonly key: string;
  readonly tensor: Tensor;
  readonly transposed: boolean;
  readonly optional: boolean;
  /** PyTorch's shape: the tensor's, reversed when transposed. */
  readonly shape: readonly number[];
}

/** The layout hook of a module (Module hands its protected method in). */
export type LayoutOf = (m: Module) => TorchLayout;

/**
 * Every tensor of the tree under `root` with its full key, in PyTorch's order. An explicit stack:
 * the depth of nesting is not bounded by the call stack.
 */
function slotsOf(who: string, root: Module, layoutOf: LayoutOf): Slot[] {
  const out: Slot[] = [];
  const seen = new Set<string>();
  const stack: Array<[string, Module]> = [['', root]];
  while (stack.length > 0) {
    const [prefix, m] = stack.pop()!;
    const layout = layoutOf(m);
    for (const t of layout.tensors) {
      const key = prefix + t.key;
      if (seen.has(key)) throw new ArgumentError(`${who}: two tensors of the module have the key '${key}'; each needs a name of its own`);
      seen.add(key);
      const transposed = t.transposed === true;
      const shape = transposed ? [t.tensor.shape[1]!, t.tensor.shape[0]!] : t.tensor.shape.slice();
      out.push({ key, tensor: t.tensor, transposed, optional: t.optional === true, shape });
    }
    for (let i = layout.children.length - 1; i >= 0; i--) {
      const [name, child] = layout.children[i]!;
      stack.push([`${prefix}${name}.`, child]);
    }
  }
  return out;
}

/** The values of a rank-2 [rows, cols] array as [cols, rows]. */
function transposed(data: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j]!;
  return out;
}

/** Sets an own, enumerable property (a key such as "__proto__" stays a key). */
function put<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The module's tensors under PyTorch's keys and in PyTorch's layouts, as detached copies. */
export function torchStateDict(who: string, root: Module, layoutOf: LayoutOf): Record<string, Tensor> {
  return within(who, null, () => {
    const out: Record<string, Tensor> = {};
    for (const s of slotsOf(who, root, layoutOf)) {
      const t = s.tensor;
      const data = s.transposed ? transposed(t.data, t.shape[0]!, t.shape[1]!) : t.data.slice();
      put(out, s.key, new Tensor(data, s.shape));
    }
    return out;
  });
}

/**
 * Copies a PyTorch state dict into the module: every key checked (missing, unexpected, shape)
 * before any value is written, and every problem named in one error.
 */
export function loadTorchStateDict(who: string, root: Module, dict: unknown, options: unknown, layoutOf: LayoutOf): LoadStateDictResult {
  if (!isRecord(dict)) {
    throw new ArgumentError(`${who}: dict must be a plain object of tensors under PyTorch's keys (what stateDict() or loadSafetensors gives), got ${describe(dict)}`);
  }
  const o = optionsIn(who, options);
  const strict = boolIn(who, 'strict', o.strict, true);
  const slots = within(who, null, () => slotsOf(who, root, layoutOf));
  const known = new Set(slots.map((s) => s.key));
  const given = Object.keys(dict);
  const has = new Set(given);
  const unexpectedKeys = given.filter((k) => !known.has(k));
  const missing = slots.filter((s) => !s.optional && !has.has(s.key));
  const wrong: string[] = [];
  const plan: Array<[Slot, Tensor]> = [];
  for (const s of slots) {
    if (!has.has(s.key)) continue;
    const value: unknown = dict[s.key];
    let t: Tensor;
    try {
      t = asTensor(who, value, `'${s.key}'`);
    } catch (e) {
      if (!(e instanceof DeltaGraphError)) throw e;
      wrong.push(`'${s.key}' is ${describe(value)}, not a tensor (${s.shape.length === 0 ? 'a scalar' : `shape ${fmtShape(s.shape)}`})`);
      continue;
    }
    if (t.shape.length !== s.shape.length || t.shape.some((d, i) => d !== s.shape[i])) {
      wrong.push(`'${s.key}' has shape ${fmtShape(t.shape)} in the dict but ${fmtShape(s.shape)} in the module${s.transposed ? " (PyTorch's layout, the transpose of deltagraph's)" : ''}`);
      continue;
    }
    plan.push([s, t]);
  }
  const problems: string[] = [];
  if (strict && missing.length > 0) problems.push(`missing keys ${missing.map((s) => `'${s.key}' ${fmtShape(s.shape)}`).join(', ')}`);
  if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys ${unexpectedKeys.map((k) => `'${k}'`).join(', ')}`);
  if (wrong.length > 0) problems.push(`mis-shaped: ${wrong.join('; ')}`);
  if (problems.length > 0) {
    const hint = wrong.length === 0 ? '; pass { strict: false } to load the keys that match and get the others back' : '';
    throw new ArgumentError(`${who}: the state dict does not fit the module: ${problems.join('; ')}${hint}`);
  }
  // Every value is read (in deltagraph's layout), and every target reached, before any is written:
  // a dict may share arrays with the module.
  const values = within(who, null, () => plan.map(([s, t]) => (s.transposed ? transposed(t.data, s.shape[0]!, s.shape[1]!) : t.data.slice())));
  const targets = within(who, null, () => plan.map(([s]) => s.tensor.data));
  targets.forEach((target, i) => target.set(values[i]!));
  return { missingKeys: missing.map((s) => s.key), unexpectedKeys };
}
