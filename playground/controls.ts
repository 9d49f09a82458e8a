/**
 * The form of data and net settings, two-way: it shows a configuration and reports the edits the
 * user makes, each checked the way the URL is (url-state.ts), with a wrong value marked on its
 * field and explained rather than applied.
 */
import { DATASETS, HIDDEN_ACTIVATIONS, LOSSES, OPTIMIZERS, PlaygroundConfig, SPEEDS } from './config';
import { decodeConfig } from './url-state';

const LABELS: Record<string, string> = {
  xor: 'XOR (8 points)', circles: 'Circles', spirals: 'Two spirals', blobs: 'Gaussian blobs', regression: 'Regression curve',
  bce: 'Binary cross-entropy', mse: 'Mean squared error', sgd: 'SGD', adam: 'Adam', rmsprop: 'RMSProp',
  tanh: 'tanh', sigmoid: 'sigmoid', relu: 'ReLU', leakyRelu: 'leaky ReLU', gelu: 'GELU', silu: 'SiLU',
};

/** Form field id → the URL key it edits (url-state.ts's names). */
const FIELDS: ReadonlyArray<[id: string, key: string, of: (c: PlaygroundConfig) => string]> = [
  ['dataset', 'dataset', (c) => c.dataset],
  ['noise', 'noise', (c) => String(c.noise)],
  ['hidden', 'hidden', (c) => c.hidden.join(',')],
  ['activation', 'activation', (c) => c.activation],
  ['loss', 'loss', (c) => c.loss],
  ['optimizer', 'optimizer', (c) => c.optimizer],
  ['lr', 'lr', (c) => String(c.lr)],
  ['batch', 'batch', (c) => String(c.batchSize)],
  ['speed', 'speed', (c) => String(c.speed)],
  ['seed', 'seed', (c) => String(c.seed)],
];

function field(id: string): HTMLInputElement | HTMLSelectElement {
  const element = document.getElementById(id);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) throw new Error(`playground: the page has no field #${id}`);
  return element;
}

function fillSelect(id: string, values: readonly string[]): void {
  const select = field(id) as HTMLSelectElement;
  for (const value of values) select.append(new Option(LABELS[value] ?? value, value));
}

export class Controls {
  constructor(onChange: (patch: Partial<PlaygroundConfig>) => void, onProblem: (message: string | null) => void) {
    fillSelect('dataset', DATASETS);
    fillSelect('activation', HIDDEN_ACTIVATIONS);
    fillSelect('loss', LOSSES);
    fillSelect('optimizer', OPTIMIZERS);
    const speed = field('speed') as HTMLSelectElement;
    for (const s of SPEEDS) speed.append(new Option(s === 0 ? 'as fast as it goes' : `${s} step${s === 1 ? '' : 's'} a frame`, String(s)));
    for (const [id, key] of FIELDS) {
      const element = field(id);
      element.addEventListener('change', () => {
        // A field's text goes through the URL's parser, so the form accepts exactly what a link may carry.
        const text = element.value.replace(/\s+/g, '');
        const { config, problems } = decodeConfig(new URLSearchParams({ [key]: text }).toString());
        element.setAttribute('aria-invalid', String(problems.length > 0));
        if (problems.length > 0) {
          onProblem(`${LABELS[id] ?? id}: ${problems[0]!.replace(/; using .*$/, '')}`);
          return;
        }
        onProblem(null);
        const k = keyOf(id);
        onChange({ [k]: config[k] } as Partial<PlaygroundConfig>);
      });
    }
  }

  show(config: PlaygroundConfig): void {
    for (const [id, , of] of FIELDS) {
      const element = field(id);
      element.value = of(config);
      element.setAttribute('aria-invalid', 'false');
    }
    this.showLoss(config);
  }

  /**
   * A regression curve has real targets, so it trains on squared error whatever the loss setting
   * (session.ts): the form shows that loss, with cross-entropy unavailable and a line saying why.
   * The setting itself is kept, for the classification data sets.
   */
  showLoss(config: PlaygroundConfig): void {
    const regression = config.dataset === 'regression';
    const loss = field('loss') as HTMLSelectElement;
    for (const option of loss.options) option.disabled = regression && option.value === 'bce';
    loss.value = regression ? 'mse' : config.loss;
    const help = document.getElementById('loss-help');
    if (help !== null) help.hidden = !regression;
  }
}

/** The configuration field a form field edits. */
function keyOf(id: string): keyof PlaygroundConfig {
  return id === 'batch' ? 'batchSize' : (id as keyof PlaygroundConfig);
}
