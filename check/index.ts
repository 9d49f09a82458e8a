export { gradcheck, GradcheckError } from './gradcheck';
export type { GradcheckOptions, GradcheckResult, WorstElement } from './gradcheck';
export { gradgradcheck } from './gradgradcheck';
export { numericJacobian, numericDirectional } from './finite-differences';
export type { TensorFn } from './finite-differences';
export { shapes, broadcastablePair, matmulPair, tensorOf, opCase, callCase, pickFrom } from './arbitraries';
export type { OpCase, ShapeOptions } from './arbitraries';
export { opGraph, evaluateGraph } from './op-graph';
export type { OpGraph, GraphStep } from './op-graph';
