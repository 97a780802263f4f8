import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateFile, type RecordedEvent } from '@rapport/event-store';
import { anchorKeyId } from './anchor-key';
import { chainOf } from './hash-chain';

/**
 * The audit anchor: one row per event of the GLOBAL log, in position order, each carrying a
 * running head `head_n = HMAC-SHA256(key, [head_{n-1}, position, eventId, stream, revision, chainHash])`
 * (JSON-encoded, so no field can bleed into the next; head_0 is ''). It lives in its own file,
 * `<dataDir>/audit-anchor.sqlite`, and the key lives elsewhere (anchor-key.ts): deleting events at
 * the tail, moving them between positions or rewriting one with its stream's hashes recomputed no
 * longer goes unnoticed, and the anchor cannot be redone without the key.
 */
export const ANCHOR_FILE = 'audit-anchor.sqlite';

/** What the running head covers of one event. */
export interface AnchorLink {
  position: number;
  eventId: string;
  stream: string;
  revision: number;
  /** The event's `metadata.chain.hash` as stored; null for an event without one. */
  chainHash: string | null;
}

export interface AnchorRow extends AnchorLink {
  head: string;
  /** When the row was written (not covered by the head: for people, not for proof). */
  anchoredAt: string;
}

export function runningHead(key: Buffer, prev: string, link: AnchorLink): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([prev, link.position, link.eventId, link.stream, link.revision, link.chainHash]))
    .digest('hex');
}

export function anchorLinkOf(event: RecordedEvent): AnchorLink {
  return { position: event.position, eventId: event.eventId, stream: event.stream, revision: event.revision, chainHash: chainOf(event.metadata)?.hash ?? null };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS anchor (
  position    INTEGER PRIMARY KEY,
  event_id    TEXT    NOT NULL,
  stream      TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  chain_hash  TEXT,
  head        TEXT    NOT NULL,
  anchored_at TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS anchor_meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

const ROW_COLUMNS = 'position, event_id AS eventId, stream, revision, chain_hash AS chainHash, head, anchored_at AS anchoredAt';

/** The anchor file, opened to extend it (the anchorer) or to read it (verification). */
export class AuditAnchor {
  private readonly selectLast: Database.Statement<[], AnchorRow>;
  private readonly selectRange: Database.Statement<[number, number, number], AnchorRow>;
  private readonly selectMeta: Database.Statement<[string], string>;
  private extendBatch?: Database.Transaction<(key: Buffer, links: AnchorLink[]) => number>;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.selectLast = db.prepare<[], AnchorRow>(`SELECT ${ROW_COLUMNS} FROM anchor ORDER BY position DESC LIMIT 1`);
    this.selectRange = db.prepare<[number, number, number], AnchorRow>(`SELECT ${ROW_COLUMNS} FROM anchor WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`);
    this.selectMeta = db.prepare<[string], string>('SELECT value FROM anchor_meta WHERE name = ?').pluck();
  }

  /**
   * Opens (making it, mode 0600) the anchor file to extend it with `key`. Refuses a file made with
   * another key: rows under two keys would never verify again.
   */
  static openForWriting(dataDir: string, key: Buffer): AuditAnchor {
    const file = join(dataDir, ANCHOR_FILE);
    // Made empty with 0600 before SQLite opens it: SQLite gives its -wal and -shm the same mode.
    ensurePrivateFile(file);
    const db = new Database(file);
    try {
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      // Every batch synced: an anchored position survives a power cut like the events it covers.
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
      const keyId = anchorKeyId(key);
      db.prepare("INSERT OR IGNORE INTO anchor_meta (name, value) VALUES ('key_id', ?), ('created_at', ?)").run(keyId, new Date().toISOString());
      const madeWith = db.prepare<[], string>("SELECT value FROM anchor_meta WHERE name = 'key_id'").pluck().get();
      if (madeWith !== keyId) {
        throw new Error(`${file} was made with another anchor key (key id ${madeWith}, this one is ${keyId}): set AUDIT_ANCHOR_KEY to the key it was made with`);
      }
    } catch (error) {
      db.close();
      throw error;
    }
    const anchor = new AuditAnchor(db, file);
    anchor.prepareWrites();
    return anchor;
  }

  /** Opens an existing anchor file to read it; undefined when there is none. */
  static openForReading(dataDir: string): AuditAnchor | undefined {
    const file = join(dataDir, ANCHOR_FILE);
    if (!existsSync(file)) return undefined;
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return new AuditAnchor(db, file);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  last(): AnchorRow | undefined {
    return this.selectLast.get();
  }

  /** Rows with after < position <= upTo, in position order. */
  rowsBetween(after: number, upTo: number, limit: number): AnchorRow[] {
    return this.selectRange.all(after, upTo, limit);
  }

  /** The fingerprint of the key the file was made with, and when it was made. */
  meta(): { keyId?: string; createdAt?: string } {
    const keyId = this.selectMeta.get('key_id');
    const createdAt = this.selectMeta.get('created_at');
    return { ...(keyId ? { keyId } : {}), ...(createdAt ? { createdAt } : {}) };
  }

  /**
   * Anchors the events (in position order) past the last row, in one transaction; returns the
   * last anchored position. Rows another process wrote first are skipped, not doubled.
   */
  extend(key: Buffer, events: RecordedEvent[]): number {
    if (!this.extendBatch) throw new Error(`${this.file} is open for reading only`);
    return this.extendBatch.immediate(key, events.map(anchorLinkOf));
  }

  close(): void {
    this.db.close();
  }

  private prepareWrites(): void {
    const insert = this.db.prepare<[number, string, string, number, string | null, string, string]>(
      'INSERT INTO anchor (position, event_id, stream, revision, chain_hash, head, anchored_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.extendBatch = this.db.transaction((key: Buffer, links: AnchorLink[]): number => {
      // Read inside the write lock: another process may have anchored since this one last looked.
      const last = this.selectLast.get();
      let position = last?.position ?? 0;
      let head = last?.head ?? '';
      const at = new Date().toISOString();
      for (const link of links) {
        if (link.position <= position) continue;
        head = runningHead(key, head, link);
        insert.run(link.position, link.eventId, link.stream, link.revision, link.chainHash, head, at);
        position = link.position;
      }
      return position;
    });
  }
}
