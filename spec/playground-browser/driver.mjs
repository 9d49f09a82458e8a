// Drives the built playground in headless Chromium as a user would, and prints what it saw as
// JSON for playground.spec.ts to judge (puppeteer-core is an ES module, so it runs here, in a
// process of its own). Usage: node driver.mjs CHROMIUM URL SCREENSHOT_DIR AXE_SCRIPT FILE_URL
// (FILE_URL: the same index.html as a file:// URL, which must work without a server).
// Every wait has a timeout; a step that fails is recorded (failures[]) and the rest still run.
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

const [chromium, url, shots, axePath, fileUrl] = process.argv.slice(2);
const seen = { errors: [], failures: [], screenshots: [] };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function attempt(name, fn) {
  try {
    seen[name] = await fn();
  } catch (e) {
    seen.failures.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function shot(page, name) {
  const path = join(shots, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  seen.screenshots.push(path);
}

/** Frames counted by the page's own animation loop over `ms` milliseconds. */
async function frameRate(page, ms) {
  const [f0, t0] = await page.evaluate(() => [window.playground.app.frameCount, performance.now()]);
  await sleep(ms);
  const [f1, t1] = await page.evaluate(() => [window.playground.app.frameCount, performance.now()]);
  return ((f1 - f0) * 1000) / (t1 - t0);
}

const lossNow = (page) => page.$eval('#loss-value', (e) => Number(e.dataset.value));

const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--headless=new'] });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.playground !== undefined, { timeout: 30_000 });
  seen.kernel = await page.evaluate(() => window.playground.kernel);
  seen.initialHash = await page.evaluate(() => location.hash);
  await sleep(500);
  await shot(page, 'playground-start');

  await attempt('accessibility', async () => {
    await page.addScriptTag({ content: readFileSync(axePath, 'utf8') });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    return {
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })),
      passes: result.passes.map((p) => p.id),
    };
  });

  await attempt('keyboard', async () => {
    // Tab from the top of the page through every control, noting which ones take the focus.
    await page.evaluate(() => document.activeElement?.blur());
    const order = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName || '');
      if (order.includes(id) && id !== '') break;
      order.push(id);
    }
    // Training starts and stops from the keyboard alone.
    await page.focus('#play');
    await page.keyboard.press('Space');
    const pressedAfterSpace = await page.$eval('#play', (e) => e.getAttribute('aria-pressed'));
    await sleep(300);
    await page.keyboard.press('Enter');
    const pressedAfterEnter = await page.$eval('#play', (e) => e.getAttribute('aria-pressed'));
    const focusVisible = await page.$eval('#play', (e) => getComputedStyle(e).outlineStyle);
    await page.click('#reset');
    return { order, pressedAfterSpace, pressedAfterEnter, focusVisible };
  });

  await attempt('training', async () => {
    await page.click('#reset');
    const start = await lossNow(page);
    await page.click('#play');
    // The frame rate of the default net while it trains (panels refresh during it, as for a user).
    const fps = await frameRate(page, 4000);
    await page.waitForFunction(() => Number(document.querySelector('#loss-value').dataset.value) < 1e-3, { timeout: 60_000 });
    await page.click('#play');
    await sleep(800);
    const loss = await lossNow(page);
    const steps = Number(await page.$eval('#step-count', (e) => e.textContent));
    await shot(page, 'playground-trained');
    return { start, loss, steps, fps };
  });

  await attempt('fastFrameRate', async () => {
    // As many steps as fit in each frame: the heaviest setting the controls offer for this net.
    await page.select('#speed', '0');
    await page.click('#play');
    const fps = await frameRate(page, 3000);
    await page.click('#play');
    await page.select('#speed', '5');
    return fps;
  });

  await attempt('deltas', async () => {
    await page.waitForSelector('#delta-table [data-value]', { timeout: 20_000 });
    await sleep(500);
    const cells = await page.$$eval('#delta-table [data-value]', (es) => es.map((e) => ({
      layer: Number(e.dataset.layer), example: Number(e.dataset.example), unit: Number(e.dataset.unit), value: Number(e.dataset.value),
    })));
    const { model, data } = await page.evaluate(() => ({ model: window.playground.modelJson(), data: window.playground.data() }));
    return { cells, model, data };
  });

  await attempt('stepThrough', async () => {
    await page.click('#step-start');
    await page.waitForSelector('#step-index', { timeout: 20_000 });
    const ops = [];
    const indices = [];
    for (let i = 0; i < 500; i++) {
      ops.push(await page.$eval('#step-op', (e) => e.textContent.trim()));
      const index = await page.$eval('#step-index', (e) => e.textContent.trim());
      indices.push(index);
      const m = /(\d+)\D+(\d+)/.exec(index);
      if (m && m[1] === m[2]) break;
      if (i === 3) await shot(page, 'playground-step-through');
      await page.click('#step-next');
      await sleep(30);
    }
    return { ops, indices };
  });

  await attempt('formula', async () => {
    const enter = async (text) => {
      await page.$eval('#formula-input', (e) => { e.value = ''; });
      await page.type('#formula-input', text);
      await page.keyboard.press('Enter');
      await sleep(1500);
    };
    await enter('sigmoid(X * W + b)');
    await page.waitForSelector('#formula-graph svg', { timeout: 20_000 });
    const good = {
      error: await page.$eval('#formula-error', (e) => e.textContent.trim()),
      rows: await page.$$eval('#formula-grads tr', (rs) => rs.map((r) => r.textContent.trim())),
      hash: await page.evaluate(() => location.hash),
    };
    await page.$eval('#formula-panel', (e) => e.scrollIntoView());
    await shot(page, 'playground-formula');
    await enter('sigmoid(X * W +');
    const bad = { error: await page.$eval('#formula-error', (e) => e.textContent.trim()) };
    return { good, bad };
  });

  await attempt('gradcheck', async () => {
    await page.click('#gradcheck-run');
    await page.waitForSelector('#gradcheck-table tr', { timeout: 120_000 });
    await page.waitForFunction(() => !document.querySelector('#gradcheck-run').disabled, { timeout: 120_000 });
    return page.$$eval('#gradcheck-table tr', (rs) => rs.map((r) => r.textContent.trim()));
  });

  await attempt('exports', async () => {
    // The three files, downloaded as a user would, into a folder of their own.
    const folder = join(shots, 'downloads');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: folder });
    const files = {};
    for (const [button, ending] of [['#export-json', '.json'], ['#export-safetensors', '.safetensors'], ['#export-svg', '-graph.svg']]) {
      await page.click(button);
      const deadline = Date.now() + 20_000;
      let name;
      while (Date.now() < deadline && (name = readdirSync(folder).find((f) => f.endsWith(ending))) === undefined) await sleep(100);
      if (name === undefined) throw new Error(`${button} saved no *${ending} file`);
      files[ending] = join(folder, name);
    }
    return { files, model: await page.evaluate(() => window.playground.modelJson()), config: await page.evaluate(() => window.playground.data().config) };
  });

  await attempt('openedAsFile', async () => {
    const other = await browser.newPage();
    other.on('pageerror', (e) => seen.errors.push(`(file) ${e.message}`));
    await other.goto(fileUrl, { waitUntil: 'load' });
    await other.waitForFunction(() => window.playground !== undefined, { timeout: 30_000 });
    await other.click('#step');
    const result = {
      steps: await other.$eval('#step-count', (e) => e.textContent),
      kernel: await other.evaluate(() => window.playground.kernel),
    };
    await other.close();
    return result;
  });

  await attempt('sharedLink', async () => {
    // A link carries the state: a new page opened on it shows the same settings.
    const link = `${url}#dataset=spirals&hidden=6,4&activation=relu&lr=0.01&seed=7`;
    const other = await browser.newPage();
    other.on('pageerror', (e) => seen.errors.push(e.message));
    await other.goto(link, { waitUntil: 'load' });
    await other.waitForFunction(() => window.playground !== undefined, { timeout: 30_000 });
    const shown = await other.evaluate(() => ({
      dataset: document.querySelector('#dataset').value, hidden: document.querySelector('#hidden').value,
      activation: document.querySelector('#activation').value, lr: document.querySelector('#lr').value, seed: document.querySelector('#seed').value,
      config: window.playground.data().config,
    }));
    await other.close();
    return shown;
  });
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen));
