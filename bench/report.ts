/**
 * Results and their presentation: the Row every benchmark family returns, the plain-text table
 * printed at the end of a run, and the machine description that heads it.
 */
import * as os from 'os';
import { execFileSync } from 'child_process';
import { CheckError, CheckRecord } from './check';
import { Measurement } from './timing';

/** Columns of the table: the three implementations, plus the naive loop that matmul rows report. */
export const COLUMNS = ['deltagraph', 'naive JS', 'tfjs-cpu', 'tfjs-wasm'] as const;
export type Column = (typeof COLUMNS)[number];

/** Whether a larger or a smaller value is better. */
export type Better = 'higher' | 'lower';

/** One implementation's result in a row. */
export interface Cell {
  /** The reported value, in the row's unit (derived from the median). */
  value: number;
  /** The timing it came from, when it is a timing. */
  measurement?: Measurement;
  /** Any other raw data worth keeping in results.json. */
  extra?: Record<string, unknown>;
}

export interface Row {
  /** The family selected with --only (matmul, mlp, chain, xor, memory). */
  family: string;
  /** A stable identifier, e.g. "matmul-512". */
  id: string;
  /** What the table shows in its first column. */
  label: string;
  unit: string;
  better: Better;
  cells: Partial<Record<Column, Cell>>;
  /** The agreement checks the row passed. */
  checks: CheckRecord[];
  /** Set when the row was aborted (a failed check or an error); the row then has no cells. */
  error?: string;
  /** A remark printed under the table. */
  note?: string;
}

/** The machine and software a run was made on. */
export interface Machine {
  cpu: string;
  cores: number;
  availableParallelism: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  tfjs: string;
  wasmSimd: boolean;
  wasmThreads: boolean;
  commit: string;
  date: string;
}

/** The current commit (with "+changes" when the work tree differs from it), or "unknown". */
function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(tfjs: { version: string; wasmSimd: boolean; wasmThreads: boolean }): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    tfjs: tfjs.version,
    wasmSimd: tfjs.wasmSimd,
    wasmThreads: tfjs.wasmThreads,
    commit: gitCommit(),
    date: new Date().toISOString(),
  };
}

export function formatMachine(m: Machine): string {
  return [
    `machine: ${m.cpu}, ${m.cores} cores (${m.availableParallelism} available), ${m.memoryGiB} GiB, ${m.os}`,
    `software: Node ${m.node} (V8 ${m.v8}), tfjs ${m.tfjs} (wasm: SIMD ${m.wasmSimd ? 'on' : 'off'}, threads ${m.wasmThreads ? 'on' : 'off'})`,
    `run: ${m.date}, deltagraph ${m.commit}`,
  ].join('\n');
}

/** A number to 3 significant figures, without exponent notation for everyday magnitudes. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return v.toExponential(2);
  if (a >= 100) return Math.round(v).toLocaleString('en-US');
  return v.toPrecision(3);
}

function formatCell(cell: Cell | undefined): string {
  if (cell === undefined) return '—';
  const spread = cell.measurement?.relativeSpread;
  const noise = spread !== undefined && cell.measurement!.samples.length > 1 ? ` ±${Math.round(spread * 100)}%` : '';
  return formatValue(cell.value) + noise;
}

/** deltagraph's value divided by the peer's. */
export function ratio(row: Row, peer: Column): number | undefined {
  const d = row.cells.deltagraph?.value;
  const p = row.cells[peer]?.value;
  return d === undefined || p === undefined || p === 0 ? undefined : d / p;
}

function formatRatio(r: number | undefined): string {
  return r === undefined ? '—' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}`;
}

function arrow(better: Better): string {
  return better === 'higher' ? '↑ higher' : '↓ lower';
}

/** The results as an aligned plain-text table with a legend. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['row', 'unit', 'better', ...COLUMNS, 'dg/naive', 'dg/cpu', 'dg/wasm'];
  const body: string[][] = rows.map((row) => {
    if (row.error !== undefined) {
      return [row.label, row.unit, arrow(row.better), 'ABORTED', '', '', '', '', '', ''];
    }
    return [
      row.label,
      row.unit,
      arrow(row.better),
      ...COLUMNS.map((c) => formatCell(row.cells[c])),
      formatRatio(ratio(row, 'naive JS')),
      formatRatio(ratio(row, 'tfjs-cpu')),
      formatRatio(ratio(row, 'tfjs-wasm')),
    ];
  });
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  // Text columns left-aligned, numbers right-aligned.
  const line = (r: string[]): string =>
    r
      .map((s, i) => (i < 3 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const out = [line(header), rule, ...body.map(line), rule];
  out.push(
    'Values are medians (± the median absolute deviation of the samples, relative); deltagraph is float64, tfjs float32.',
    'Ratios are deltagraph ÷ peer: on ↑ rows a ratio above 1 means deltagraph is ahead, on ↓ rows a ratio below 1 does.',
    'naive JS: a plain i-j-k triple loop over Float64Arrays, the reference for the matmul rows.',
  );
  for (const row of rows) {
    if (row.error !== undefined) out.push(`ABORTED ${row.label}: ${row.error}`);
    else if (row.note !== undefined) out.push(`${row.label}: ${row.note}`);
  }
  return out.join('\n');
}

/**
 * Runs `fill` to measure a row's cells. A failed agreement check or any other error aborts the
 * row: its cells are dropped and the message kept (the stack too, on stderr, for a crash).
 */
export async function fillRow(row: Row, fill: (row: Row) => Promise<void> | void): Promise<Row> {
  try {
    await fill(row);
  } catch (e) {
    row.cells = {};
    row.error = e instanceof Error ? e.message : String(e);
    if (!(e instanceof CheckError)) console.error(e);
  }
  return row;
}
