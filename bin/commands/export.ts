/**
 * deltagraph export: a model saved by `train --save` written for other engines — an ONNX graph
 * for ONNX Runtime (and every engine that reads ONNX), and its weights as safetensors under
 * PyTorch's state-dict names.
 */
import { writeFileSync } from 'fs';
import { DeltaGraphError, Tensor, saveSafetensors, toOnnx, zeros } from '../../node';
import { formatBytes } from '../../lib/memory';
import { UsageError, choiceFlag, intFlag, parse } from '../args';
import { rebuildSavedModel } from '../saved-model';

export const exportHelp = `Usage: deltagraph export MODEL.json [--onnx OUT.onnx] [--safetensors OUT.safetensors] [options]

Writes a model saved by deltagraph train --save for other engines:
  --onnx OUT.onnx         the net as an ONNX graph (opset 17) for ONNX Runtime and other engines:
                          input 'input' [batch, features], output 'output' (a GPT: input 'ids'
                          [batch, context] of token ids, output 'logits'); the weights inside
  --safetensors OUT.safetensors
                          the weights alone, under PyTorch's state-dict names and layouts
                          (Linear weights [out, in]), for torch's load_state_dict

Options:
  --dtype float32|float64 the precision written [float32, what ONNX Runtime and PyTorch use most]
  --fixed-batch N         an ONNX graph for batches of exactly N rows [any batch size]
  -h, --help              this text`;

function write(path: string, bytes: Uint8Array, what: string): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new DeltaGraphError(`export: cannot write ${what} to ${path}: ${(e as Error).message}`);
  }
}

export function exportCommand(argv: string[]): number {
  const { values, positionals } = parse('export', argv, {
    onnx: { type: 'string' },
    safetensors: { type: 'string' },
    dtype: { type: 'string' },
    'fixed-batch': { type: 'string' },
  });
  if (values.help) {
    console.log(exportHelp);
    return 0;
  }
  const source = positionals[0];
  if (positionals.length !== 1 || source === undefined) throw new UsageError(`export: expected one saved model file, got '${positionals.join(' ')}'`);
  const onnxPath = typeof values.onnx === 'string' ? values.onnx : undefined;
  const safetensorsPath = typeof values.safetensors === 'string' ? values.safetensors : undefined;
  if (onnxPath === undefined && safetensorsPath === undefined) throw new UsageError('export: say what to write: --onnx OUT.onnx, --safetensors OUT.safetensors, or both');
  const dtype = choiceFlag('export', 'dtype', values.dtype, ['float32', 'float64'] as const, 'float32');
  const fixedBatch = values['fixed-batch'] === undefined ? undefined : intFlag('export', 'fixed-batch', values['fixed-batch'], 1);
  if (fixedBatch !== undefined && onnxPath === undefined) throw new UsageError('export: --fixed-batch shapes the ONNX graph; give --onnx OUT.onnx');

  const saved = rebuildSavedModel('export', source);
  const model = saved.model;
  model.eval();
  if (safetensorsPath !== undefined) {
    const dict = model.stateDict();
    const bytes = saveSafetensors(dict, { format: 'pt', source }, { dtype });
    write(safetensorsPath, bytes, 'the weights');
    console.log(`wrote ${Object.keys(dict).length} tensors of ${source} to ${safetensorsPath} (safetensors, ${dtype}, ${formatBytes(bytes.length)})`);
  }
  if (onnxPath !== undefined) {
    const batch = fixedBatch ?? 'batch';
    // A dynamic batch is traced on two rows (so that no shape holds the example's batch size).
    const rows = fixedBatch ?? 2;
    let example: Tensor;
    let io: string;
    if (saved.kind === 'gpt') {
      // Token ids (as floats, cast to integers inside the graph), a full context per row.
      const { context, vocabSize } = saved.model.config;
      example = new Tensor(Float64Array.from({ length: rows * context }, (_, i) => i % vocabSize), [rows, context]);
      io = `input 'ids' [${batch}, ${context}] (token ids) → output 'logits' [${batch}, ${context}, ${vocabSize}]`;
    } else {
      example = zeros([rows, saved.inputs]);
      const outputs = model.forward(example).shape[1];
      io = `input 'input' [${batch}, ${saved.inputs}] → output 'output' [${batch}, ${outputs}]`;
    }
    const names = saved.kind === 'gpt' ? { inputNames: ['ids'], outputNames: ['logits'] } : { inputNames: ['input'], outputNames: ['output'] };
    const bytes = toOnnx(model, [example], { dtype, dynamicBatch: fixedBatch === undefined, ...names });
    write(onnxPath, bytes, 'the ONNX model');
    console.log(`wrote ${saved.name} to ${onnxPath} (ONNX opset 17, ${dtype}, ${io}, ${formatBytes(bytes.length)})`);
  }
  return 0;
}
