import { Temporal } from 'temporal-polyfill';
import { Acknowledgements } from '../support/acknowledgements';
import { ServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';

/** A power cut, as near as a test gets: SIGKILL the server mid-load and start it again. */
describe('crash safety of the embedded store', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('keeps every acknowledged command after SIGKILL and a restart', async () => {
    const server = await ServerProcess.create(temp.path);
    await server.start();
    const { api } = server;
    const now = Temporal.Now.instant();
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    expect((await api.post('/v1/treatments', { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'd', procedure: 'other', completedAt: now.subtract({ hours: 2 }).toString() })).status).toBe(201);

    // Keep calls in flight while the process is killed; remember each one the server acknowledged.
    // Killed once KILL_AFTER calls were acknowledged, with the writers still sending.
    const KILL_AFTER = 200;
    const acks = new Acknowledgements(KILL_AFTER);
    const acknowledged: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop && i < 2000; i++) {
        try {
          const r = await api.post('/v1/calls', { patientId: 'p1', callerId: `w${w}`, startedAt: now.subtract({ minutes: 5 }).toString(), outcome: 'no_answer', notes: `w${w}-${i}` });
          if (r.status === 201) {
            acknowledged.push(r.body.callId);
            acks.acknowledge();
          }
        } catch {
          return; // the connection died with the server
        }
      }
    });
    await acks.whileLoading(Promise.all(writers));
    await server.kill();
    stop = true;
    await Promise.all(writers);
    // The ones acknowledged before the kill, and any whose answer crossed it.
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    await server.start();
    const events = await api.get('/v1/patients/p1/events');
    const stored = events.body.events.filter((e: { type: string }) => e.type === 'CallAttempted').map((e: { data: { callId: string } }) => e.data.callId);
    expect(stored).toEqual(expect.arrayContaining(acknowledged));
    expect(new Set(stored).size).toBe(stored.length);
    await server.stop();
  });
});
