import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/** An events-table row as the SQLite store wrote it; the raw and peer rows insert exactly these. */
export interface StoredRow {
  stream: string;
  revision: number;
  eventId: string;
  type: string;
  data: string;
  metadata: string;
  storedAt: string;
}

/** `setup`: the clinic and the treatments (not timed); `measured`: the RecordCall events. */
export interface EventRowsFile {
  setup: StoredRow[];
  measured: StoredRow[];
}

/** Reads every row of a store file, split at the position where the timed commands began. */
export function exportRows(databaseFile: string, measuredAfterPosition: number, outFile: string): void {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const rows = db
      .prepare<[], { position: number; stream: string; revision: number; event_id: string; type: string; data: string; metadata: string; stored_at: string }>(
        'SELECT position, stream, revision, event_id, type, data, metadata, stored_at FROM events ORDER BY position',
      )
      .all();
    const toRow = (r: (typeof rows)[number]): StoredRow => ({
      stream: r.stream,
      revision: r.revision,
      eventId: r.event_id,
      type: r.type,
      data: r.data,
      metadata: r.metadata,
      storedAt: r.stored_at,
    });
    const file: EventRowsFile = {
      setup: rows.filter((r) => r.position <= measuredAfterPosition).map(toRow),
      measured: rows.filter((r) => r.position > measuredAfterPosition).map(toRow),
    };
    writeFileSync(outFile, JSON.stringify(file));
  } finally {
    db.close();
  }
}

export function readRowsFile(file: string): EventRowsFile {
  return JSON.parse(readFileSync(file, 'utf8')) as EventRowsFile;
}
