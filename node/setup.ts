/** Imported for its effect, once per process: the kernels' Node configuration (see threads.ts). */
import { configureNodeKernels } from './threads';

configureNodeKernels();
