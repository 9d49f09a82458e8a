/**
 * Every differentiable op in one typed table. The spec suite property-checks each entry (first
 * and second order), the docs table of VJP formulas is generated from the files it names, and the
 * CLI's gradcheck runs over it — so an op cannot land without a passing gradient check.
 */
import { Tensor } from '../lib';
import { Domain } from './domain';
import * as add from './add';
import * as sub from './sub';
import * as mul from './mul';
import * as div from './div';
import * as pow from './pow';
import * as maximum from './maximum';
import * as minimum from './minimum';
import * as neg from './neg';
import * as exp from './exp';
import * as log from './log';
import * as sqrt from './sqrt';
import * as abs from './abs';
import * as sin from './sin';
import * as cos from './cos';
import * as tanh from './tanh';
import * as tanhBackward from './tanh-backward';
import * as sigmoid from './sigmoid';
import * as sigmoidBackward from './sigmoid-backward';
import * as relu from './relu';
import * as leakyRelu from './leaky-relu';
import * as softplus from './softplus';
import * as sum from './sum';
import * as mean from './mean';
import * as max from './max';
import * as min from './min';
import * as logSumExp from './log-sum-exp';
import * as reshape from './reshape';
import * as transpose from './transpose';
import * as broadcastTo from './broadcast-to';
import * as sumTo from './sum-to';
import * as concat from './concat';
import * as slice from './slice';
import * as pad from './pad';
import * as where from './where';
import * as matmul from './matmul';
import * as softmax from './softmax';
import * as logSoftmax from './log-softmax';
import * as mseLoss from './mse-loss';
import * as crossEntropy from './cross-entropy';
import * as binaryCrossEntropy from './binary-cross-entropy';
import * as bceWithLogits from './bce-with-logits';
import * as square from './activations/square';
import * as erf from './activations/erf';
import * as silu from './activations/silu';
import * as logSigmoid from './activations/log-sigmoid';
import * as elu from './activations/elu';
import * as gelu from './activations/gelu';
import * as clamp from './activations/clamp';
import * as cumsum from './reduce/cumsum';
import * as variance from './reduce/variance';
import * as std from './reduce/std';
import * as layerNorm from './norm/layer-norm';
import * as triu from './matrix/triu';
import * as tril from './matrix/tril';
import * as einsum from './matrix/einsum';
import * as stack from './shape/stack';
import * as split from './shape/split';
import * as squeeze from './shape/squeeze';
import * as unsqueeze from './shape/unsqueeze';
import * as flatten from './shape/flatten';
import * as tile from './shape/tile';
import * as flip from './shape/flip';
import * as take from './indexing/take';
import * as takeBackward from './indexing/take-backward';
import * as takeAlongAxis from './indexing/take-along-axis';
import * as takeAlongAxisBackward from './indexing/take-along-axis-backward';
import * as unfold from './conv/unfold';
import * as fold from './conv/fold';
import * as conv1d from './conv/conv1d';
import * as conv2d from './conv/conv2d';
import * as convTranspose2d from './conv/conv-transpose2d';
import * as maxPool2d from './conv/max-pool2d';
import * as avgPool2d from './conv/avg-pool2d';
import * as gatherAt from './conv/gather-at';
import * as scatterAddAt from './conv/scatter-add-at';
import * as comparisons from './compare/comparisons';
import * as argExtrema from './indexing/argmax';
import * as oneHot from './indexing/one-hot';

export interface RegistryEntry {
  name: string;
  /** The file under ops/ that defines it (its doc comments hold the formula and the VJP). */
  file: string;
  /** 'primitive': a VJP of its own; 'composite': gradients from the primitives it is built of. */
  kind: 'primitive' | 'composite';
  fn: (...args: any[]) => Tensor;
  domain: Domain;
}

type OpModule = { domain: Domain } & Record<string, unknown>;

function entry(name: string, file: string, kind: RegistryEntry['kind'], mod: OpModule): RegistryEntry {
  return { name, file, kind, fn: mod[name] as RegistryEntry['fn'], domain: mod.domain };
}

export const registry: readonly RegistryEntry[] = [
  entry('add', 'add', 'primitive', add),
  entry('sub', 'sub', 'primitive', sub),
  entry('mul', 'mul', 'primitive', mul),
  entry('div', 'div', 'primitive', div),
  entry('pow', 'pow', 'primitive', pow),
  entry('maximum', 'maximum', 'primitive', maximum),
  entry('minimum', 'minimum', 'primitive', minimum),
  entry('neg', 'neg', 'primitive', neg),
  entry('exp', 'exp', 'primitive', exp),
  entry('log', 'log', 'primitive', log),
  entry('sqrt', 'sqrt', 'primitive', sqrt),
  entry('abs', 'abs', 'primitive', abs),
  entry('sin', 'sin', 'primitive', sin),
  entry('cos', 'cos', 'primitive', cos),
  entry('tanh', 'tanh', 'primitive', tanh),
  entry('tanhBackward', 'tanh-backward', 'primitive', tanhBackward),
  entry('sigmoid', 'sigmoid', 'primitive', sigmoid),
  entry('sigmoidBackward', 'sigmoid-backward', 'primitive', sigmoidBackward),
  entry('relu', 'relu', 'primitive', relu),
  entry('leakyRelu', 'leaky-relu', 'primitive', leakyRelu),
  entry('softplus', 'softplus', 'primitive', softplus),
  entry('sum', 'sum', 'primitive', sum),
  entry('mean', 'mean', 'composite', mean),
  entry('max', 'max', 'primitive', max),
  entry('min', 'min', 'primitive', min),
  entry('logSumExp', 'log-sum-exp', 'primitive', logSumExp),
  entry('reshape', 'reshape', 'primitive', reshape),
  entry('transpose', 'transpose', 'primitive', transpose),
  entry('broadcastTo', 'broadcast-to', 'primitive', broadcastTo),
  entry('sumTo', 'sum-to', 'primitive', sumTo),
  entry('concat', 'concat', 'primitive', concat),
  entry('slice', 'slice', 'primitive', slice),
  entry('pad', 'pad', 'primitive', pad),
  entry('where', 'where', 'primitive', where),
  entry('matmul', 'matmul', 'primitive', matmul),
  entry('softmax', 'softmax', 'primitive', softmax),
  entry('logSoftmax', 'log-softmax', 'primitive', logSoftmax),
  entry('mseLoss', 'mse-loss', 'composite', mseLoss),
  entry('crossEntropy', 'cross-entropy', 'composite', crossEntropy),
  entry('binaryCrossEntropy', 'binary-cross-entropy', 'composite', binaryCrossEntropy),
  entry('bceWithLogits', 'bce-with-logits', 'primitive', bceWithLogits),
  entry('square', 'activations/square', 'primitive', square),
  entry('erf', 'activations/erf', 'primitive', erf),
  entry('silu', 'activations/silu', 'composite', silu),
  entry('logSigmoid', 'activations/log-sigmoid', 'composite', logSigmoid),
  entry('elu', 'activations/elu', 'primitive', elu),
  entry('gelu', 'activations/gelu', 'composite', gelu),
  entry('clamp', 'activations/clamp', 'primitive', clamp),
  entry('cumsum', 'reduce/cumsum', 'primitive', cumsum),
  entry('variance', 'reduce/variance', 'composite', variance),
  entry('std', 'reduce/std', 'composite', std),
  entry('layerNorm', 'norm/layer-norm', 'composite', layerNorm),
  entry('triu', 'matrix/triu', 'primitive', triu),
  entry('tril', 'matrix/tril', 'primitive', tril),
  entry('einsum', 'matrix/einsum', 'composite', einsum),
  // The comparisons, argmax, argmin and oneHot have no gradient: they are in constantOps below.
  entry('stack', 'shape/stack', 'composite', stack),
  // split returns the pieces (Tensor[]); its domain's call joins them, as the checks need one tensor.
  entry('split', 'shape/split', 'composite', split),
  entry('squeeze', 'shape/squeeze', 'composite', squeeze),
  entry('unsqueeze', 'shape/unsqueeze', 'composite', unsqueeze),
  entry('flatten', 'shape/flatten', 'composite', flatten),
  entry('tile', 'shape/tile', 'composite', tile),
  entry('flip', 'shape/flip', 'primitive', flip),
  entry('take', 'indexing/take', 'primitive', take),
  entry('takeBackward', 'indexing/take-backward', 'primitive', takeBackward),
  entry('takeAlongAxis', 'indexing/take-along-axis', 'primitive', takeAlongAxis),
  entry('takeAlongAxisBackward', 'indexing/take-along-axis-backward', 'primitive', takeAlongAxisBackward),
  entry('unfold', 'conv/unfold', 'primitive', unfold),
  entry('fold', 'conv/fold', 'primitive', fold),
  entry('conv1d', 'conv/conv1d', 'composite', conv1d),
  entry('conv2d', 'conv/conv2d', 'composite', conv2d),
  entry('convTranspose2d', 'conv/conv-transpose2d', 'composite', convTranspose2d),
  entry('maxPool2d', 'conv/max-pool2d', 'composite', maxPool2d),
  entry('avgPool2d', 'conv/avg-pool2d', 'composite', avgPool2d),
  entry('gatherAt', 'conv/gather-at', 'primitive', gatherAt),
  entry('scatterAddAt', 'conv/scatter-add-at', 'primitive', scatterAddAt),
];

/**
 * The ops whose outputs carry no gradient (comparisons, positions, one-hot rows): integer- or
 * 0/1-valued constants of their inputs. Nothing flows back through them, so their check is that
 * a backward pass treats their output as a constant; docs/ops.md lists them in a table of their own.
 */
export interface ConstantOpEntry {
  name: string;
  /** The file under ops/ that defines it (the doc comment before `export function <name>`). */
  file: string;
  /** Inputs the op compares or reads (1 or 2 tensors). */
  arity: 1 | 2;
  fn: (...args: any[]) => Tensor;
}

function constant(name: string, file: string, arity: 1 | 2, mod: Record<string, unknown>): ConstantOpEntry {
  return { name, file, arity, fn: mod[name] as ConstantOpEntry['fn'] };
}

export const constantOps: readonly ConstantOpEntry[] = [
  ...(['greater', 'less', 'greaterEqual', 'lessEqual', 'equal', 'notEqual'] as const).map((n) => constant(n, 'compare/comparisons', 2, comparisons)),
  constant('argmax', 'indexing/argmax', 1, argExtrema),
  constant('argmin', 'indexing/argmax', 1, argExtrema),
  constant('oneHot', 'indexing/one-hot', 1, oneHot),
];
