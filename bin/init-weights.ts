/**
 * train --init FILE: a run that starts from given weights instead of random ones — a safetensors
 * file under PyTorch's state-dict names and layouts (what `deltagraph export --safetensors` and
 * PyTorch's safetensors.torch.save_file write), loaded strictly: every key of the net must be in
 * the file and every key of the file in the net.
 */
import { readFileSync } from 'fs';
import { DeltaGraphError, Module, loadSafetensors } from '../node';
import { UsageError } from './args';

/** The init flag for the parser. */
export const INIT_FLAG = { init: { type: 'string' } } as const;

/** The help line of --init. */
export const INIT_HELP = `  --init W.safetensors    start from these weights instead of random ones: a safetensors file
                          under PyTorch's state-dict names (export --safetensors writes one)`;

/** Loads --init's weights into the model (when the flag is given); returns the line to print, or null. */
export function loadInitialWeights(command: string, values: Record<string, string | boolean | undefined>, model: Module): string | null {
  const path = values.init;
  if (path === undefined) return null;
  if (typeof path !== 'string' || path === '') throw new UsageError(`${command}: --init needs the path of a safetensors file`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`${command}: --init: cannot read '${path}': ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    const dict = loadSafetensors(bytes);
    model.loadStateDict(dict);
    return `initial weights: the ${Object.keys(dict).length} tensors of ${path}`;
  } catch (e) {
    if (e instanceof DeltaGraphError) e.message = `${command}: --init ${path}: ${e.message}`;
    throw e;
  }
}
