/**
 * The longer fuzz of the public surface, outside the test suite: `npm run fuzz` (more seeds and
 * calls than npm test's run). Options: --seeds N (default 5), --from S (first seed, default 1),
 * --calls N per callee (default 60), --only TEXT (callees whose label contains it), --skip A,B (leave
 * out callees whose label contains one), --max N (stop after N failures). Prints the
 * counts and every failure, and exits 1 when there is one.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { configureNodeKernels, manualSeed } from '../../node';
import { runFuzz, silence } from './public-surface';

function flag(name: string, fallback: string | undefined): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const seeds = Number(flag('seeds', '5'));
  const from = Number(flag('from', '1'));
  const calls = Number(flag('calls', '60'));
  const only = flag('only', undefined);
  const skip = flag('skip', '')!.split(',').filter((x) => x !== '');
  const cwd = process.cwd();
  process.chdir(mkdtempSync(join(tmpdir(), 'dg-surface-fuzz-')));
  let failures = 0;
  let total = 0;
  const started = performance.now();
  for (let seed = from; seed < from + seeds; seed++) {
    const restore = silence();
    let report;
    try {
      report = await runFuzz({ seed, calls, closureCalls: Math.ceil(calls / 2), timeLimit: 1000, maxFailures: Number(flag('max', '400')), only, skip });
    } finally {
      restore();
      configureNodeKernels();
      manualSeed(0);
    }
    total += report.calls;
    failures += report.failures.length;
    const { failures: list, slowest, ...counts } = report;
    console.log(`seed ${seed}: ${JSON.stringify(counts)}`);
    for (const f of list) console.log(`${f.label} ${f.args}\n  ${f.problem}\n`);
    if (process.argv.includes('--slowest')) console.log(slowest);
  }
  process.chdir(cwd);
  console.log(`${total} calls over ${seeds} seeds in ${((performance.now() - started) / 1000).toFixed(1)} s, ${failures} failures`);
  process.exitCode = failures > 0 ? 1 : 0;
}

void main();
