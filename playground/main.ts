/**
 * The playground page: the controls, the training loop and the panels around one training session.
 * Training runs inside requestAnimationFrame: each frame takes the chosen number of optimizer steps
 * (never more than fit in STEP_BUDGET_MS), then draws the boundary, the loss chart and the numbers, so the page stays at
 * the display's frame rate whatever the net's size. The panels (graph, step-through, deltas, …)
 * are refreshed when training pauses or steps, and every PANEL_EVERY_MS while it runs.
 */
import { kernelInfo, modelToJson, ready } from 'deltagraph';
import { BoundaryCanvas } from './boundary-canvas';
import { PlaygroundConfig, widthsOf } from './config';
import { Controls } from './controls';
import { mountDeltaPanel } from './delta-panel';
import { mountExportPanel } from './export-panel';
import { mountFormulaPanel } from './formula-panel';
import { mountGradcheckPanel } from './gradcheck-panel';
import { mountGraphPanel } from './graph-panel';
import type { Panel, PlaygroundHost } from './host';
import { LossChartCanvas } from './loss-chart-canvas';
import { TrainingSession } from './session';
import { mountStepThroughPanel } from './step-through-panel';
import { decodeConfig, encodeConfig } from './url-state';

/** Time given to optimizer steps in each frame: the rest of a 60 Hz frame draws. */
const STEP_BUDGET_MS = 8;
const PANEL_EVERY_MS = 2000;

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const e = document.getElementById(id);
  if (!(e instanceof type)) throw new Error(`playground: the page has no ${type.name} #${id}`);
  return e;
}

/** Frames per second over the last second of animation frames. */
class FrameRate {
  private readonly times: number[] = [];
  tick(now: number): void {
    this.times.push(now);
    while (this.times.length > 0 && now - this.times[0]! > 1000) this.times.shift();
  }
  get value(): number {
    const n = this.times.length;
    return n < 2 ? 0 : ((n - 1) * 1000) / (this.times[n - 1]! - this.times[0]!);
  }
}

class App implements PlaygroundHost {
  private configuration: PlaygroundConfig;
  private current: TrainingSession;
  private playing = false;
  private readonly panels: Panel[] = [];
  private readonly boundary = new BoundaryCanvas(element('boundary', HTMLCanvasElement));
  private readonly chart = new LossChartCanvas(element('loss-chart', HTMLCanvasElement));
  private readonly controls: Controls;
  private readonly playButton = element('play', HTMLButtonElement);
  private readonly frames = new FrameRate();
  private lastPanelRefresh = 0;
  private lastFrame = 0;
  /** Animation frames seen since the page loaded (for measuring the frame rate from outside). */
  frameCount = 0;

  constructor() {
    const { config, problems } = decodeConfig(location.hash);
    this.configuration = config;
    this.current = new TrainingSession(config);
    this.controls = new Controls((patch) => this.setConfig(patch), (message) => this.status(message ?? '', message !== null));
    this.controls.show(config);
    if (problems.length > 0) this.status(`The link had values the playground cannot use: ${problems.join('; ')}`, true);
    this.playButton.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    element('step', HTMLButtonElement).addEventListener('click', () => this.stepOnce());
    element('reset', HTMLButtonElement).addEventListener('click', () => this.reset());
    window.addEventListener('hashchange', () => {
      if (location.hash.slice(1) === encodeConfig(this.configuration)) return;
      const decoded = decodeConfig(location.hash);
      this.configuration = decoded.config;
      this.controls.show(decoded.config);
      this.reset();
    });
    const mounts: Array<[string, (root: HTMLElement, host: PlaygroundHost) => Panel]> = [
      ['graph-panel', mountGraphPanel],
      ['step-panel', mountStepThroughPanel],
      ['delta-panel', mountDeltaPanel],
      ['formula-panel', mountFormulaPanel],
      ['gradcheck-panel', mountGradcheckPanel],
      ['export-panel', mountExportPanel],
    ];
    for (const [id, mount] of mounts) this.panels.push(mount(element(id, HTMLDivElement), this));
    this.writeUrl();
    this.drawTraining();
    this.refreshPanels();
    requestAnimationFrame((t) => this.frame(t));
  }

  session(): TrainingSession {
    return this.current;
  }

  config(): PlaygroundConfig {
    return this.configuration;
  }

  setConfig(patch: Partial<PlaygroundConfig>): void {
    this.configuration = { ...this.configuration, ...patch };
    this.controls.showLoss(this.configuration);
    this.writeUrl();
    // The formula box and the speed leave the training run as it is.
    if (Object.keys(patch).some((k) => k !== 'formula' && k !== 'speed')) this.reset();
  }

  play(): void {
    this.playing = true;
    this.playButton.textContent = 'Pause';
    this.playButton.setAttribute('aria-pressed', 'true');
  }

  pause(): void {
    const was = this.playing;
    this.playing = false;
    this.playButton.textContent = 'Train';
    this.playButton.setAttribute('aria-pressed', 'false');
    if (was) this.refreshPanels();
  }

  status(message: string, error = false): void {
    const line = element('status', HTMLParagraphElement);
    line.textContent = message;
    line.classList.toggle('error', error);
  }

  private stepOnce(): void {
    this.pause();
    this.guard(() => this.current.step());
    this.drawTraining();
    this.refreshPanels();
  }

  private reset(): void {
    this.pause();
    this.guard(() => {
      this.current = new TrainingSession(this.configuration);
    });
    this.drawTraining();
    this.refreshPanels();
  }

  /** Runs fn; a failure (a DeltaGraphError from a bad setting) stops training and is shown. */
  private guard(fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      this.pause();
      this.status(e instanceof Error ? e.message : String(e), true);
      return false;
    }
  }

  private writeUrl(): void {
    const hash = `#${encodeConfig(this.configuration)}`;
    try {
      history.replaceState(null, '', hash);
    } catch {
      location.hash = hash; // some file:// pages refuse replaceState
    }
  }

  private frame(now: number): void {
    this.frameCount++;
    this.frames.tick(now);
    if (this.playing) {
      const until = performance.now() + STEP_BUDGET_MS;
      const speed = this.configuration.speed;
      const ok = this.guard(() => {
        // A fixed number of steps, but never past the budget: a wide net slows the steps, not the page.
        let taken = 0;
        do this.current.step();
        while (++taken !== speed && performance.now() < until);
      });
      if (ok) this.drawTraining();
      if (now - this.lastPanelRefresh > PANEL_EVERY_MS) this.refreshPanels();
    }
    if (now - this.lastFrame > 250) {
      element('fps', HTMLElement).textContent = this.playing ? this.frames.value.toFixed(0) : '–';
      this.lastFrame = now;
    }
    requestAnimationFrame((t) => this.frame(t));
  }

  private drawTraining(): void {
    const session = this.current;
    this.boundary.draw(session);
    this.chart.draw(session.history);
    element('step-count', HTMLElement).textContent = String(session.steps);
    element('net-shape', HTMLElement).textContent = `${widthsOf(session.config).join('-')}, ${session.model.parameterCount()} parameters`;
    const loss = session.fullLoss();
    element('loss-value', HTMLElement).textContent = loss.toPrecision(4);
    element('loss-value', HTMLElement).dataset.value = String(loss);
  }

  private refreshPanels(): void {
    this.lastPanelRefresh = performance.now();
    const session = this.current;
    for (const panel of this.panels) {
      Promise.resolve()
        .then(() => panel.refresh(session))
        .catch((e: unknown) => this.status(e instanceof Error ? e.message : String(e), true));
    }
  }
}

async function start(): Promise<void> {
  const info = await ready();
  element('kernel-info', HTMLElement).textContent = `deltagraph (matmul kernel: ${info.matmul}${info.threads > 1 ? `, ${info.threads} threads` : ''})`;
  const app = new App();
  // For tests and the console: the running app, its weights and its training set.
  (window as unknown as { playground: unknown }).playground = {
    app,
    kernel: kernelInfo(),
    modelJson: () => modelToJson(app.session().model),
    data: () => ({ X: Array.from(app.session().X.data), y: Array.from(app.session().y.data), config: app.config() }),
  };
}

start().catch((e: unknown) => {
  const line = document.getElementById('status');
  if (line !== null) {
    line.textContent = `The playground could not start: ${e instanceof Error ? e.message : String(e)}`;
    line.classList.add('error');
  }
});
