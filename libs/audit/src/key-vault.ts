import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '@rapport/event-store';

/**
 * One data key per patient (crypto-shredding): destroying the key makes the patient's sealed
 * personal data unreadable everywhere it was copied, while the events themselves stay unchanged.
 */
export interface KeyVault {
  /** The patient's key, made on first use; undefined once destroyed. */
  keyFor(patientId: string): Promise<Buffer | undefined>;
  /** The key if it exists and is not destroyed (never makes one). */
  existingKey(patientId: string): Promise<Buffer | undefined>;
  destroy(patientId: string, at: string): Promise<void>;
  isDestroyed(patientId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Keys in their own SQLite file beside the events (`keys.sqlite`), so a copy of the events alone holds no key. */
export class SqliteKeyVault implements KeyVault {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], { key: Buffer | null }>;
  private readonly insert: Database.Statement<[string, Buffer, string]>;
  private readonly shred: Database.Statement<[string, string, string]>;

  constructor(filename: string) {
    if (filename !== ':memory:') ensurePrivateFile(filename);
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // A destroyed key must not survive in a free page of the file.
    this.db.pragma('secure_delete = ON');
    this.db.exec(`CREATE TABLE IF NOT EXISTS patient_keys (
      patient_id TEXT PRIMARY KEY,
      key BLOB,
      created_at TEXT NOT NULL,
      destroyed_at TEXT
    )`);
    this.select = this.db.prepare('SELECT key FROM patient_keys WHERE patient_id = ?');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO patient_keys (patient_id, key, created_at) VALUES (?, ?, ?)');
    // A destroyed key is overwritten, not kept beside a flag; the row stays as the record of the erasure.
    this.shred = this.db.prepare(
      `INSERT INTO patient_keys (patient_id, key, created_at, destroyed_at) VALUES (?, NULL, ?, ?)
       ON CONFLICT(patient_id) DO UPDATE SET key = NULL, destroyed_at = excluded.destroyed_at`,
    );
  }

  async keyFor(patientId: string): Promise<Buffer | undefined> {
    const row = this.select.get(patientId);
    if (row) return row.key ?? undefined;
    this.insert.run(patientId, randomBytes(32), new Date().toISOString());
    return this.select.get(patientId)?.key ?? undefined;
  }

  async existingKey(patientId: string): Promise<Buffer | undefined> {
    return this.select.get(patientId)?.key ?? undefined;
  }

  async destroy(patientId: string, at: string): Promise<void> {
    this.shred.run(patientId, at, at);
    // Nor in the write-ahead log: the page that held it is written back and the log emptied.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async isDestroyed(patientId: string): Promise<boolean> {
    const row = this.select.get(patientId);
    return row !== undefined && row.key === null;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export function openSqliteKeyVault(dataDir: string): SqliteKeyVault {
  ensurePrivateDir(dataDir);
  return new SqliteKeyVault(join(dataDir, 'keys.sqlite'));
}
