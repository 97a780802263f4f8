import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_CODEC, EVENT_SCHEMA_VERSIONS, EventCodec, envelope, ReferralRequested, UnreadableEventVersionError } from '@rapport/domain';
import { openSqliteEventStore, SqliteEventStore } from '@rapport/event-store';
import { toProjectedEvent } from '../src/runtime/projection';

/**
 * The versioning promise of docs/EVENTS.md, on a real store: an event stored at v1 is read at v2
 * through an upcaster, by the read side's own path (toProjectedEvent), and never rewritten.
 */
describe('the event codec', () => {
  let dir: string;
  let store: SqliteEventStore;
  const origin = (eventId: string) => ({ eventId, correlationId: eventId, causationId: eventId, actor: { userId: 'nurse-zhang', role: 'caller' }, recordedAt: '2026-11-24T03:00:00Z' });
  const v1: ReferralRequested = {
    type: 'ReferralRequested',
    data: { patientId: 'p1', clinicId: 'c1', referralId: 'p1.ref1', callerId: 'nurse-zhang', referred: { relation: '朋友' }, note: '她说会问问她妹妹' },
  };
  // v2 of ReferralRequested, as a later release might make it: the note becomes a list of notes.
  const v2Codec = new EventCodec({
    versions: { ...EVENT_SCHEMA_VERSIONS, ReferralRequested: 2 },
    upcasters: { ReferralRequested: { 1: ({ note, ...rest }) => ({ ...rest, notes: note === undefined ? [] : [note] }) } },
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rapport-codec-'));
    store = openSqliteEventStore(dir);
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stamps the schema version on the way in', () => {
    expect(envelope(v1, origin('00000000-0000-4000-8000-000000000001')).metadata.schemaVersion).toBe(1);
    expect(v2Codec.encode(v1, origin('00000000-0000-4000-8000-000000000002')).metadata.schemaVersion).toBe(2);
  });

  it('reads a v1 event stored before the type went to v2 upcast, and leaves it stored as it was', async () => {
    await store.append('patient-p1', [envelope(v1, origin('00000000-0000-4000-8000-000000000003'))], { expectedRevision: 'no_stream' });
    const [stored] = await store.readStream('patient-p1');

    const projected = toProjectedEvent(stored!, v2Codec);
    expect(projected.data).toEqual({ patientId: 'p1', clinicId: 'c1', referralId: 'p1.ref1', callerId: 'nurse-zhang', referred: { relation: '朋友' }, notes: ['她说会问问她妹妹'] });
    expect(v2Codec.decode(stored!).storedVersion).toBe(1);
    // Today's codec reads it as it is, and the store still holds v1.
    expect(EVENT_CODEC.decode(stored!).data).toEqual(v1.data);
    expect((await store.readStream('patient-p1'))[0]).toEqual(stored);
  });

  it('refuses, by name, an event newer than it reads or a type it does not know', () => {
    const newer = { type: 'ReferralRequested', data: v1.data, metadata: { schemaVersion: 3 } };
    expect(() => v2Codec.decode(newer)).toThrow(UnreadableEventVersionError);
    expect(() => v2Codec.decode(newer)).toThrow('ReferralRequested v3 was written by a newer Rapport (this one reads up to v2)');
    expect(() => EVENT_CODEC.decode({ type: 'Mystery', data: {}, metadata: {} })).toThrow('event type Mystery is not known');
  });

  it('takes no upcaster that would not lead to the current version', () => {
    expect(() => new EventCodec({ versions: { ReferralRequested: 1 }, upcasters: { ReferralRequested: { 1: (d) => d } } })).toThrow('does not lead to the current v1');
  });
});
