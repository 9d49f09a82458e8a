/** The training chart: well-formed SVG with the series, axes, ticks and legend it should have. */
import type { EpochRecord, History } from '../../index';
import { historyChartSvg, lineChartSvg } from '../../viz';
import { makeScale, niceStep, tickLabel } from '../../viz/ticks';
import { XmlElement, parseXml } from './xml';

function history(n: number, options: { validation?: boolean; metrics?: boolean; loss?: (e: number) => number } = {}): History {
  const loss = options.loss ?? ((e: number) => 2 * Math.exp(-e / 8));
  const epochs: EpochRecord[] = Array.from({ length: n }, (_, epoch) => ({
    epoch,
    loss: loss(epoch),
    lr: 0.1,
    seconds: 0.01,
    examplesPerSecond: 1000,
    valLoss: options.validation ? 1.1 * loss(epoch) : undefined,
    metrics: options.metrics ? { accuracy: Math.min(1, 0.5 + epoch / (2 * n)) } : {},
  }));
  return { epochs, stoppedEarly: false, bestEpoch: n - 1 };
}

const seriesOf = (elements: XmlElement[], name: string) => elements.find((e) => e.name === 'g' && e.attrs['data-name'] === name);
const polylines = (svg: string) => parseXml(svg).elements.filter((e) => e.name === 'polyline').map((e) => e.attrs.points!.split(' ').map((p) => p.split(',').map(Number) as [number, number]));
const texts = (svg: string) => parseXml(svg).elements.filter((e) => e.name === 'text').map((e) => e.text);

describe('historyChartSvg', () => {
  it('draws training loss, validation loss and a metric panel as well-formed SVG', () => {
    const svg = historyChartSvg(history(60, { validation: true, metrics: true }), { title: 'xor & friends' });
    const doc = parseXml(svg);
    expect(doc.root).toBe('svg');
    for (const name of ['training loss', 'validation loss', 'accuracy (%) (validation)']) expect(seriesOf(doc.elements, name)).toBeDefined();
    expect(doc.elements.filter((e) => e.name === 'g' && e.attrs.class === 'panel')).toHaveLength(2);
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['xor & friends', 'epoch', 'training loss', 'validation loss', 'accuracy (%)', '100']));
    // One point per epoch; the falling loss goes down the picture (SVG y grows downwards).
    const [train, val, acc] = polylines(svg);
    expect([train!.length, val!.length, acc!.length]).toEqual([60, 60, 60]);
    expect(train![59]![1]).toBeGreaterThan(train![0]![1]);
    expect(train!.map((p) => p[0])).toEqual([...train!.map((p) => p[0])].sort((a, b) => a - b));
  });

  it('uses a log axis for a loss that falls by decades, and a linear one otherwise', () => {
    expect(texts(historyChartSvg(history(80)))).toContain('loss (log scale)');
    const flat = historyChartSvg(history(80, { loss: (e) => 1 + 1 / (e + 1) }));
    expect(texts(flat)).toContain('loss');
    expect(texts(flat)).not.toContain('loss (log scale)');
    expect(texts(historyChartSvg(history(80), { logLoss: false }))).not.toContain('loss (log scale)');
  });

  it('has a single panel without metrics, and marks the best epoch when training went past it', () => {
    const h = history(30);
    expect(parseXml(historyChartSvg(h)).elements.filter((e) => e.attrs.class === 'panel')).toHaveLength(1);
    expect(texts(historyChartSvg(h)).some((s) => s.startsWith('best epoch'))).toBe(false);
    expect(texts(historyChartSvg({ ...h, bestEpoch: 19 }))).toContain('best epoch 20');
  });

  it('thins long histories and breaks lines at non-finite values', () => {
    expect(polylines(historyChartSvg(history(20_000, { loss: () => 1 })))[0]!.length).toBeLessThanOrEqual(1001);
    const h = history(10, { loss: (e) => (e === 4 ? NaN : 1 + e) });
    expect(polylines(historyChartSvg(h)).map((p) => p.length)).toEqual([4, 5]);
  });
});

describe('lineChartSvg and its axes', () => {
  it('keeps every point inside the plotting area', () => {
    const svg = lineChartSvg([{ yLabel: 'y', series: [{ name: 's', color: '#000', points: [[0, -3], [5, 7], [10, 2]] }] }], { width: 600 });
    const frame = parseXml(svg).elements.find((e) => e.name === 'rect' && e.attrs.stroke)!;
    const [x0, y0, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(frame.attrs[k]));
    for (const [x, y] of polylines(svg)[0]!) {
      expect(x).toBeGreaterThanOrEqual(x0!);
      expect(x).toBeLessThanOrEqual(x0! + w!);
      expect(y).toBeGreaterThanOrEqual(y0!);
      expect(y).toBeLessThanOrEqual(y0! + h!);
    }
  });

  it('puts ticks at round numbers', () => {
    expect([niceStep(10, 5), niceStep(0.7, 5), niceStep(340, 4)]).toEqual([2, 0.1, 100]);
    expect(makeScale(0, 10, 0, 100, false).ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(makeScale(1e-4, 10, 0, 100, true).ticks).toEqual([1e-4, 1e-3, 1e-2, 0.1, 1, 10]);
    expect([tickLabel(0.001, true), tickLabel(1e-4, true), tickLabel(1000, true), tickLabel(25000, false), tickLabel(0.5, false)]).toEqual(['0.001', '10⁻⁴', '1000', '25k', '0.5']);
  });
});
