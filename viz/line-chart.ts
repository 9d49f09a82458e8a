/**
 * Line charts as self-contained SVG, with no dependency: panels stacked over one shared x axis,
 * each with its own y axis (linear, or logarithmic for a loss that falls by decades), ticks at
 * round numbers, grid lines, axis labels and a legend. historyChartSvg draws a training History:
 * training and validation loss above, the metrics (accuracy, RMSE, R²) in a second panel.
 */
import { ArgumentError, describe } from '../lib';
import { isRecord, numberIn, optionsIn } from '../lib/args';
import type { History } from '../nn';
import { Scale, makeScale, niceDomain, tickLabel } from './ticks';

export interface ChartSeries {
  name: string;
  /** [x, y] pairs; points whose y is not finite (or not positive on a log axis) break the line. */
  points: ReadonlyArray<readonly [number, number]>;
  color: string;
  dashed?: boolean;
}

export interface ChartPanel {
  yLabel: string;
  series: ChartSeries[];
  /** Logarithmic y axis: yes, no, or 'auto' (positive values spanning 30× or more). Default 'auto'. */
  log?: boolean | 'auto';
  /** Height of the plotting area in pixels (default 300). */
  height?: number;
}

export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  /** Width of the whole picture in pixels (default 900). */
  width?: number;
  /** A vertical marker, e.g. the best epoch. */
  marker?: { x: number; label: string };
  /** At most this many points are drawn per series (evenly thinned, the last kept). Default 1000. */
  maxPoints?: number;
}

const MARGIN = { left: 78, right: 170, top: 52, gap: 46, bottom: 58 };
const INK = '#2b3440';
const MUTED = '#6b7685';
const GRID = '#e3e8ef';

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function px(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const stride = Math.ceil(points.length / max);
  const kept = points.filter((_, i) => i % stride === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]!);
  return kept;
}

/** The least and greatest of some numbers, in one pass (no spread: a long series would overflow the stack). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

function usesLog(panel: ChartPanel, ys: number[]): boolean {
  if (panel.log !== undefined && panel.log !== 'auto') return panel.log;
  const positive = ys.filter((y) => y > 0);
  if (positive.length === 0 || positive.length < ys.length) return false;
  const [lo, hi] = extent(positive);
  return hi / lo >= 30;
}

const MIN_WIDTH = MARGIN.left + MARGIN.right + 50;
const MAX_SIZE = 100_000;

/** A chart's size option in pixels: a finite number in [min, MAX_SIZE]. */
function sizeOption(who: string, name: string, value: unknown, min: number, fallback: number): number {
  return numberIn(who, `${name} (pixels)`, value, { min, max: MAX_SIZE }, fallback);
}

/** A text option (a title, a label): a string, possibly empty. */
function stringOption(who: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') throw new ArgumentError(`${who}: ${name} must be a string, got ${describe(value)}`);
}

/** A log-axis option: true, false or 'auto'. */
function logOption(who: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'boolean' && value !== 'auto') throw new ArgumentError(`${who}: ${name} must be true, false or 'auto', got ${describe(value)}`);
}

/** Checks the panels of a chart, naming the first part that is wrong. */
function checkPanels(who: string, panels: unknown): asserts panels is readonly ChartPanel[] {
  if (!Array.isArray(panels)) throw new ArgumentError(`${who}: panels must be an array of { yLabel, series: [{ name, points, color }] }, got ${describe(panels)}`);
  panels.forEach((panel: unknown, i) => {
    const p = (isRecord(panel) ? panel : null) as Partial<ChartPanel> | null;
    if (p === null) throw new ArgumentError(`${who}: panels[${i}] must be { yLabel, series, log?, height? }, got ${describe(panel)}`);
    if (typeof p.yLabel !== 'string') throw new ArgumentError(`${who}: panels[${i}].yLabel must be a string, got ${describe(p.yLabel)}`);
    logOption(who, `panels[${i}].log`, p.log);
    sizeOption(who, `panels[${i}].height`, p.height, 1, 300);
    if (!Array.isArray(p.series)) throw new ArgumentError(`${who}: panels[${i}].series must be an array of { name, points, color }, got ${describe(p.series)}`);
    p.series.forEach((series: unknown, k) => {
      const at = `panels[${i}].series[${k}]`;
      const s = (isRecord(series) ? series : null) as Partial<ChartSeries> | null;
      if (s === null) throw new ArgumentError(`${who}: ${at} must be { name, points, color, dashed? }, got ${describe(series)}`);
      if (typeof s.name !== 'string') throw new ArgumentError(`${who}: ${at}.name must be a string, got ${describe(s.name)}`);
      if (typeof s.color !== 'string') throw new ArgumentError(`${who}: ${at}.color must be a string (a CSS colour), got ${describe(s.color)}`);
      if (s.dashed !== undefined && typeof s.dashed !== 'boolean') throw new ArgumentError(`${who}: ${at}.dashed must be true or false, got ${describe(s.dashed)}`);
      const points: unknown = s.points;
      if (!Array.isArray(points)) throw new ArgumentError(`${who}: ${at}.points must be an array of [x, y] pairs, got ${describe(points)}`);
      for (let j = 0; j < points.length; j++) {
        const pt: unknown = points[j];
        if (!Array.isArray(pt) || pt.length !== 2 || typeof pt[0] !== 'number' || typeof pt[1] !== 'number') {
          throw new ArgumentError(`${who}: ${at}.points[${j}] must be an [x, y] pair of numbers, got ${describe(pt)}`);
        }
      }
    });
  });
}

/** The polylines of one series: one per run of drawable points. */
function seriesPaths(s: ChartSeries, x: Scale, y: Scale, maxPoints: number): string[] {
  const runs: string[][] = [[]];
  for (const [px_, py] of thin(s.points, maxPoints)) {
    if (!Number.isFinite(px_) || !Number.isFinite(py) || (y.log && py <= 0)) {
      if (runs[runs.length - 1]!.length > 0) runs.push([]);
      continue;
    }
    runs[runs.length - 1]!.push(`${px(x.map(px_))},${px(y.map(py))}`);
  }
  const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
  return runs
    .filter((r) => r.length > 0)
    .map((r) =>
      r.length === 1
        ? `<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="3" fill="${xml(s.color)}"/>`
        : `<polyline fill="none" stroke="${xml(s.color)}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash} points="${r.join(' ')}"/>`,
    );
}

/** An SVG document with the panels stacked over a shared x axis. */
export function lineChartSvg(panels: readonly ChartPanel[], options: LineChartOptions = {}): string {
  checkPanels('lineChartSvg', panels);
  const o = optionsIn('lineChartSvg', options);
  stringOption('lineChartSvg', 'title', o.title);
  stringOption('lineChartSvg', 'xLabel', o.xLabel);
  const width = sizeOption('lineChartSvg', 'width', o.width, MIN_WIDTH, 900);
  const maxPoints = numberIn('lineChartSvg', 'maxPoints', o.maxPoints, { min: 1, integer: true }, 1000);
  const marker: unknown = o.marker;
  if (marker !== undefined) {
    const m = (marker !== null && typeof marker === 'object' ? marker : {}) as { x?: unknown; label?: unknown };
    if (typeof m.x !== 'number' || typeof m.label !== 'string') throw new ArgumentError(`lineChartSvg: marker must be { x, label } with a number x and a string label, got ${describe(marker)}`);
  }
  const plotW = width - MARGIN.left - MARGIN.right;
  const xs: number[] = [];
  for (const p of panels) for (const s of p.series) for (const [px_] of s.points) if (Number.isFinite(px_)) xs.push(px_);
  const [xMin, xMax] = extent(xs);
  const [x0, x1] = xs.length === 0 ? [0, 1] : niceDomain(xMin, xMax, 8, false);
  const x = makeScale(x0, x1, MARGIN.left, MARGIN.left + plotW, false, 8);

  const body: string[] = [];
  let top = MARGIN.top;
  panels.forEach((panel, index) => {
    const h = panel.height ?? 300;
    const ysAll: number[] = [];
    for (const s of panel.series) for (const [, py] of s.points) if (Number.isFinite(py)) ysAll.push(py);
    const log = usesLog(panel, ysAll);
    const ys = log ? ysAll.filter((v) => v > 0) : ysAll;
    const [yMin, yMax] = extent(ys);
    const [y0, y1] = ys.length === 0 ? [0, 1] : niceDomain(yMin, yMax, 5, log);
    const y = makeScale(y0, y1, top + h, top, log, 5);
    const last = index === panels.length - 1;

    body.push(`<g class="panel" data-y-label="${xml(panel.yLabel)}">`);
    body.push(`<rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${h}" fill="#fbfcfe" stroke="#c5cdd8"/>`);
    for (const t of y.ticks) {
      const ty = px(y.map(t));
      body.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${ty}" y2="${ty}" stroke="${GRID}"/>`);
      body.push(`<text x="${MARGIN.left - 8}" y="${ty}" dy="0.32em" text-anchor="end" font-size="11" fill="${MUTED}">${xml(tickLabel(t, log))}</text>`);
    }
    for (const t of x.ticks) {
      const tx = px(x.map(t));
      body.push(`<line x1="${tx}" x2="${tx}" y1="${top}" y2="${top + h}" stroke="${GRID}"/>`);
      body.push(`<line x1="${tx}" x2="${tx}" y1="${top + h}" y2="${top + h + 5}" stroke="#9aa5b4"/>`);
      if (last) body.push(`<text x="${tx}" y="${top + h + 19}" text-anchor="middle" font-size="11" fill="${MUTED}">${xml(tickLabel(t, false))}</text>`);
    }
    const mid = top + h / 2;
    const yTitle = `${panel.yLabel}${log ? ' (log scale)' : ''}`;
    body.push(`<text transform="translate(${MARGIN.left - 56},${px(mid)}) rotate(-90)" text-anchor="middle" font-size="12" fill="${INK}">${xml(yTitle)}</text>`);
    if (options.marker && options.marker.x >= x0 && options.marker.x <= x1) {
      const mx = px(x.map(options.marker.x));
      body.push(`<line x1="${mx}" x2="${mx}" y1="${top}" y2="${top + h}" stroke="#9aa5b4" stroke-dasharray="3 4"/>`);
      if (index === 0) body.push(`<text x="${mx}" y="${top - 6}" text-anchor="middle" font-size="10" fill="${MUTED}">${xml(options.marker.label)}</text>`);
    }
    body.push(`<clipPath id="plot-${index}"><rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${h}"/></clipPath>`);
    body.push(`<g clip-path="url(#plot-${index})">`);
    for (const s of panel.series) body.push(`<g class="series" data-name="${xml(s.name)}">${seriesPaths(s, x, y, maxPoints).join('')}</g>`);
    body.push('</g>');
    // Legend to the right of the plot, one swatch and name per series.
    panel.series.forEach((s, i) => {
      const ly = top + 14 + i * 20;
      const lx = MARGIN.left + plotW + 16;
      const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
      body.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${xml(s.color)}" stroke-width="2.5"${dash}/>`);
      body.push(`<text x="${lx + 30}" y="${ly}" dy="0.32em" font-size="12" fill="${INK}">${xml(s.name)}</text>`);
    });
    body.push('</g>');
    top += h + MARGIN.gap;
  });

  const height = top - MARGIN.gap + MARGIN.bottom;
  const head = options.title ? `<text x="${MARGIN.left}" y="30" font-size="16" font-weight="bold" fill="${INK}">${xml(options.title)}</text>` : '';
  const xTitle = `<text x="${px(MARGIN.left + plotW / 2)}" y="${height - 14}" text-anchor="middle" font-size="12" fill="${INK}">${xml(options.xLabel ?? 'x')}</text>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    head,
    ...body,
    xTitle,
    '</svg>',
    '',
  ].join('\n');
}

const METRIC_STYLE: Record<string, { label: string; scale: number; color: string }> = {
  accuracy: { label: 'accuracy (%)', scale: 100, color: '#2e9a5b' },
  rmse: { label: 'RMSE', scale: 1, color: '#8e44ad' },
  r2: { label: 'R²', scale: 1, color: '#c0392b' },
};

export interface HistoryChartOptions {
  title?: string;
  width?: number;
  /** Logarithmic loss axis: yes, no, or 'auto' (default). */
  logLoss?: boolean | 'auto';
}

/** Checks that `history` is what fit returns: epoch records and the best epoch. */
function checkHistory(history: unknown): asserts history is History {
  const h = (history !== null && typeof history === 'object' ? history : null) as Partial<History> | null;
  if (h === null || !Array.isArray(h.epochs)) throw new ArgumentError(`historyChartSvg: expected a History { epochs, bestEpoch } (what fit returns), got ${describe(history)}`);
  if (typeof h.bestEpoch !== 'number' || !Number.isSafeInteger(h.bestEpoch)) throw new ArgumentError(`historyChartSvg: history.bestEpoch must be an epoch number, got ${describe(h.bestEpoch)}`);
  h.epochs.forEach((r: unknown, i) => {
    const e = (r !== null && typeof r === 'object' ? r : null) as Partial<History['epochs'][number]> | null;
    const metrics: unknown = e?.metrics;
    const ok = e !== null && typeof e.epoch === 'number' && Number.isSafeInteger(e.epoch) && typeof e.loss === 'number' &&
      (e.valLoss === undefined || typeof e.valLoss === 'number') && metrics !== null && typeof metrics === 'object' && !Array.isArray(metrics) &&
      Object.values(metrics as object).every((v) => v === undefined || typeof v === 'number');
    if (!ok) throw new ArgumentError(`historyChartSvg: history.epochs[${i}] must be an epoch record { epoch, loss, valLoss?, metrics }, got ${describe(r)}`);
  });
}

/**
 * A training History as SVG: loss and validation loss per epoch (epochs counted from 1), the
 * metrics in a second panel when there are any, and a marker at the best epoch.
 */
export function historyChartSvg(history: History, options: HistoryChartOptions = {}): string {
  checkHistory(history);
  const o = optionsIn('historyChartSvg', options);
  stringOption('historyChartSvg', 'title', o.title);
  sizeOption('historyChartSvg', 'width', o.width, MIN_WIDTH, 900);
  logOption('historyChartSvg', 'logLoss', o.logLoss);
  const epochs = history.epochs;
  const loss: ChartSeries = { name: 'training loss', color: '#2f6db5', points: epochs.map((r) => [r.epoch + 1, r.loss]) };
  const panels: ChartPanel[] = [{ yLabel: 'loss', series: [loss], log: options.logLoss ?? 'auto', height: 300 }];
  if (epochs.some((r) => r.valLoss !== undefined)) {
    panels[0]!.series.push({ name: 'validation loss', color: '#e07b1f', dashed: true, points: epochs.map((r) => [r.epoch + 1, r.valLoss ?? NaN]) });
  }
  const metricNames = [...new Set(epochs.flatMap((r) => Object.keys(r.metrics)))];
  if (metricNames.length > 0) {
    // fit computes the metrics on the validation set when there is one.
    const where = epochs.some((r) => r.valLoss !== undefined) ? ' (validation)' : '';
    const series = metricNames.map((m): ChartSeries => {
      const style = METRIC_STYLE[m] ?? { label: m, scale: 1, color: '#555555' };
      return { name: style.label + where, color: style.color, points: epochs.map((r) => [r.epoch + 1, (r.metrics[m as keyof typeof r.metrics] ?? NaN) * style.scale]) };
    });
    const yLabel = series.length === 1 ? METRIC_STYLE[metricNames[0]!]?.label ?? metricNames[0]! : 'metrics';
    panels.push({ yLabel, series, log: false, height: 190 });
  }
  // The best epoch is worth a marker only when training went on past it.
  const lastEpoch = epochs[epochs.length - 1]?.epoch;
  const best = lastEpoch !== undefined && history.bestEpoch !== lastEpoch ? { x: history.bestEpoch + 1, label: `best epoch ${history.bestEpoch + 1}` } : undefined;
  return lineChartSvg(panels, { title: options.title, width: options.width, xLabel: 'epoch', marker: best });
}
