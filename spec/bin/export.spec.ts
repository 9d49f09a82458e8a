/**
 * deltagraph export: a saved model as an ONNX graph that ONNX Runtime runs with deltagraph's
 * outputs, and as safetensors under PyTorch's names; usage errors exit 2 in one line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { MLP, MLPOptions, Tensor, fromOnnx, gpt, loadSafetensors, mnistCnn, randn, rng, saveModel } from '../../node';
import { relativeError, runOrt } from '../interop/ort';
import { run } from './run';

let dir = '';
const xorOptions: MLPOptions = { layers: [2, 4, 3, 1], hidden: 'sigmoid', output: 'sigmoid', seed: 5 };
let xorPath = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-export-'));
  xorPath = join(dir, 'xor.json');
  saveModel(new MLP(xorOptions), xorPath, { example: 'xor', mlp: xorOptions });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = (n: number, width: number, seed: number) => randn([n, width], rng(seed));
const feed = (x: Tensor) => ({ input: { type: 'float32' as const, dims: [...x.shape], data: Array.from(x.data, Math.fround) } });

describe('deltagraph export', () => {
  it('has help, and is listed by the program help', () => {
    const r = run(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: deltagraph export MODEL\.json/);
    for (const flag of ['--onnx', '--safetensors', '--dtype', '--fixed-batch']) expect(r.out).toContain(flag);
    expect(run(['--help']).out).toMatch(/export\s+write a saved model as ONNX/);
  });

  it.each([
    [['export'], /expected one saved model file/],
    [['export', 'XOR'], /say what to write/],
    [['export', 'missing.json', '--onnx', 'x.onnx'], /cannot read the model file 'missing\.json'/],
    [['export', 'm.json', '--onnx', 'x.onnx', '--dtype', 'float16'], /--dtype must be one of float32, float64, got 'float16'/],
    [['export', 'm.json', '--safetensors', 'x.st', '--fixed-batch', '2'], /--fixed-batch shapes the ONNX graph/],
    [['export', 'm.json', '--onnx', 'x.onnx', '--fixed-batch', '0'], /--fixed-batch must be an integer ≥ 1/],
  ])('%j is a one-line usage error with exit code 2', (argv, message) => {
    const r = run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  it('writes an ONNX graph that ONNX Runtime runs with deltagraph’s outputs, at any batch size', () => {
    const out = join(dir, 'xor.onnx');
    const r = run(['export', xorPath, '--onnx', out]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote MLP 2-4-3-1 to .*xor\.onnx \(ONNX opset 17, float32, input 'input' \[batch, 2\] → output 'output' \[batch, 1\], [\d.]+ (bytes|kB)\)$/);
    const bytes = new Uint8Array(readFileSync(out));
    const model = new MLP(xorOptions);
    const [three, five] = [rows(3, 2, 1), rows(5, 2, 2)];
    const results = runOrt([{ model: bytes, feeds: feed(three) }, { model: bytes, feeds: feed(five) }]);
    for (const [x, result] of [[three, results[0]!], [five, results[1]!]] as const) {
      expect(result.error).toBeUndefined();
      expect(result.outputs!.output!.dims).toEqual([x.shape[0], 1]);
      expect(relativeError(result.outputs!.output!.data, model.forward(x).data)).toBeLessThan(1e-5);
    }
    // Read back by deltagraph: the same net, its weights rounded to float32.
    const imported = fromOnnx(bytes);
    expect(imported.inputs).toEqual([{ name: 'input', type: 'FLOAT', shape: ['batch', 2] }]);
    expect(relativeError(imported.forward(three).data, model.forward(three).data)).toBeLessThan(1e-6);
  });

  it('--fixed-batch declares the batch size; --dtype float64 writes doubles', () => {
    const out = join(dir, 'xor4.onnx');
    expect(run(['export', xorPath, '--onnx', out, '--fixed-batch', '4', '--dtype', 'float64']).code).toBe(0);
    const imported = fromOnnx(new Uint8Array(readFileSync(out)));
    expect(imported.inputs).toEqual([{ name: 'input', type: 'DOUBLE', shape: [4, 2] }]);
    const x = rows(4, 2, 3);
    // Float64 all the way: the imported net is the saved one, bit for bit.
    expect(Array.from(imported.forward(x).data)).toEqual(Array.from(new MLP(xorOptions).forward(x).data));
  });

  it('writes the weights as safetensors under PyTorch’s names and layouts, which load back into the net', () => {
    const out = join(dir, 'xor.safetensors');
    const r = run(['export', xorPath, '--safetensors', out, '--dtype', 'float64']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote 6 tensors of .*xor\.json to .*xor\.safetensors \(safetensors, float64, \d+ bytes\)$/);
    const dict = loadSafetensors(new Uint8Array(readFileSync(out)));
    const model = new MLP(xorOptions);
    const expected = model.stateDict();
    expect(Object.keys(dict).sort()).toEqual(Object.keys(expected).sort());
    for (const [key, t] of Object.entries(expected)) {
      expect([key, dict[key]!.shape]).toEqual([key, t.shape]);
      expect(Array.from(dict[key]!.data)).toEqual(Array.from(t.data));
    }
    const fresh = new MLP({ ...xorOptions, seed: 99 });
    fresh.loadStateDict(dict);
    const x = rows(4, 2, 4);
    expect(Array.from(fresh.forward(x).data)).toEqual(Array.from(model.forward(x).data));
  });

  it('exports the MNIST CNN, which ONNX Runtime runs on rows of 784 pixels', () => {
    const path = join(dir, 'cnn.json');
    const cnn = mnistCnn(0);
    saveModel(cnn, path, { example: 'mnist-cnn' });
    const out = join(dir, 'cnn.onnx');
    const r = run(['export', path, '--onnx', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("input 'input' [batch, 784] → output 'output' [batch, 10]");
    const x = rows(2, 784, 5);
    const [result] = runOrt([{ model: new Uint8Array(readFileSync(out)), feeds: feed(x) }]);
    expect(result!.error).toBeUndefined();
    cnn.eval();
    expect(relativeError(result!.outputs!.output!.data, cnn.forward(x).data)).toBeLessThan(1e-5);
  });

  it('exports a GPT whose input is token ids, which ONNX Runtime runs with deltagraph’s logits', () => {
    const config = { vocabSize: 5, context: 4, embedding: 8, heads: 2, layers: 1 };
    const path = join(dir, 'gpt.json');
    const model = gpt(config, 0);
    saveModel(model, path, { example: 'shakespeare', gpt: config });
    const out = join(dir, 'gpt.onnx');
    const r = run(['export', path, '--onnx', out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("input 'ids' [batch, 4] (token ids) → output 'logits' [batch, 4, 5]");
    const ids = [[4, 0, 1, 1], [2, 3, 3, 0], [1, 1, 4, 2]];
    const feeds = { ids: { type: 'float32' as const, dims: [3, 4], data: ids.flat() } };
    const [result] = runOrt([{ model: new Uint8Array(readFileSync(out)), feeds }]);
    expect(result!.error).toBeUndefined();
    model.eval();
    expect(result!.outputs!.logits!.dims).toEqual([3, 4, 5]);
    expect(relativeError(result!.outputs!.logits!.data, model.forward(ids).data)).toBeLessThan(1e-5);
    expect(run(['export', path, '--safetensors', join(dir, 'gpt.safetensors')]).code).toBe(0);
  });
});
