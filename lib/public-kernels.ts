/**
 * The kernels as the package offers them (`kernels` of the root entry): lib/kernels' functions,
 * each checking its arguments before it runs (the preconditions are in public-checks.ts). The ops
 * call lib/kernels directly. A kernel added there is added here too; the public-surface fuzz
 * fails until it is.
 */
import * as raw from './kernels';
import { checkedKernel as checked } from './public-checks';

export type { GemmJob, GemmWorker, KernelInfo, MatrixView, ReduceKind, ThreadHost, Window2d } from './kernels';

export const gemm = checked('gemm', raw.gemm);
export const setParallel = checked('setParallel', raw.setParallel);
export const parallelThreads = checked('parallelThreads', raw.parallelThreads);
export const setThreadHost = checked('setThreadHost', raw.setThreadHost);
export const useSimd = checked('useSimd', raw.useSimd);
export const simdAvailable = checked('simdAvailable', raw.simdAvailable);
export const usingSimd = checked('usingSimd', raw.usingSimd);
export const kernelInfo = checked('kernelInfo', raw.kernelInfo);
export const ready = checked('ready', raw.ready);
export const im2col = checked('im2col', raw.im2col);
export const col2im = checked('col2im', raw.col2im);
export const windowCount = checked('windowCount', raw.windowCount);
export const maxPool = checked('maxPool', raw.maxPool);
export const gatherFlat = checked('gatherFlat', raw.gatherFlat);
export const scatterAddFlat = checked('scatterAddFlat', raw.scatterAddFlat);
export const add = checked('add', raw.add);
export const sub = checked('sub', raw.sub);
export const mul = checked('mul', raw.mul);
export const div = checked('div', raw.div);
export const pow = checked('pow', raw.pow);
export const maximum = checked('maximum', raw.maximum);
export const minimum = checked('minimum', raw.minimum);
export const greater = checked('greater', raw.greater);
export const equal = checked('equal', raw.equal);
export const where = checked('where', raw.where);
export const neg = checked('neg', raw.neg);
export const exp = checked('exp', raw.exp);
export const log = checked('log', raw.log);
export const sqrt = checked('sqrt', raw.sqrt);
export const abs = checked('abs', raw.abs);
export const sign = checked('sign', raw.sign);
export const sin = checked('sin', raw.sin);
export const cos = checked('cos', raw.cos);
export const tanh = checked('tanh', raw.tanh);
export const sigmoid = checked('sigmoid', raw.sigmoid);
export const relu = checked('relu', raw.relu);
export const leakyRelu = checked('leakyRelu', raw.leakyRelu);
export const softplus = checked('softplus', raw.softplus);
export const bceWithLogits = checked('bceWithLogits', raw.bceWithLogits);
export const positiveMask = checked('positiveMask', raw.positiveMask);
export const leakyMask = checked('leakyMask', raw.leakyMask);
export const scale = checked('scale', raw.scale);
export const reduce = checked('reduce', raw.reduce);
export const logSumExp = checked('logSumExp', raw.logSumExp);
export const logSoftmax = checked('logSoftmax', raw.logSoftmax);
export const softmax = checked('softmax', raw.softmax);
export const transpose = checked('transpose', raw.transpose);
export const broadcastTo = checked('broadcastTo', raw.broadcastTo);
export const slice = checked('slice', raw.slice);
export const pad = checked('pad', raw.pad);
export const concat = checked('concat', raw.concat);
export const takeRows = checked('takeRows', raw.takeRows);
export const matmul = checked('matmul', raw.matmul);
export const sigmoidBackward = checked('sigmoidBackward', raw.sigmoidBackward);
export const tanhBackward = checked('tanhBackward', raw.tanhBackward);
export const erfScalar = checked('erfScalar', raw.erfScalar);
export const erf = checked('erf', raw.erf);
export const less = checked('less', raw.less);
export const greaterEqual = checked('greaterEqual', raw.greaterEqual);
export const lessEqual = checked('lessEqual', raw.lessEqual);
export const notEqual = checked('notEqual', raw.notEqual);
export const expm1Scalar = checked('expm1Scalar', raw.expm1Scalar);
export const elu = checked('elu', raw.elu);
export const clamp = checked('clamp', raw.clamp);
export const clampMask = checked('clampMask', raw.clampMask);
export const cumsum = checked('cumsum', raw.cumsum);
export const triangle = checked('triangle', raw.triangle);
export const takeAxis = checked('takeAxis', raw.takeAxis);
export const takeAxisAdd = checked('takeAxisAdd', raw.takeAxisAdd);
export const takeAlong = checked('takeAlong', raw.takeAlong);
export const takeAlongAdd = checked('takeAlongAdd', raw.takeAlongAdd);
export const flip = checked('flip', raw.flip);
export const argExtremum = checked('argExtremum', raw.argExtremum);
export const oneHot = checked('oneHot', raw.oneHot);
