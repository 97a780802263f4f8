import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describeWithPostgres, TEST_DATABASE_URL } from '../../libs/projections/test/read-store-targets';
import { masterKeyFrom, PostgresKeyVault } from '@rapport/audit';

/**
 * Issue 18 item 1: the patients' keys in PostgreSQL, shared by processes on several machines,
 * wrapped under a master key from the environment so that a dump of the database opens nothing.
 */
describeWithPostgres('the key vault in PostgreSQL (KEY_STORE=postgres)', () => {
  const table = `patient_keys_${randomBytes(4).toString('hex')}`;
  const master = randomBytes(32);
  const opened: PostgresKeyVault[] = [];
  const open = (key = master) => {
    const vault = new PostgresKeyVault(TEST_DATABASE_URL, key, table);
    opened.push(vault);
    return vault;
  };
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => client.connect());
  afterAll(async () => {
    await Promise.all(opened.map((v) => v.close()));
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });

  it('gives two processes the same key for a patient, made once even when both ask at once', async () => {
    const [a, b] = [open(), open()];
    const [fromA, fromB] = await Promise.all([a.keyFor('p1'), b.keyFor('p1')]);
    expect(fromA).toHaveLength(32);
    expect(fromB!.equals(fromA!)).toBe(true);
    expect((await open().existingKey('p1'))!.equals(fromA!)).toBe(true);
    expect(await a.existingKey('p-never-seen')).toBeUndefined();
  });

  it('stores no key in the clear: the database holds only the wrapped key, which a row of another patient does not open', async () => {
    const vault = open();
    const key = (await vault.keyFor('p2'))!;
    const { rows } = await client.query<{ patient_id: string; wrapped_key: Buffer }>(`SELECT patient_id, wrapped_key FROM ${table} WHERE patient_id IN ('p1', 'p2') ORDER BY patient_id`);
    for (const row of rows) expect(row.wrapped_key.includes(key)).toBe(false);
    // Copy p1's wrapped key onto p2: it must not open as p2's key.
    await client.query(`UPDATE ${table} SET wrapped_key = $1 WHERE patient_id = 'p2'`, [rows[0]!.wrapped_key]);
    await expect(vault.existingKey('p2')).rejects.toThrow(/does not open/);
  });

  it('refuses to start with another master key, by name', async () => {
    const stranger = open(randomBytes(32));
    await expect(stranger.keyFor('p3')).rejects.toThrow(/KEY_ENCRYPTION_KEY is not the master key/);
  });

  it('erases a key for every process, and the live table keeps no copy of it', async () => {
    const [a, b] = [open(), open()];
    const key = (await a.keyFor('p4'))!;
    const { rows: before } = await client.query<{ wrapped_key: Buffer }>(`SELECT wrapped_key FROM ${table} WHERE patient_id = 'p4'`);
    await a.destroy('p4', '2026-12-07T00:00:00Z');
    expect(await b.existingKey('p4')).toBeUndefined();
    expect(await b.isDestroyed('p4')).toBe(true);
    expect(await b.keyFor('p4')).toBeUndefined();
    // Not in a dead row version either: the table's file on disk no longer holds the wrapped bytes
    // (read where the server keeps it, when this process may read it; else said loudly).
    await client.query('CHECKPOINT');
    const { rows: where } = await client.query<{ dir: string; path: string }>(`SELECT current_setting('data_directory') AS dir, pg_relation_filepath($1) AS path`, [table]);
    const file = join(where[0]!.dir, where[0]!.path);
    if (existsSync(file)) expect(readFileSync(file).includes(before[0]!.wrapped_key)).toBe(false);
    else process.stderr.write(`\n*** NOT CHECKED: the key table's file ${file} is not readable here ***\n`);
    expect(key).toHaveLength(32);
  });

  it('reads the master key from KEY_ENCRYPTION_KEY: 32 bytes of base64, else a clear error', () => {
    expect(masterKeyFrom(master.toString('base64')).equals(master)).toBe(true);
    expect(() => masterKeyFrom(undefined)).toThrow(/needs KEY_ENCRYPTION_KEY/);
    expect(() => masterKeyFrom(Buffer.from('short').toString('base64'))).toThrow(/32 bytes/);
  });
});
