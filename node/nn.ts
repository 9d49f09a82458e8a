/** deltagraph/nn for Node: the universal nn entry plus saving to files and the data-set loaders. */
import './setup';

export * from '../nn';
export { saveModel, loadModel, readModel } from './files';
export { saveCheckpoint, loadCheckpoint, CHECKPOINT_FILE } from './checkpoint';
export { loadCaliforniaHousing, loadMnist, loadTinyShakespeare, mnistDirectory } from './datasets';
export type { TinyShakespeareOptions } from './datasets';
