/**
 * The configuration as a URL fragment (#dataset=xor&hidden=8,8&…), so that a link reproduces the
 * playground: the same data, net, seed and formula give the same training run. Parsing is lenient
 * in what it keeps and strict in what it accepts: a field that is missing or not a valid value
 * keeps its default, and is reported, so that an edited link never breaks the page.
 */
import {
  DATASETS, DEFAULT_CONFIG, HIDDEN_ACTIVATIONS, LOSSES, OPTIMIZERS, PlaygroundConfig, SPEEDS,
} from './config';

/** Widths and counts the controls allow: a net the page can train at frame rate. */
export const LIMITS = { maxLayers: 6, maxWidth: 32, maxBatch: 200, maxNoise: 0.5 } as const;

/**
 * The fragment for a configuration. Values are percent-encoded as in a query string (a space is
 * +), but leaving the characters a link keeps readable (commas, parentheses, *) as they are, so
 * that a shared link shows its net and formula: hidden=8,8&formula=sigmoid(X+*+W+%2B+b).
 */
export function encodeConfig(config: PlaygroundConfig): string {
  const fields: Array<[string, string]> = [
    ['dataset', config.dataset],
    ['noise', String(config.noise)],
    ['hidden', config.hidden.join(',')],
    ['activation', config.activation],
    ['loss', config.loss],
    ['optimizer', config.optimizer],
    ['lr', String(config.lr)],
    ['batch', String(config.batchSize)],
    ['speed', String(config.speed)],
    ['seed', String(config.seed)],
    ['formula', config.formula],
  ];
  return fields.map(([key, value]) => `${key}=${encodeURIComponent(value).replace(/%20/g, '+').replace(/%2C/g, ',')}`).join('&');
}

export interface Decoded {
  config: PlaygroundConfig;
  /** One line per field that was present but not valid (and was given its default). */
  problems: string[];
}

function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T | null {
  return (text) => ((allowed as readonly string[]).includes(text) ? (text as T) : null);
}

function numberWithin(lo: number, hi: number, integer = false): (text: string) => number | null {
  return (text) => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) return null;
    return v;
  };
}

function widths(text: string): number[] | null {
  if (text === '') return [];
  const parts = text.split(',').map(numberWithin(1, LIMITS.maxWidth, true));
  if (parts.length > LIMITS.maxLayers || parts.some((p) => p === null)) return null;
  return parts as number[];
}

const FIELDS: { [K in keyof PlaygroundConfig]: [key: string, parse: (text: string) => PlaygroundConfig[K] | null, expected: string] } = {
  dataset: ['dataset', oneOf(DATASETS), DATASETS.join(', ')],
  noise: ['noise', numberWithin(0, LIMITS.maxNoise), `a number in [0, ${LIMITS.maxNoise}]`],
  hidden: ['hidden', widths, `up to ${LIMITS.maxLayers} widths in 1…${LIMITS.maxWidth}, e.g. 8,8`],
  activation: ['activation', oneOf(HIDDEN_ACTIVATIONS), HIDDEN_ACTIVATIONS.join(', ')],
  loss: ['loss', oneOf(LOSSES), LOSSES.join(', ')],
  optimizer: ['optimizer', oneOf(OPTIMIZERS), OPTIMIZERS.join(', ')],
  lr: ['lr', numberWithin(1e-6, 10), 'a learning rate in [1e-6, 10]'],
  batchSize: ['batch', numberWithin(0, LIMITS.maxBatch, true), `an integer in [0, ${LIMITS.maxBatch}] (0: the whole set)`],
  speed: ['speed', (text) => (SPEEDS.includes(Number(text)) && text.trim() !== '' ? Number(text) : null), `one of ${SPEEDS.join(', ')} steps per frame (0: as many as fit)`],
  seed: ['seed', numberWithin(0, 4294967295, true), 'an integer in [0, 4294967295]'],
  formula: ['formula', (text) => text, 'a formula'],
};

/** The configuration a fragment describes (with or without its leading '#'). */
export function decodeConfig(fragment: string): Decoded {
  const params = new URLSearchParams(fragment.startsWith('#') ? fragment.slice(1) : fragment);
  const config: PlaygroundConfig = { ...DEFAULT_CONFIG, hidden: [...DEFAULT_CONFIG.hidden] };
  const problems: string[] = [];
  for (const field of Object.keys(FIELDS) as Array<keyof PlaygroundConfig>) {
    const [key, parse, expected] = FIELDS[field];
    const text = params.get(key);
    if (text === null) continue;
    const value = parse(text);
    if (value === null) problems.push(`${key}=${JSON.stringify(text)} is not ${expected}; using ${JSON.stringify(config[field])}`);
    else (config as unknown as Record<string, unknown>)[field] = value;
  }
  return { config, problems };
}
