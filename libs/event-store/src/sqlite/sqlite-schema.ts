import type { Database } from 'better-sqlite3';

/**
 * `position` is the rowid alias without AUTOINCREMENT: SQLite then hands out max(rowid) + 1, so a
 * rolled-back transaction leaves no gap in the global log.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position   INTEGER PRIMARY KEY,
  stream     TEXT    NOT NULL,
  revision   INTEGER NOT NULL,
  event_id   TEXT    NOT NULL UNIQUE,
  type       TEXT    NOT NULL,
  data       TEXT    NOT NULL,
  metadata   TEXT    NOT NULL,
  stored_at  TEXT    NOT NULL,
  UNIQUE (stream, revision)
);
`;

export type SynchronousMode = 'FULL' | 'NORMAL';

export function configureConnection(db: Database, synchronous: SynchronousMode, busyTimeoutMs: number): void {
  // busy_timeout first: switching to WAL and creating tables may wait on another process.
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL on every commit: an acknowledged append survives a power cut.
  db.pragma(`synchronous = ${synchronous}`);
}

export function createSchema(db: Database): void {
  db.exec(SCHEMA);
}
