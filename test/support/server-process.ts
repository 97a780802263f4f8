import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { tokenKeysFor } from '@rapport/access';
import { builtEntryPoint } from './built';
import { Api, TEST_ADMIN } from './in-process-app';

const MAIN = 'apps/api/src/main.js';

/** The built server as its own process, so a test can SIGKILL it like a power cut. */
export class ServerProcess {
  private child?: ChildProcess;
  private output = '';
  readonly api: Api;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: Record<string, string>,
  ) {
    this.api = new Api(`http://127.0.0.1:${port}`);
  }

  static async create(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
    builtEntryPoint(MAIN); // there, and built from the sources as they are
    const server = new ServerProcess(await freePort(), dataDir, env);
    // The same keys the server will use: its AUTH_JWT_SECRET, or the data dir's own secret (made here if new).
    const keys = await tokenKeysFor(env.AUTH_JWT_SECRET ? { jwtSecret: env.AUTH_JWT_SECRET } : {}, dataDir);
    server.api.token = await keys.sign!(TEST_ADMIN, 8 * 3600);
    return server;
  }

  async start(): Promise<void> {
    this.output = '';
    this.child = spawn(process.execPath, [builtEntryPoint(MAIN)], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1', DATA_DIR: this.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk) => (this.output += String(chunk)));
    this.child.stderr!.on('data', (chunk) => (this.output += String(chunk)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited with ${this.child.exitCode}:\n${this.output}`);
      try {
        if ((await this.api.get('/health')).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not answer /health within 30 s:\n${this.output}`);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed by the process. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
