export * from './errors';
export * from './shape';
export * from './tensor';
export { alloc, keep } from './arena';
export * from './rng';
export * from './format';
export * as kernels from './kernels';
export { kernelInfo, ready } from './kernels/backend';
export type { KernelInfo } from './kernels/backend';
