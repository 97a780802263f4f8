import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Temporal } from 'temporal-polyfill';
import type { Api } from '../support/in-process-app';
import { Acknowledgements } from '../support/acknowledgements';
import { ServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';

/**
 * SIGKILL of the server (with its in-process projector) in the middle of a sustained load, then a
 * restart: once the projections have caught up, what they answer equals a clean rebuild from the
 * same events — nothing projected twice, nothing lost.
 */
describe('projections after a crash equal a clean rebuild', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  async function caughtUp(api: Api): Promise<number> {
    for (let i = 0; i < 300; i++) {
      const health = (await api.get('/health')).body;
      if (health.projections.every((p: { lag: number; status: string }) => p.lag === 0 && p.status === 'running')) return health.eventStore.headPosition;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('projections did not catch up in 30 s');
  }

  /** Everything the read side answers for the clinic, at fixed instants (no reads that append access events). */
  async function readSide(api: Api, at: string) {
    const week = Temporal.Instant.from(at).toZonedDateTimeISO('Asia/Shanghai');
    const isoWeek = `${week.yearOfWeek}-W${String(week.weekOfYear).padStart(2, '0')}`;
    const paths = [
      `/v1/clinics/c1/queue?at=${at}&limit=500`,
      `/v1/clinics/c1/queue?at=${at}&limit=500&role=doctor`,
      '/v1/clinics/c1/callers/metrics',
      '/v1/clinics/c1/reports/best-times',
      `/v1/clinics/c1/reports/weekly?week=${isoWeek}`,
      '/v1/audit/attempts?clinicId=c1&format=json',
    ];
    const answers: Record<string, unknown> = {};
    for (const path of paths) {
      const response = await api.get(path);
      expect(response.status).toBe(200);
      answers[path] = response.body;
    }
    return answers;
  }

  let server: ServerProcess | undefined;
  afterEach(async () => server?.stop());

  it('answers the same after SIGKILL and restart as after a rebuild from position 0', async () => {
    server = await ServerProcess.create(temp.path);
    await server.start();
    const { api } = server;
    const now = Temporal.Now.instant();
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const patients = Array.from({ length: 12 }, (_, i) => `p${i}`);
    for (const patientId of patients) {
      const treatment = { treatmentId: `t-${patientId}`, patientId, clinicId: 'c1', doctorId: 'dr-li', procedure: 'implant_surgery', completedAt: now.subtract({ hours: 20 }).toString(), patient: { name: `患者${patientId}` } };
      expect((await api.post('/v1/treatments', treatment)).status).toBe(201);
    }

    // Calls, objections, referrals and bookings from four clients until the process is killed,
    // which is once KILL_AFTER calls were acknowledged.
    const headBeforeLoad = await api.headPosition();
    const KILL_AFTER = 400;
    const acks = new Acknowledgements(KILL_AFTER);
    const outcomes = ['reached', 'no_answer', 'busy', 'powered_off', 'reached'] as const;
    let killed = false;
    const clients = Array.from({ length: 4 }, async (_, c) => {
      for (let i = 0; i < 5000 && !killed; i++) {
        const patientId = patients[(i * 4 + c) % patients.length]!;
        try {
          const call = await api.post('/v1/calls', { patientId, callerId: `nurse-${c}`, startedAt: now.subtract({ minutes: 30 - (i % 20) }).toString(), outcome: outcomes[i % outcomes.length] });
          if (call.status === 201) acks.acknowledge();
          if (call.status === 201 && i % 5 === 0) {
            await api.post('/v1/objections', { patientId, callerId: `nurse-${c}`, kind: 'sincere', topic: 'cost', method: 'inform', resolved: i % 2 === 0, callId: call.body.callId });
            await api.post('/v1/appointments', { patientId, clinicId: 'c1', callerId: `nurse-${c}`, scheduledFor: now.add({ hours: 24 + i }).toString() });
          }
          if (call.status === 201 && i % 7 === 0) await api.post('/v1/referrals', { patientId, callerId: `nurse-${c}`, referred: { relation: 'friend' } });
        } catch {
          return;
        }
      }
    });
    await acks.whileLoading(Promise.all(clients));
    killed = true;
    await server.kill();
    await Promise.all(clients);

    await server.start();
    const head = await caughtUp(api);
    // Every acknowledged call is stored (one CallAttempted each), on top of what was there before the load.
    expect(head).toBeGreaterThanOrEqual(headBeforeLoad + acks.count);
    const at = now.add({ hours: 24 }).toString();
    const afterCrash = await readSide(api, at);
    // Reading the queues is itself recorded (the access log): the log grew by those records.
    const headAfterReads = await api.headPosition();
    await server.stop();

    // A clean rebuild: the same events, the read models thrown away.
    for (const file of ['read-models.sqlite', 'read-models.sqlite-wal', 'read-models.sqlite-shm']) rmSync(join(temp.path, file), { force: true });
    await server.start();
    expect(await caughtUp(api)).toBe(headAfterReads);
    const rebuilt = await readSide(api, at);
    await server.stop();

    // Path by path, so a difference names the query (and Jest diffs a small object, not all of them).
    for (const path of Object.keys(rebuilt)) {
      expect({ path, answer: afterCrash[path] }).toEqual({ path, answer: rebuilt[path] });
    }
    const metrics = rebuilt['/v1/clinics/c1/callers/metrics'] as { callers: { attempts: number }[] };
    expect(metrics.callers.reduce((sum, c) => sum + c.attempts, 0)).toBeGreaterThan(0);
  });
});
