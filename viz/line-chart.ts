/**
 * Line charts as self-contained SVG, with no dependency: panels stacked over one shared x axis,
 * each with its own y axis (linear, or logarithmic for a loss that falls by decades), ticks at
 * round numbers, grid lines, axis labels and a legend. historyChartSvg draws a training History:
 * training and validation loss above, the metrics (accuracy, RMSE, R²) in a second panel.
 */
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

function usesLog(panel: ChartPanel, ys: number[]): boolean {
  if (panel.log !== undefined && panel.log !== 'auto') return panel.log;
  const positive = ys.filter((y) => y > 0);
  if (positive.length === 0 || positive.length < ys.length) return false;
  return Math.max(...positive) / Math.min(...positive) >= 30;
}

/** The polylines of one series: one per run of drawable points. */
function seriesPaths(s: ChartSeries, x: Scale, y: Scale, maxPoints: number): string[] {
  const runs: string[][] = [[]];
  for (const [px_, py] of thin(s.points, maxPoints)) {
    if (!Number.isFinite(py) || (y.log && py <= 0)) {
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
        ? `<circle cx="${r[0]!.split(',')[0]}" cy="${r[0]!.split(',')[1]}" r="3" fill="${s.color}"/>`
        : `<polyline fill="none" stroke="${s.color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dash} points="${r.join(' ')}"/>`,
    );
}

/** An SVG document with the panels stacked over a shared x axis. */
export function lineChartSvg(panels: readonly ChartPanel[], options: LineChartOptions = {}): string {
  const width = options.width ?? 900;
  const maxPoints = options.maxPoints ?? 1000;
  const plotW = width - MARGIN.left - MARGIN.right;
  const xs = panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([x]) => x))).filter(Number.isFinite);
  const [x0, x1] = xs.length === 0 ? [0, 1] : niceDomain(Math.min(...xs), Math.max(...xs), 8, false);
  const x = makeScale(x0, x1, MARGIN.left, MARGIN.left + plotW, false, 8);

  const body: string[] = [];
  let top = MARGIN.top;
  panels.forEach((panel, index) => {
    const h = panel.height ?? 300;
    const ysAll = panel.series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
    const log = usesLog(panel, ysAll);
    const ys = log ? ysAll.filter((v) => v > 0) : ysAll;
    const [y0, y1] = ys.length === 0 ? [0, 1] : niceDomain(Math.min(...ys), Math.max(...ys), 5, log);
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
      body.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${dash}/>`);
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

/**
 * A training History as SVG: loss and validation loss per epoch (epochs counted from 1), the
 * metrics in a second panel when there are any, and a marker at the best epoch.
 */
export function historyChartSvg(history: History, options: HistoryChartOptions = {}): string {
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
