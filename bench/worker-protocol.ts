import { fork } from 'node:child_process';

/**
 * Each measured row runs in its own process: its peak RSS is its own, and a load generator never
 * shares an event loop with what it measures. Parent and worker talk over Node's IPC channel.
 */
export type WorkerMessage =
  | { kind: 'progress'; fraction: number; detail?: string }
  | { kind: 'result'; result: unknown; maxRssKiB: number };

/** Starts `script` with `config` (JSON in argv) and resolves with its result and peak RSS. */
export function runWorker<Result>(
  script: string,
  config: unknown,
  onProgress: (fraction: number, detail?: string) => void,
  options: { cwd?: string } = {},
): Promise<{ result: Result; maxRssKiB: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, [JSON.stringify(config)], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    let answer: { result: Result; maxRssKiB: number } | undefined;
    child.stdout!.on('data', (chunk) => (output = (output + String(chunk)).slice(-4000)));
    child.stderr!.on('data', (chunk) => (output = (output + String(chunk)).slice(-4000)));
    child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onProgress(message.fraction, message.detail);
      if (message.kind === 'result') answer = { result: message.result as Result, maxRssKiB: message.maxRssKiB };
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (answer && code === 0) resolve(answer);
      else reject(new Error(`${script} exited with ${signal ?? code} before reporting:\n${output.trim()}`));
    });
  });
}

/** Worker side: the config the parent passed. */
export function workerConfig<Config>(): Config {
  const raw = process.argv[2];
  if (!raw) throw new Error('a bench worker is started by bench/run (its config is argv[2])');
  return JSON.parse(raw) as Config;
}

/** Worker side: throttled progress. */
export function progressReporter(total: number, label: string): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (now - last < 100 && done < total) return;
    last = now;
    process.send?.({ kind: 'progress', fraction: done / total, detail: `${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` } satisfies WorkerMessage);
  };
}

/** Worker side: sends the result with this process's peak RSS, then exits. */
export async function finishWorker(result: unknown): Promise<never> {
  const message: WorkerMessage = { kind: 'result', result, maxRssKiB: process.resourceUsage().maxRSS };
  await new Promise<void>((resolve, reject) => process.send!(message, (error: Error | null) => (error ? reject(error) : resolve())));
  process.exit(0);
}

/** Worker side: an entry point that reports failures on stderr and exits non-zero. */
export function runAsWorker(main: () => Promise<unknown>): void {
  main()
    .then((result) => finishWorker(result))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    });
}
