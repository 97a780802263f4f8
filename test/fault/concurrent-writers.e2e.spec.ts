import { Temporal } from 'temporal-polyfill';
import { ServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';

/**
 * Two server processes on one DATA_DIR (PROJECTOR=external: the projections run apart), both recording calls for the same patient at once. Each
 * process serializes its own commands per stream, but only the store's revision check stands
 * between the two: a loser must re-read, decide again (a new call id) and append, or answer 409
 * having appended nothing.
 */
describe('concurrent writers on one patient from two processes', () => {
  const temp = makeTempDir();
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    // Several API processes on one store: the configuration for it (a projector of their own would run apart).
    for (let i = 0; i < 2; i++) servers.push(await ServerProcess.create(temp.path, { PROJECTOR: 'external' }));
    // One at a time: both create the schema on first open.
    for (const server of servers) await server.start();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    temp.remove();
  });

  it('stores every acknowledged call exactly once, and nothing for a refused one', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const now = Temporal.Now.instant();
    expect((await a.api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    const treatment = { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'd', procedure: 'other', completedAt: now.subtract({ hours: 2 }).toString() };
    expect((await b.api.post('/v1/treatments', treatment)).status).toBe(201);

    const startedAt = now.subtract({ minutes: 5 }).toString();
    const answers: { server: number; notes: string; status: number; callId?: string }[] = [];
    const writersPerServer = 4;
    const callsPerWriter = 25;
    await Promise.all(
      Array.from({ length: 2 * writersPerServer }, async (_, w) => {
        const server = w % 2;
        for (let i = 0; i < callsPerWriter; i++) {
          const notes = `w${w}-${i}`;
          const response = await servers[server]!.api.post('/v1/calls', { patientId: 'p1', callerId: `nurse-${w}`, startedAt, outcome: 'no_answer', notes });
          answers.push({ server, notes, status: response.status, callId: response.body?.callId });
        }
      }),
    );

    // Every request was answered: 201, or 409 when another process kept winning the race; never a 5xx or a lost lock.
    expect(answers.length).toBe(2 * writersPerServer * callsPerWriter);
    expect(answers.filter((r) => r.status !== 201 && r.status !== 409)).toEqual([]);
    const acknowledged = answers.filter((r) => r.status === 201);
    const refused = answers.filter((r) => r.status === 409);
    expect(acknowledged.length + refused.length).toBe(answers.length);
    // Both processes wrote to the one stream.
    expect(new Set(acknowledged.map((r) => r.server))).toEqual(new Set([0, 1]));

    const events = (await a.api.get('/v1/patients/p1/events')).body.events as { type: string; revision: number; data: { callId: string; notes: string } }[];
    const calls = events.filter((e) => e.type === 'CallAttempted');
    // As many calls stored as were acknowledged, and none for the refusals.
    expect(calls.length).toBe(acknowledged.length);
    expect(calls.filter((e) => refused.some((r) => r.notes === e.data.notes))).toEqual([]);
    // Exactly the acknowledged calls, each once, under the call id its client was given.
    expect(calls.map((e) => e.data.notes).sort()).toEqual(acknowledged.map((r) => r.notes).sort());
    const stored = new Map(calls.map((e) => [e.data.notes, e.data.callId]));
    for (const r of acknowledged) expect([r.notes, stored.get(r.notes)]).toEqual([r.notes, r.callId]);
    expect(new Set(calls.map((e) => e.data.callId)).size).toBe(calls.length);
    // One stream, no gaps: revisions 0..n-1.
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
  });
});
