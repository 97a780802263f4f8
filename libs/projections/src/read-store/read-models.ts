import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, sql, SqliteDatabase, SqliteDialect } from 'kysely';
import pg from 'pg';
import { ensurePrivateFile } from '@rapport/event-store';
import type { ReadModelDb } from './read-model-db';

/**
 * Where the read models live: one SQLite file for the embedded default, PostgreSQL in production.
 * Both go through one Kysely code path; what differs is only how the connection is opened.
 */
export type ReadStoreConfig =
  | { kind: 'sqlite'; filename: string }
  | {
      kind: 'postgres';
      connectionString: string;
      /** A schema of its own (created when missing): tests use one per run so they never collide. */
      schema?: string;
      poolSize?: number;
    };

export interface ReadModels {
  /** The projector writes here. */
  readonly db: Kysely<ReadModelDb>;
  /**
   * Queries read here: on SQLite a connection of its own, so a query never waits behind a
   * projector batch (WAL readers see the last commit); on PostgreSQL the same pool.
   */
  readonly reader: Kysely<ReadModelDb>;
  readonly dialect: 'sqlite' | 'postgres';
  /** How it was opened (where a rebuild beside it goes is worked out from this). */
  readonly config: ReadStoreConfig;
  /** Where it is, for log lines (no password). */
  readonly description: string;
  /**
   * Makes what was just overwritten (an erasure's names and phones) leave every file: on SQLite the
   * write-ahead log still holds the old pages until it is checkpointed into the main file (where
   * secure_delete zeroes freed space) and truncated. A no-op on PostgreSQL (see docs/security.md).
   */
  scrub(): Promise<void>;
  close(): Promise<void>;
}

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openReadModels(config: ReadStoreConfig): Promise<ReadModels> {
  return config.kind === 'sqlite' ? openSqlite(config.filename) : openPostgres(config);
}

function openSqlite(filename: string): ReadModels {
  const inMemory = filename === ':memory:';
  // Names and phones live here too: private to the account that runs Rapport, like the events.
  if (!inMemory) ensurePrivateFile(filename);
  const db = sqliteKysely(filename);
  // An in-memory database exists only on its own connection.
  const reader = inMemory ? db : sqliteKysely(filename);
  return {
    db,
    reader,
    dialect: 'sqlite',
    config: { kind: 'sqlite', filename },
    description: `SQLite ${filename}`,
    scrub: () => checkpointAndTruncate(db),
    close: async () => {
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  };
}

/** A checkpoint cannot finish while a reader holds an old snapshot: readers here are short, so try again a few times. */
async function checkpointAndTruncate(db: Kysely<ReadModelDb>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { rows } = await sql<{ busy: number; log: number; checkpointed: number }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
    const result = rows[0];
    if (!result || result.busy === 0) return;
    if (attempt >= 50) throw new Error(`the read models' write-ahead log could not be checkpointed (busy ${attempt} times)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function sqliteKysely(filename: string): Kysely<ReadModelDb> {
  const database = new Database(filename);
  // Read models can always be rebuilt from the log: NORMAL keeps each batch atomic with its
  // checkpoint (WAL) and may only lose the last batches on a power cut, which are then re-applied.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('busy_timeout = 5000');
  // A batch touches pages all over the tables' indexes: a 64 MiB page cache (the default is 2 MiB)
  // keeps them in memory between statements and batches instead of re-reading and spilling them.
  database.pragma('cache_size = -65536');
  // Names and phones dropped on an erasure are overwritten with zeros, not left in free pages.
  database.pragma('secure_delete = ON');
  return new Kysely<ReadModelDb>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
}

const STATEMENT_CACHE_SIZE = 2000;

/**
 * Kysely prepares every query it runs; projections run the same few shapes (in a few fixed sizes)
 * thousands of times per rebuild, so prepared statements are kept by their SQL (Kysely runs one at a time on
 * SQLite, so a statement is never in use twice at once). Schema changes drop the cache.
 */
function withStatementCache(database: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare: (text: string) => {
      if (/^\s*(create|drop|alter)\b/i.test(text)) {
        cache.clear();
        return database.prepare(text);
      }
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

async function openPostgres(config: Extract<ReadStoreConfig, { kind: 'postgres' }>): Promise<ReadModels> {
  if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema)) throw new Error(`invalid PostgreSQL schema name ${config.schema}`);
  const pool = new pg.Pool({
    connectionString: config.connectionString,
    max: config.poolSize ?? 10,
    ...(config.schema ? { options: `-c search_path=${config.schema}` } : {}),
    // Positions, epoch milliseconds and counts are int8: JavaScript numbers hold them exactly
    // (below 2^53), so they come back as numbers on both dialects.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<ReadModelDb>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (config.schema) await sql`create schema if not exists ${sql.id(config.schema)}`.execute(db);
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const url = new URL(config.connectionString);
  return {
    db,
    reader: db,
    dialect: 'postgres',
    config,
    scrub: async () => undefined,
    description: `PostgreSQL ${url.host}${url.pathname}${config.schema ? ` schema ${config.schema}` : ''}`,
    close: () => db.destroy(),
  };
}
