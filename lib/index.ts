export * from './errors';
export * from './shape';
export * from './tensor';
export * from './rng';
export * from './format';
export * as kernels from './kernels';
