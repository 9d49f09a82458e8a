/**
 * Module: the base of every layer and net. A module owns named parameters (leaves of the graph
 * that want gradients), named buffers (state that is saved but not trained, such as batch-norm
 * running statistics) and child modules, and has a train/eval mode.
 */
import { ArgumentError, Tensor, TensorLike, describe, fmtShape, param } from '../lib';
import { asTensor, boolIn } from './args';
import { LoadStateDictOptions, LoadStateDictResult, TorchLayout, loadTorchStateDict, torchStateDict } from './state-dict';

/**
 * Buffers that a saved model may lack (added with addBuffer(name, value, { optional: true })):
 * loading one of deltagraph's JSON models without them leaves them as they are, so that models
 * saved before such a buffer existed still load.
 */
const optionalBuffers = new WeakSet<Tensor>();

/** Whether `t` is a buffer that a saved model may lack (see addBuffer). */
export function isOptionalBuffer(t: Tensor): boolean {
  return optionalBuffers.has(t);
}

export abstract class Module {
  /** Train mode (the default) or eval mode: batch norm and dropout behave differently. */
  training = true;
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /**
   * The module's computation on a batch (rows are examples). Takes whatever the ops take: a
   * tensor, a number or a nested array of numbers.
   */
  abstract forward(x: TensorLike): Tensor;

  /** A short description for summaries, e.g. Linear(784 → 128). */
  abstract describe(): string;

  protected addParameter(name: string, value: Tensor): Tensor {
    const p = param(value);
    this.ownParameters.set(name, p);
    return p;
  }

  /**
   * A buffer: state that is saved but not trained. An optional one may be absent from a saved
   * model, which then leaves it as it is (for state added after models were saved without it).
   */
  protected addBuffer(name: string, value: Tensor, options: { optional?: boolean } = {}): Tensor {
    this.ownBuffers.set(name, value);
    if (options.optional === true) optionalBuffers.add(value);
    return value;
  }

  protected addModule<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  /** Child modules in the order they were added. */
  modules(): Array<[string, Module]> {
    return [...this.children];
  }

  /** Every trainable parameter of the module and its children, named by path ("0.W"). */
  namedParameters(prefix = ''): Array<[string, Tensor]> {
    return this.walk(`${this.constructor.name}.namedParameters`, prefix, (m) => m.ownParameters);
  }

  /**
   * The tensors `own` gives of this module and of every module below it, depth first in the
   * order they were added, named by path. An explicit stack: nesting depth is not bounded by
   * the call stack.
   */
  private walk(who: string, prefix: unknown, own: (m: Module) => Map<string, Tensor>): Array<[string, Tensor]> {
    if (typeof prefix !== 'string') throw new ArgumentError(`${who}: prefix must be a string, got ${describe(prefix)}`);
    const out: Array<[string, Tensor]> = [];
    const stack: Array<[string, Module]> = [[prefix, this]];
    while (stack.length > 0) {
      const [path, m] = stack.pop()!;
      for (const [n, t] of own(m)) out.push([path + n, t]);
      const children = [...m.children];
      for (let i = children.length - 1; i >= 0; i--) stack.push([`${path}${children[i]![0]}.`, children[i]![1]]);
    }
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Every buffer of the module and its children, named by path. */
  namedBuffers(prefix = ''): Array<[string, Tensor]> {
    return this.walk(`${this.constructor.name}.namedBuffers`, prefix, (m) => m.ownBuffers);
  }

  /** Sets train mode (true) or eval mode (false) here and in every child. */
  train(on = true): this {
    const mode = boolIn(`${this.constructor.name}.train`, 'on', on, true);
    const stack: Module[] = [this];
    while (stack.length > 0) {
      const m = stack.pop()!;
      m.training = mode;
      // A child with a train of its own (a subclass's override) is handed the mode to handle.
      for (const [, child] of m.children) {
        if (child.train === Module.prototype.train) stack.push(child);
        else child.train(mode);
      }
    }
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /**
   * How this module's tensors appear in a PyTorch state dict (see nn/state-dict.ts): its own
   * tensors under PyTorch's keys, in PyTorch's order (parameters, then buffers), each marked when
   * PyTorch holds its transpose, then its children under PyTorch's names. This default lists the
   * parameters and buffers under their own names, then the children under theirs; a layer whose
   * names or layouts differ from PyTorch's overrides it.
   */
  protected torchLayout(): TorchLayout {
    return {
      tensors: [...this.ownParameters, ...this.ownBuffers].map(([key, tensor]) => ({ key, tensor })),
      children: [...this.children],
    };
  }

  /**
   * The module's state dict as PyTorch names and lays it out: e.g. a Linear's `weight` [out, in]
   * (the transpose of W) and `bias`, a Sequential's `0.weight`, a BatchNorm's `running_mean`, in
   * PyTorch's order (a module's own parameters, then its buffers, then each child). The tensors are
   * detached copies: changing them does not change the module. Save it with saveSafetensors, or
   * load a PyTorch model's with loadStateDict. This is not the free function stateDict(model),
   * which gives deltagraph's own JSON format (deltagraph's names and layouts, as saveModel writes).
   */
  stateDict(): Record<string, Tensor> {
    return torchStateDict(`${this.constructor.name}.stateDict`, this, (m) => m.torchLayout());
  }

  /**
   * Copies a PyTorch state dict (PyTorch's keys and layouts, as stateDict gives and loadSafetensors
   * reads) into the module, in place. With strict (the default) every key of the module must be in
   * the dict and every key of the dict in the module; one ArgumentError names every missing,
   * unexpected and mis-shaped key. With { strict: false } the keys that match are loaded and
   * `{ missingKeys, unexpectedKeys }` says which did not, as PyTorch's load_state_dict; a tensor of
   * another shape is still an error. Nothing is written unless everything fits. Values may be
   * tensors or nested arrays of numbers. This is not the free function loadStateDict(model, saved),
   * which reads deltagraph's own JSON format.
   */
  loadStateDict(dict: Record<string, Tensor | TensorLike>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadTorchStateDict(`${this.constructor.name}.loadStateDict`, this, dict, options, (m) => m.torchLayout());
  }

  /** Number of trainable scalars. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }
}

/**
 * The input of a module's forward pass as a tensor: a batch of rows [n, features]. `layer` names
 * the module in messages.
 */
export function batchOf(layer: string, x: unknown, features: number): Tensor {
  const t = asTensor(`${layer}.forward`, x, 'x');
  checkFeatures(layer, t, features);
  return t;
}

/** Checks that a module got a batch of rows with the expected number of features. */
export function checkFeatures(layer: string, x: Tensor, features: number): void {
  if (x.rank !== 2 || x.shape[1] !== features) {
    throw new ArgumentError(`${layer}.forward: expected input of shape [n, ${features}] (rows are examples), got ${fmtShape(x.shape)}`);
  }
}
