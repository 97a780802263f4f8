import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import { DOMAIN_STREAMS_REGEX, isDomainEvent, normalizeEventId, toRecordedEvent } from './esdb-events';

describe('EventStoreDB events as the port sees them', () => {
  it.each([
    ['patient-p1', 'CallAttempted', true],
    ['clinic-c1', 'ClinicConfigured', true],
    ['$ce-patient', '$>', false],
    ['$stats-127.0.0.1:2113', '$statsCollected', false],
    ['$$patient-p1', '$metadata', false],
    ['patient-p1', '$streamDeleted', false],
    ['idempotency-9f86d081884c7d65', 'IdempotencyKeyClaimed', false],
  ])('%s / %s is a domain event: %s', (streamId, type, expected) => {
    expect(isDomainEvent({ streamId, type })).toBe(expected);
  });

  it('the server-side stream filter keeps the same streams', () => {
    const filter = new RegExp(DOMAIN_STREAMS_REGEX);
    expect(['patient-p1', 'clinic-c1', 'idempotent-thing'].map((s) => filter.test(s))).toEqual([true, true, true]);
    expect(['$ce-patient', '$stats-x', 'idempotency-abc'].map((s) => filter.test(s))).toEqual([false, false, false]);
  });

  it('takes UUID event ids, lower-cased as EventStoreDB returns them, and refuses anything else', () => {
    expect(normalizeEventId('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    expect(() => normalizeEventId('p1.call7')).toThrow('eventId must be a UUID on EventStoreDB, got "p1.call7"');
    expect(() => normalizeEventId(undefined)).toThrow(TypeError);
  });

  it('converts a recorded event to plain numbers and an ISO timestamp', () => {
    const recorded = toRecordedEvent(esdbEvent({ data: { a: 1 }, metadata: { actor: 'u' } }));
    expect(recorded).toEqual({
      eventId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      type: 'Tested',
      stream: 'patient-p1',
      revision: 2,
      position: 8192,
      data: { a: 1 },
      metadata: { actor: 'u' },
      storedAt: '2026-11-24T03:00:00.000Z',
    });
    expect(JSON.parse(JSON.stringify(recorded))).toEqual(recorded);
  });

  it("keeps another writer's non-object payloads readable instead of dropping them", () => {
    expect(toRecordedEvent(esdbEvent({ data: [1, 2] })).data).toEqual({ value: [1, 2] });
    expect(toRecordedEvent(esdbEvent({ data: Uint8Array.from([104, 105]), isJson: false })).data).toEqual({ base64: 'aGk=' });
    expect(toRecordedEvent(esdbEvent({ metadata: undefined })).metadata).toEqual({});
  });

  it('refuses an event without a position', () => {
    expect(() => toRecordedEvent(esdbEvent({ position: undefined }))).toThrow('without a position');
  });
});

function esdbEvent(overrides: Record<string, unknown>): EsdbRecordedEvent {
  return {
    streamId: 'patient-p1',
    id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
    isJson: true,
    revision: 2n,
    type: 'Tested',
    created: new Date('2026-11-24T03:00:00Z'),
    data: {},
    metadata: {},
    position: { commit: 8192n, prepare: 8192n },
    ...overrides,
  } as unknown as EsdbRecordedEvent;
}
