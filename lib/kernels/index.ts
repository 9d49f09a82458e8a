/** The numeric kernels: loops over Float64Arrays, no graph, no validation beyond shapes. */
export * from './binary';
export * from './unary';
export * from './reduce';
export * from './layout';
export * from './matmul';
export * from './fused';
export * from './indexing';
export { gemm } from './gemm';
export type { MatrixView } from './gemm';
export { setParallel, parallelThreads, setThreadHost } from './gemm-pool';
export type { ThreadHost, GemmWorker, GemmJob } from './gemm-pool';
export { useSimd, simdAvailable, usingSimd, kernelInfo, ready } from './backend';
export type { KernelInfo } from './backend';
export { im2col, col2im, windowCount, maxPool, gatherFlat, scatterAddFlat } from './im2col';
export type { Window2d } from './im2col';
