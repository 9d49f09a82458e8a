/**
 * A progress bar for long work. On a terminal it redraws one line:
 *   epoch 2/5 [██████████░░░░░░░░░░]  52% loss 0.2143 · 48,213 ex/s · eta 12s
 * Elsewhere (a log file, CI) it prints nothing until finish(), which prints one plain line.
 */
import { ArgumentError, describe } from '../lib';
import { boolIn, numberIn, optionsIn } from './args';

/** Where a progress bar writes: anything with write(text), such as process.stdout. */
export interface TextStream {
  write(text: string): unknown;
  /** True on a terminal, where the bar redraws its line. */
  isTTY?: boolean;
}

/** process.stdout in Node; elsewhere (a browser) the console, one line per write. */
function defaultStream(): TextStream {
  const stdout = (globalThis as { process?: { stdout?: TextStream } }).process?.stdout;
  return stdout ?? { write: (text: string) => console.log(text.replace(/\n$/, '')) };
}

/**
 * How a progress bar draws: where, how wide, and in which style.
 * @inline
 */
export interface ProgressOptions {
  /** Where to write (default: process.stdout in Node, the console elsewhere). */
  stream?: TextStream;
  /** Characters of the bar itself, an integer in 1 … 1000 (default 24). */
  width?: number;
  /** Force the terminal (true) or plain (false) style; default: whether the stream is a TTY. */
  tty?: boolean;
}

export class ProgressBar {
  private readonly stream: TextStream;
  private readonly width: number;
  private readonly tty: boolean;
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(private readonly label: string, private readonly total: number, options: ProgressOptions = {}) {
    if (typeof label !== 'string') throw new ArgumentError(`ProgressBar: label must be a string, got ${describe(label)}`);
    numberIn('ProgressBar', 'total', total, { min: 0 });
    const o = optionsIn('ProgressBar', options);
    const stream = o.stream ?? defaultStream();
    if (typeof (stream as Partial<TextStream> | null)?.write !== 'function') {
      throw new ArgumentError(`ProgressBar: stream must be a writable stream (with write()), got ${describe(stream)}`);
    }
    this.stream = stream as TextStream;
    this.width = numberIn('ProgressBar', 'width', o.width, { min: 1, max: 1000, integer: true }, 24);
    this.tty = boolIn('ProgressBar', 'tty', o.tty, Boolean(this.stream.isTTY));
  }

  /** Reports `done` of `total` units with a short status text; redraws at most 20 times a second. */
  update(done: number, status = ''): void {
    numberIn('ProgressBar.update', 'done', done, { min: 0 });
    if (typeof status !== 'string') throw new ArgumentError(`ProgressBar.update: status must be a string, got ${describe(status)}`);
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 50 && done < this.total) return;
    this.lastDraw = now;
    const fraction = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(fraction * this.width);
    const elapsed = (now - this.started) / 1000;
    const eta = fraction > 0 ? elapsed * (1 / fraction - 1) : 0;
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    this.stream.write(`\r${this.label} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${status} · eta ${eta.toFixed(0)}s\x1b[K`);
  }

  /** Ends the bar with a final line (the same on a terminal and elsewhere). */
  finish(summary: string): void {
    if (typeof summary !== 'string') throw new ArgumentError(`ProgressBar.finish: summary must be a string, got ${describe(summary)}`);
    this.stream.write(`${this.tty ? '\r\x1b[K' : ''}${this.label} ${summary}\n`);
  }
}
