/**
 * The playground as its users meet it: built by `npm run playground:build`, served, and used in
 * headless Chromium (driver.mjs clicks and types; this file judges what it saw). It trains XOR
 * below 1e-3, measures the frame rate, compares the delta table with the library's deltas for the
 * page's own weights, walks one backward pass, enters a formula and a wrong one, runs the gradient
 * check, reopens a shared link, and checks keyboard use and contrast with axe-core. Screenshots
 * go to dist/playground/screenshots/. Without Chromium the suite is skipped, with one line saying so.
 */
import { execFile, spawn } from 'child_process';
import { mkdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { BCELoss, MLP, Tensor, ancestors, backward, fromExpression, loadModelJson, loadSafetensors, tensor } from 'deltagraph';
import { findChromium } from '../package/browser';

const root = join(__dirname, '..', '..');
const out = join(root, 'dist', 'playground');
const chromium = findChromium();
if (chromium === null) {
  process.stderr.write('playground spec: no Chromium found, so the browser test is skipped — apt-get install -y chromium, or set CHROME_PATH\n');
}

interface Seen {
  errors: string[];
  failures: string[];
  screenshots: string[];
  kernel: Record<string, unknown>;
  initialHash: string;
  accessibility?: { violations: Array<{ id: string; impact: string; help: string; nodes: string[] }>; passes: string[] };
  keyboard?: { order: string[]; pressedAfterSpace: string; pressedAfterEnter: string; focusVisible: string };
  training?: { start: number; loss: number; steps: number; fps: number };
  fastFrameRate?: number;
  deltas?: { cells: Array<{ layer: number; example: number; unit: number; value: number }>; model: string; data: { X: number[]; y: number[]; config: { hidden: number[]; activation: string; loss: string } } };
  stepThrough?: { ops: string[]; indices: string[] };
  formula?: { good: { error: string; rows: string[]; hash: string }; bad: { error: string } };
  gradcheck?: string[];
  exports?: { files: Record<'.json' | '.safetensors' | '-graph.svg', string>; model: string; config: { hidden: number[]; activation: string } };
  openedAsFile?: { steps: string; kernel: Record<string, unknown> };
  sharedLink?: Record<string, unknown> & { config: Record<string, unknown> };
}

/** Runs scripts/serve-playground.mjs (npm run playground) with PORT=0 and reads the URL it prints. */
function startPlaygroundServer(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [join(root, 'scripts', 'serve-playground.mjs')], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`npm run playground printed no URL within 120 s: ${output}`));
    }, 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /deltagraph playground: (http:\/\/localhost:\d+\/)/.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({ url, stop: () => child.kill() });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm run playground exited with ${code}: ${output}`));
    });
  });
}

(chromium === null ? describe.skip : describe)('the playground in headless Chromium', () => {
  let seen: Seen;
  beforeAll(async () => {
    // The page as `npm run playground` builds and serves it: the script's own server, on a free port.
    const server = await startPlaygroundServer();
    const shots = join(out, 'screenshots');
    mkdirSync(shots, { recursive: true });
    try {
      const text = await new Promise<string>((resolve, reject) => {
        const args = [join(__dirname, 'driver.mjs'), chromium!, `${server.url}index.html`, shots, require.resolve('axe-core/axe.min.js'), pathToFileURL(join(out, 'index.html')).href];
        execFile(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
          error ? reject(new Error(`driver.mjs failed: ${stderr || error.message}`)) : resolve(stdout));
      });
      seen = JSON.parse(text) as Seen;
    } finally {
      server.stop();
    }
    process.stderr.write(`playground: ${seen.training?.fps.toFixed(1)} frames per second training the default net (${seen.fastFrameRate?.toFixed(1)} as fast as it goes); screenshots: ${seen.screenshots.join(', ')}\n`);
  }, 300_000);

  it('loads with no error, on the SIMD kernel, every step of the visit completed', () => {
    expect(seen.errors).toEqual([]);
    expect(seen.failures).toEqual([]);
    expect(seen.kernel).toMatchObject({ matmul: 'wasm-simd' });
    // The page writes its state into the URL at once.
    expect(seen.initialHash).toMatch(/dataset=xor/);
  });

  it('trains XOR below 1e-3 at 30 frames per second or more', () => {
    const t = seen.training!;
    expect(t.start).toBeGreaterThan(0.1);
    expect(t.loss).toBeLessThan(1e-3);
    expect(t.steps).toBeGreaterThan(0);
    expect(t.fps).toBeGreaterThanOrEqual(30);
    expect(seen.fastFrameRate).toBeGreaterThanOrEqual(30);
  });

  it("shows the library's deltas for the page's weights, every cell", () => {
    const { cells, model: json, data } = seen.deltas!;
    const n = data.y.length;
    const model = new MLP({ layers: [2, ...data.config.hidden, 1], hidden: data.config.activation as 'tanh' });
    loadModelJson(model, json);
    const X = tensor(Float64Array.from(data.X), [n, 2]);
    const y = tensor(Float64Array.from(data.y), [n, 1]);
    expect(data.config.loss).toBe('bce');
    const deltas = model.deltas(backward(new BCELoss({ logits: true }).forward(model.forward(X), y)));
    // Every layer appears, with every unit of (up to) the first 8 examples.
    for (let l = 0; l < deltas.length; l++) {
      const units = deltas[l]!.shape[1]!;
      expect(cells.filter((c) => c.layer === l + 1)).toHaveLength(Math.min(n, 8) * units);
    }
    for (const c of cells) {
      const delta: Tensor = deltas[c.layer - 1]!;
      const expected = delta.data[c.example * delta.shape[1]! + c.unit]!;
      const scale = Math.max(...Array.from(delta.data, Math.abs));
      expect(Math.abs(c.value - expected)).toBeLessThanOrEqual(1e-12 * scale + 1e-300);
    }
  });

  it('walks one backward pass node by node, in reverse topological order', () => {
    const { ops, indices } = seen.stepThrough!;
    const { model: json, data } = seen.deltas!;
    const model = new MLP({ layers: [2, ...data.config.hidden, 1], hidden: data.config.activation as 'tanh' });
    loadModelJson(model, json);
    const n = data.y.length;
    const loss = new BCELoss({ logits: true }).forward(model.forward(tensor(Float64Array.from(data.X), [n, 2])), tensor(Float64Array.from(data.y), [n, 1]));
    const expected = ancestors(loss, 'playground spec', '').reverse().map((node) => node.op.name);
    expect(ops).toEqual(expected);
    expect(indices[0]).toBe(`step 1 of ${expected.length}`);
    expect(indices[indices.length - 1]).toBe(`step ${expected.length} of ${expected.length}`);
  });

  it("draws a formula's graph with every edge's gradient, and shows a wrong formula's error in the library's words", () => {
    const { good, bad } = seen.formula!;
    expect(good.error).toBe('');
    expect(good.hash).toContain(`formula=${encodeURIComponent('sigmoid(X * W + b)').replace(/%20/g, '+')}`);
    // X, W and b, the product, the sum and the sigmoid's output each have a row.
    expect(good.rows.length).toBeGreaterThanOrEqual(4);
    let message = '';
    try {
      fromExpression('sigmoid(X * W +');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    expect(bad.error).toContain(message);
  });

  it("runs the gradient check of the net and of the ops in the page, and every check passes", () => {
    const rows = seen.gradcheck!;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.join('\n')).not.toMatch(/\bfail/i);
  });

  it('exports the weights as JSON and safetensors that load back exactly, and the graph as SVG', () => {
    const { files, model: json, config } = seen.exports!;
    const layers = [2, ...config.hidden, 1];
    const shown = new MLP({ layers, hidden: config.activation as 'tanh' });
    loadModelJson(shown, json);
    const saved = new MLP({ layers, hidden: config.activation as 'tanh' });
    loadModelJson(saved, readFileSync(files['.json'], 'utf8'));
    const expected = shown.stateDict();
    const fromJson = saved.stateDict();
    const fromSafetensors = loadSafetensors(new Uint8Array(readFileSync(files['.safetensors'])));
    expect(Object.keys(fromSafetensors).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, t] of Object.entries(expected)) {
      expect(Array.from(fromJson[name]!.data)).toEqual(Array.from(t.data));
      expect(fromSafetensors[name]!.shape).toEqual(t.shape);
      expect(Array.from(fromSafetensors[name]!.data)).toEqual(Array.from(t.data));
    }
    const svg = readFileSync(files['-graph.svg'], 'utf8');
    expect(svg).toMatch(/<svg[\s\S]*bceWithLogits[\s\S]*<\/svg>/);
  });

  it('works opened as a file, without a server', () => {
    expect(seen.openedAsFile).toMatchObject({ steps: '1', kernel: { matmul: 'wasm-simd' } });
  });

  it('reopens a shared link with its settings', () => {
    const shown = seen.sharedLink!;
    expect(shown).toMatchObject({ dataset: 'spirals', hidden: '6,4', activation: 'relu', lr: '0.01', seed: '7' });
    expect(shown.config).toMatchObject({ dataset: 'spirals', hidden: [6, 4], activation: 'relu', lr: 0.01, seed: 7 });
  });

  it('can be used from the keyboard, with readable contrast (axe-core: no WCAG 2.1 A/AA violation)', () => {
    const { order, pressedAfterSpace, pressedAfterEnter, focusVisible } = seen.keyboard!;
    for (const id of ['dataset', 'noise', 'hidden', 'activation', 'loss', 'optimizer', 'lr', 'batch', 'speed', 'seed', 'play', 'step', 'reset', 'step-start', 'formula-input', 'gradcheck-run']) {
      expect(order).toContain(id);
    }
    expect(pressedAfterSpace).toBe('true');
    expect(pressedAfterEnter).toBe('false');
    expect(focusVisible).not.toBe('none');
    expect(seen.accessibility!.violations).toEqual([]);
    expect(seen.accessibility!.passes).toContain('color-contrast');
  });
});
