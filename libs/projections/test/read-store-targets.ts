import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openReadModels, ReadModels } from '../src/read-store/read-models';

/** A database the contract suite runs against: each `open` gives a fresh, empty read store. */
export interface ReadStoreTarget {
  name: string;
  open(): Promise<ReadModels>;
  /** Opens the same store again (after a simulated crash, for the next runtime). */
  reopen(): Promise<ReadModels>;
  cleanup(): Promise<void>;
}

export function sqliteTarget(): ReadStoreTarget {
  let dir: string | undefined;
  return {
    name: 'SQLite',
    async open() {
      dir = mkdtempSync(join(tmpdir(), 'rapport-read-'));
      return openReadModels({ kind: 'sqlite', filename: join(dir, 'read-models.sqlite') });
    },
    async reopen() {
      return openReadModels({ kind: 'sqlite', filename: join(dir!, 'read-models.sqlite') });
    },
    async cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of its own per open, dropped at cleanup: parallel workers and other helpers never collide. */
export function postgresTarget(url = TEST_DATABASE_URL): ReadStoreTarget {
  const schemas: string[] = [];
  return {
    name: 'PostgreSQL',
    async open() {
      const schema = `rapport_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return openReadModels({ kind: 'postgres', connectionString: url, schema, poolSize: 4 });
    },
    async reopen() {
      return openReadModels({ kind: 'postgres', connectionString: url, schema: schemas[schemas.length - 1], poolSize: 4 });
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`drop schema if exists "${schema}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Whether the PostgreSQL server answers, asked synchronously (a child process) so a spec file can
 * choose `describe` or `describe.skip` when it loads. Returns the reason when it does not.
 */
export function postgresUnavailable(url = TEST_DATABASE_URL): string | undefined {
  const probe = `const { Client } = require('pg'); const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.query('select 1')).then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', probe, url], { encoding: 'utf8', timeout: 10_000, cwd: join(__dirname, '..', '..', '..') });
  if (result.status === 0) return undefined;
  return (result.stderr || result.error?.message || `exit ${result.status}`).trim();
}

/** `describe` when PostgreSQL answers; otherwise a loud warning and `describe.skip` (or a failure with REQUIRE_POSTGRES=1). */
export function describeWithPostgres(title: string, body: () => void): void {
  const reason = postgresUnavailable();
  if (!reason) {
    describe(title, body);
    return;
  }
  if (process.env.REQUIRE_POSTGRES === '1') {
    describe(title, () => {
      it('needs PostgreSQL (REQUIRE_POSTGRES=1)', () => {
        throw new Error(`PostgreSQL at ${TEST_DATABASE_URL} is unreachable: ${reason}`);
      });
    });
    return;
  }
  process.stderr.write(`\n*** NOT RUN: "${title}" — PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${reason}). Set TEST_DATABASE_URL, or REQUIRE_POSTGRES=1 to fail instead. ***\n`);
  describe.skip(title, body);
}
