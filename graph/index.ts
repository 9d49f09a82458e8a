export { noGrad, enableGrad, isRecording } from './mode';
export { Node, nodeOf, nextNodeId } from './node';
export { ancestors } from './ancestors';
export type { OpSpec, VjpContext } from './node';
export { defineOp } from './define-op';
export type { Op } from './define-op';
export { backward, Gradients } from './backward';
export type { BackwardOptions } from './backward';
export { grad, valueAndGrad, vjp, jacobian } from './transforms';
