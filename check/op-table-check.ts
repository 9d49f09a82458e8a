/**
 * Property-checks registered ops (first and second order) and summarises each as a row: how many
 * random cases ran, the largest error seen, and whether every case passed.
 */
import fc from 'fast-check';
import { ArgumentError, describe, isCallable } from '../lib';
import { optionsIn } from '../lib/args';
import { RegistryEntry, registry } from '../ops';
import { callCase, opCase } from './arbitraries';
import { GradcheckResult, gradcheck } from './gradcheck';
import { gradgradcheck } from './gradgradcheck';

export interface OpCheckRow {
  op: string;
  kind: RegistryEntry['kind'];
  cases: number;
  /** Largest |analytic − numeric| / (1 + |numeric|) over all cases, first and second order. */
  firstOrderError: number;
  secondOrderError: number;
  pass: boolean;
  /** The failure report of fast-check (shrunk counterexample), when one failed. */
  failure?: string;
}

export interface CheckOpsOptions {
  /** Random cases per op and order, an integer ≥ 1 (default 100). */
  runs?: number;
  /** fast-check's seed, an integer (default: random). */
  seed?: number;
  /** Called after each op, e.g. to draw progress. */
  onRow?: (row: OpCheckRow, index: number, total: number) => void;
}

function scaledError(r: GradcheckResult): number {
  return r.worst ? r.worst.absError / (1 + Math.abs(r.worst.numeric)) : 0;
}

function runOne(entry: RegistryEntry, order: 1 | 2, runs: number, seed: number | undefined): { error: number; ok: boolean; cases: number; failure?: string } {
  let error = 0;
  const check = order === 1 ? gradcheck : gradgradcheck;
  const result = fc.check(
    fc.property(opCase(entry.domain), (c) => {
      const r = check(callCase(entry, c), c.inputs, { name: entry.name, raise: false });
      error = Math.max(error, scaledError(r));
      return r.ok;
    }),
    { numRuns: runs, seed },
  );
  return { error, ok: !result.failed, cases: result.numRuns, failure: result.failed ? fc.defaultReportMessage(result) ?? 'failed' : undefined };
}

/** Checks the named ops (all registered ops by default). Unknown names throw, listing the known ones. */
export function checkOps(names: readonly string[] = [], options: CheckOpsOptions = {}): OpCheckRow[] {
  if (!Array.isArray(names)) throw new ArgumentError(`checkOps: names must be an array of op names, got ${describe(names)}`);
  const unknown: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const n: unknown = names[i];
    if (typeof n !== 'string' || !registry.some((e) => e.name === n)) unknown.push(typeof n === 'string' ? `'${n}'` : describe(n));
  }
  if (unknown.length > 0) {
    throw new ArgumentError(`checkOps: unknown op ${unknown.join(', ')}; known ops: ${registry.map((e) => e.name).join(' ')}`);
  }
  const o: CheckOpsOptions = optionsIn('checkOps', options);
  if (o.runs !== undefined && !(typeof o.runs === 'number' && Number.isSafeInteger(o.runs) && o.runs >= 1)) {
    throw new ArgumentError(`checkOps: runs must be an integer ≥ 1, got ${describe(o.runs)}`);
  }
  if (o.seed !== undefined && !(typeof o.seed === 'number' && Number.isSafeInteger(o.seed))) {
    throw new ArgumentError(`checkOps: seed must be an integer, got ${describe(o.seed)}`);
  }
  if (o.onRow !== undefined && !isCallable(o.onRow)) throw new ArgumentError(`checkOps: onRow must be a function, got ${describe(o.onRow)}`);
  const entries = names.length === 0 ? registry : registry.filter((e) => names.includes(e.name));
  const runs = o.runs ?? 100;
  return entries.map((entry, i) => {
    const first = runOne(entry, 1, runs, o.seed);
    const second = runOne(entry, 2, runs, o.seed);
    const row: OpCheckRow = {
      op: entry.name,
      kind: entry.kind,
      cases: first.cases + second.cases,
      firstOrderError: first.error,
      secondOrderError: second.error,
      pass: first.ok && second.ok,
      failure: first.failure ?? second.failure,
    };
    o.onRow?.(row, i, entries.length);
    return row;
  });
}

/** The rows as a plain-text table. */
export function formatOpTable(rows: readonly OpCheckRow[]): string {
  if (!Array.isArray(rows)) throw new ArgumentError(`formatOpTable: rows must be an array of checkOps rows, got ${describe(rows)}`);
  for (let i = 0; i < rows.length; i++) {
    const r: Partial<OpCheckRow> | null = rows[i];
    const ok = typeof r === 'object' && r !== null && typeof r.op === 'string' && typeof r.kind === 'string' && typeof r.cases === 'number' &&
      typeof r.firstOrderError === 'number' && typeof r.secondOrderError === 'number' && typeof r.pass === 'boolean';
    if (!ok) throw new ArgumentError(`formatOpTable: rows[${i}] must be a row of checkOps (op, kind, cases, firstOrderError, secondOrderError, pass), got ${describe(r)}`);
  }
  const header = ['op', 'kind', 'cases', 'max error (1st)', 'max error (2nd)', 'result'];
  const body = rows.map((r) => [r.op, r.kind, String(r.cases), r.firstOrderError.toExponential(1), r.secondOrderError.toExponential(1), r.pass ? 'pass' : 'FAIL']);
  const widths = header.map((h, k) => Math.max(h.length, ...body.map((b) => b[k]!.length)));
  const line = (cells: string[]) => cells.map((c, k) => (k >= 2 && k <= 4 ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
