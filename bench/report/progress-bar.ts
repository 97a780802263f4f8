/**
 * One progress line on stderr (stdout keeps the table clean). On a terminal it redraws in place;
 * piped, it prints a line when a row starts and ends so logs stay short.
 */
export class ProgressBar {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastDraw = 0;
  private lastLine = '';

  constructor(
    private readonly totalWeight: number,
    private readonly width = 28,
  ) {}

  /** `doneWeight` of `totalWeight`, with what is running now. */
  update(doneWeight: number, label: string, force = false): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const fraction = Math.min(1, Math.max(0, doneWeight / this.totalWeight));
    const filled = Math.round(fraction * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const columns = process.stderr.columns ?? 100;
    const line = `${bar} ${String(Math.round(fraction * 100)).padStart(3)}% ${label}`.slice(0, columns - 1);
    process.stderr.write(`\r${line}${' '.repeat(Math.max(0, this.lastLine.length - line.length))}`);
    this.lastLine = line;
  }

  /** A line that stays (row started / finished / skipped). */
  log(message: string): void {
    if (this.tty && this.lastLine) process.stderr.write(`\r${' '.repeat(this.lastLine.length)}\r`);
    this.lastLine = '';
    process.stderr.write(`${message}\n`);
  }

  finish(): void {
    if (this.tty && this.lastLine) process.stderr.write(`\r${' '.repeat(this.lastLine.length)}\r`);
    this.lastLine = '';
  }
}
