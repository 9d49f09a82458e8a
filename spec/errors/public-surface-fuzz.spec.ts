/**
 * Every export of every public entry, every method of the exported classes and the closures that
 * calls return, called with seeded random wrong arguments (see public-surface.ts): each call
 * returns, or throws a DeltaGraphError subclass naming the callee, within a second.
 */
import { mkdtempSync, readdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { configureNodeKernels, kernels, manualSeed } from '../../node';
import * as libKernels from '../../lib/kernels';
import { checkedKernelNames } from '../../lib/public-checks';
import { RunReport, runFuzz, silence } from './public-surface';

const SEED = Number(process.env.DELTAGRAPH_FUZZ_SEED ?? 1);

let report: RunReport;
let cwd: string;
/** What the working directory held before: calls must write only where they are sent. */
let before: string[];

beforeAll(async () => {
  before = readdirSync(process.cwd());
  // Paths among the arguments (saveModel's) land in a scratch directory.
  cwd = process.cwd();
  process.chdir(mkdtempSync(join(tmpdir(), 'dg-surface-fuzz-')));
  const restore = silence();
  try {
    report = await runFuzz({ seed: SEED, calls: 44, closureCalls: 24, timeLimit: 1000, maxFailures: 400, only: process.env.DELTAGRAPH_FUZZ_ONLY });
  } finally {
    restore();
    process.chdir(cwd);
    configureNodeKernels();
    manualSeed(0);
  }
  if (process.env.DELTAGRAPH_FUZZ_REPORT) {
    const { failures, slowest, ...counts } = report;
    process.stdout.write(`${JSON.stringify({ ...counts, failures: failures.length, slowest })}\n`);
  }
}, 120_000);

test('every public callee returns or throws a DeltaGraphError naming itself, within a second', () => {
  const lines = report.failures.map((f) => `${f.label} ${f.args}\n  ${f.problem}`);
  expect(lines).toEqual([]);
});

test('every kernel of lib/kernels is exported, with a check of its arguments', () => {
  const names = Object.keys(libKernels).filter((k) => typeof (libKernels as Record<string, unknown>)[k] === 'function');
  expect(names.filter((n) => !Object.prototype.hasOwnProperty.call(kernels, n))).toEqual([]);
  expect(names.filter((n) => !checkedKernelNames().includes(n))).toEqual([]);
});

test('no call wrote into the working directory', () => {
  expect(readdirSync(cwd).filter((name) => !before.includes(name))).toEqual([]);
});

test('the fuzz covers the whole surface', () => {
  expect(report.calls).toBeGreaterThanOrEqual(process.env.DELTAGRAPH_FUZZ_ONLY ? 0 : 20_000);
});
