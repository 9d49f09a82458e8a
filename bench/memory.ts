/**
 * Row family "memory": the peak resident set size of deltagraph training the MLP of the mlp row,
 * read after 1,000 and after 10,000 steps (100 and 1,000 with --quick). Memory that is released
 * after every step keeps the two peaks within 10% of each other; a graph or gradient that
 * outlives its step makes the second one grow.
 *
 * The value is the peak of RSS sampled during training (every 10 steps); the kernel's high-water
 * mark maxRSS, which also covers the loader's start-up, is kept alongside.
 *
 * The training runs in a child process (memory-child.ts) so that the peak is deltagraph's alone,
 * not that of this process, which also holds tfjs and the other rows' data.
 */
import { fork } from 'child_process';
import * as path from 'path';
import { Context } from './profile';
import { Row, fillRow } from './report';
import type { MemoryMessage, MemoryReport } from './memory-child';

/** The largest growth of the peak from the first to the last checkpoint that counts as flat. */
export const FLAT_GROWTH = 1.1;

const MiB = 2 ** 20;

/** Runs memory-child.ts (through the TypeScript loader) and resolves with its report. */
export function runMemoryChild(steps: readonly number[], log: (line: string) => void): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'memory-child.ts'), steps.map(String), {
      execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report: MemoryReport | undefined;
    child.on('message', (message: MemoryMessage) => {
      if (message.type === 'progress') {
        log(`memory: ${message.steps.toLocaleString('en-US')} of ${steps[steps.length - 1]!.toLocaleString('en-US')} steps, ${message.seconds.toFixed(0)} s`);
      }
      else {
        report = message.report;
        // The child exits by itself once the report is sent; stop it if it lingers.
        setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill();
        }, 10_000).unref();
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (report !== undefined) resolve(report);
      else reject(new Error(`the memory child process ended without a report (exit code ${code}, signal ${signal})`));
    });
  });
}

export async function runMemory(ctx: Context): Promise<Row[]> {
  const steps = ctx.profile.memorySteps;
  const base = { family: 'memory', unit: 'MiB', better: 'lower' as const, checks: [] };
  const rows: Row[] = steps.map((s) => ({ ...base, id: `memory-${s}`, label: `MLP peak RSS at ${s.toLocaleString('en-US')} steps`, cells: {} }));
  const growth: Row = { ...base, id: 'memory-growth', label: `MLP peak RSS growth ${steps.map((s) => s.toLocaleString('en-US')).join(' → ')}`, unit: '×', cells: {} };

  await fillRow(growth, async () => {
    ctx.log(`memory: deltagraph MLP in a child process, ${steps.map((s) => s.toLocaleString('en-US')).join(' and ')} steps`);
    const report = await runMemoryChild(steps, ctx.log);
    report.checkpoints.forEach((c, i) => {
      const row = rows[i]!;
      row.cells.deltagraph = { value: c.peakRss / MiB, extra: { ...c, baselineRss: report.baselineRss } };
      row.note = `sampled RSS peak ${(c.peakRss / MiB).toFixed(1)} MiB, maxRSS ${(c.maxRss / MiB).toFixed(1)} MiB, heap ${(c.heapUsed / MiB).toFixed(1)} MiB, ${c.seconds.toFixed(1)} s (baseline before training ${(report.baselineRss / MiB).toFixed(1)} MiB)`;
    });
    const first = rows[0]!.cells.deltagraph!.value;
    const last = rows[rows.length - 1]!.cells.deltagraph!.value;
    const g = last / first;
    const maxRss = report.checkpoints.map((c) => c.maxRss);
    const maxRssGrowth = maxRss[maxRss.length - 1]! / maxRss[0]!;
    growth.cells.deltagraph = { value: g, extra: { first, last, maxRssGrowth, target: FLAT_GROWTH } };
    growth.note = g <= FLAT_GROWTH ? `flat: within the ${Math.round((FLAT_GROWTH - 1) * 100)}% target` : `NOT flat: grows more than the ${Math.round((FLAT_GROWTH - 1) * 100)}% target`;
    growth.note += ` (maxRSS grows ${maxRssGrowth.toFixed(2)}×)`;
  });
  if (growth.error !== undefined) for (const row of rows) row.error = growth.error;
  return [...rows, growth];
}
