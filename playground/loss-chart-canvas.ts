/**
 * The loss per step on a log scale: the training curve as it grows. The steps are binned to the
 * canvas's pixel columns (the mean of each bin), so drawing costs the same after a million steps.
 */
export class LossChartCanvas {
  private readonly context: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('2d')!;
  }

  draw(history: readonly number[]): void {
    const ctx = this.context;
    const { width, height } = this.canvas;
    const pad = { left: 44, right: 8, top: 8, bottom: 18 };
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = '#333333';
    if (history.length === 0) {
      ctx.fillText('the loss appears here as the net trains', pad.left, height / 2);
      return;
    }
    const columns = Math.max(1, Math.min(history.length, width - pad.left - pad.right));
    const binned = new Float64Array(columns);
    for (let c = 0; c < columns; c++) {
      const from = Math.floor((c * history.length) / columns);
      const to = Math.max(from + 1, Math.floor(((c + 1) * history.length) / columns));
      let s = 0;
      for (let i = from; i < to; i++) s += history[i]!;
      binned[c] = Math.log10(Math.max(s / (to - from), 1e-12));
    }
    const lo = Math.floor(Math.min(...binned));
    let hi = Math.ceil(Math.max(...binned));
    if (hi - lo < 1) hi = lo + 1;
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const toY = (v: number): number => pad.top + ((hi - v) / (hi - lo)) * plotH;
    ctx.strokeStyle = '#e4e4e4';
    ctx.lineWidth = 1;
    // One labelled line per decade, or per few decades when they would crowd each other.
    const every = Math.max(1, Math.ceil((hi - lo) / Math.max(1, Math.floor(plotH / 16))));
    for (let e = lo; e <= hi; e += every) {
      ctx.beginPath();
      ctx.moveTo(pad.left, toY(e));
      ctx.lineTo(width - pad.right, toY(e));
      ctx.stroke();
      ctx.fillText(`1e${e}`, 4, toY(e) + 4);
    }
    ctx.fillText(`step ${history.length}`, width - pad.right - 70, height - 4);
    ctx.strokeStyle = '#c0392b';
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let c = 0; c < columns; c++) {
      const px = pad.left + (columns === 1 ? 0 : (c / (columns - 1)) * plotW);
      if (c === 0) ctx.moveTo(px, toY(binned[c]!));
      else ctx.lineTo(px, toY(binned[c]!));
    }
    ctx.stroke();
  }
}
