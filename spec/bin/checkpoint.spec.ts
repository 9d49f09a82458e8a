/**
 * deltagraph train --checkpoint / --resume: the command is killed with SIGKILL mid-training (a
 * real process, node bin/deltagraph.js, after its first checkpoint is on disk), resumed, and its
 * final weights equal an uninterrupted run's bit for bit; shakespeare resumed from a checkpoint
 * between iterations; and the usage errors of a checkpoint of another run.
 */
import { spawn } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FitCheckpoint, GptCheckpoint, loadCheckpoint, readModel } from '../../node';
import { run } from './run';

// fs with a renameSync that can keep a copy of each checkpoint as it is put in place.
let mockRenamed: ((to: string) => void) | null = null;
jest.mock('fs', () => {
  const actual = jest.requireActual<typeof import('fs')>('fs');
  return {
    ...actual,
    renameSync: (from: string, to: string) => {
      actual.renameSync(from, to);
      mockRenamed?.(to);
    },
  };
});

const root = join(__dirname, '..', '..');
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-cli-checkpoint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The saved parameters of a model file, as exact values. */
function weights(path: string): Record<string, unknown> {
  return readModel(path).parameters;
}

const HOUSING = ['train', 'housing', '--epochs', '3', '--train-limit', '3000', '--test-limit', '300', '--quiet'];

describe('deltagraph train housing, killed and resumed', () => {
  jest.setTimeout(60_000);

  it('killed with SIGKILL after its first checkpoint and resumed, it saves the weights of an uninterrupted run, bit for bit', async () => {
    const ck = join(dir, 'killed');
    // The process to kill starts first: ts-node takes seconds to load the library, time in which
    // the uninterrupted run is made in this process.
    const child = spawn(process.execPath, [join(root, 'bin', 'deltagraph.js'), ...HOUSING, '--checkpoint', ck, '--checkpoint-every', '5'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b) => (output += String(b)));
    child.stderr.on('data', (b) => (output += String(b)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

    const whole = run([...HOUSING, '--save', join(dir, 'whole.json')]);
    expect(whole.err).toBe('');
    expect(whole.code).toBe(0);

    // Kill it the moment a checkpoint is on disk: 5 of its 141 steps are done.
    const file = join(ck, 'checkpoint.json');
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (existsSync(file)) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        } else if (child.exitCode !== null || Date.now() - started > 45_000) {
          clearInterval(poll);
          reject(new Error(`no checkpoint appeared; the command printed:\n${output}`));
        }
      }, 5);
    });
    const end = await exited;
    expect(end.signal).toBe('SIGKILL');
    const left = loadCheckpoint(ck) as FitCheckpoint;
    expect(left.finished).toBe(false);
    expect(left.step).toBeGreaterThanOrEqual(5);
    expect(left.step).toBeLessThan(141);

    const resumed = run([...HOUSING, '--resume', ck, '--save', join(dir, 'resumed.json')]);
    expect(resumed.err).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(new RegExp(`resuming from .*checkpoint\\.json: (in epoch \\d of 3, after batch \\d+ of 47|after epoch \\d of 3) \\(step ${left.step}\\)`));
    // The same bytes: every weight written in the shortest form of the same float64.
    expect(readFileSync(join(dir, 'resumed.json'), 'utf8')).toBe(readFileSync(join(dir, 'whole.json'), 'utf8'));
    expect(weights(join(dir, 'resumed.json'))).toEqual(weights(join(dir, 'whole.json')));
    // The same final line, but for the seconds.
    const final = (out: string) => out.split('\n').find((l) => l.startsWith('test: '))!.replace(/\(\d+\.\d s\)/, '');
    expect(final(resumed.out)).toBe(final(whole.out));
    // It went on checkpointing into the directory, to the end, and left no temporary file.
    expect((loadCheckpoint(ck) as FitCheckpoint).finished).toBe(true);
    expect(readdirSync(ck)).toEqual(['checkpoint.json']);
  });
});

describe('deltagraph train shakespeare --checkpoint / --resume', () => {
  const GPT = ['train', 'shakespeare', '--iterations', '6', '--batch', '2', '--layers', '1', '--heads', '2', '--embedding', '16', '--context', '8', '--train-limit', '600', '--test-limit', '200', '--sample', '30', '--quiet'];

  it('resumed from the checkpoint after iteration 2, prints and saves what the uninterrupted run does', () => {
    const ck = join(dir, 'gpt');
    const early = join(dir, 'gpt-early');
    mkdirSync(early);
    // Keep the first checkpoint (after iteration 2) as a kill there would have left it.
    mockRenamed = (to) => {
      if (to === join(ck, 'checkpoint.json') && !existsSync(join(early, 'checkpoint.json'))) copyFileSync(to, join(early, 'checkpoint.json'));
    };
    let whole: ReturnType<typeof run>;
    try {
      whole = run([...GPT, '--checkpoint', ck, '--checkpoint-every', '2', '--save', join(dir, 'gpt-whole.json')]);
    } finally {
      mockRenamed = null;
    }
    expect(whole.err).toBe('');
    expect((loadCheckpoint(early) as GptCheckpoint).iteration).toBe(2);
    expect((loadCheckpoint(ck) as GptCheckpoint).iteration).toBe(6);

    const resumed = run([...GPT, '--resume', early, '--save', join(dir, 'gpt-resumed.json')]);
    expect(resumed.err).toBe('');
    expect(resumed.out).toContain(`resuming from ${join(early, 'checkpoint.json')}: after iteration 2 of 6`);
    expect(readFileSync(join(dir, 'gpt-resumed.json'), 'utf8')).toBe(readFileSync(join(dir, 'gpt-whole.json'), 'utf8'));
    const tail = (out: string) => out.slice(out.indexOf('\nvalidation: '), out.indexOf('\nsaved the parameters')).replace(/\(\d+\.\d+ s per iteration, \d+\.\d s in all\)/, '');
    expect(tail(resumed.out)).toBe(tail(whole!.out));
    // It went on from iteration 2 to 6, checkpointing every 2 as the run that saved it did.
    expect((loadCheckpoint(early) as GptCheckpoint).iteration).toBe(6);
  });
});

describe('deltagraph train: checkpoint usage errors', () => {
  let ck = '';
  beforeAll(() => {
    ck = join(dir, 'xor');
    const r = run(['train', 'xor', '--epochs', '3', '--checkpoint', ck, '--quiet']);
    expect(r.err).toBe('');
  });

  it.each([
    [['train', 'xor', '--epochs', '3', '--lr', '0.5'], /^deltagraph train: --resume \S+: the checkpoint was saved with --lr 1, but this command has --lr 0\.5; give the options of the run that saved it$/],
    [['train', 'xor', '--epochs', '3', '--hidden', '5'], /the checkpoint was saved with --hidden 4,3, but this command has --hidden 5/],
    [['train', 'housing'], /^deltagraph train: --resume \S+: the checkpoint is of train xor, not of train housing$/],
    [['train', 'shakespeare'], /^deltagraph train: --resume \S+: the checkpoint was not saved by deltagraph train$/],
  ])('refuses a checkpoint of another run (%#)', (argv, message) => {
    const r = run([...argv, '--resume', ck]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('resuming a finished run trains no more and reports the same; --epochs may be raised to go on', () => {
    const again = run(['train', 'xor', '--epochs', '3', '--resume', ck, '--quiet']);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/resuming from \S+: finished after 3 epochs \(step 3\)/);
    expect(again.out).toMatch(/loss \S+ after 3 full-batch steps/);
    const more = run(['train', 'xor', '--epochs', '5', '--resume', ck, '--quiet']);
    expect(more.out).toMatch(/loss \S+ after 5 full-batch steps/);
    const direct = run(['train', 'xor', '--epochs', '5', '--quiet']);
    const deltas = (out: string) => out.slice(out.indexOf('Δ1'));
    expect(deltas(more.out)).toBe(deltas(direct.out));
  });

  it.each([
    [['train', 'xor', '--checkpoint', 'CK'], /^deltagraph train: --checkpoint \S+ already holds a checkpoint; continue that run with --resume \S+, or give another directory$/],
    [['train', 'xor', '--resume', join(tmpdir(), 'dg-no-such-checkpoint')], /^deltagraph train: --resume \S+: there is no checkpoint at \S+ \(no such directory or file\)$/],
    [['train', 'xor', '--checkpoint-every', '5'], /^deltagraph train: --checkpoint-every needs --checkpoint DIR \(or --resume DIR\)$/],
    [['train', 'xor', '--checkpoint', 'elsewhere', '--checkpoint-every', '0'], /^deltagraph train: --checkpoint-every must be an integer ≥ 1, got '0'$/],
  ])('usage errors (%#)', (argv, message) => {
    const r = run(argv.map((a) => (a === 'CK' ? ck : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('documents the flags', () => {
    const help = run(['train', '--help']).out;
    expect(help).toContain('--checkpoint DIR');
    expect(help).toContain('--checkpoint-every N');
    expect(help).toContain('--resume DIR');
  });
});
