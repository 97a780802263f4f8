import { Client } from 'pg';

/**
 * Runs once before the suites. PostgreSQL for the read-model suites comes from TEST_DATABASE_URL
 * (default: the local server); when that does not answer, a testcontainers PostgreSQL is tried;
 * when neither exists, the suites print loudly that they did not run (or fail with REQUIRE_POSTGRES=1).
 */
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_URL;
  if (await answers(url)) return;
  try {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await withTimeout(new PostgreSqlContainer('postgres:16-alpine').start(), 120_000);
    process.env.TEST_DATABASE_URL = container.getConnectionUri();
    (globalThis as { rapportPostgresContainer?: { stop(): Promise<unknown> } }).rapportPostgresContainer = container;
    console.warn(`\nPostgreSQL at ${url} did not answer; using a testcontainers PostgreSQL instead.\n`);
  } catch (error) {
    console.warn(`\n*** PostgreSQL at ${url} did not answer and testcontainers could not start one (${(error as Error).message.split('\n')[0]}): the PostgreSQL suites will say they did not run. ***\n`);
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A timer that never keeps Jest alive on its own. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no container after ${ms / 1000} s`)), ms);
    timer.unref();
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
