import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { ReadModelDb } from '../read-store/read-model-db';

/**
 * One row per projection: how far it has applied the log, and whether it is rebuilding or stopped.
 * The position moves in the same transaction as the projection's writes.
 */
export interface CheckpointTable {
  name: string;
  version: number;
  /** Every event with a position up to this one is applied. */
  position: number;
  status: ProjectionRunStatus;
  /** The log's head when a rebuild started; the projection is "rebuilding" until it gets there. */
  rebuild_target: number;
  /** Set when stopped: the event it could not apply, and why. */
  error: string | null;
  error_position: number | null;
  updated_at: string;
}

export type ProjectionRunStatus = 'rebuilding' | 'running' | 'stopped';

export interface Checkpoint {
  name: string;
  version: number;
  position: number;
  status: ProjectionRunStatus;
  rebuildTarget: number;
  error?: { position: number; message: string };
  updatedAt: string;
}

/** Another runner moved the checkpoint first (two projectors on one database): re-read and go on from there. */
export class CheckpointMovedError extends Error {
  constructor(readonly projection: string) {
    super(`checkpoint of projection ${projection} was moved by another runner`);
    this.name = 'CheckpointMovedError';
  }
}

export async function createCheckpointTable(db: Kysely<ReadModelDb>): Promise<void> {
  await db.schema
    .createTable('projection_checkpoints')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('rebuild_target', 'bigint', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('error_position', 'bigint')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function readCheckpoints(db: Kysely<ReadModelDb>): Promise<Checkpoint[]> {
  const rows = await db.selectFrom('projection_checkpoints').selectAll().orderBy('name').execute();
  return rows.map(toCheckpoint);
}

export async function readCheckpoint(db: Kysely<ReadModelDb>, name: string): Promise<Checkpoint | undefined> {
  const row = await db.selectFrom('projection_checkpoints').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toCheckpoint(row) : undefined;
}

/** Starts a projection over: position 0 at this version, rebuilding up to `target`. */
export async function resetCheckpoint(db: Kysely<ReadModelDb>, name: string, version: number, target: number): Promise<void> {
  const row = { version, position: 0, status: 'rebuilding' as const, rebuild_target: target, error: null, error_position: null, updated_at: now() };
  await db
    .insertInto('projection_checkpoints')
    .values({ name, ...row })
    .onConflict((oc) => oc.column('name').doUpdateSet(row))
    .execute();
}

/**
 * Moves the checkpoint from `from` to `to`; run first in the batch transaction, so it also takes
 * the row's lock and a second runner on the same database waits, then finds the position moved.
 */
export async function advanceCheckpoint(
  db: Kysely<ReadModelDb>,
  name: string,
  version: number,
  from: number,
  to: number,
  status: ProjectionRunStatus,
): Promise<void> {
  const result = await db
    .updateTable('projection_checkpoints')
    .set({ position: to, status, error: null, error_position: null, updated_at: now() })
    .where('name', '=', name)
    .where('version', '=', version)
    .where('position', '=', from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new CheckpointMovedError(name);
  await notifyMoved(db, name);
}

/** The channel a checkpoint's move is announced on (PostgreSQL): API processes waiting for a position listen. */
export const CHECKPOINT_CHANNEL = 'rapport_checkpoints';

/**
 * On PostgreSQL, tells every listener that a checkpoint moved; inside the batch's transaction, so
 * it is delivered when (and only if) the batch commits. SQLite has one process: nothing to tell.
 */
async function notifyMoved(db: Kysely<ReadModelDb>, name: string): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_notify(${CHECKPOINT_CHANNEL}, ${name})`.execute(db);
}

export async function markStatus(db: Kysely<ReadModelDb>, name: string, status: ProjectionRunStatus, error?: { position: number; message: string }): Promise<void> {
  await db
    .updateTable('projection_checkpoints')
    .set({ status, error: error?.message ?? null, error_position: error?.position ?? null, updated_at: now() })
    .where('name', '=', name)
    .execute();
  await notifyMoved(db, name);
}

function toCheckpoint(row: CheckpointTable): Checkpoint {
  return {
    name: row.name,
    version: Number(row.version),
    position: Number(row.position),
    status: row.status,
    rebuildTarget: Number(row.rebuild_target),
    ...(row.error !== null ? { error: { position: Number(row.error_position), message: row.error } } : {}),
    updatedAt: row.updated_at,
  };
}

function now(): string {
  return new Date().toISOString();
}
