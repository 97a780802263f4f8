import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Temporal } from '@rapport/domain';
import { openSqliteEventStore, SqliteEventStore } from '@rapport/event-store';
import type { CommandContext } from './command-context';
import { commandPorts } from './command-ports';
import { derivedEventId } from './derived-event-ids';
import { configureClinic } from './clinics';
import { recordCall, recordTreatment } from './recording';
import { IdempotencyKeyReusedError } from './errors';
import { MemoryResponseStore, ResponseStore, SqlResponseStore, StoredResponse } from './responses';
import type { Kysely } from 'kysely';
import { openReadModels } from '@rapport/projections';

/**
 * Idempotency-Key without the store port: derived event ids, first responses kept beside the log.
 * A real SQLite store; two sets of ports on it stand for two processes (own caches, own responses).
 */
describe('a request under an Idempotency-Key', () => {
  let dir: string;
  let store: SqliteEventStore;
  const clock = { now: () => Temporal.Instant.from('2026-11-24T03:00:00Z') };
  const context = (key: string | undefined, requestHash: string): CommandContext => ({
    commandId: `cmd-${requestHash}`,
    correlationId: `cor-${requestHash}`,
    principal: { userId: 'nurse-zhang', role: 'caller' },
    ...(key ? { idempotencyKey: key } : {}),
    requestHash,
  });
  const call = { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:35:00Z', outcome: 'no_answer' as const };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rapport-idem-'));
    store = openSqliteEventStore(dir);
    const setup = commandPorts({ store, clock });
    await configureClinic(setup, { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] }, context(undefined, 'clinic'));
    await recordTreatment(setup, { treatmentId: 't1', patientId: 'p1', clinicId: 'c1', doctorId: 'dr-chen', procedure: 'implant_surgery', completedAt: '2026-11-23T06:00:00Z' }, context(undefined, 'treatment'));
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const callsOf = async () => (await store.readStream('patient-p1')).filter((e) => e.type === 'CallAttempted');

  it('stores its events under ids derived from the user and the key', async () => {
    const first = await recordCall(commandPorts({ store, clock }), call, context('k-1', 'h1'));
    expect(first.events.map((e) => e.eventId)).toEqual(first.events.map((_, i) => derivedEventId('nurse-zhang:k-1', i)));
    expect(first.events[0]!.metadata.idempotencyKey).toBe('k-1');
  });

  it('answers a repeat with the first response, not with what is true now', async () => {
    const ports = commandPorts({ store, clock });
    const first = await configureClinic(ports, { clinicId: 'c1', name: 'A', timeZone: 'Asia/Shanghai', callWindows: ['10:30'] }, context('cfg', 'a'));
    await configureClinic(ports, { clinicId: 'c1', name: 'B', timeZone: 'Asia/Shanghai', callWindows: ['16:00'] }, context('other', 'b'));
    const again = await configureClinic(ports, { clinicId: 'c1', name: 'A', timeZone: 'Asia/Shanghai', callWindows: ['10:30'] }, context('cfg', 'a'));
    expect([again.replayed, again.body, again.position]).toEqual([true, first.body, first.position]);
  });

  it('refuses the key with another request, and appends nothing', async () => {
    const ports = commandPorts({ store, clock });
    await recordCall(ports, call, context('k-1', 'h1'));
    await expect(recordCall(ports, { ...call, outcome: 'busy' }, context('k-1', 'h2'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
    expect(await callsOf()).toHaveLength(1);
  });

  it('lands once when sent to two processes, and both answer with the same call', async () => {
    const [a, b] = [commandPorts({ store, clock }), commandPorts({ store, clock })];
    await b.runner.loadPatient('p1'); // b's cache holds the stream from before a's write
    const first = await recordCall(a, call, context('k-2', 'h'));
    const second = await recordCall(b, call, context('k-2', 'h'));
    expect(second.replayed).toBe(true);
    expect(second.body).toEqual(first.body);
    expect((await callsOf()).map((e) => e.data.callId)).toEqual([first.body.callId]);
  });

  it('is recognised by its events when the first response was never kept (crash between append and save)', async () => {
    const failing = new (class implements ResponseStore {
      find = async () => undefined;
      save = async (_key: string, _response: StoredResponse) => Promise.reject(new Error('disk full'));
    })();
    const responses = new MemoryResponseStore();
    const ports = commandPorts({ store, clock, responses: failing });
    await expect(recordCall(ports, call, context('k-3', 'h'))).rejects.toThrow('disk full');
    const landed = await callsOf();
    expect(landed).toHaveLength(1);

    // The same process retries with its store working again: its cache was dropped, so the stream shows the events.
    const retry = await recordCall({ ...ports, requests: commandPorts({ store, clock, responses }).requests }, call, context('k-3', 'h'));
    expect([retry.replayed, retry.body.callId]).toEqual([true, landed[0]!.data.callId]);
    expect(await callsOf()).toHaveLength(1);
    expect((await responses.find('nurse-zhang:k-3'))?.body).toEqual(retry.body);
  });

  it('without a key, the same body twice is two calls', async () => {
    const ports = commandPorts({ store, clock });
    await recordCall(ports, call, context(undefined, 'h'));
    await recordCall(ports, call, context(undefined, 'h'));
    expect(await callsOf()).toHaveLength(2);
  });

  it('answers a repeat recognised by its events with the first response, not with what is true now (its response lost)', async () => {
    const first = await configureClinic(commandPorts({ store, clock }), { clinicId: 'c1', name: 'A', timeZone: 'Asia/Shanghai', callWindows: ['10:30'] }, context('cfg', 'a'));
    expect(first.events.length).toBeGreaterThan(0);
    await configureClinic(commandPorts({ store, clock }), { clinicId: 'c1', name: 'B', timeZone: 'Asia/Shanghai', callWindows: ['16:00'] }, context(undefined, 'b'));
    // Another process, whose responses never held the first one (or a read store deleted since).
    const again = await configureClinic(commandPorts({ store, clock }), { clinicId: 'c1', name: 'A', timeZone: 'Asia/Shanghai', callWindows: ['10:30'] }, context('cfg', 'a'));
    expect([again.replayed, again.body, again.position, again.revision]).toEqual([true, first.body, first.position, first.revision]);
    expect((await store.readStream('clinic-c1')).filter((e) => e.type === 'ClinicConfigured').map((e) => e.data.name)).toEqual([undefined, 'A', 'B']);
  });

  it('remembers a key whose request recorded nothing past the week other answers are kept: another request under it is a 409, a repeat the first answer', async () => {
    const models = await openReadModels({ kind: 'sqlite', filename: ':memory:' });
    try {
      const responses = await SqlResponseStore.open(models.db);
      const ports = commandPorts({ store, clock, responses });
      // The clinic as it is already: nothing is recorded, so only the response knows the key.
      const same = { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] };
      const first = await configureClinic(ports, same, context('same', 's'));
      expect(first.events).toEqual([]);
      const raw = models.db as unknown as Kysely<{ command_responses: { key: string; stored_at: string } }>;
      await raw.updateTable('command_responses').set({ stored_at: '2026-11-01T00:00:00.000Z' }).execute();
      for (let i = 1; i < 1000; i++) await responses.save(`k-${i}`, { requestHash: 'h', body: { n: i }, position: i, recorded: true });
      await expect(configureClinic(ports, { ...same, name: 'Changed' }, context('same', 'other'))).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
      await configureClinic(ports, { ...same, callWindows: ['09:00'] }, context(undefined, 'x'));
      const again = await configureClinic(ports, same, context('same', 's'));
      expect([again.replayed, again.body]).toEqual([true, first.body]);
      expect((await store.readStream('clinic-c1')).filter((e) => e.type === 'ClinicConfigured')).toHaveLength(2);
    } finally {
      await models.close();
    }
  });

  it('keeps first responses for a week: older ones are pruned as new ones are saved', async () => {
    const models = await openReadModels({ kind: 'sqlite', filename: ':memory:' });
    try {
      const responses = await SqlResponseStore.open(models.db);
      await responses.save('old', { requestHash: 'h', body: { n: 0 }, position: 1 });
      const raw = models.db as unknown as Kysely<{ command_responses: { key: string; stored_at: string } }>;
      await raw.updateTable('command_responses').set({ stored_at: '2026-11-01T00:00:00.000Z' }).where('key', '=', 'old').execute();
      expect(await responses.find('old')).toEqual({ requestHash: 'h', body: { n: 0 }, position: 1, recorded: true });
      for (let i = 1; i < 1000; i++) await responses.save(`k-${i}`, { requestHash: 'h', body: { n: i }, position: i });
      expect(await responses.find('old')).toBeUndefined();
      expect(await responses.find('k-999')).toEqual({ requestHash: 'h', body: { n: 999 }, position: 999, recorded: true });
    } finally {
      await models.close();
    }
  });
});
