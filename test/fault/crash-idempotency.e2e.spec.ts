import { Temporal } from 'temporal-polyfill';
import { Acknowledgements } from '../support/acknowledgements';
import { ServerProcess } from '../support/server-process';
import { makeTempDir } from '../support/temp-dir';

interface LogicalCommand {
  key: string;
  body: { patientId: string; callerId: string; startedAt: string; outcome: 'no_answer'; notes: string };
  /** The call id the server acknowledged before the crash; undefined when the answer never came. */
  acknowledgedCallId?: string;
}

/**
 * SIGKILL under load, then clients do what clients do: send again, with the same Idempotency-Key,
 * every command whose answer they did not get (and, to be sure, the ones they did). Each logical
 * command must be stored exactly once, and a retry of an acknowledged one must answer with the
 * first result. (test/e2e/crash-safety covers "acknowledged ⇒ stored"; this covers "none twice".)
 */
describe('crash, then clients retry with the same Idempotency-Key', () => {
  const temp = makeTempDir();
  afterAll(() => temp.remove());

  it('stores each logical command exactly once', async () => {
    const server = await ServerProcess.create(temp.path);
    await server.start();
    const { api } = server;
    const now = Temporal.Now.instant();
    const patients = ['p1', 'p2', 'p3'];
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
    for (const patientId of patients) {
      const treatment = { treatmentId: `t-${patientId}`, patientId, clinicId: 'c1', doctorId: 'd', procedure: 'other', completedAt: now.subtract({ hours: 2 }).toString() };
      expect((await api.post('/v1/treatments', treatment)).status).toBe(201);
    }

    // Six clients, each sending its own numbered commands until the server dies under them.
    // Half go to one hot patient, so the same stream has several commands in flight at the kill.
    const startedAt = now.subtract({ minutes: 5 }).toString();
    const issued: LogicalCommand[] = [];
    // Killed once KILL_AFTER commands were acknowledged, with every client still sending.
    const KILL_AFTER = 300;
    const acks = new Acknowledgements(KILL_AFTER);
    let killed = false;
    const clients = Array.from({ length: 6 }, async (_, c) => {
      // No check of `killed` here: each client stops only when a request fails, as a real one would.
      for (let i = 0; i < 100_000; i++) {
        const key = `client${c}-cmd${i}`;
        const command: LogicalCommand = { key, body: { patientId: c % 2 === 0 ? 'p1' : patients[i % 3]!, callerId: `nurse-${c}`, startedAt, outcome: 'no_answer', notes: key } };
        issued.push(command);
        try {
          const response = await api.post('/v1/calls', command.body, { 'Idempotency-Key': key });
          if (response.status !== 201) throw new Error(`${key}: ${response.status} ${JSON.stringify(response.body)}`);
          command.acknowledgedCallId = response.body.callId;
          acks.acknowledge();
        } catch (error) {
          if (killed) return; // the answer was lost with the server: the client will retry this one
          throw error;
        }
      }
    });
    await acks.whileLoading(Promise.all(clients));
    killed = true;
    await server.kill();
    await Promise.all(clients);
    const acknowledged = issued.filter((c) => c.acknowledgedCallId);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
    // Each client ends with one command whose answer it never got (in flight at the kill, or sent after).
    expect(issued.length - acknowledged.length).toBe(6);

    await server.start();
    try {
      // Every logical command again, same key and body: acknowledged ones replay their first answer.
      for (const command of issued) {
        const response = await api.post('/v1/calls', command.body, { 'Idempotency-Key': command.key });
        expect([command.key, response.status]).toEqual([command.key, 201]);
        if (command.acknowledgedCallId) {
          expect([command.key, response.body.callId, response.headers.get('idempotent-replayed')]).toEqual([command.key, command.acknowledgedCallId, 'true']);
        }
      }
      // A second round changes nothing at all.
      const head = await api.headPosition();
      for (const command of issued.slice(-12)) expect((await api.post('/v1/calls', command.body, { 'Idempotency-Key': command.key })).status).toBe(201);
      expect(await api.headPosition()).toBe(head);

      const calls: { data: { callId: string; notes: string }; metadata: { idempotencyKey?: string } }[] = [];
      for (const patientId of patients) {
        const events = (await api.get(`/v1/patients/${patientId}/events`)).body.events as ({ type: string } & (typeof calls)[number])[];
        calls.push(...events.filter((e) => e.type === 'CallAttempted'));
      }
      // Exactly one CallAttempted per logical command, carrying its key; none extra, none twice.
      expect(calls.map((e) => e.metadata.idempotencyKey).sort()).toEqual(issued.map((c) => c.key).sort());
      for (const call of calls) expect(call.data.notes).toBe(call.metadata.idempotencyKey);
      const byKey = new Map(calls.map((e) => [e.metadata.idempotencyKey, e.data.callId]));
      for (const command of acknowledged) expect([command.key, byKey.get(command.key)]).toEqual([command.key, command.acknowledgedCallId]);
    } finally {
      await server.stop();
    }
  });
});
