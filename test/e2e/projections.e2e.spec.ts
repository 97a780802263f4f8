import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApp } from '../../apps/api/src/app.factory';
import { configFromEnv, RapportConfig } from '@rapport/config';
import { openSqliteEventStore } from '@rapport/event-store';
import { describeWithPostgres, TEST_DATABASE_URL } from '../../libs/projections/test/read-store-targets';
import { clinicWithPatient, WANG_WEI } from '../support/fixtures';
import { adminApi, Api } from '../support/in-process-app';
import { makeTempDir } from '../support/temp-dir';
import { TestClock } from '../support/test-clock';

/** Read models on SQLite (the default), or in a PostgreSQL schema of their own for this run. */
interface ReadStoreUnderTest {
  config(): Promise<Partial<RapportConfig>>;
  cleanup(): Promise<void>;
}

const sqliteReadStore: ReadStoreUnderTest = { config: async () => ({}), cleanup: async () => undefined };

function postgresReadStore(): ReadStoreUnderTest {
  let schema = '';
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    async config() {
      schema = `rapport_e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(`create schema "${schema}"`);
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return { readStore: 'postgres', databaseUrl: url.toString() };
    },
    cleanup: () => admin(`drop schema if exists "${schema}" cascade`),
  };
}

httpSuite('SQLite', sqliteReadStore);
describeWithPostgres('projections over HTTP with READ_STORE=postgres', () => httpSuite('PostgreSQL', postgresReadStore()));

/**
 * The read side over HTTP with the projector inside the API (the embedded default): a command's
 * X-Rapport-Position passed as ?minPosition= reads its own write, and /health tells each
 * projection's position, lag and status (naming a stopped one with its position and error).
 */
function httpSuite(name: string, readStore: ReadStoreUnderTest): void {
  describe(`projections over HTTP, read models on ${name}, projector in-process`, () => {
    let app: NestFastifyApplication;
    let api: Api;
    let clock: TestClock;
    let temp: { path: string; remove: () => void };

    beforeEach(async () => {
      temp = makeTempDir();
      clock = TestClock.at('2026-11-23T01:00:00Z'); // Monday 09:00 in Shanghai
      // A short wait for ?minPosition= so the 503 case stays quick.
      const config = { ...configFromEnv({}), dataDir: temp.path, port: 0, minPositionTimeoutMs: 400, ...(await readStore.config()) };
      app = await createApp({ config, clock, logger: false });
      await app.listen({ port: 0, host: '127.0.0.1' });
      api = await adminApi(app);
    });
    afterEach(async () => {
      await app.close();
      await readStore.cleanup();
      temp.remove();
    });

    const position = (response: { headers: Headers }): number => Number(response.headers.get('x-rapport-position'));

    // Sunday 22 at 14:00 local: the general rule calls on Monday 23 at 10:30 local (02:30Z).
    const clinicAndPatient = async (): Promise<number> => position(await clinicWithPatient(api, { clinicName: '微笑口腔', completedAt: '2026-11-22T06:00:00Z', patient: WANG_WEI }));

    it('reads its own writes: queue, timeline, metrics and both reports after the commands that changed them', async () => {
      const afterTreatment = await clinicAndPatient();
      const queue = await api.get(`/v1/clinics/c1/queue?at=2026-11-23T02:40:00Z&minPosition=${afterTreatment}`);
      expect(queue.status).toBe(200);
      expect(queue.body).toMatchObject({ clinicId: 'c1', timeZone: 'Asia/Shanghai', at: '2026-11-23T02:40:00Z' });
      expect(queue.body.items).toEqual([
        expect.objectContaining({ followUpId: 'p1.fu1', patientId: 'p1', patient: { name: '王伟', phone: '+86 138 0013 8000' }, dueAt: '2026-11-23T02:30:00Z', attempts: 0, overdueMinutes: 10 }),
      ]);

      clock.set('2026-11-23T02:55:00Z');
      const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T02:50:00Z', outcome: 'no_answer', followUpId: 'p1.fu1' });
      expect(call.status).toBe(201);
      // Moved to 16:00 local: gone from the 10:40 queue, back at 16:00 with its attempt.
      const at1040 = await api.get(`/v1/clinics/c1/queue?at=2026-11-23T02:40:00Z&minPosition=${position(call)}`);
      expect(at1040.body.items).toEqual([]);
      const at1600 = await api.get(`/v1/clinics/c1/queue?at=2026-11-23T08:00:00Z&callerId=nurse-zhang&minPosition=${position(call)}`);
      expect(at1600.body.items).toEqual([
        expect.objectContaining({ followUpId: 'p1.fu1', attempts: 1, lastOutcome: 'no_answer', triedByCaller: true, attemptHistory: [expect.objectContaining({ outcome: 'no_answer', startedAt: '2026-11-23T02:50:00Z' })] }),
      ]);

      const timeline = await api.get(`/v1/patients/p1/timeline?minPosition=${position(call)}`);
      expect(timeline.status).toBe(200);
      expect(timeline.body.entries.map((e: { summary: string }) => e.summary).slice(-2)).toEqual([
        'Call by nurse-zhang: no answer (attempt 1 of follow-up p1.fu1)',
        'Follow-up p1.fu1 moved to 2026-11-23T08:00:00Z: retry after 1 attempt',
      ]);

      clock.set('2026-11-23T08:10:00Z');
      const reached = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T08:05:00Z', outcome: 'reached', followUpId: 'p1.fu1' });
      const booked = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: '2026-12-01T02:00:00Z', callerId: 'nurse-zhang' });
      expect([reached.status, booked.status]).toEqual([201, 201]);
      const last = position(booked);

      // Two attempts, one reached, one booking on Monday 23 (local).
      const metrics = await api.get(`/v1/callers/nurse-zhang/metrics?from=2026-11-22T16:00:00Z&to=2026-11-23T16:00:00Z&minPosition=${last}`);
      expect(metrics.body).toMatchObject({ callerId: 'nurse-zhang', attempts: 2, reached: 1, contactRate: 0.5, appointmentsBooked: 1, conversionRate: 1 });
      const clinicMetrics = await api.get(`/v1/clinics/c1/callers/metrics?minPosition=${last}`);
      expect(clinicMetrics.body.callers).toEqual([expect.objectContaining({ callerId: 'nurse-zhang', attempts: 2, reached: 1 })]);
      // 10:50 local no answer, 16:05 local reached and the booking recorded at 16:10.
      const best = await api.get(`/v1/clinics/c1/reports/best-times?from=2026-11-22T16:00:00Z&minPosition=${last}`);
      expect(best.body.cells).toEqual([
        { weekday: 1, hour: 10, attempts: 1, reached: 0, contactRate: 0, booked: 0, conversionRate: 0 },
        { weekday: 1, hour: 16, attempts: 1, reached: 1, contactRate: 1, booked: 1, conversionRate: 1 },
      ]);
      // Week 48: day 1 (Mon), day 3 (Wed), day 7 (Sun) due; only Monday's tried, on its day; the
      // week is not over at 16:10 on Monday, so nothing is overdue yet.
      const weekly = await api.get(`/v1/clinics/c1/reports/weekly?week=2026-W48&minPosition=${last}`);
      expect(weekly.body).toMatchObject({ week: '2026-W48', due: 3, made: 2, reached: 1, overdue: 0, booked: 1, referrals: 0, complaints: 0 });

      const health = await api.get('/health');
      expect(health.body).toMatchObject({ status: 'ok', eventStore: { headPosition: last }, readStore: { kind: name === 'SQLite' ? 'sqlite' : 'postgres', projector: 'in-process' } });
      expect(health.body.projections.map((p: { name: string }) => p.name)).toEqual(['clinics', 'call-queue', 'patient-timeline', 'caller-metrics', 'follow-up-report', 'audit-attempts', 'access-log', 'appointments', 'objections', 'referrals', 'effectiveness', 'doctors', 'prospects', 'urgent', 'doctor-feedback']);
      for (const p of health.body.projections) expect(p).toMatchObject({ version: expect.any(Number), position: last, lag: 0, status: 'running' });
    });

    it('honours contact preferences at read time over HTTP', async () => {
      await clinicAndPatient();
      const prefs = await api.put('/v1/patients/p1/preferences', { avoidWorkHours: true });
      expect(prefs.status).toBe(201);
      // Monday 10:40 local is work hours; Monday 18:30 is not.
      const during = await api.get(`/v1/clinics/c1/queue?at=2026-11-23T02:40:00Z&minPosition=${position(prefs)}`);
      expect(during.body.items).toEqual([]);
      const after = await api.get(`/v1/clinics/c1/queue?at=2026-11-23T10:30:00Z&minPosition=${position(prefs)}`);
      expect(after.body.items.map((i: { followUpId: string }) => i.followUpId)).toEqual(['p1.fu1']);
      const never = await api.put('/v1/patients/p1/preferences', { doNotCall: true });
      const none = await api.get(`/v1/clinics/c1/queue?at=2026-11-28T10:30:00Z&minPosition=${position(never)}`);
      expect(none.body.items).toEqual([]);
    });

    it('answers 400 naming the field, 404 for what it does not know, 503 when the position is not reached in time', async () => {
      const head = await clinicAndPatient();
      const bad = async (path: string, field: string) => {
        const response = await api.get(path);
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
      };
      await bad('/v1/clinics/c1/queue?at=tomorrow', 'at');
      await bad('/v1/clinics/c1/queue?limit=0', 'limit');
      await bad('/v1/clinics/c1/queue?limit=501', 'limit');
      await bad('/v1/clinics/c1/queue?role=nurse', 'role');
      await bad('/v1/clinics/c1/queue?minPosition=-1', 'minPosition');
      await bad('/v1/clinics/c1/queue?sort=name', 'sort');
      await bad('/v1/clinics/c1/reports/weekly?week=2026-48', 'week');
      await bad('/v1/clinics/c1/reports/weekly?week=2027-W53', 'week');
      await bad('/v1/clinics/c1/reports/weekly', 'week');
      await bad('/v1/callers/nurse-zhang/metrics?from=2026-11-30T00:00:00Z&to=2026-11-23T00:00:00Z', 'from');
      await bad('/v1/callers/nurse-zhang/metrics?to=soon', 'to');

      const unknownClinic = await api.get(`/v1/clinics/nowhere/queue?minPosition=${head}`);
      expect(unknownClinic.status).toBe(404);
      expect(unknownClinic.body.message).toMatch(/clinic nowhere/);
      expect((await api.get(`/v1/clinics/nowhere/reports/weekly?week=2026-W48&minPosition=${head}`)).status).toBe(404);
      expect((await api.get(`/v1/patients/nobody/timeline?minPosition=${head}`)).status).toBe(404);

      const future = await api.get(`/v1/patients/p1/timeline?minPosition=${head + 1000}`);
      expect(future.status).toBe(503);
      expect(future.body.message).toMatch(/patient-timeline is at position \d+; position \d+ was not reached within 400 ms/);
    });

    it('names a stopped projection in /health with its position and error; the others go on; its queries answer 503', async () => {
      // The in-process projector logs each stop, with the error's stack, to console.error: kept
      // out of the test output here, and checked below.
      const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        await poisonedQueue(logged);
      } finally {
        logged.mockRestore();
      }
    });

    async function poisonedQueue(logged: jest.SpyInstance): Promise<void> {
      await clinicAndPatient();
      // An event the queue cannot apply (a due time that is no instant), written by another writer of the same file.
      const other = openSqliteEventStore(temp.path);
      const [poisoned] = (
        await other.append(
          'patient-px',
          [
            {
              eventId: 'poison-1',
              type: 'FollowUpScheduled',
              data: { followUpId: 'px.fu1', patientId: 'px', clinicId: 'c1', purpose: 'x', dueAt: 'next tuesday', urgent: false, origin: { protocolVersion: 1, ruleId: 'general', stepId: 'day_1' } },
              metadata: { eventId: 'poison-1', recordedAt: '2026-11-23T01:00:00Z' },
            },
          ],
          { expectedRevision: 'no_stream' },
        )
      ).events;
      await other.close();

      // The API keeps recording, and the projections that can apply go on past the bad event.
      const call = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-23T00:50:00Z', outcome: 'busy' });
      expect(call.status).toBe(201);
      const timeline = await api.get(`/v1/patients/p1/timeline?minPosition=${position(call)}`);
      expect(timeline.status).toBe(200);

      // Reading the timeline is itself recorded (a PatientRecordRead after the call): the head is one on.
      const head = position(call) + 1;
      // The projections that read a follow-up's due time (the queue, the weekly report's and the
      // effectiveness report's) meet the bad event on their own time: wait until they have, and the others reach the head.
      const readingDueTime = ['call-queue', 'effectiveness', 'follow-up-report'];
      const health = await eventually(async () => {
        const h = await api.get('/health');
        const projections = h.body.projections as { status: string; position: number }[];
        const stoppedCount = projections.filter((p) => p.status === 'stopped').length;
        return stoppedCount === readingDueTime.length && projections.every((p) => p.status === 'stopped' || p.position === head) ? h : undefined;
      });
      expect(health.body.status).toBe('degraded');
      expect(health.body.eventStore.headPosition).toBe(head);
      const byName = Object.fromEntries(health.body.projections.map((p: { name: string }) => [p.name, p]));
      const stopped = { position: poisoned!.position - 1, lag: head - (poisoned!.position - 1), status: 'stopped' };
      expect(byName['call-queue']).toMatchObject({ ...stopped, error: { position: poisoned!.position, message: expect.stringMatching(/FollowUpScheduled poison-1 in patient-px.*dueAt is not an instant: "next tuesday"/) } });
      expect(byName['follow-up-report']).toMatchObject({ ...stopped, error: { position: poisoned!.position } });
      expect(byName['effectiveness']).toMatchObject({ ...stopped, error: { position: poisoned!.position } });
      for (const name of ['clinics', 'patient-timeline', 'caller-metrics', 'doctors', 'urgent']) expect(byName[name]).toMatchObject({ position: head, lag: 0, status: 'running' });

      const queue = await api.get(`/v1/clinics/c1/queue?minPosition=${position(call)}`);
      expect(queue.status).toBe(503);
      expect(queue.body.message).toMatch(new RegExp(`call-queue is stopped at position ${poisoned!.position - 1}`));
      // Without minPosition it still answers, from where it stopped.
      expect((await api.get('/v1/clinics/c1/queue?at=2026-11-23T02:40:00Z')).status).toBe(200);

      // One PROJECTION STOPPED line for each, naming it, its position and the event.
      const stops = await eventually(async () => {
        const lines = logged.mock.calls.map((args) => args.map(String).join(' ')).filter((line) => line.includes('PROJECTION STOPPED'));
        return lines.length >= readingDueTime.length ? lines : undefined;
      });
      expect(stops.sort()).toEqual(
        readingDueTime.map((name) =>
          expect.stringMatching(new RegExp(`PROJECTION STOPPED: ${name} v\\d+ stays at position ${poisoned!.position - 1}; cannot apply event at position ${poisoned!.position} \\(FollowUpScheduled poison-1 in patient-px\\)`)),
        ),
      );
    }
  });
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
