import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A server under load in its own process (so the load generator never shares its event loop). */
export class ServerChild {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk) => (this.output = (this.output + String(chunk)).slice(-4000)));
    child.stderr!.on('data', (chunk) => (this.output = (this.output + String(chunk)).slice(-4000)));
  }

  static async start(script: string, env: Record<string, string>): Promise<ServerChild> {
    const port = await freePort();
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerChild(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${server.output}`);
      try {
        if ((await fetch(`${server.url}/health`)).ok) return server;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.stop();
    throw new Error(`${script} did not answer /health within 30 s:\n${server.output}`);
  }

  /**
   * The server process's peak RSS so far (VmHWM from /proc, Linux only), in MiB: everything it has
   * held since it started, seeding and warm-up included.
   */
  peakRssMiB(): number | undefined {
    try {
      const line = readFileSync(`/proc/${this.child.pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
      const kib = line ? Number(line.replace(/[^0-9]/g, '')) : NaN;
      return Number.isFinite(kib) ? kib / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
