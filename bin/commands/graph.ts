import { existsSync, readFileSync, writeFileSync } from 'fs';
import { extname } from 'path';
import {
  CrossEntropyLoss, DeltaGraphError, Gradients, Loss, MLP, Module, Tensor, backward, describeGraph, mlpTensorNames, moduleGroups,
  randn, rng, renderSvgSync, toDot, zeros, CharDataset, GPT, gpt, loadTinyShakespeare, windows, fromOnnx, ones,
} from '../../node';
import { UsageError, choiceFlag, intFlag, parse } from '../args';
import { EXAMPLES, ExampleName, PRESETS, exampleList, presetNet } from './train';
import { rebuildSavedModel } from '../saved-model';
import { SHAKESPEARE_NET } from './train-shakespeare';

const FORMATS = ['svg', 'dot', 'json'] as const;
type Format = (typeof FORMATS)[number];

export const graphHelp = `Usage: deltagraph graph ${EXAMPLES.join('|')}|MODEL.json|MODEL.onnx [options]

Draws the computational graph of a net's loss on a small batch: every op, parameter and input,
every edge labelled with its tensor's shape, each layer in a frame, and a Σ wherever a tensor
feeds several inputs (the backward pass adds the gradients that come back there).
  xor         the Siena slides' 2-4-3-1 sigmoid net on the 8 XOR examples, loss ‖o − y‖²
  housing     the housing MLP 8-64-32-1 (ReLU, MSE) on 4 training districts
  mnist       the MNIST MLP 784-128-10 (ReLU, cross-entropy) on 4 training images
  mnist-cnn   the MNIST CNN (two Conv2d · ReLU · MaxPool2d, Linear; cross-entropy) on 4 training images
  shakespeare one block of the shakespeare GPT (its 4 blocks are alike: the GPT at its width with
              one block), cross-entropy on 2 windows of 16 characters; a saved one is drawn whole
  MODEL.json  a model saved by deltagraph train --save, on a batch of 4 random inputs
  MODEL.onnx  an ONNX model (from PyTorch's exporter, for one), imported with its operators as
              deltagraph's ops, on a batch of 4 random inputs shaped as it declares them

Options:
  --out FILE              write to FILE (default: standard output)
  --format dot|json|svg   output format [from the extension of --out: .dot or .gv, .json; svg otherwise]
  --collapse              one box per layer instead of its ops (keeps deep nets readable)
  --grads                 run a backward pass and label every edge with ‖∂L/∂t‖ (L the loss, or
                          the sum of the outputs for a net traced without one)
  --values                summarise every tensor's values (range, mean, norm)
  --batch N               examples in the traced batch [8 for xor, 2 windows for shakespeare, 4 otherwise]
  --horizontal            draw left to right instead of top to bottom
  -h, --help              this text`;

/** A net traced on one batch: its loss (or output) and what the picture needs to name things. */
interface Traced {
  model: Module;
  output: Tensor;
  title: string;
  names: Map<Tensor, string>;
}

function trace(model: Module, net: string, x: Tensor, y: Tensor | null, loss: Loss | null, siena: boolean, what: string): Traced {
  const prediction = model.forward(x);
  const output = loss && y ? loss.forward(prediction, y) : prediction;
  // An MLP's tensors get the W1, b1, Z1, … of the derivations; other nets keep their parameter paths.
  const names = model instanceof MLP ? mlpTensorNames(model, siena ? { preActivation: 'A', activation: 'O' } : {}) : new Map<Tensor, string>();
  names.set(x, 'X');
  if (y) names.set(y, 'y');
  const lossText = loss ? ` · ${loss.name} on ${x.shape[0]} examples` : ` on ${x.shape[0]} examples`;
  return { model, output, names, title: `${what} · ${net}${lossText}` };
}

/** A GPT's loss on the first `n` windows of `length` characters of Tiny Shakespeare's training split. */
function traceGpt(model: GPT, data: CharDataset, n: number, length: number, what: string): Traced {
  const { x, y } = windows(data.train.subarray(0, n * length + 1), length);
  const output = model.loss(x, y);
  // A GPT's parameters have no letters of a derivation: each is shown by its path.
  const names = new Map<Tensor, string>(model.namedParameters().map(([path, p]) => [p, path]));
  return { model, output, names, title: `${what} · ${model.describe()} · cross-entropy on ${n} windows of ${length} characters` };
}

function builtIn(example: ExampleName, batch: number | undefined): Traced {
  if (example === 'shakespeare') {
    const data = loadTinyShakespeare();
    return traceGpt(gpt({ ...SHAKESPEARE_NET, layers: 1, vocabSize: data.vocab.length }, 0), data, batch ?? 2, 16, example);
  }
  const preset = PRESETS[example];
  const n = batch ?? (example === 'xor' ? 8 : 4);
  // MNIST's loader reads all 60,000 images unless told otherwise; a picture needs a few.
  const data = preset.load({ train: n, test: 1 }).train;
  const available = data.x.shape[0]!;
  if (n > available) throw new UsageError(`graph: --batch ${n} is more than the ${available} examples of ${example}`);
  const rows = (t: Tensor) => new Tensor(t.data.slice(0, (t.size / t.shape[0]!) * n), [n, ...t.shape.slice(1)]);
  const net = presetNet(example, 0);
  return trace(net.model, net.name, rows(data.x), rows(data.y), preset.loss, example === 'xor', example);
}

/**
 * A model imported from ONNX, traced on a batch of n random inputs shaped as it declares them (a
 * symbolic or unknown dimension, such as PyTorch's batch axis, is n): normal values for floating
 * inputs, zeros (valid indices) for integer ones. Tensors are named as the ONNX file names them.
 */
function onnxModel(path: string, batch: number | undefined): Traced {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new UsageError(`graph: cannot read the ONNX file '${path}': ${(e as Error).message.split('\n')[0]}`);
  }
  const model = fromOnnx(bytes);
  model.eval();
  const n = batch ?? 4;
  const random = rng(0);
  const inputs = model.inputs.map((input) => {
    if (input.shape === null) throw new UsageError(`graph: '${path}' does not declare the shape of its input '${input.name}', so there is nothing to trace it on`);
    const shape = input.shape.map((d) => (typeof d === 'number' ? d : n));
    return /^(FLOAT|DOUBLE|FLOAT16|BFLOAT16)$/.test(input.type) ? randn(shape, random) : zeros(shape);
  });
  const outputs = model.run(...inputs);
  const names = new Map<Tensor, string>(model.namedParameters().map(([name, p]) => [p, name]));
  inputs.forEach((x, i) => names.set(x, model.inputs[i]!.name));
  const output = outputs[0]!;
  if (outputs.length > 1) console.error(`graph: '${path}' has ${outputs.length} outputs; drawing the first, '${model.outputs[0]!.name}'`);
  else names.delete(output);
  const shapes = inputs.map((x, i) => `${model.inputs[i]!.name} [${x.shape.join(', ')}]`).join(', ');
  return { model, output, names, title: `${path} · ONNX opset ${model.opset} · on ${shapes}` };
}

/** A saved model (bin/saved-model.ts), traced with its example's loss when known. */
function savedModel(path: string, batch: number | undefined): Traced {
  const saved = rebuildSavedModel('graph', path);
  if (saved.kind === 'gpt') return traceGpt(saved.model, loadTinyShakespeare(), batch ?? 2, Math.min(16, saved.model.config.context), `${path} (shakespeare)`);
  const { model, name, example, loss } = saved;
  const n = batch ?? 4;
  const x = randn([n, saved.inputs], rng(0));
  if (example === undefined || loss === undefined) return trace(model, name, x, null, null, false, path);
  // Targets of the right kind: class labels for cross-entropy, values shaped like the output otherwise.
  const y = loss instanceof CrossEntropyLoss ? zeros([n]) : zeros([n, saved.outputs ?? model.forward(x).shape[1]!]);
  return trace(model, name, x, y, loss, example === 'xor', `${path} (${example})`);
}

function formatOf(flag: string | boolean | undefined, out: string | undefined): Format {
  if (flag !== undefined) return choiceFlag('graph', 'format', flag, FORMATS, 'svg');
  const ext = out === undefined ? '' : extname(out).toLowerCase();
  return ext === '.dot' || ext === '.gv' ? 'dot' : ext === '.json' ? 'json' : 'svg';
}

export function graphCommand(argv: string[]): number {
  const { values, positionals } = parse('graph', argv, {
    out: { type: 'string' },
    format: { type: 'string' },
    collapse: { type: 'boolean' },
    grads: { type: 'boolean' },
    values: { type: 'boolean' },
    batch: { type: 'string' },
    horizontal: { type: 'boolean' },
  });
  if (values.help) {
    console.log(graphHelp);
    return 0;
  }
  const target = positionals[0];
  if (positionals.length !== 1 || target === undefined) {
    throw new UsageError(`graph: expected one example (${exampleList(',')}) or a saved model file, got '${positionals.join(' ')}'`);
  }
  const out = typeof values.out === 'string' ? values.out : undefined;
  const format = formatOf(values.format, out);
  const batch = values.batch === undefined ? undefined : intFlag('graph', 'batch', values.batch, 1);
  const example = EXAMPLES.find((e) => e === target);
  if (example === undefined && !existsSync(target)) {
    throw new UsageError(`graph: '${target}' is neither an example (${exampleList(',')}) nor an existing model file`);
  }

  const traced = example !== undefined ? builtIn(example, batch) : extname(target).toLowerCase() === '.onnx' ? onnxModel(target, batch) : savedModel(target, batch);
  // A net traced without a loss (an imported model, a saved one of no known example) is
  // differentiated through the sum of its outputs.
  const seed = traced.output.size === 1 ? undefined : ones(traced.output.shape);
  const gradients: Gradients | undefined = values.grads ? backward(traced.output, { retainGraph: true, gradient: seed }) : undefined;
  const description = describeGraph(traced.output, {
    names: traced.names,
    paths: traced.model.namedParameters(),
    groups: moduleGroups(traced.model),
    gradients,
    values: Boolean(values.values),
    outputLabel: traced.output.size === 1 ? 'loss' : 'output',
  });
  const value = traced.output.size === 1 ? ` · loss ${traced.output.item().toPrecision(4)}` : '';
  const dot = () => toDot(description, { layers: values.collapse ? 'boxes' : 'clusters', title: traced.title + value, direction: values.horizontal ? 'LR' : 'TB' });
  const text = format === 'json' ? JSON.stringify(description, null, 2) + '\n' : format === 'dot' ? dot() : renderSvgSync(dot());

  if (out === undefined) {
    console.log(text.trimEnd());
    return 0;
  }
  try {
    writeFileSync(out, text);
  } catch (e) {
    throw new DeltaGraphError(`graph: cannot write ${out}: ${(e as Error).message}`);
  }
  const ops = description.nodes.filter((n) => n.kind === 'op').length;
  console.log(`wrote the graph of ${target} (${ops} ops, ${description.edges.length} edges, ${description.joins.length} joins) to ${out} as ${format}`);
  return 0;
}
