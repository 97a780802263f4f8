import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '@rapport/event-store';
import { makeTempDir } from '../../../test/support/temp-dir';
import { parseAnchorExport, type AnchorExport } from './anchor-export';
import { ANCHOR_FILE } from './audit-anchor';
import { chainHash } from './hash-chain';
import { openAuditedEventStore } from './open-audited-store';
import { verifyChain } from './verify-chain';
import { exportAuditAnchor, verifyAuditTrail, type AuditReport } from './verify-audit-trail';

/**
 * Tamper evidence over the tail (issue 11): the per-stream hash chain alone misses events cut
 * from the end of a stream or of the log, events moved between positions, and an event rewritten
 * with its stream's hashes recomputed. The anchor (a keyed running head over the global log, in
 * its own file) names each; an export kept off the machine catches both files cut back together.
 *
 * The log (position: stream revision event):
 *   1 patient-p1 0 p1-t1 · 2 patient-p2 0 p2-t1 · 3 clinic-c1 0 c1-configured · 4 patient-p1 1 p1-call-1 ·
 *   5 access-c1 0 read-0 · 6 patient-p2 1 p2-call-1 · 7 patient-p1 2 p1-call-2 · 8 clinic-c1 1 c1-changed ·
 *   9 access-c1 1 read-1 · 10 access-c1 2 read-2
 */
describe('audit anchor: tamper evidence that covers the tail', () => {
  let temp: ReturnType<typeof makeTempDir>;
  const env = {};
  const settings = () => ({ eventStore: 'sqlite' as const, dataDir: temp.path });

  beforeEach(() => {
    temp = makeTempDir();
  });
  afterEach(() => temp.remove());

  const treatment = (patientId: string) => ({
    eventId: `${patientId}-t1`,
    type: 'TreatmentCompleted',
    data: { patientId, treatmentId: 't1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'scaling', completedAt: '2026-11-24T02:00:00Z', patient: { name: '王伟', phone: '+86 138 0013 8000' } },
    metadata: { recordedAt: '2026-11-24T03:00:00Z' },
  });
  const call = (patientId: string, n: number) => ({
    eventId: `${patientId}-call-${n}`,
    type: 'CallAttempted',
    data: { patientId, clinicId: 'c1', callId: `${patientId}.call${n}`, callerId: 'nurse-zhang', startedAt: '2026-11-24T02:30:00Z', outcome: 'no_answer' },
    metadata: { recordedAt: '2026-11-24T03:00:00Z' },
  });
  const clinic = (eventId: string) => ({ eventId, type: 'ClinicConfigured', data: { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30'], maxAttempts: 3, protocol: {} }, metadata: {} });
  const read = (n: number) => ({
    eventId: `read-${n}`,
    type: 'PatientRecordRead',
    data: { patientId: 'p1', clinicId: 'c1', userId: `nurse-${n}`, role: 'caller', what: 'timeline' },
    metadata: { recordedAt: '2026-11-24T03:00:00Z' },
  });

  /** The log above, appended through the audited store as the API does, then closed (the anchor flushed). */
  async function seed(): Promise<void> {
    const stores = openAuditedEventStore(settings(), env);
    const { store } = stores;
    await store.append('patient-p1', [treatment('p1')], { expectedRevision: 'no_stream' });
    await store.append('patient-p2', [treatment('p2')], { expectedRevision: 'no_stream' });
    await store.append('clinic-c1', [clinic('c1-configured')], { expectedRevision: 'no_stream' });
    await store.append('patient-p1', [call('p1', 1)], { expectedRevision: 0 });
    await store.append('access-c1', [read(0)], { expectedRevision: 'any' });
    await store.append('patient-p2', [call('p2', 1)], { expectedRevision: 0 });
    await store.append('patient-p1', [call('p1', 2)], { expectedRevision: 1 });
    await store.append('clinic-c1', [clinic('c1-changed')], { expectedRevision: 0 });
    await store.append('access-c1', [read(1)], { expectedRevision: 'any' });
    await store.append('access-c1', [read(2)], { expectedRevision: 'any' });
    await stores.close();
  }

  async function verify(exported?: AnchorExport): Promise<AuditReport> {
    const raw = openSqliteEventStore(temp.path, {});
    try {
      return await verifyAuditTrail(raw, { dataDir: temp.path, env, ...(exported ? { exported } : {}) });
    } finally {
      await raw.close();
    }
  }

  /** What the per-stream chain alone says: today's `npm run verify`. */
  async function chainOnly() {
    const raw = openSqliteEventStore(temp.path, {});
    try {
      return await verifyChain(raw);
    } finally {
      await raw.close();
    }
  }

  async function exportNow(): Promise<AnchorExport> {
    const raw = openSqliteEventStore(temp.path, {});
    try {
      const { report, exported } = await exportAuditAnchor(raw, { dataDir: temp.path, env });
      expect(report.ok).toBe(true);
      // Through a file and back, as a clinic keeps it.
      return parseAnchorExport(JSON.stringify(exported));
    } finally {
      await raw.close();
    }
  }

  function edit(file: string, change: (db: Database.Database) => void): void {
    const db = new Database(join(temp.path, file));
    try {
      change(db);
    } finally {
      db.close();
    }
  }
  const inEvents = (change: (db: Database.Database) => void) => edit('events.sqlite', change);
  const inAnchor = (change: (db: Database.Database) => void) => edit(ANCHOR_FILE, change);

  /** Edits one event's data and recomputes its stream's chain from there on, as someone hiding the edit would. */
  function rewriteWithChain(db: Database.Database, stream: string, revision: number, change: (data: Record<string, unknown>) => Record<string, unknown>): string {
    const rows = db.prepare('SELECT position, revision, type, data, metadata FROM events WHERE stream = ? ORDER BY revision').all(stream) as {
      position: number;
      revision: number;
      type: string;
      data: string;
      metadata: string;
    }[];
    let prev: string | null = null;
    let edited = '';
    for (const row of rows) {
      const metadata = JSON.parse(row.metadata) as Record<string, unknown> & { chain: { prev: string | null; hash: string } };
      if (row.revision < revision) {
        prev = metadata.chain.hash;
        continue;
      }
      let data = JSON.parse(row.data) as Record<string, unknown>;
      if (row.revision === revision) data = change(data);
      const hash = chainHash(prev, { stream, revision: row.revision, type: row.type, data, metadata });
      if (row.revision === revision) edited = hash;
      db.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify({ ...metadata, chain: { prev, hash } }), row.position);
      prev = hash;
    }
    return edited;
  }

  it('verifies a clean log with every event anchored after a graceful close; the files are 0600', async () => {
    await seed();
    expect(await verify()).toEqual({
      ok: true,
      streams: 4,
      events: 10,
      broken: [],
      anchor: { present: true, anchoredThrough: 10, rows: 10, notYetAnchored: 0, createdAt: expect.any(String) },
    });
    for (const file of [ANCHOR_FILE, `${ANCHOR_FILE}-wal`, `${ANCHOR_FILE}-shm`, 'anchor-secret'].map((f) => join(temp.path, f)).filter(existsSync)) {
      expect([file, statSync(file).mode & 0o777]).toEqual([file, 0o600]);
    }
  });

  it('waits for "anchored up to P" while open, with concurrent appends coalesced into few passes', async () => {
    const stores = openAuditedEventStore(settings(), env);
    try {
      await stores.anchorer.anchoredThrough(1);
      const reads = jest.spyOn(stores.raw, 'readAll');
      await Promise.all(Array.from({ length: 40 }, (_, i) => stores.store.append(`patient-q${i}`, [treatment(`q${i}`)], { expectedRevision: 'no_stream' })));
      const head = await stores.store.headPosition();
      expect(head).toBe(40);
      expect(await stores.anchorer.anchoredThrough(head)).toBe(40);
      // 40 appends committed together: one pass reads them, a second finds nothing more.
      expect(reads.mock.calls.length).toBeLessThanOrEqual(3);
      reads.mockRestore();
      // Read while the store is open, as GET /v1/audit/verify does.
      expect((await verifyAuditTrail(stores.raw, { dataDir: temp.path, env })).anchor).toMatchObject({ anchoredThrough: 40, notYetAnchored: 0 });
    } finally {
      await stores.close();
    }
  });

  it('is extended by two processes on one DATA_DIR (the API and the projector) without a doubled or missing row', async () => {
    const api = openAuditedEventStore(settings(), env);
    const projector = openAuditedEventStore(settings(), env);
    try {
      for (let i = 0; i < 20; i++) {
        const by = i % 2 === 0 ? api : projector;
        await by.store.append(`patient-w${i % 3}`, [{ ...treatment(`w${i}`), eventId: `w-${i}` }], { expectedRevision: 'any' });
      }
      await Promise.all([api.anchorer.anchoredThrough(20), projector.anchorer.anchoredThrough(20)]);
      expect(await verifyAuditTrail(api.raw, { dataDir: temp.path, env })).toMatchObject({ ok: true, events: 20, anchor: { rows: 20, notYetAnchored: 0 } });
    } finally {
      await api.close();
      await projector.close();
    }
  });

  it('names the newest event of one stream deleted from the file', async () => {
    await seed();
    inEvents((db) => db.prepare("DELETE FROM events WHERE event_id = 'p1-call-2'").run());
    expect((await chainOnly()).ok).toBe(true);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ kind: 'missing', position: 7, eventId: 'p1-call-2', stream: 'patient-p1', revision: 2 });
    expect(report.firstBroken!.reason).toMatch(/missing from the log/);
    expect(report.broken).toEqual([]);
  });

  it('names the first event of a whole stream deleted from the file', async () => {
    await seed();
    inEvents((db) => db.prepare("DELETE FROM events WHERE stream = 'patient-p2'").run());
    expect((await chainOnly()).ok).toBe(true);
    expect((await verify()).firstBroken).toMatchObject({ kind: 'missing', position: 2, eventId: 'p2-t1', stream: 'patient-p2', revision: 0 });
  });

  it('names the first of the newest access-log entries cut from the end of the log', async () => {
    await seed();
    inEvents((db) => db.prepare("DELETE FROM events WHERE stream = 'access-c1' AND revision >= 1").run());
    expect((await chainOnly()).ok).toBe(true);
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ kind: 'missing', position: 9, eventId: 'read-1', stream: 'access-c1', revision: 1 });
    expect(report.firstBroken!.reason).toBe('the log ends at position 8 but the anchor recorded up to 10; first missing: event read-1, stream access-c1 revision 1');
  });

  it('keeps naming the cut even after the API restarts and appends over the freed positions', async () => {
    await seed();
    inEvents((db) => db.prepare('DELETE FROM events WHERE position >= 9').run());
    const stores = openAuditedEventStore(settings(), env);
    await stores.store.append('access-c1', [read(7)], { expectedRevision: 'any' });
    await stores.close();
    expect((await verify()).firstBroken).toMatchObject({ kind: 'replaced', position: 9, eventId: 'read-7', reason: expect.stringContaining('event read-1 (stream access-c1 revision 1)') });
  });

  it('names events of different streams that swapped their global positions', async () => {
    await seed();
    inEvents((db) => {
      db.prepare('UPDATE events SET position = -4 WHERE position = 4').run();
      db.prepare('UPDATE events SET position = 4 WHERE position = 3').run();
      db.prepare('UPDATE events SET position = 3 WHERE position = -4').run();
    });
    expect((await chainOnly()).ok).toBe(true);
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ kind: 'replaced', position: 3, eventId: 'p1-call-1', stream: 'patient-p1' });
    expect(report.firstBroken!.reason).toMatch(/anchor recorded event c1-configured \(stream clinic-c1 revision 0\) at this position/);
  });

  it('names an event edited with its stream’s hash chain recomputed', async () => {
    await seed();
    inEvents((db) => rewriteWithChain(db, 'patient-p1', 1, (data) => ({ ...data, outcome: 'reached' })));
    expect((await chainOnly()).ok).toBe(true);
    const report = await verify();
    expect(report.firstBroken).toMatchObject({ kind: 'rewritten', position: 4, eventId: 'p1-call-1', stream: 'patient-p1', revision: 1, type: 'CallAttempted' });
    expect(report.firstBroken!.reason).toMatch(/rewritten after it was anchored/);
  });

  it('names an edited anchor row, also when the edit hides a rewritten event', async () => {
    await seed();
    inAnchor((db) => db.prepare("UPDATE anchor SET stream = 'patient-p9' WHERE position = 6").run());
    expect((await verify()).firstBroken).toMatchObject({ kind: 'anchor-edited', position: 6, reason: expect.stringMatching(/anchor file was edited/) });

    // Rewrite p1-call-1 with its chain, and give its anchor row the new hash: the running head gives it away.
    let hash = '';
    inEvents((db) => {
      hash = rewriteWithChain(db, 'patient-p1', 1, (data) => ({ ...data, outcome: 'reached' }));
    });
    inAnchor((db) => db.prepare('UPDATE anchor SET chain_hash = ? WHERE position = 4').run(hash));
    expect((await verify()).firstBroken).toMatchObject({ kind: 'anchor-edited', position: 4, eventId: 'p1-call-1' });
  });

  it('catches the tail cut from both the log and its anchor only with an export kept off the machine', async () => {
    await seed();
    const exported = await exportNow();
    expect(exported).toEqual({ position: 10, eventId: 'read-2', head: expect.stringMatching(/^[0-9a-f]{64}$/), anchoredAt: expect.any(String), mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await verify(exported)).anchor.export).toEqual({ position: 10, eventId: 'read-2', anchoredAt: exported.anchoredAt, ok: true });

    inEvents((db) => db.prepare('DELETE FROM events WHERE position > 7').run());
    inAnchor((db) => db.prepare('DELETE FROM anchor WHERE position > 7').run());
    // Consistent with each other: without the export nothing shows (the limit the export exists for).
    expect(await verify()).toMatchObject({ ok: true, anchor: { anchoredThrough: 7, notYetAnchored: 0 } });
    const report = await verify(exported);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ kind: 'cut-back', position: 10, eventId: 'read-2' });
    expect(report.firstBroken!.reason).toBe(
      `the anchor ends at position 7 but the export of ${exported.anchoredAt} recorded up to position 10 (event read-2): events after position 7 were cut from the anchor and from the log`,
    );
    expect(report.anchor.export!.ok).toBe(false);
    // An export edited to claim less is refused by its signature.
    expect((await verify({ ...exported, position: 7 })).firstBroken).toMatchObject({ kind: 'export-mismatch', reason: expect.stringMatching(/signature does not verify/) });
  });

  it('names the first event when the anchor file is gone while the log holds events', async () => {
    await seed();
    for (const f of [ANCHOR_FILE, `${ANCHOR_FILE}-wal`, `${ANCHOR_FILE}-shm`]) rmSync(join(temp.path, f), { force: true });
    const report = await verify();
    expect(report).toMatchObject({ ok: false, anchor: { present: false, notYetAnchored: 10 } });
    expect(report.firstBroken).toMatchObject({ kind: 'anchor-missing', position: 1, eventId: 'p1-t1', reason: expect.stringMatching(/audit-anchor\.sqlite is missing while the log holds events/) });
  });

  it('refuses to extend an anchor with another key, rather than mix two keys in one anchor', async () => {
    await seed();
    expect(() => openAuditedEventStore(settings(), { AUDIT_ANCHOR_KEY: 'k'.repeat(40) })).toThrow(/made with another anchor key/);
    const other = await (async () => {
      const raw = openSqliteEventStore(temp.path, {});
      try {
        return await verifyAuditTrail(raw, { dataDir: temp.path, env: { AUDIT_ANCHOR_KEY: 'k'.repeat(40) } });
      } finally {
        await raw.close();
      }
    })();
    expect(other.firstBroken).toMatchObject({ kind: 'anchor-edited', position: 1, reason: expect.stringMatching(/made with another key/) });
  });
});
