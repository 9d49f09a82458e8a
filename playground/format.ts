/** How the panels write numbers and tensors: short, with a real minus sign, as HTML-safe text. */
import type { Tensor } from 'deltagraph';

/** Four significant digits, a minus sign (−) rather than a hyphen, 0 as 0. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  const text = a >= 1e-3 && a < 1e5 ? a.toPrecision(4).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : a.toExponential(2);
  return v < 0 ? `−${text}` : text;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** ‖t‖₂ over all elements. */
export function norm(t: Tensor): number {
  let s = 0;
  for (const v of t.data) s += v * v;
  return Math.sqrt(s);
}

/**
 * A tensor as a small HTML table: a scalar as one number; a vector as one row; a matrix by rows.
 * At most `rows` × `cols` values are shown, with a line saying how much was left out.
 */
export function tensorTable(t: Tensor, rows = 4, cols = 8): string {
  if (t.size === 1) return `<span class="num">${formatNumber(t.data[0]!)}</span>`;
  const shape = t.shape;
  const width = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const height = t.size / width;
  const shownRows = Math.min(rows, height);
  const shownCols = Math.min(cols, width);
  const body: string[] = [];
  for (let r = 0; r < shownRows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < shownCols; c++) cells.push(`<td>${formatNumber(t.data[r * width + c]!)}</td>`);
    if (shownCols < width) cells.push('<td>…</td>');
    body.push(`<tr>${cells.join('')}</tr>`);
  }
  const more = shownRows < height ? `<caption class="more">the first ${shownRows} of ${height} rows</caption>` : '';
  return `<table class="matrix">${more}<tbody>${body.join('')}</tbody></table>`;
}
