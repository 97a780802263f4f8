/**
 * Progress of a long rebuild on stderr: a redrawn bar on a terminal, a log line every few seconds
 * otherwise (containers, CI). Short rebuilds print nothing.
 */
export interface RebuildProgress {
  update(position: number): void;
  done(position: number): void;
}

export interface RebuildProgressOptions {
  /** Rebuilds of fewer events print nothing. Default 10,000. */
  minEvents?: number;
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

const BAR_WIDTH = 30;
const TTY_REDRAW_MS = 100;
const LOG_EVERY_MS = 5000;

export function startRebuildProgress(name: string, from: number, target: number, options: RebuildProgressOptions = {}): RebuildProgress {
  const total = target - from;
  if (total < (options.minEvents ?? 10_000)) return { update: () => undefined, done: () => undefined };
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const started = now();
  let lastPrint = 0;

  const line = (position: number): string => {
    const doneCount = Math.min(Math.max(position - from, 0), total);
    const fraction = doneCount / total;
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = Math.round(doneCount / seconds);
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = tty ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ` : '';
    return `rebuilding projection ${name}: ${bar}${(fraction * 100).toFixed(1)}% (${doneCount}/${total} events, ${rate} events/s)`;
  };

  return {
    update(position) {
      const t = now();
      if (t - lastPrint < (tty ? TTY_REDRAW_MS : LOG_EVERY_MS)) return;
      lastPrint = t;
      stream.write(tty ? `\r${line(position)}` : `${line(position)}\n`);
    },
    done(position) {
      stream.write(tty ? `\r${line(position)}\n` : `${line(position)} done\n`);
    },
  };
}
