import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '@rapport/event-store';
import { ALL_PROJECTIONS, openReadModels, ProjectorRuntime } from '@rapport/projections';
import { DomainRecorder } from '../../libs/projections/test/domain-recorder';
import { dumpReadModels } from '../../libs/projections/test/read-model-dump';
import { createApp } from '../../apps/api/src/app.factory';
import { configFromEnv } from '@rapport/config';
import { adminApi, Api } from '../support/in-process-app';
import { builtEntryPoint } from '../support/built';
import { makeTempDir } from '../support/temp-dir';
import { TestClock } from '../support/test-clock';

/** Checked when the module loads: there, and built from the sources as they are (else: run npm run build first). */
const PROJECTOR = builtEntryPoint('apps/projector/src/main.js');
const PATIENTS = 400;

/**
 * apps/projector as its own process, killed with SIGKILL in the middle of its first build (a
 * rebuild from position 0), then started again: it resumes from its checkpoints, and the read
 * models equal a clean rebuild, row for row.
 */
describe('the standalone projector, killed mid-rebuild', () => {
  const temp = makeTempDir();
  let head = 0;

  beforeAll(async () => {
    const store = openSqliteEventStore(temp.path, { synchronous: 'NORMAL' });
    const recorder = new DomainRecorder(store);
    await recorder.clinic({ type: 'ConfigureClinic', data: { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] } }, '2026-11-20T00:00:00Z');
    // Each patient: a treatment and its five follow-ups, then a reached call that closes day 1.
    for (let i = 1; i <= PATIENTS; i++) {
      const patientId = `k${i}`;
      await recorder.patient({ type: 'CompleteTreatment', data: { treatmentId: 't', patientId, clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-22T06:00:00Z' } }, '2026-11-22T08:00:00Z');
      await recorder.patient({ type: 'RecordCall', data: { patientId, callerId: i % 2 ? 'nurse-zhang' : 'desk-li', startedAt: '2026-11-23T02:40:00Z', outcome: 'reached', followUpId: `${patientId}.fu1` } }, '2026-11-23T02:45:00Z');
    }
    head = await store.headPosition();
    await store.close();
  });
  afterAll(() => temp.remove());

  it('resumes after SIGKILL with nothing duplicated or missing', async () => {
    // 1 clinic event + 400 × (treatment + 5 follow-ups + call + closed).
    expect(head).toBe(1 + PATIENTS * 8);
    // Small batches, rows written with every one (0): checkpoints move all through the rebuild.
    const env = { ...process.env, DATA_DIR: temp.path, PROJECTOR_BATCH_SIZE: '10', PROJECTOR_REBUILD_FLUSH_ROWS: '0' };

    const first = spawn(process.execPath, [PROJECTOR], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(first);
    const atKill = await untilEveryProjectionHasPassed(Math.floor(head / 3), join(temp.path, 'read-models.sqlite'), first, output);
    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    const afterKill = checkpoints(join(temp.path, 'read-models.sqlite'));
    // Killed in the middle: every projection a third of the way or more, not every one finished.
    expect(afterKill.length).toBe(ALL_PROJECTIONS.length);
    expect(Math.min(...afterKill.map((c) => c.position))).toBeGreaterThan(Math.floor(head / 3));
    expect(Math.min(...afterKill.map((c) => c.position))).toBeLessThan(head);
    expect(afterKill.filter((c) => c.position < head).every((c) => c.status === 'rebuilding')).toBe(true);
    expect(atKill).toBeDefined();

    const second = spawn(process.execPath, [PROJECTOR, '--once'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const secondOutput = collect(second);
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect({ code, output: secondOutput() }).toMatchObject({ code: 0 });
    for (const c of checkpoints(join(temp.path, 'read-models.sqlite'))) expect(c).toMatchObject({ position: head, status: 'running' });

    // A clean rebuild of the same log in a fresh database.
    const store = openSqliteEventStore(temp.path);
    const resumed = await openReadModels({ kind: 'sqlite', filename: join(temp.path, 'read-models.sqlite') });
    const clean = await openReadModels({ kind: 'sqlite', filename: join(temp.path, 'clean', 'read-models.sqlite') });
    try {
      await new ProjectorRuntime({ store, db: clean.db, projections: ALL_PROJECTIONS, progress: false }).catchUp();
      const resumedRows = await dumpReadModels(resumed.db, ALL_PROJECTIONS);
      expect(resumedRows).toEqual(await dumpReadModels(clean.db, ALL_PROJECTIONS));
      // Counted by hand: every patient event is on a timeline; each patient has 4 open follow-ups,
      // one attempt and one reached fact, 5 follow-ups in the report.
      expect(resumedRows.timeline_entries).toHaveLength(PATIENTS * 8);
      expect(resumedRows.queue_follow_ups).toHaveLength(PATIENTS * 4);
      expect(resumedRows.caller_facts).toHaveLength(PATIENTS * 2);
      expect(resumedRows.report_follow_ups).toHaveLength(PATIENTS * 5);
    } finally {
      await resumed.close();
      await clean.close();
      await store.close();
    }
  });
});

describe('the API with PROJECTOR=external beside the standalone projector', () => {
  it('reads its own writes through the projector process, and /health shows its progress', async () => {
    const temp = makeTempDir();
    const clock = TestClock.at('2026-11-23T01:00:00Z');
    const app = await createApp({ config: { ...configFromEnv({}), dataDir: temp.path, port: 0, projector: 'external' }, clock, logger: false });
    const projector = spawn(process.execPath, [PROJECTOR], { env: { ...process.env, DATA_DIR: temp.path }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(projector);
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const api = await adminApi(app);
      expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
      const treatment = await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-22T06:00:00Z' });
      const position = Number(treatment.headers.get('x-rapport-position'));
      const queue = await api.get(`/v1/clinics/c1/queue?at=2026-11-23T02:40:00Z&minPosition=${position}`);
      expect({ status: queue.status, output: output() }).toMatchObject({ status: 200 });
      expect(queue.body.items.map((i: { followUpId: string }) => i.followUpId)).toEqual(['p1.fu1']);
      // Each projection moves on its own: the timeline too, once asked to wait for it.
      expect((await api.get(`/v1/patients/p1/timeline?minPosition=${position}`)).status).toBe(200);
      expect((await api.get(`/v1/clinics/c1/reports/weekly?week=2026-W48&minPosition=${position}`)).body).toMatchObject({ due: 3 });
      // Reading the queue and the timeline were recorded (PatientRecordsListed, PatientRecordRead): the head moved two on.
      const health = await untilCaughtUp(api, position + 2);
      expect(health.readStore).toEqual({ kind: 'sqlite', projector: 'external' });
      for (const p of health.projections) expect(p).toMatchObject({ position: position + 2, lag: 0, status: 'running' });
      // A projector is a service: idle, it keeps running until told to stop.
      expect({ exitCode: projector.exitCode, output: output() }).toMatchObject({ exitCode: null });
    } finally {
      if (projector.exitCode === null && projector.signalCode === null) {
        const exited = new Promise((resolve) => projector.once('exit', resolve));
        projector.kill('SIGTERM');
        await exited;
      }
      await app.close();
      temp.remove();
    }
  });
});

/** /health once every projection has reached `position` (the external projector polls the log). */
async function untilCaughtUp(api: Api, position: number): Promise<{ readStore: unknown; projections: { position: number }[] }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const health = (await api.get('/health')).body;
    if (health.projections.every((p: { position: number }) => p.position >= position) || Date.now() > deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function collect(child: ChildProcess): () => string {
  let text = '';
  child.stdout!.on('data', (chunk) => (text += String(chunk)));
  child.stderr!.on('data', (chunk) => (text += String(chunk)));
  return () => text;
}

function checkpoints(filename: string): { name: string; position: number; status: string }[] {
  if (!existsSync(filename)) return [];
  const db = new Database(filename, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT name, position, status FROM projection_checkpoints').all() as { name: string; position: number; status: string }[];
  } catch {
    return []; // not created yet
  } finally {
    db.close();
  }
}

/** Polls the checkpoints until every projection has got past `position`; returns them. */
async function untilEveryProjectionHasPassed(position: number, filename: string, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the projector exited (${child.exitCode}) before it could be killed:\n${output()}`);
    const seen = checkpoints(filename);
    if (seen.length === ALL_PROJECTIONS.length && seen.every((c) => c.position > position)) return seen;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`the projector did not start within 30 s:\n${output()}`);
}
