/** Imported for its effect, once per process: the kernels' and the memory budget's Node configuration (see threads.ts, memory.ts). */
import { configureNodeKernels } from './threads';
import { configureNodeMemory } from './memory';

configureNodeKernels();
configureNodeMemory();
