/** deltagraph: the public entry. It re-exports; it defines nothing. */
export * from './lib';
// The low-level functions with their arguments checked, in place of lib's own (which the ops call).
export * as kernels from './lib/public-kernels';
export {
  alloc, keep, kernelTensor, sizeOf, stridesOf, sameShape, checkSize, checkDim, checkShape, broadcastShapes, broadcastsTo,
  broadcastStrides, normalizeAxis, normalizeAxes, reducedShape,
} from './lib/public-checks';
export * from './graph';
export * from './ops';
export * from './check';
export * from './nn';
export * from './expr';
export * from './viz';
export * from './interop';
