/**
 * What a net tells a picture of its graph after a forward pass: which nodes each layer created
 * (for one box per layer) and readable names for its tensors (W1, b1, Z1, …). Both read the node
 * ranges and outputs that Sequential, MLP and GPT record on every forward pass.
 */
import { ArgumentError, Tensor, describe, within } from '../lib';
import { GPT, LayerSpan, Linear, MLP, Module, Sequential } from '../nn';
import { NodeGroup } from './graph-export';

/**
 * One group per layer of the last forward pass: an MLP's layers (Linear with its BatchNorm,
 * activation and Dropout), a Sequential's modules, a GPT's layers (each block's ln1, attn, ln2,
 * fc, gelu and proj, with the residual adds between them), the layers of any module with a
 * layerSpans method (a model imported from ONNX), or none for any other module.
 * Layers that created no node (an identity activation) are left out.
 */
export function moduleGroups(model: Module): NodeGroup[] {
  if (!(model instanceof Module)) throw new ArgumentError(`moduleGroups: expected a model (a Module such as an MLP, a Sequential or a GPT), got ${describe(model)}`);
  return within('moduleGroups', null, () => groupsOf(model));
}

function groupsOf(model: Module): NodeGroup[] {
  if (model instanceof MLP) {
    const spans = model.layerNodeSpans();
    return model
      .layerModules()
      .map((modules, l): NodeGroup => ({ label: `layer ${l + 1}`, detail: modules.map((m) => m.describe()).join(' · '), span: spans[l]! }))
      .filter((g) => g.span[1] > g.span[0]);
  }
  if (model instanceof Sequential) {
    return model.layers
      .map((m, i): NodeGroup => ({ label: `(${i}) ${m.describe().split('\n')[0]}`, span: model.nodeSpanOf(i) }))
      .filter((g) => g.span[1] > g.span[0]);
  }
  if (hasLayerSpans(model)) {
    return model
      .layerSpans()
      .map(({ label, detail, span }): NodeGroup => ({ label, detail, span }))
      .filter((g) => g.span[1] > g.span[0]);
  }
  return [];
}

/**
 * A module that records the node span of each of its layers (GPT, GPTBlock, a model imported from
 * ONNX): known by its method, so that modules of the layers above nn/ are grouped too.
 */
function hasLayerSpans(model: Module): model is Module & { layerSpans(): readonly LayerSpan[] } {
  return model instanceof GPT || typeof (model as { layerSpans?: unknown }).layerSpans === 'function';
}

export interface MLPNotation {
  /** Letter of a layer's pre-activation (default 'Z'; the Siena slides write A). */
  preActivation?: string;
  /** Letter of a layer's output after its activation (default 'A'; the slides write O). */
  activation?: string;
}

/**
 * Names for an MLP's tensors, layer l counted from 1: Wˡ and bˡ for each Linear, γˡ and βˡ for
 * each BatchNorm, and the pre-activation and output of every layer of the last forward pass
 * (Zˡ and Aˡ by default). The last layer's output is left unnamed: it is the net's output.
 */
export function mlpTensorNames(model: MLP, notation: MLPNotation = {}): Map<Tensor, string> {
  if (!(model instanceof MLP)) throw new ArgumentError(`mlpTensorNames: expected an MLP, got ${describe(model)}`);
  if (notation === null || typeof notation !== 'object' || Array.isArray(notation)) {
    throw new ArgumentError(`mlpTensorNames: expected a notation { preActivation?, activation? } or nothing, got ${describe(notation)}`);
  }
  for (const k of ['preActivation', 'activation'] as const) {
    if (notation[k] !== undefined && typeof notation[k] !== 'string') throw new ArgumentError(`mlpTensorNames: ${k} must be a string (a letter such as 'Z'), got ${describe(notation[k])}`);
  }
  const pre = notation.preActivation ?? 'Z';
  const post = notation.activation ?? 'A';
  const names = new Map<Tensor, string>();
  const layers = model.layerModules();
  layers.forEach((modules, l) => {
    for (const m of modules) {
      for (const [name, t] of m.namedParameters()) {
        const letter = m instanceof Linear ? name : ({ gamma: 'γ', beta: 'β' } as Record<string, string>)[name] ?? name;
        names.set(t, `${letter}${l + 1}`);
      }
    }
  });
  let recorded = true;
  try {
    model.net.outputOf(0);
  } catch {
    recorded = false; // no forward pass yet: only the parameters have names
  }
  if (recorded) {
    model.preActivations().forEach((z, l) => names.set(z, `${pre}${l + 1}`));
    let index = 0;
    layers.forEach((modules, l) => {
      index += modules.length;
      const out = model.net.outputOf(index - 1);
      if (l < layers.length - 1 && !names.has(out)) names.set(out, `${post}${l + 1}`);
    });
  }
  return names;
}
