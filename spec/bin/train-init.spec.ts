/**
 * deltagraph train --init W.safetensors: a run starts from given weights under PyTorch's names —
 * PyTorch's own MNIST MLP among them — and refuses, in one line, weights that do not fit its net.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from './run';

const fixtures = join(__dirname, '..', 'interop', 'fixtures');
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-init-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accuracyOf = (out: string) => Number(/test: loss [\d.]+, accuracy ([\d.]+)%/.exec(out)![1]);

describe('deltagraph train --init', () => {
  it("starts the MNIST MLP from PyTorch's trained weights (mlp.safetensors, F32 and F64)", () => {
    const common = ['train', 'mnist', '--epochs', '1', '--train-limit', '32', '--test-limit', '500', '--lr', '1e-5', '--quiet'];
    const random = run(common);
    expect(random.code).toBe(0);
    for (const file of ['mlp.safetensors', 'mlp_f64.safetensors']) {
      // PyTorch's net was trained on pixels in [0, 1].
      const r = run([...common, '--init', join(fixtures, file), '--pixels', 'unit']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`initial weights: the 4 tensors of ${join(fixtures, file)}`);
      // PyTorch's net is trained (94.4% over the whole test set, as fromOnnx(mlp.onnx) also gives);
      // one tiny step on 32 images barely moves it.
      expect(accuracyOf(r.out)).toBeGreaterThan(90);
    }
    expect(accuracyOf(random.out)).toBeLessThan(60);
  });

  it('starts the XOR net from weights that deltagraph export wrote', () => {
    const saved = join(dir, 'xor.json');
    expect(run(['train', 'xor', '--save', saved, '--quiet']).code).toBe(0);
    const weights = join(dir, 'xor.safetensors');
    expect(run(['export', saved, '--safetensors', weights, '--dtype', 'float64']).code).toBe(0);
    const r = run(['train', 'xor', '--init', weights, '--epochs', '1']);
    expect(r.code).toBe(0);
    // The saved net was trained below 1e-3: one more step starts there.
    expect(r.out).toMatch(/loss [\d.]+e-4 after 1 full-batch steps/);
  });

  it('refuses weights of another net, naming every key, in one line with exit code 1', () => {
    const r = run(['train', 'xor', '--init', join(fixtures, 'mlp.safetensors'), '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^deltagraph: train: --init .*mlp\.safetensors: MLP\.loadStateDict: /);
    expect(r.err).toMatch(/0\.weight/);
    expect(r.err).toMatch(/4\.weight/);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it.each([
    [['--init', 'no/such/file.safetensors'], /--init: cannot read 'no\/such\/file\.safetensors'/],
    [['--init', 'w.safetensors', '--resume', 'ckpt'], /--init starts a new run from given weights; --resume continues/],
    [['--pixels', 'unit'], /--pixels scales MNIST's images; xor has none/],
  ])('%j is a one-line usage error with exit code 2', (flags, message) => {
    const r = run(['train', 'xor', ...flags]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('refuses a file that is not safetensors with exit code 1', () => {
    const path = join(dir, 'junk.safetensors');
    writeFileSync(path, 'not a safetensors file');
    const r = run(['train', 'xor', '--init', path]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^deltagraph: train: --init .*junk\.safetensors: loadSafetensors: /);
    expect(r.err.split('\n')).toHaveLength(1);
  });
});
