export * from './errors';
export * from './shape';
export * from './tensor';
export * from './rng';
export * as kernels from './kernels';
