import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { accessLogProjection } from './access-log.projection';

const spec = projectionSpec(accessLogProjection);
const ms = (iso: string) => Date.parse(iso);
const read = (patientId: string, userId: string, recordedAt: string): GivenEvent => ({
  type: 'PatientRecordRead',
  data: { patientId, clinicId: 'c1', userId, role: 'caller', what: 'timeline' },
  recordedAt,
});
const listed = (patientIds: string[], recordedAt: string): GivenEvent => ({
  type: 'PatientRecordsListed',
  data: { clinicId: 'c2', userId: 'desk-li', role: 'caller', what: 'queue', patientIds },
  recordedAt,
});

describe('access log projection', () => {
  it('a row per record read, and one per patient a list showed (each once)', () =>
    spec.given(read('p1', 'nurse-zhang', '2026-11-24T07:00:00Z'), listed(['p3', 'p2', 'p3'], '2026-11-24T08:00:00Z')).then({
      access_reads: [
        { position: 1, event_id: 'event-1', patient_id: 'p1', clinic_id: 'c1', user_id: 'nurse-zhang', role: 'caller', what: 'timeline', at: '2026-11-24T07:00:00Z', at_ms: ms('2026-11-24T07:00:00Z') },
        { position: 2, event_id: 'event-2', patient_id: 'p2', clinic_id: 'c2', user_id: 'desk-li', role: 'caller', what: 'queue', at: '2026-11-24T08:00:00Z', at_ms: ms('2026-11-24T08:00:00Z') },
        { position: 2, event_id: 'event-2', patient_id: 'p3', clinic_id: 'c2', user_id: 'desk-li', role: 'caller', what: 'queue', at: '2026-11-24T08:00:00Z', at_ms: ms('2026-11-24T08:00:00Z') },
      ],
    }));

  it('reads of the same record by the same user are each kept', () =>
    spec
      .given(read('p1', 'nurse-zhang', '2026-11-24T07:00:00Z'), read('p1', 'nurse-zhang', '2026-11-24T07:01:00Z'))
      .then({ access_reads: [{ position: 1, at: '2026-11-24T07:00:00Z' }, { position: 2, at: '2026-11-24T07:01:00Z' }] }));

  it('an empty list, and events that read no record, leave no row', () =>
    spec.given(listed([], '2026-11-24T08:00:00Z'), { type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: 'li' } }).then({ access_reads: [] }));

  it('stops at a read that names no reader (a row cannot be stored without one)', () =>
    spec
      .given(read('p1', 'nurse-zhang', '2026-11-24T07:00:00Z'), { ...read('p2', 'x', '2026-11-24T07:01:00Z'), data: { patientId: 'p2', clinicId: 'c1', role: 'caller', what: 'events' } } as never)
      .thenFailsAt(2, /access_reads: a row without user_id/));
});
