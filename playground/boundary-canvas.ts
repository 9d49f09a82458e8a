/**
 * The data and what the net makes of it: for a classifier, a heat map of p(class 1 | x) over the
 * plot's square (a GRID × GRID forward pass without recording, drawn as an image and scaled up
 * smoothly) with the decision boundary p = ½ where the colour turns; for a regression, the fitted
 * curve over the points. Training points are drawn on top, coloured by their target.
 */
import { Tensor, tensor } from 'deltagraph';
import { extentOf } from './datasets';
import type { TrainingSession } from './session';

/** Cells per side of the heat map: 2,500 predictions a frame. */
export const GRID = 50;

/** Class 0 and class 1: orange and blue, distinguishable with the common colour-vision deficiencies. */
const CLASS_RGB: ReadonlyArray<readonly [number, number, number]> = [[230, 120, 20], [30, 100, 200]];

export class BoundaryCanvas {
  private readonly context: CanvasRenderingContext2D;
  private readonly cells: HTMLCanvasElement;
  private readonly image: ImageData;
  private gridFor: string | null = null;
  private grid: Tensor | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.context = canvas.getContext('2d')!;
    this.cells = document.createElement('canvas');
    this.cells.width = GRID;
    this.cells.height = GRID;
    this.image = new ImageData(GRID, GRID);
  }

  /** The centres of the grid's cells, row by row from the top: [GRID², 2]. */
  private gridPoints(lo: number, hi: number): Tensor {
    const key = `${lo},${hi}`;
    if (this.grid !== null && this.gridFor === key) return this.grid;
    const xy = new Float64Array(GRID * GRID * 2);
    for (let row = 0; row < GRID; row++) {
      for (let col = 0; col < GRID; col++) {
        const k = (row * GRID + col) * 2;
        xy[k] = lo + ((col + 0.5) / GRID) * (hi - lo);
        xy[k + 1] = hi - ((row + 0.5) / GRID) * (hi - lo);
      }
    }
    this.grid = tensor(xy, [GRID * GRID, 2]);
    this.gridFor = key;
    return this.grid;
  }

  draw(session: TrainingSession): void {
    const [lo, hi] = extentOf(session.config.dataset);
    const { width, height } = this.canvas;
    const ctx = this.context;
    const toX = (v: number): number => ((v - lo) / (hi - lo)) * width;
    const toY = (v: number): number => ((hi - v) / (hi - lo)) * height;
    if (session.classification) {
      this.drawHeatMap(session.predict(this.gridPoints(lo, hi)), session.logits);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.cells, 0, 0, width, height);
    } else {
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      this.drawCurve(session, lo, hi, toX, toY);
    }
    const X = session.X.data;
    const y = session.y.data;
    for (let i = 0; i < y.length; i++) {
      const px = toX(X[2 * i]!);
      const py = session.classification ? toY(X[2 * i + 1]!) : toY(y[i]!);
      const [r, g, b] = session.classification ? CLASS_RGB[y[i]! > 0.5 ? 1 : 0]! : [40, 40, 40];
      ctx.beginPath();
      ctx.arc(px, py, session.X.shape[0]! <= 8 ? 6 : 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#ffffff';
      ctx.stroke();
    }
  }

  /** p ∈ [0, 1] per cell → a blend from class 0's colour through white (p = ½) to class 1's. */
  private drawHeatMap(p: Float64Array, probabilities: boolean): void {
    const pixels = this.image.data;
    for (let k = 0; k < GRID * GRID; k++) {
      // An mse classifier's output is not a probability: clamp it to the same scale.
      const v = probabilities ? p[k]! : Math.min(1, Math.max(0, p[k]!));
      const t = Math.abs(2 * v - 1) * 0.75;
      const [r, g, b] = CLASS_RGB[v >= 0.5 ? 1 : 0]!;
      pixels[4 * k] = 255 + (r - 255) * t;
      pixels[4 * k + 1] = 255 + (g - 255) * t;
      pixels[4 * k + 2] = 255 + (b - 255) * t;
      pixels[4 * k + 3] = 255;
    }
    this.cells.getContext('2d')!.putImageData(this.image, 0, 0);
  }

  private drawCurve(session: TrainingSession, lo: number, hi: number, toX: (v: number) => number, toY: (v: number) => number): void {
    const ctx = this.context;
    const n = 200;
    const xy = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) xy[2 * i] = lo + (i / (n - 1)) * (hi - lo);
    const fitted = session.predict(tensor(xy, [n, 2]));
    ctx.strokeStyle = '#d0d0d0';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, toY(0));
    ctx.lineTo(this.canvas.width, toY(0));
    ctx.stroke();
    ctx.strokeStyle = 'rgb(30,100,200)';
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const px = toX(xy[2 * i]!);
      const py = toY(fitted[i]!);
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.stroke();
  }
}
