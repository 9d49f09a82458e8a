/** The command line: help, usage errors (one line, exit 2), and the deltas and gradcheck commands. */
import { run } from './run';

describe('deltagraph CLI', () => {
  it('prints help for the program and for each command', () => {
    expect(run(['--help']).out).toContain('Commands:');
    for (const c of ['train', 'gradcheck', 'deltas']) {
      const r = run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: deltagraph ${c}`));
    }
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['train', 'xor', '--bogus'], /Unknown option '--bogus'/],
    [['train', 'xor', '--lr', 'fast'], /--lr must be a positive number, got 'fast'/],
    [['train', 'cifar'], /expected one example, xor, housing, mnist, mnist-cnn or shakespeare/],
    [['train', 'mnist', '--optimizer', 'lbfgs'], /--optimizer must be one of adam, sgd, momentum, rmsprop/],
    [['train', 'mnist', '--hidden', '128,x'], /--hidden must be a comma-separated list/],
    [['train', 'mnist', '--epochs', '0'], /--epochs must be an integer ≥ 1/],
    [['gradcheck', 'frob'], /unknown op frob/],
    [['deltas', 'mnist'], /expected the example name xor/],
  ])('%j is a one-line usage error with exit code 2', (argv, message) => {
    const r = run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('deltas xor shows the graph deltas equal to the closed forms', () => {
    const r = run(['deltas', 'xor']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('equal the compact formulas');
    // Each layer reports its delta and both parameter gradients against the closed forms.
    expect(r.out.match(/max \|graph − closed form\|: Δ\d .* ∂loss\/∂W\d .* ∂loss\/∂b\d/g)).toHaveLength(3);
  });

  it('gradcheck checks the named ops and prints a table', () => {
    const r = run(['gradcheck', 'tanh', 'matmul', '--runs', '10']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/tanh\s+primitive\s+20\s/);
    expect(r.out).toContain('2 of 2 ops pass');
  });

  it('train xor reaches the slides\' bar and saves a model', () => {
    const path = require('path').join(require('os').tmpdir(), `dg-xor-${process.pid}.json`);
    const r = run(['train', 'xor', '--quiet', '--save', path]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('below 1e-3');
    expect(require('fs').existsSync(path)).toBe(true);
  });
});
