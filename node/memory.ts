/**
 * The memory budget's Node default (see lib/memory.ts): a quarter of the machine's memory (of the
 * cgroup's limit when a container sets a smaller one), or DELTAGRAPH_MEMORY_LIMIT (bytes, or a size
 * such as 4GB, 1.5GiB, 512M; 'Infinity' for none), read once when the Node entry loads.
 */
import { totalmem } from 'os';
import { configureMemoryLimit, formatBytes, parseMemorySize } from '../lib/memory';

/** The share of the machine's memory a single allocation (and the arena's buffers) may take by default. */
export const NODE_MEMORY_FRACTION = 1 / 4;

/** The machine's memory in bytes: os.totalmem(), or the cgroup's limit (process.constrainedMemory) when smaller. */
export function machineMemory(): number {
  const total = totalmem();
  // process.constrainedMemory (Node ≥ 19.6) gives 0 or undefined without a limit, and a huge number for "max".
  const probe = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory;
  const constrained = typeof probe === 'function' ? probe.call(process) : undefined;
  return typeof constrained === 'number' && constrained > 0 && constrained < total ? constrained : total;
}

/** Applies DELTAGRAPH_MEMORY_LIMIT, or a quarter of the machine's memory without it. */
export function configureNodeMemory(env: Record<string, string | undefined> = process.env): void {
  const text = env.DELTAGRAPH_MEMORY_LIMIT;
  if (text !== undefined && text.trim() !== '') {
    configureMemoryLimit(parseMemorySize('DELTAGRAPH_MEMORY_LIMIT', text), `DELTAGRAPH_MEMORY_LIMIT=${text.trim()}`);
    return;
  }
  const machine = machineMemory();
  configureMemoryLimit(Math.floor(machine * NODE_MEMORY_FRACTION), `a quarter of this machine's ${formatBytes(machine)}`);
}
