/**
 * deltagraph for Node: everything of the universal entry, plus what needs a file system or threads
 * — saving and loading models to paths, the data-set loaders, SVG rendering in a worker thread
 * (and synchronously), and worker threads for large matrix products. It re-exports; the only thing
 * it does is configure the kernels for Node (worker threads; DELTAGRAPH_WASM, DELTAGRAPH_THREADS).
 */
import './setup';

export * from '../index';
export { saveModel, loadModel, readModel } from './files';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FILE } from './checkpoint';
export { loadCaliforniaHousing, loadMnist, loadTinyShakespeare, mnistDirectory } from './datasets';
export type { TinyShakespeareOptions } from './datasets';
export { renderSvg, renderSvgSync } from './render';
export { configureNodeKernels } from './threads';
