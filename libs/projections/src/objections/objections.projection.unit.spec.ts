import type { ObjectionRaised, ObjectionRecordCorrected } from '@rapport/domain';
import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { objectionsProjection } from './objections.projection';

const spec = projectionSpec(objectionsProjection);
const raised = (objectionId: string, data: Partial<ObjectionRaised['data']>, recordedAt?: string): GivenEvent => ({
  type: 'ObjectionRaised',
  data: { objectionId, patientId: 'p1', clinicId: 'c1', callerId: 'nurse-zhang', kind: 'sincere', topic: 'cost', method: 'inform', resolved: false, ...data },
  ...(recordedAt ? { recordedAt } : {}),
});
const corrected = (objectionId: string, changes: ObjectionRecordCorrected['data']['corrected']): GivenEvent => ({
  type: 'ObjectionRecordCorrected',
  data: { objectionId, correctionId: `fix-${objectionId}`, patientId: 'p1', clinicId: 'c1', callerId: 'desk-li', correctsEventId: 'event-1', reason: 'typo', corrected: changes, previous: {} },
});

describe('objections projection', () => {
  it('one row per objection as raised, counted at its recordedAt', () =>
    spec
      .given(raised('o1', {}, '2026-11-23T03:00:00Z'), raised('o2', { clinicId: 'c2', kind: 'trivial', topic: 'time', method: 'defer', resolved: true }, '2026-11-24T03:00:00Z'))
      .then({
        report_objections: [
          { objection_id: 'o1', clinic_id: 'c1', kind: 'sincere', topic: 'cost', method: 'inform', resolved: 0, at_ms: Date.parse('2026-11-23T03:00:00Z') },
          { objection_id: 'o2', clinic_id: 'c2', kind: 'trivial', topic: 'time', method: 'defer', resolved: 1, at_ms: Date.parse('2026-11-24T03:00:00Z') },
        ],
      }));

  it('corrections change kind, topic, method and resolution; other corrected fields, and unknown objections, change nothing', () =>
    spec
      .given(
        raised('o1', { resolved: true }, '2026-11-23T03:00:00Z'),
        corrected('o1', { resolved: false, topic: 'price' }),
        corrected('o1', { note: 'she will think about it', answerable: true }),
        corrected('o1', { kind: 'half_informed', method: 'convert' }),
        corrected('o9', { resolved: true }),
      )
      .then({
        report_objections: [{ objection_id: 'o1', clinic_id: 'c1', kind: 'half_informed', topic: 'price', method: 'convert', resolved: 0, at_ms: Date.parse('2026-11-23T03:00:00Z') }],
      }));

  it('the first raise under an id counts: the same id again changes neither it nor its corrections', () =>
    spec
      .given(raised('o1', {}, '2026-11-23T03:00:00Z'), corrected('o1', { resolved: true }), raised('o1', { kind: 'trivial', topic: 'time', resolved: false }, '2026-11-25T03:00:00Z'))
      .then({ report_objections: [{ objection_id: 'o1', kind: 'sincere', topic: 'cost', resolved: 1, at_ms: Date.parse('2026-11-23T03:00:00Z') }] }));

  it('stops at an objection without a topic (a row cannot be stored without one)', () =>
    spec.given(raised('o1', {}), raised('o2', { topic: undefined })).thenFailsAt(2, /report_objections: a row without topic/));
});
