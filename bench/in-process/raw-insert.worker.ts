import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { configureConnection, createSchema } from '@rapport/event-store/sqlite/sqlite-schema';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { readRowsFile, StoredRow } from './event-rows';

export interface RawInsertConfig {
  dataDir: string;
  rowsFile: string;
  perTransaction: number;
}

/**
 * The ceiling: the same rows the commands stored, INSERTed with better-sqlite3 into the same
 * schema with the same pragmas (WAL, synchronous=FULL), `perTransaction` rows per commit. No read,
 * no decision, no revision check.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<RawInsertConfig>();
  const { setup, measured } = readRowsFile(config.rowsFile);
  mkdirSync(config.dataDir, { recursive: true });
  const db = new Database(join(config.dataDir, 'raw.sqlite'));
  configureConnection(db, 'FULL', 5000);
  createSchema(db);
  // The store's own INSERT statement.
  const insert = db.prepare('INSERT INTO events (stream, revision, event_id, type, data, metadata, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertMany = db.transaction((rows: StoredRow[]) => {
    for (const r of rows) insert.run(r.stream, r.revision, r.eventId, r.type, r.data, r.metadata, r.storedAt);
  });
  insertMany(setup);

  const report = progressReporter(measured.length, `${config.perTransaction} per transaction: rows`);
  const started = performance.now();
  for (let i = 0; i < measured.length; i += config.perTransaction) {
    insertMany(measured.slice(i, i + config.perTransaction));
    report(Math.min(measured.length, i + config.perTransaction));
  }
  const seconds = (performance.now() - started) / 1000;
  const synchronous = Number(db.pragma('synchronous', { simple: true }));
  db.close();
  return {
    count: measured.length,
    seconds,
    unit: 'rows/s',
    inFlight: '1',
    notes: [`synchronous=${['OFF', 'NORMAL', 'FULL', 'EXTRA'][synchronous]}, WAL, the store's schema and INSERT`],
  };
});
