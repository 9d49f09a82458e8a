/**
 * The benchmark: deltagraph (float64) against TensorFlow.js's cpu and wasm backends (float32),
 * all in this one process, each row warmed up and then timed repeatedly, medians reported.
 *
 *   npm run bench                          every row
 *   npm run bench -- --only matmul,mlp     some row families
 *   npm run bench -- --quick               fewer repetitions, for development
 *   npm run bench -- --help
 *
 * Prints a table (stdout; progress goes to stderr) and writes every raw sample to
 * bench/results.json. Exits with status 1 when a row was aborted (an implementation disagreed with
 * deltagraph, or a row failed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runChain } from './chain';
import { runCnn } from './cnn';
import { runMatmul } from './matmul';
import { runMemory } from './memory';
import { runMlp } from './mlp';
import { Context, FULL, Profile, QUICK } from './profile';
import { Row, describeMachine, formatMachine, formatTable } from './report';
import { describeTfjs } from './tfjs';
import { runXor } from './xor';
import { msSince, now } from './timing';

/** The row families, in the order they run. */
export const FAMILIES = {
  matmul: { run: runMatmul, about: 'n×n matrix product at n = 128, 256, 512, 1024 (GFLOP/s), with a naive JS loop as reference' },
  mlp: { run: runMlp, about: 'MLP 784-128-64-10, batch 128, one SGD step: forward + backward + update (steps/s)' },
  chain: { run: runChain, about: 'chain of 1,000 elementwise ops on 16 elements, forward + backward (µs/op)' },
  xor: { run: runXor, about: 'Siena XOR net 2-4-3-1, 10,000 full-batch gradient-descent steps (s)' },
  cnn: { run: runCnn, about: 'conv2d 16→32 5×5 fwd+bwd (ms) and the MNIST CNN training step, batch 64 (steps/s)' },
  memory: { run: runMemory, about: 'peak RSS of deltagraph training the MLP, at 1,000 and 10,000 steps, in a child process' },
} as const;
export type Family = keyof typeof FAMILIES;
const FAMILY_NAMES = Object.keys(FAMILIES) as Family[];

export interface Options {
  families: Family[];
  quick: boolean;
  /** Where results.json goes. */
  out: string;
  /** Overrides the memory row's checkpoints. */
  memorySteps?: number[];
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Times deltagraph (float64) against TensorFlow.js's cpu and wasm backends (float32) and prints a
table of medians with deltagraph/peer ratios; writes the raw samples to bench/results.json.

Options:
  --only a,b,...        run only these row families (default: all), from:
${FAMILY_NAMES.map((f) => `                          ${f.padEnd(7)} ${FAMILIES[f].about}`).join('\n')}
  --quick               fewer repetitions (and the memory row at 100 and 1,000 steps), for development
  --memory-steps a,b    the memory row's checkpoints (default 1000,10000)
  --out FILE            write the results here (default bench/results.json)
  --help                this text
`;

/** Parses the command line; throws an Error naming the problem. */
export function parseArgs(argv: readonly string[]): Options {
  const options: Options = { families: [...FAMILY_NAMES], quick: false, out: path.join(__dirname, 'results.json'), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--quick':
        options.quick = true;
        break;
      case '--only': {
        const names = value().split(',').map((s) => s.trim()).filter((s) => s !== '');
        const unknown = names.filter((n) => !(FAMILY_NAMES as string[]).includes(n));
        if (unknown.length > 0) throw new Error(`--only: unknown row famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')}; expected some of ${FAMILY_NAMES.join(', ')}`);
        // Keep the canonical order, whatever the order given.
        options.families = FAMILY_NAMES.filter((f) => names.includes(f));
        break;
      }
      case '--memory-steps': {
        const steps = value().split(',').map(Number);
        if (steps.length < 2 || steps.some((s, k) => !Number.isInteger(s) || s < 1 || (k > 0 && s <= steps[k - 1]!))) {
          throw new Error('--memory-steps: expected two or more ascending positive integers, e.g. 1000,10000');
        }
        options.memorySteps = steps;
        break;
      }
      case '--out':
        options.out = path.resolve(value());
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const base = options.quick ? QUICK : FULL;
  const profile: Profile = { ...base, memorySteps: options.memorySteps ?? base.memorySteps };
  const ctx: Context = { profile, log: (line) => process.stderr.write(`  … ${line}\n`) };
  const machine = describeMachine(await describeTfjs());
  console.log(formatMachine(machine));
  console.log(`profile: ${options.quick ? 'quick' : 'full'}; rows: ${options.families.join(', ')}\n`);

  const started = now();
  const rows: Row[] = [];
  const seconds: Partial<Record<Family, number>> = {};
  for (const family of options.families) {
    const t0 = now();
    const familyRows = await FAMILIES[family].run(ctx);
    seconds[family] = msSince(t0) / 1000;
    rows.push(...familyRows);
    for (const row of familyRows) if (row.error !== undefined) process.stderr.write(`  ✗ ${row.label}: ${row.error}\n`);
  }
  const totalSeconds = msSince(started) / 1000;

  console.log(formatTable(rows));
  console.log(`\ntotal ${totalSeconds.toFixed(0)} s (${options.families.map((f) => `${f} ${seconds[f]!.toFixed(0)} s`).join(', ')})`);

  const results = {
    about:
      'cells[].value is in the row unit, derived from measurement.median; measurement.samples are milliseconds per call ' +
      '(per whole run for xor), each the mean of callsPerSample calls; memory cells hold bytes in extra',
    machine,
    profile,
    options: { families: options.families, quick: options.quick },
    seconds: { total: totalSeconds, ...seconds },
    rows,
  };
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n');
  console.log(`results: ${path.relative(process.cwd(), options.out)}`);

  const aborted = rows.filter((r) => r.error !== undefined);
  if (aborted.length > 0) {
    process.stderr.write(`bench: ${aborted.length} row${aborted.length > 1 ? 's' : ''} aborted\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  // Exit explicitly: the tfjs backends (and any worker threads a kernel starts) may keep handles open.
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
