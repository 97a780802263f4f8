import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { KeyVault } from './key-vault';

/**
 * The patients' keys in PostgreSQL (KEY_STORE=postgres), for API and projector processes on
 * several machines. Each key is stored wrapped (AES-256-GCM) under a master key that only the
 * processes hold (KEY_ENCRYPTION_KEY, 32 bytes in base64), bound to its patient id: a dump of the
 * database alone opens nothing, and a wrapped key copied to another patient's row does not open.
 * Erasure overwrites the wrapped key and rewrites the table, so the live database keeps no copy;
 * backups taken before still hold it (docs/security.md says what that means).
 */
export class PostgresKeyVault implements KeyVault {
  private readonly pool: pg.Pool;
  private readonly ready: Promise<void>;

  constructor(
    connectionString: string,
    private readonly masterKey: Buffer,
    private readonly table = 'patient_keys',
  ) {
    if (masterKey.length !== 32) throw new Error('KEY_ENCRYPTION_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32)');
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad key table name ${table}`);
    this.pool = new pg.Pool({ connectionString, max: 4 });
    this.ready = this.prepare();
    // Ready or not, a failure shows on first use; not an unhandled rejection at start.
    this.ready.catch(() => undefined);
  }

  /**
   * The table, and a check row wrapped under the first master key used: a process started with
   * another KEY_ENCRYPTION_KEY fails here, at once and by name, not patient by patient later.
   */
  private async prepare(): Promise<void> {
    const client = await this.pool.connect();
    try {
      // Processes starting together would race on CREATE TABLE IF NOT EXISTS: one at a time.
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rapport key vault ${this.table}`]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
          patient_id TEXT PRIMARY KEY,
          wrapped_key BYTEA,
          created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          destroyed_at TIMESTAMPTZ
        )`,
      );
      await client.query(`INSERT INTO ${this.table} (patient_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (patient_id) DO NOTHING`, [CHECK_ROW, this.wrap(CHECK_ROW, randomBytes(32))]);
      const { rows } = await client.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM ${this.table} WHERE patient_id = $1`, [CHECK_ROW]);
      await client.query('COMMIT');
      this.unwrap(CHECK_ROW, rows[0]!.wrapped_key);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async keyFor(patientId: string): Promise<Buffer | undefined> {
    await this.ready;
    // Two processes may make a patient's first key at once: the first insert wins, both read it.
    await this.pool.query(`INSERT INTO ${this.table} (patient_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (patient_id) DO NOTHING`, [patientId, this.wrap(patientId, randomBytes(32))]);
    return this.existingKey(patientId);
  }

  async existingKey(patientId: string): Promise<Buffer | undefined> {
    await this.ready;
    const { rows } = await this.pool.query<{ wrapped_key: Buffer | null }>(`SELECT wrapped_key FROM ${this.table} WHERE patient_id = $1`, [patientId]);
    const wrapped = rows[0]?.wrapped_key;
    return wrapped ? this.unwrap(patientId, wrapped) : undefined;
  }

  async destroy(patientId: string, at: string): Promise<void> {
    await this.ready;
    await this.pool.query(
      `INSERT INTO ${this.table} (patient_id, wrapped_key, destroyed_at) VALUES ($1, NULL, $2)
       ON CONFLICT (patient_id) DO UPDATE SET wrapped_key = NULL, destroyed_at = excluded.destroyed_at`,
      [patientId, at],
    );
    // The old row version still holds the wrapped key, and a plain VACUUM leaves its bytes in the
    // page: rewrite the table (small: one row per patient) so the live database keeps no copy.
    await this.pool.query(`VACUUM FULL ${this.table}`);
  }

  async isDestroyed(patientId: string): Promise<boolean> {
    await this.ready;
    const { rows } = await this.pool.query<{ wrapped_key: Buffer | null }>(`SELECT wrapped_key FROM ${this.table} WHERE patient_id = $1`, [patientId]);
    return rows.length > 0 && rows[0]!.wrapped_key === null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private wrap(patientId: string, key: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(Buffer.from(patientId, 'utf8'));
    const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
  }

  /** A wrong master key, or a row moved to another patient, fails here loudly: never a wrong key. */
  private unwrap(patientId: string, wrapped: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(patientId, 'utf8'));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
    } catch {
      if (patientId === CHECK_ROW) throw new Error('KEY_ENCRYPTION_KEY is not the master key these patient keys were wrapped with');
      throw new Error(`the key of patient ${patientId} does not open with KEY_ENCRYPTION_KEY (another master key, or a row copied from another patient)`);
    }
  }
}

/** Not a patient id (ids never hold a space): the row that proves the master key. */
const CHECK_ROW = 'master key check';

/** KEY_ENCRYPTION_KEY as configured: 32 bytes of base64. */
export function masterKeyFrom(value: string | undefined): Buffer {
  if (!value) throw new Error('KEY_STORE=postgres needs KEY_ENCRYPTION_KEY (32 bytes, base64: openssl rand -base64 32)');
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error(`KEY_ENCRYPTION_KEY must decode to 32 bytes (it decodes to ${key.length})`);
  return key;
}
