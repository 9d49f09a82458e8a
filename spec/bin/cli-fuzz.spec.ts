/**
 * The command line with seeded random, mostly wrong, arguments: every command, its flags (read
 * from its --help) with wrong values (empty, negative, fractional, NaN, 1e400, unsafe integers,
 * lists with zeros, long strings, paths that do not exist), unknown flags and stray positionals.
 * Each run must end with exit code 0, or 1 or 2 and one line on standard error that starts with
 * "deltagraph" — never an uncaught exception or a stack trace. The work a valid run may ask for
 * (epochs, iterations, sizes) is bounded, so that only a defect can be slow.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Rng, configureNodeKernels, manualSeed } from '../../node';
import { main } from '../../bin/cli';

const COMMANDS: Record<string, string[]> = {
  // MNIST's are the slow ones (a second to load and train): drawn less often.
  train: ['xor', 'xor', 'housing', 'housing', 'shakespeare', 'shakespeare', 'mnist', 'mnist-cnn'],
  graph: ['xor', 'housing', 'mnist', 'mnist-cnn', 'shakespeare', 'model.json'],
  gradcheck: ['add', 'relu', 'matmul', 'softmax', 'nosuchop'],
  deltas: ['xor'],
  export: ['model.json', 'model.json', 'cnn.onnx'],
};

const VALUES = [
  '', ' ', '0', '-1', '1', '2', '3', '1.5', '-0', 'NaN', 'Infinity', '1e400', '1e20', '9007199254740993', 'abc', '-', '--', '1,2', '2,0', ',',
  '4,,3', 'x'.repeat(300), 'no/such/dir/file.json', 'model.json', 'out.svg', 'out.dot', 'out.json', 'ckpt', 'true', 'relu', 'adam', 'sgd',
  'momentum', 'rmsprop', 'dot', 'json', 'svg', 'png', '\u0000', '../model.json', 'out.onnx', 'out.safetensors', 'float32', 'float64',
];

/** Work a valid run may ask for, bounded: flag → most allowed (applied to valid numbers only). */
const LIMITS: Record<string, number> = {
  epochs: 2, iterations: 3, 'train-limit': 200, 'test-limit': 100, batch: 16, layers: 2, heads: 2, embedding: 16, context: 16, sample: 20,
  runs: 2, 'eval-every': 2, 'checkpoint-every': 2,
};
/** Flags set on every run of a command unless the fuzz set them, so that the defaults' long runs are not asked for. */
function small(command: string, example: string | undefined): string[] {
  if (command === 'gradcheck') return ['--runs', '1'];
  if (command !== 'train') return [];
  if (example === 'shakespeare') return ['--iterations', '2', '--train-limit', '2000', '--test-limit', '200', '--layers', '1', '--embedding', '8', '--heads', '2', '--context', '8', '--sample', '10', '--quiet'];
  if (example === 'xor') return ['--epochs', '2', '--quiet'];
  return ['--epochs', '1', '--train-limit', '64', '--test-limit', '32', '--quiet'];
}
const HIDDEN_MAX = 16;

const output: string[] = [];
let flagsOf: Record<string, Array<{ name: string; boolean: boolean }>>;

/** Runs the CLI in-process, keeping what it prints on standard error. */
function run(argv: string[]): { code: number | 'threw'; stderr: string[]; error?: unknown } {
  const errors: string[] = [];
  const log = console.log;
  const error = console.error;
  const out = process.stdout.write;
  const err = process.stderr.write;
  console.log = () => undefined;
  console.error = (...a: unknown[]) => void errors.push(a.map(String).join(' '));
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => {
    errors.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: main(argv), stderr: errors };
  } catch (e) {
    return { code: 'threw', stderr: errors, error: e };
  } finally {
    console.log = log;
    console.error = error;
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** The flags of each command, from its --help. */
function readFlags(): Record<string, Array<{ name: string; boolean: boolean }>> {
  const flags: Record<string, Array<{ name: string; boolean: boolean }>> = {};
  const log = console.log;
  for (const command of Object.keys(COMMANDS)) {
    const lines: string[] = [];
    console.log = (...a: unknown[]) => void lines.push(a.map(String).join(' '));
    try {
      main([command, '--help']);
    } finally {
      console.log = log;
    }
    const seen = new Map<string, boolean>();
    for (const line of lines.join('\n').split('\n')) {
      for (const m of line.matchAll(/--([a-z][a-z-]*)( [A-Za-zη.0-9,|]+)?/g)) {
        if (m[1] === 'help') continue;
        seen.set(m[1]!, (seen.get(m[1]!) ?? true) && m[2] === undefined);
      }
    }
    flags[command] = [...seen].map(([name, boolean]) => ({ name, boolean }));
  }
  return flags;
}

/** Bounds the work of the valid values among the arguments. */
function bounded(command: string, argv: string[]): string[] {
  const out = argv.slice();
  for (let i = 0; i < out.length - 1; i++) {
    const flag = out[i]!.replace(/^--/, '');
    const v = out[i + 1]!;
    if (Object.prototype.hasOwnProperty.call(LIMITS, flag) && Number.isFinite(Number(v)) && v.trim() !== '' && Number(v) > LIMITS[flag]!) out[i + 1] = String(LIMITS[flag]);
    if (flag === 'hidden' && /^[\d,]+$/.test(v)) out[i + 1] = v.split(',').map((d) => (Number(d) > HIDDEN_MAX ? String(HIDDEN_MAX) : d)).join(',');
  }
  const extra = small(command, out[1]);
  for (let i = 0; i < extra.length; i++) {
    const flag = extra[i]!;
    const takes = i + 1 < extra.length && !extra[i + 1]!.startsWith('--');
    const known = flagsOf[command]!.some((f) => `--${f.name}` === flag);
    if (known && !out.includes(flag)) out.push(...(takes ? [flag, extra[i + 1]!] : [flag]));
    if (takes) i++;
  }
  // gradcheck with no op checks all 75 of them: one op instead.
  if (command === 'gradcheck' && !out.some((a, i) => i > 0 && !a.startsWith('--') && !out[i - 1]!.startsWith('--'))) out.splice(1, 0, 'add');
  return out;
}

function argvFor(r: Rng): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  const command = r.uniform() < 0.04 ? pick(['', 'nosuch', '--version', 'TRAIN']) : pick(Object.keys(COMMANDS));
  const argv = [command];
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, command)) return argv;
  if (r.uniform() < 0.9) argv.push(pick(COMMANDS[command]!));
  if (r.uniform() < 0.1) argv.push(pick(VALUES));
  const flags = flagsOf[command]!;
  const count = r.int(4);
  for (let k = 0; k < count; k++) {
    if (r.uniform() < 0.06) {
      argv.push(pick(['--nosuch', '-x', '--epochs=3', '--=', '---']));
      continue;
    }
    const f = pick(flags);
    argv.push(`--${f.name}`);
    if (!f.boolean || r.uniform() < 0.1) argv.push(pick(VALUES));
  }
  return argv;
}

let cwd: string;
beforeAll(() => {
  cwd = process.cwd();
  process.chdir(mkdtempSync(join(tmpdir(), 'dg-cli-fuzz-')));
  flagsOf = readFlags();
});
afterAll(() => {
  process.chdir(cwd);
  configureNodeKernels();
  manualSeed(0);
});

test('reads the flags of every command from its help', () => {
  expect(flagsOf.train!.map((f) => f.name)).toEqual(expect.arrayContaining(['epochs', 'hidden', 'batch-norm', 'checkpoint', 'resume', 'iterations']));
  expect(flagsOf.train!.find((f) => f.name === 'batch-norm')!.boolean).toBe(true);
  expect(flagsOf.graph!.map((f) => f.name)).toEqual(expect.arrayContaining(['out', 'format', 'collapse', 'grads', 'batch']));
});

test('random command lines end in a clean exit, never an exception', () => {
  const r = new Rng(Number(process.env.DELTAGRAPH_FUZZ_SEED ?? 1));
  const failures: string[] = [];
  const calls = Number(process.env.DELTAGRAPH_CLI_FUZZ_CALLS ?? 60);
  for (let i = 0; i < calls; i++) {
    const argv = argvFor(r);
    const command = argv[0]!;
    const args = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? bounded(command, argv) : argv;
    const t0 = performance.now();
    const { code, stderr, error } = run(args);
    const ms = performance.now() - t0;
    const shown = JSON.stringify(args.map((a) => (a.length > 40 ? `${a.slice(0, 20)}…(${a.length})` : a)));
    if (code === 'threw') failures.push(`${shown}: threw ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`);
    else if (![0, 1, 2].includes(code)) failures.push(`${shown}: exit code ${code}`);
    else if (code !== 0) {
      const lines = stderr.join('').trimEnd().split('\n');
      const last = lines[lines.length - 1]!;
      if (!last.startsWith('deltagraph')) failures.push(`${shown}: exit ${code} without a one-line message: ${stderr.join('').slice(0, 300)}`);
    }
    if (ms > 5_000) failures.push(`${shown}: took ${Math.round(ms)} ms`);
    output.push(`${code} ${shown}`);
  }
  if (process.env.DELTAGRAPH_FUZZ_REPORT) process.stdout.write(`${output.join('\n')}\n`);
  expect(failures).toEqual([]);
  // Both outcomes were reached: some runs succeed, most are refused.
  expect(output.some((o) => o.startsWith('0 '))).toBe(true);
  expect(output.some((o) => o.startsWith('2 '))).toBe(true);
}, 120_000);
