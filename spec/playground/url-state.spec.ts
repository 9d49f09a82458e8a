/** The playground's state in its URL: what a link carries comes back whole, and a bad field is named, not applied. */
import fc from 'fast-check';
import { DATASETS, DEFAULT_CONFIG, HIDDEN_ACTIVATIONS, LOSSES, OPTIMIZERS, PlaygroundConfig, SPEEDS } from '../../playground/config';
import { LIMITS, decodeConfig, encodeConfig } from '../../playground/url-state';

const configs: fc.Arbitrary<PlaygroundConfig> = fc.record({
  dataset: fc.constantFrom(...DATASETS),
  noise: fc.double({ min: 0, max: LIMITS.maxNoise, noNaN: true }),
  hidden: fc.array(fc.integer({ min: 1, max: LIMITS.maxWidth }), { maxLength: LIMITS.maxLayers }),
  activation: fc.constantFrom(...HIDDEN_ACTIVATIONS),
  loss: fc.constantFrom(...LOSSES),
  optimizer: fc.constantFrom(...OPTIMIZERS),
  lr: fc.double({ min: 1e-6, max: 10, noNaN: true }),
  batchSize: fc.integer({ min: 0, max: LIMITS.maxBatch }),
  speed: fc.constantFrom(...SPEEDS),
  seed: fc.integer({ min: 0, max: 4294967295 }),
  formula: fc.string({ unit: 'binary' }),
});

describe('the playground URL', () => {
  it('round-trips every configuration the controls allow, formulas with any characters included', () => {
    fc.assert(fc.property(configs, (config) => {
      const { config: back, problems } = decodeConfig(`#${encodeConfig(config)}`);
      expect(problems).toEqual([]);
      expect(back).toEqual(config);
    }), { numRuns: 300 });
  });

  it('writes a link a person can read: commas, parentheses and * stay, a space is +', () => {
    const hash = encodeConfig(DEFAULT_CONFIG);
    expect(hash).toContain('hidden=8,8');
    expect(hash).toContain('formula=sigmoid(X+*+W+%2B+b)');
    expect(decodeConfig(`#${hash}`).config).toEqual(DEFAULT_CONFIG);
  });

  it('keeps the defaults for fields a link leaves out', () => {
    expect(decodeConfig('')).toEqual({ config: DEFAULT_CONFIG, problems: [] });
    expect(decodeConfig('#dataset=spirals').config).toEqual({ ...DEFAULT_CONFIG, dataset: 'spirals' });
  });

  it('names each bad field, what it expected and the default it kept, and applies the good ones', () => {
    const { config, problems } = decodeConfig('#dataset=moons&hidden=8,0&lr=-1&batch=2.5&speed=7&activation=swish&seed=3');
    expect(config).toEqual({ ...DEFAULT_CONFIG, seed: 3 });
    expect(problems).toEqual([
      'dataset="moons" is not xor, circles, spirals, blobs, regression; using "xor"',
      'hidden="8,0" is not up to 6 widths in 1…32, e.g. 8,8; using [8,8]',
      'activation="swish" is not tanh, sigmoid, relu, leakyRelu, gelu, silu; using "tanh"',
      'lr="-1" is not a learning rate in [1e-6, 10]; using 0.03',
      'batch="2.5" is not an integer in [0, 200] (0: the whole set); using 0',
      'speed="7" is not one of 1, 5, 25, 0 steps per frame (0: as many as fit); using 5',
    ]);
  });

  it('refuses nets too large to train at frame rate', () => {
    expect(decodeConfig('#hidden=8,8,8,8,8,8,8').problems).toHaveLength(1);
    expect(decodeConfig('#hidden=33').problems).toHaveLength(1);
    expect(decodeConfig('#hidden=').config.hidden).toEqual([]);
  });
});
