import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore, SqliteEventStore } from '@rapport/event-store';
import { makeTempDir } from '../../../test/support/temp-dir';
import { AuditedEventStore } from './audited-event-store';
import { openSqliteKeyVault, SqliteKeyVault } from './key-vault';
import { ERASED, PersonalDataSealer } from './personal-data';
import { verifyChain } from './verify-chain';

describe('audited event store on SQLite: sealed personal data and a hash chain', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let inner: SqliteEventStore;
  let vault: SqliteKeyVault;
  let store: AuditedEventStore;

  beforeEach(() => {
    temp = makeTempDir();
    inner = openSqliteEventStore(temp.path, {});
    vault = openSqliteKeyVault(temp.path);
    store = new AuditedEventStore(inner, new PersonalDataSealer(vault));
  });
  afterEach(async () => {
    await store.close();
    await vault.close();
    temp.remove();
  });

  const treatment = (patientId: string, treatmentId: string) => ({
    eventId: `${patientId}-${treatmentId}`,
    type: 'TreatmentCompleted',
    data: { patientId, treatmentId, clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-24T02:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } },
    metadata: { recordedAt: '2026-11-24T03:00:00Z' },
  });
  const call = (patientId: string, n: number) => ({
    eventId: `${patientId}-call-${n}`,
    type: 'CallAttempted',
    data: { patientId, clinicId: 'c1', callId: `${patientId}.call${n}`, callerId: 'nurse-zhang', startedAt: '2026-11-24T02:30:00Z', outcome: 'no_answer' },
    metadata: { recordedAt: '2026-11-24T03:00:00Z' },
  });

  async function seed() {
    await store.append('patient-p1', [treatment('p1', 't1')], { expectedRevision: 'no_stream' });
    await store.append('patient-p1', [call('p1', 2), call('p1', 3)], { expectedRevision: 0 });
    await store.append('patient-p2', [treatment('p2', 't2')], { expectedRevision: 'no_stream' });
  }

  it('stores names and phones sealed, returns them opened, and chains every event to the one before', async () => {
    await seed();
    const raw = await inner.readStream('patient-p1');
    expect(JSON.stringify(raw[0]!.data)).not.toContain('王伟');
    // WAL mode: recent pages are in the -wal file, so look at both.
    const files = ['events.sqlite', 'events.sqlite-wal'].map((f) => join(temp.path, f)).filter(existsSync);
    expect(files.some((f) => readFileSync(f).includes(Buffer.from('0013 8000')))).toBe(false);
    expect(files.some((f) => readFileSync(f).includes(Buffer.from('"treatmentId":"t1"')))).toBe(true);
    const opened = await store.readStream('patient-p1');
    expect(opened[0]!.data.patient).toEqual({ name: '王伟', phone: '+86 138 0013 8000' });
    const links = raw.map((e) => e.metadata.chain as { prev: string | null; hash: string });
    expect(links[0]!.prev).toBeNull();
    expect(links[1]!.prev).toBe(links[0]!.hash);
    expect(links[2]!.prev).toBe(links[1]!.hash);
    expect(await verifyChain(inner)).toMatchObject({ ok: true, streams: 2, events: 4, broken: [] });
  });

  it("chains concurrent appends with expectedRevision 'any' without a gap", async () => {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.append('access-c1', [{ eventId: `read-${i}`, type: 'PatientRecordRead', data: { patientId: 'p1', clinicId: 'c1', userId: `u${i}`, role: 'caller', what: 'timeline' }, metadata: {} }], { expectedRevision: 'any' }),
      ),
    );
    expect((await inner.readStream('access-c1')).map((e) => e.revision)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(await verifyChain(inner)).toMatchObject({ ok: true, streams: 1, events: 30 });
  });

  it('names the event a person changed by hand in the SQLite file', async () => {
    await seed();
    const target = (await inner.readStream('patient-p1'))[1]!;
    const db = new Database(join(temp.path, 'events.sqlite'));
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify({ ...target.data, outcome: 'reached' }), target.position);
    db.close();
    const report = await verifyChain(inner);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ stream: 'patient-p1', revision: 1, eventId: target.eventId, position: target.position });
    expect(report.firstBroken!.reason).toMatch(/changed after it was recorded/);
    expect(report.broken).toHaveLength(1);
  });

  it('notices an event deleted from the middle of a stream', async () => {
    await seed();
    const target = (await inner.readStream('patient-p1'))[1]!;
    const db = new Database(join(temp.path, 'events.sqlite'));
    db.prepare('DELETE FROM events WHERE position = ?').run(target.position);
    db.close();
    const report = await verifyChain(inner);
    expect(report.firstBroken).toMatchObject({ stream: 'patient-p1', revision: 2 });
    expect(report.firstBroken!.reason).toMatch(/missing/);
  });

  it('after erasure shows the facts without the personal data, and the chain still verifies', async () => {
    await seed();
    const key = (await vault.existingKey('p1'))!;
    await vault.destroy('p1', '2026-11-25T00:00:00Z');
    // The key is gone from the vault's files too, not just marked destroyed.
    const keyFiles = ['keys.sqlite', 'keys.sqlite-wal'].map((f) => join(temp.path, f)).filter(existsSync);
    expect(keyFiles.some((f) => readFileSync(f).includes(key))).toBe(false);
    expect(await vault.existingKey('p1')).toBeUndefined();
    const opened = await store.readStream('patient-p1');
    expect(opened[0]!.data.patient).toEqual(ERASED);
    expect(opened[0]!.data.treatmentId).toBe('t1');
    expect((await store.readStream('patient-p2'))[0]!.data.patient).toEqual({ name: '王伟', phone: '+86 138 0013 8000' });
    expect((await verifyChain(inner)).ok).toBe(true);
    // New personal data for an erased patient is not kept at all.
    await store.append('patient-p1', [treatment('p1', 't9')], { expectedRevision: 2 });
    expect((await inner.readStream('patient-p1'))[3]!.data.patient).toEqual(ERASED);
    expect((await verifyChain(inner)).ok).toBe(true);
  });
});
