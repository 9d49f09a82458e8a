/**
 * A model file saved by `deltagraph train --save`, rebuilt: the net its meta describes (an MLP from
 * meta.mlp, the fixed net of meta.example such as mnist-cnn, or the GPT of meta.gpt), with the
 * saved weights loaded. The commands that read saved models (graph, export) share it.
 */
import { DeltaGraphError, GPT, GPTConfig, Loss, MLP, MLPOptions, Module, SavedModel, gpt, loadStateDict, readModel } from '../node';
import { UsageError } from './args';
import { EXAMPLES, FitExample, PRESETS, presetNet } from './commands/train';

const FIT_EXAMPLES = EXAMPLES.filter((e): e is FitExample => e !== 'shakespeare');

/** A rebuilt model and what a command needs to feed it. */
export type RebuiltModel =
  | { kind: 'gpt'; model: GPT; name: string }
  | {
      kind: 'rows';
      model: Module;
      /** What titles call the net, e.g. "MLP 784-128-10". */
      name: string;
      /** The width of one input row. */
      inputs: number;
      /** The number of outputs per row, when the meta says it (an MLP's last width). */
      outputs: number | undefined;
      /** The example it was trained on, and that example's loss, when the meta names one. */
      example: FitExample | undefined;
      loss: Loss | undefined;
      isMlp: boolean;
    };

/** Reads and rebuilds the model saved at `path`; `command` names the command in usage errors. */
export function rebuildSavedModel(command: string, path: string): RebuiltModel {
  let saved: SavedModel;
  try {
    saved = readModel(path);
  } catch (e) {
    throw new UsageError(`${command}: cannot read the model file '${path}': ${(e as Error).message.split('\n')[0]}`);
  }
  const meta = saved?.meta as { example?: unknown; mlp?: MLPOptions; gpt?: GPTConfig } | undefined;
  if (meta?.example === 'shakespeare' && typeof meta.gpt === 'object' && meta.gpt !== null) {
    let model: GPT;
    try {
      model = gpt(meta.gpt, 0);
    } catch (e) {
      throw new UsageError(`${command}: '${path}' has a meta.gpt that does not make a GPT: ${(e as Error).message}`);
    }
    loadStateDict(model, saved);
    return { kind: 'gpt', model, name: model.describe() };
  }
  const example = FIT_EXAMPLES.find((e) => e === meta?.example);
  const hasMlp = typeof meta?.mlp === 'object' && meta.mlp !== null && Array.isArray(meta.mlp.layers);
  const fixed = example !== undefined && PRESETS[example].model !== undefined;
  if (!hasMlp && !fixed) {
    throw new UsageError(`${command}: '${path}' does not say how to rebuild its net (no meta.mlp, nor a meta.example with a fixed net such as mnist-cnn); save models with deltagraph train --save`);
  }
  let rebuilt: { model: Module; name: string };
  if (hasMlp) {
    try {
      // The MLP checks its declared layers (and the memory budget) before drawing any weight.
      rebuilt = { model: new MLP(meta!.mlp!), name: `MLP ${meta!.mlp!.layers.join('-')}` };
    } catch (e) {
      if (!(e instanceof DeltaGraphError)) throw e;
      throw new UsageError(`${command}: '${path}' has a meta.mlp that does not make an MLP: ${e.message}`);
    }
  } else rebuilt = presetNet(example!, 0);
  loadStateDict(rebuilt.model, saved);
  const preset = example === undefined ? undefined : PRESETS[example];
  const layers = hasMlp ? meta!.mlp!.layers : undefined;
  return {
    kind: 'rows',
    model: rebuilt.model,
    name: rebuilt.name,
    inputs: layers ? layers[0]! : (preset as { inputs: number }).inputs,
    outputs: layers ? layers[layers.length - 1]! : undefined,
    example,
    loss: preset?.loss,
    isMlp: hasMlp,
  };
}
