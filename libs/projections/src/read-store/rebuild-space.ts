import { rmSync } from 'node:fs';
import { Kysely, sql, Transaction } from 'kysely';
import type { ReadModelDb } from './read-model-db';
import { openReadModels, ReadModels, ReadStoreConfig } from './read-models';

/**
 * Where a projection whose version changed is rebuilt while its old version keeps answering: a
 * read store of its own beside the live one (a SQLite file next to it, or a PostgreSQL schema in
 * the same database). When the rebuild has caught up, its rows are copied into the live tables in
 * one transaction with the checkpoint, and the space is dropped.
 */
export interface RebuildSpace {
  /** A fresh, empty store to rebuild into (anything left from an earlier attempt is dropped). */
  open(): Promise<ReadModels>;
  /** Before the swap transaction, on the live store's writer (SQLite attaches the file; outside any transaction). */
  attach(live: Kysely<ReadModelDb>): Promise<void>;
  /** Inside the swap transaction: the rebuilt rows of `table` into the live table of that name (recreated, empty). */
  copy(tx: Transaction<ReadModelDb>, table: string): Promise<void>;
  /** After the swap (or a failed one): detach, and remove what the rebuild left. */
  discard(live: Kysely<ReadModelDb>): Promise<void>;
}

const SHADOW = 'rapport_rebuild';

/** The rebuild space of a read store; undefined for an in-memory one (it rebuilds in place). */
export function rebuildSpaceFor(config: ReadStoreConfig): RebuildSpace | undefined {
  if (config.kind === 'sqlite') {
    if (config.filename === ':memory:') return undefined;
    const file = `${config.filename}.rebuild`;
    const remove = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    };
    return {
      open: async () => {
        remove();
        return openReadModels({ kind: 'sqlite', filename: file });
      },
      attach: async (live) => {
        await sql`attach database ${file} as ${sql.id(SHADOW)}`.execute(live);
      },
      copy: async (tx, table) => {
        await sql`insert into main.${sql.id(table)} select * from ${sql.id(SHADOW)}.${sql.id(table)}`.execute(tx);
      },
      discard: async (live) => {
        await sql`detach database ${sql.id(SHADOW)}`.execute(live).catch(() => undefined);
        remove();
      },
    };
  }
  const schema = `${config.schema ?? 'public'}_rebuild`.slice(0, 63);
  return {
    open: async () => {
      const models = await openReadModels({ ...config, schema, poolSize: 4 });
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(models.db);
      await sql`create schema ${sql.id(schema)}`.execute(models.db);
      return models;
    },
    attach: async () => undefined,
    copy: async (tx, table) => {
      await sql`insert into ${sql.id(table)} select * from ${sql.id(schema)}.${sql.id(table)}`.execute(tx);
    },
    discard: async (live) => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(live);
    },
  };
}
