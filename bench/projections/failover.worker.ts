import { ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { RowMeasurement } from '../rows/row';
import { runAsWorker, workerConfig } from '../worker-protocol';

export interface FailoverConfig {
  /** Holds the generated `events.sqlite` and `keys.sqlite`. */
  logDir: string;
  /** Where each projector gets a copy of the log (two processes, two DATA_DIRs, as on two machines). */
  workDir: string;
  /** The PostgreSQL server the read store goes on (a database of its own, dropped afterwards). */
  databaseUrl: string;
  repoRoot: string;
  logNotes: string[];
}

interface Health {
  owns: string[];
  projections: { name: string; position: number }[];
}

/**
 * Two `npm run projector` processes on one PostgreSQL read store rebuild from a 100k-event log:
 * one owns every projection, the other stands by. A third of the way in, the owner is SIGKILLed;
 * measured: seconds from the kill to the standby's first applied batch (every projection owned by
 * it, and one past where the owner left it). Each process has its own copy of the log's files.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<FailoverConfig>();
  const database = `bench_failover_${process.pid}`;
  const url = new URL(config.databaseUrl);
  await admin(config.databaseUrl, `DROP DATABASE IF EXISTS ${database}`);
  await admin(config.databaseUrl, `CREATE DATABASE ${database}`);
  url.pathname = `/${database}`;
  const children: ChildProcess[] = [];
  try {
    const start = async (n: number) => {
      const dataDir = join(config.workDir, `failover-projector-${n}`);
      mkdirSync(dataDir, { recursive: true });
      for (const file of ['events.sqlite', 'keys.sqlite', 'anchor-secret']) if (existsSync(join(config.logDir, file))) copyFileSync(join(config.logDir, file), join(dataDir, file));
      const port = await freePort();
      const child = spawn(process.execPath, [join(config.repoRoot, 'dist/apps/projector/src/main.js')], {
        env: { ...process.env, DATA_DIR: dataDir, READ_STORE: 'postgres', DATABASE_URL: url.toString(), PROJECTOR_PORT: String(port) },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      const health = async (): Promise<Health> => (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Health;
      await until(() => health().then(() => true, () => false));
      return { child, health };
    };
    const first = await start(1);
    await until(async () => (await first.health()).owns.length > 0);
    const second = await start(2);
    const [owner, standby] = (await first.health()).owns.length > 0 ? [first, second] : [second, first];
    const head = await headOf(url.toString());
    // Kill the owner a third of the way into its rebuild: the standby has work left to take over.
    await until(async () => Math.min(...(await owner.health()).projections.map((p) => p.position)) >= head / 3, 600_000);
    const left = await checkpoints(url.toString());
    const killed = performance.now();
    owner.child.kill('SIGKILL');
    await until(async () => {
      const health = await standby.health();
      return health.owns.length === left.size && health.projections.some((p) => p.position > (left.get(p.name) ?? 0));
    }, 60_000, 5);
    const seconds = (performance.now() - killed) / 1000;
    return {
      count: 1,
      seconds,
      unit: 'failovers',
      inFlight: '2 projector processes',
      p50Ms: seconds * 1000,
      p99Ms: seconds * 1000,
      notes: [
        ...config.logNotes,
        `two npm run projector processes (PostgreSQL advisory-lock leases, standby retry 1 s) on one PostgreSQL read store; the owner SIGKILLed at position ${Math.min(...left.values())} of ${head}`,
        `seconds from the kill to the standby's first applied batch: ${seconds.toFixed(2)} (the session's locks go when the server sees the socket close; the standby tries every second)`,
      ],
    };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await admin(config.databaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
});

async function checkpoints(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; position: string }>('SELECT name, position FROM projection_checkpoints');
    return new Map(rows.map((r) => [r.name, Number(r.position)]));
  } finally {
    await client.end();
  }
}

/** The log's head, as the rebuild target the owner wrote into its checkpoints. */
async function headOf(url: string): Promise<number> {
  let head = 0;
  await until(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ target: string }>('SELECT max(rebuild_target) AS target FROM projection_checkpoints');
      head = Number(rows[0]?.target ?? 0);
      return head > 0;
    } catch {
      return false;
    } finally {
      await client.end();
    }
  });
  return head;
}

async function admin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
