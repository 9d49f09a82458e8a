/**
 * The child process of the memory row (started by memory.ts with child_process.fork). It trains
 * the deltagraph MLP of the mlp row and reports, at each checkpoint step count, the peak resident
 * set size so far: sampled from process.memoryUsage().rss every few steps, and the kernel's own
 * high-water mark process.resourceUsage().maxRSS. It imports deltagraph only, so the peak is
 * deltagraph's (plus the Node.js and TypeScript-loader baseline, reported separately).
 *
 * Arguments: the checkpoint step counts, ascending (e.g. 1000 10000).
 */
import { MLP_CONFIG, deltagraphMlp, syntheticBatch } from './mlp-model';

/** Steps between two RSS samples. */
const SAMPLE_EVERY = 10;
/** Seconds between two progress messages. */
const PROGRESS_SECONDS = 15;

export interface MemoryCheckpoint {
  steps: number;
  /** Largest sampled process.memoryUsage().rss so far (bytes). */
  peakRss: number;
  /** process.resourceUsage().maxRSS (bytes): the process's high-water mark so far. */
  maxRss: number;
  /** V8 heap in use at the checkpoint (bytes). */
  heapUsed: number;
  /** Seconds of training so far. */
  seconds: number;
}

export interface MemoryReport {
  /** RSS after loading deltagraph and building the model and batch, before training (bytes). */
  baselineRss: number;
  checkpoints: MemoryCheckpoint[];
}

/** The message the child sends its parent. */
export type MemoryMessage = { type: 'progress'; steps: number; seconds: number } | { type: 'done'; report: MemoryReport };

function main(): void {
  const checkpoints = process.argv.slice(2).map(Number);
  if (checkpoints.length === 0 || checkpoints.some((s, i) => !Number.isInteger(s) || s < 1 || (i > 0 && s <= checkpoints[i - 1]!))) {
    throw new Error(`memory-child: expected ascending positive step counts, got ${process.argv.slice(2).join(' ')}`);
  }
  const send = (message: MemoryMessage, then?: () => void): void => {
    if (process.send) process.send(message, undefined, {}, () => then?.());
    else {
      console.log(JSON.stringify(message));
      then?.();
    }
  };

  const batch = syntheticBatch(MLP_CONFIG);
  const { trainer } = deltagraphMlp(MLP_CONFIG, batch);
  const baselineRss = process.memoryUsage().rss;
  const report: MemoryReport = { baselineRss, checkpoints: [] };

  const last = checkpoints[checkpoints.length - 1]!;
  let peakRss = baselineRss;
  let next = 0;
  const start = process.hrtime.bigint();
  const seconds = (): number => Number(process.hrtime.bigint() - start) / 1e9;
  let reported = 0;
  for (let step = 1; step <= last; step++) {
    trainer.step();
    if (step % SAMPLE_EVERY === 0 || step === checkpoints[next]) peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (step === checkpoints[next]) {
      report.checkpoints.push({
        steps: step,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        heapUsed: process.memoryUsage().heapUsed,
        seconds: seconds(),
      });
      next++;
    }
    if (step % SAMPLE_EVERY === 0 && seconds() - reported >= PROGRESS_SECONDS) {
      reported = seconds();
      send({ type: 'progress', steps: step, seconds: reported });
    }
  }
  // Exit once the report is delivered, whatever handles deltagraph may keep open.
  send({ type: 'done', report }, () => process.exit(0));
}

if (require.main === module) main();
