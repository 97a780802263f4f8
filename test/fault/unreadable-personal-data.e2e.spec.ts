import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { clinicWithPatient, WANG_WEI } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';
import { makeTempDir } from '../support/temp-dir';

/**
 * Issue 13 item 5: an event whose sealed personal data cannot be opened (one changed byte in the
 * events file, as an attacker or a bad disk leaves it) stops nothing. Its names read as
 * unavailable, every fact is projected, and /health counts it and says why.
 */
describe('sealed personal data that cannot be opened', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let running: RunningApp | undefined;

  beforeEach(() => {
    temp = makeTempDir();
  });

  afterEach(async () => {
    await running?.close();
    running = undefined;
    temp.remove();
  });

  it('reads as unavailable, stops no projection, and /health counts it', async () => {
    running = await startApp({ dataDir: temp.path, keepData: true, now: '2026-11-24T03:00:00Z' });
    await clinicWithPatient(running.api, { patient: WANG_WEI });
    await running.close();
    running = undefined;

    // One character of the sealed name changed, in the events file itself; the read models are lost,
    // so the rebuild reads that event again.
    const db = new Database(join(temp.path, 'events.sqlite'));
    const row = db.prepare(`SELECT position, data FROM events WHERE type = 'TreatmentCompleted'`).get() as { position: number; data: string };
    const data = JSON.parse(row.data) as { patient: { $sealed: string } };
    const [version, iv, body, tag] = data.patient.$sealed.split(':') as [string, string, string, string];
    const flipped = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    data.patient.$sealed = [version, iv, flipped, tag].join(':');
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), row.position);
    db.close();
    rmSync(join(temp.path, 'read-models.sqlite'));
    rmSync(join(temp.path, 'read-models.sqlite-wal'), { force: true });
    rmSync(join(temp.path, 'read-models.sqlite-shm'), { force: true });

    running = await startApp({ dataDir: temp.path, keepData: true, now: '2026-11-24T03:00:00Z' });
    const { api } = running;
    const head = await api.headPosition();
    const timeline = await api.get(`/v1/patients/p1/timeline?minPosition=${head}`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.entries.map((e: { type: string }) => e.type)).toContain('TreatmentCompleted');

    const events = await api.get('/v1/patients/p1/events');
    const treatment = events.body.events.find((e: { type: string }) => e.type === 'TreatmentCompleted');
    expect(treatment.data.patient).toEqual({ unavailable: true, reason: 'the sealed personal data cannot be opened' });

    const health = await api.get('/health');
    expect(health.body.projections.map((p: { status: string; lag: number }) => [p.status, p.lag])).toEqual(health.body.projections.map(() => ['running', 0]));
    expect(health.body.eventStore.unreadableRecords).toBe(1);
    expect(health.body.status).toBe('degraded');
    expect(health.body.reasons).toEqual([expect.stringContaining('1 event(s) hold personal data that cannot be opened')]);
  });

  it('reads as unavailable, not as erased, when keys.sqlite is older than the patient', async () => {
    // A keys.sqlite from a backup taken before p1 was treated: it has no key for p1, and never destroyed one.
    running = await startApp({ dataDir: temp.path, keepData: true, now: '2026-11-24T03:00:00Z' });
    await running.close();
    const backup = ['keys.sqlite', 'keys.sqlite-wal', 'keys.sqlite-shm'].map((f) => [f, existsSync(join(temp.path, f)) ? readFileSync(join(temp.path, f)) : undefined] as const);
    running = await startApp({ dataDir: temp.path, keepData: true, now: '2026-11-24T03:00:00Z' });
    await clinicWithPatient(running.api, { patient: WANG_WEI });
    await running.close();
    for (const [file, bytes] of backup) {
      rmSync(join(temp.path, file), { force: true });
      if (bytes) writeFileSync(join(temp.path, file), bytes);
    }

    running = await startApp({ dataDir: temp.path, keepData: true, now: '2026-11-24T03:00:00Z' });
    const events = await running.api.get('/v1/patients/p1/events');
    const treatment = events.body.events.find((e: { type: string }) => e.type === 'TreatmentCompleted');
    expect(treatment.data.patient).toMatchObject({ unavailable: true });
    expect((await running.api.get('/health')).body.eventStore.unreadableRecords).toBe(1);
  });
});
