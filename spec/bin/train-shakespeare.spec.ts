/**
 * deltagraph train shakespeare and graph shakespeare: the character GPT (nn's gpt and trainGpt) at
 * a tiny size (--layers 1 --heads 2 --embedding 16 --context 8) for a few iterations, saved, and
 * drawn again; the built-in picture of one block of the full-width GPT.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { gpt, loadModel, loadTinyShakespeare, readModel, stateDict, trainGpt, windowLoss } from '../../node';
import type { GraphDescription } from '../../viz';
import { run } from './run';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dg-gpt-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIZE = { layers: 1, heads: 2, embedding: 16, context: 8 };
const SIZE_FLAGS = ['--layers', '1', '--heads', '2', '--embedding', '16', '--context', '8'];
const VALIDATION = 400;

describe('deltagraph train shakespeare', () => {
  const saved = () => join(dir, 'gpt.json');
  const plot = () => join(dir, 'gpt.svg');
  let r: ReturnType<typeof run>;
  beforeAll(() => {
    r = run(['train', 'shakespeare', '--iterations', '6', '--eval-every', '3', '--test-limit', `${VALIDATION}`, '--sample', '30', ...SIZE_FLAGS, '--save', saved(), '--plot', plot()]);
  });

  it('describes the net and the recipe, reports the iterations, the validation loss and a sample, saves and plots', () => {
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^GPT\(vocab 65, 1 layer, 2 heads, embedding 16, context 8, tied head\)\n/);
    // Embeddings 65·16 + 8·16; the block's two LayerNorm weights, in-projection 16·48, out 16·16, MLP 2·16·64; lnF.
    const count = 65 * 16 + 8 * 16 + 2 * 16 + 16 * 48 + 16 * 16 + 2 * 16 * 64 + 16;
    expect(r.out).toContain(`${count.toLocaleString('en-US')} parameters · AdamW lr 0.001 (5 warm-up, cosine to 0.0001) · batch 12 × 8 characters · 6 iterations · seed 0`);
    expect(r.out).toContain(`1,003,854 training and ${VALIDATION} validation characters`);
    expect(r.out).toMatch(/\niteration 6\/6: training loss \d\.\d{4} \(mean of the last 6\)/);
    expect(r.out).toMatch(/\niteration 3: validation loss \d\.\d{4}/);
    expect(r.out).toMatch(new RegExp(`\\nvalidation: loss \\d\\.\\d{4} over ${Math.floor((VALIDATION - 1) / 8)} windows of 8 characters`));
    const sample = r.out.split('sample (30 characters, temperature 1):\n')[1]!.split('\nsaved')[0]!;
    expect(Array.from(sample)).toHaveLength(30);
    expect(readModel(saved()).meta).toEqual({ example: 'shakespeare', gpt: { vocabSize: 65, ...SIZE } });
    const svg = readFileSync(plot(), 'utf8');
    expect(svg).toMatch(/^<\?xml[^\n]*\n<svg /);
    expect(svg).toContain('validation loss');
  });

  it('trains with trainGpt and the recipe: the same weights, and the validation loss it printed', () => {
    const data = loadTinyShakespeare();
    const model = gpt({ vocabSize: 65, ...SIZE }, 0);
    const limited = { ...data, validation: data.validation.subarray(0, VALIDATION) };
    trainGpt(model, limited, { iterations: 6, batch: 12, lr: 1e-3, minLr: 1e-4, warmup: 5, progress: false });
    const fromCli = gpt({ vocabSize: 65, ...SIZE }, 1);
    loadModel(fromCli, saved());
    const ours = stateDict(model).parameters;
    const theirs = stateDict(fromCli).parameters;
    expect(Object.keys(theirs)).toEqual(Object.keys(ours));
    for (const k of Object.keys(ours)) expect(Array.from(theirs[k]!.data)).toEqual(Array.from(ours[k]!.data));
    expect(r.out).toContain(`validation: loss ${windowLoss(fromCli, limited.validation).toFixed(4)} over`);
  });

  it('draws the saved GPT whole, its parameters by path and its layers in frames', () => {
    const g = run(['graph', saved(), '--format', 'json']);
    expect(g.err).toBe('');
    expect(g.code).toBe(0);
    const d = JSON.parse(g.out) as GraphDescription;
    const labels = d.nodes.filter((n) => n.kind === 'parameter').map((n) => n.label);
    expect(labels).toEqual(expect.arrayContaining(['tokens.weight', 'positions.weight', 'blocks.0.attn.inProj.W', 'blocks.0.proj.W', 'lnF.weight']));
    expect(d.groups.map((grp) => grp.label)).toEqual([
      'embeddings', 'blocks.0.ln1', 'blocks.0.attn', 'blocks.0.ln2', 'blocks.0.fc', 'blocks.0.gelu', 'blocks.0.proj', 'lnF', 'head',
    ]);
    // The spans follow one another without overlapping; the residual adds lie between them.
    d.groups.slice(1).forEach((grp, i) => expect(grp.span[0]).toBeGreaterThanOrEqual(d.groups[i]!.span[1]));
    expect(d.nodes.find((n) => n.kind === 'output')!.shape).toEqual([]);
  });

  it('draws one block of the full-width GPT as the built-in picture, collapsed to one box per layer', () => {
    const dot = run(['graph', 'shakespeare', '--collapse', '--format', 'dot']);
    expect(dot.code).toBe(0);
    expect(dot.out).toContain('shakespeare · GPT(vocab 65, 1 layer, 4 heads, embedding 128, context 64, tied head) · cross-entropy on 2 windows of 16 characters');
    expect(dot.out).toContain('MultiHeadAttention(128, 4 heads, causal, no bias)');
    const d = JSON.parse(run(['graph', 'shakespeare', '--batch', '1', '--format', 'json']).out) as GraphDescription;
    const inProj = d.nodes.find((n) => n.label === 'blocks.0.attn.inProj.W')!;
    expect(inProj.shape).toEqual([128, 384]);
    expect(d.groups.filter((grp) => grp.label.startsWith('blocks.')).map((grp) => grp.label)).toHaveLength(6);
    // The attention's scores are [N, heads, T, T] = [1, 4, 16, 16] before the softmax.
    expect(d.edges.some((e) => e.shape.join(',') === '1,4,16,16')).toBe(true);
  });

  it.each([
    [['train', 'shakespeare', '--epochs', '2'], /--epochs is not for shakespeare, which trains a fixed GPT by iterations/],
    [['train', 'shakespeare', '--hidden', '64'], /--hidden is not for shakespeare/],
    [['train', 'shakespeare', '--iterations', '0'], /--iterations must be an integer ≥ 1, got '0'/],
    [['train', 'shakespeare', '--embedding', '30', '--heads', '4'], /--embedding 30 must be a multiple of --heads 4/],
    [['train', 'shakespeare', '--test-limit', '8'], /--test-limit 8 is shorter than one window of --context 64 characters and its next one \(65\)/],
    [['train', 'shakespeare', '--sample=-1'], /--sample must be an integer ≥ 0, got '-1'/],
    [['train', 'mnist', '--iterations', '5'], /--iterations is for shakespeare only/],
  ])('%j is a one-line usage error with exit code 2', (argv, message) => {
    const e = run(argv as string[]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(message);
    expect(e.err.split('\n')).toHaveLength(1);
  });

  it('is listed by the help texts, with its own options', () => {
    const help = run(['train', '--help']).out;
    expect(help).toMatch(/\n {2}shakespeare {2}a character-level GPT on Tiny Shakespeare/);
    for (const flag of ['--iterations N', '--eval-every K', '--sample N', '--layers N --heads N --embedding N --context N']) expect(help).toContain(flag);
    expect(run(['graph', '--help']).out).toMatch(/\n {2}shakespeare one block of the shakespeare GPT/);
  });
});
