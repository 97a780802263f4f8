import type { ClinicConfigured } from '@rapport/domain';
import { GivenEvent, projectionSpec } from '../../test/projection-spec';
import { clinicsProjection } from './clinics.projection';

const spec = projectionSpec(clinicsProjection);
const configured = (data: Partial<ClinicConfigured['data']>, recordedAt: string): GivenEvent => ({
  type: 'ClinicConfigured',
  data: { clinicId: 'c1', timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], maxAttempts: 3, protocol: { version: 1, rules: [] }, ...data },
  recordedAt,
});

describe('clinics projection', () => {
  it('keeps each clinic as last configured, wholly (a name left out is no name)', () =>
    spec
      .given(
        configured({ name: '仁爱口腔' }, '2026-11-20T00:00:00Z'),
        configured({ clinicId: 'c2', timeZone: 'Europe/Berlin', callWindows: ['09:00'], maxAttempts: 2 }, '2026-11-20T01:00:00Z'),
        configured({ timeZone: 'Asia/Urumqi', callWindows: ['11:00'], maxAttempts: 5 }, '2026-11-21T00:00:00Z'),
      )
      .then({
        clinics: [
          { clinic_id: 'c1', name: null, time_zone: 'Asia/Urumqi', call_windows: '["11:00"]', max_attempts: 5, configured_at: '2026-11-21T00:00:00Z' },
          { clinic_id: 'c2', name: null, time_zone: 'Europe/Berlin', call_windows: '["09:00"]', max_attempts: 2, configured_at: '2026-11-20T01:00:00Z' },
        ],
      }));

  it('stores the name and the call windows as configured', () =>
    spec.given(configured({ name: '仁爱口腔' }, '2026-11-20T00:00:00Z')).then({
      clinics: [{ clinic_id: 'c1', name: '仁爱口腔', time_zone: 'Asia/Shanghai', call_windows: '["10:30","16:00"]', max_attempts: 3, configured_at: '2026-11-20T00:00:00Z' }],
    }));

  it('a configuration without call windows has none', () =>
    spec.given(configured({ callWindows: undefined }, '2026-11-20T00:00:00Z')).then({ clinics: [{ clinic_id: 'c1', call_windows: '[]' }] }));

  it('ignores events that do not configure a clinic', () =>
    spec
      .given({ type: 'ReferralRequested', data: { referralId: 'r1', patientId: 'p1', clinicId: 'c1', callerId: 'li' } })
      .then({ clinics: [] }));

  it('stops at a configuration without a time zone', () =>
    spec.given(configured({}, '2026-11-20T00:00:00Z'), configured({ timeZone: '' }, '2026-11-21T00:00:00Z')).thenFailsAt(2, /ClinicConfigured without a timeZone/));

  it('keeps the staff directory as last put, and the clinic’s work hours as configured', () =>
    spec
      .given(
        configured({ workHours: { days: [1, 2, 3, 4, 5, 6], from: '08:00', to: '20:00' } }, '2026-11-20T00:00:00Z'),
        { type: 'StaffMemberRegistered', data: { clinicId: 'c1', staffId: 'nurse-zhang', name: '张护士', role: 'caller', active: true }, recordedAt: '2026-11-20T01:00:00Z' },
        { type: 'StaffMemberChanged', data: { clinicId: 'c1', staffId: 'nurse-zhang', name: '张护士', role: 'caller', active: false }, recordedAt: '2026-11-21T01:00:00Z' },
      )
      .then({
        clinics: [{ clinic_id: 'c1', work_hours: '{"days":[1,2,3,4,5,6],"from":"08:00","to":"20:00"}' }],
        staff: [{ clinic_id: 'c1', staff_id: 'nurse-zhang', name: '张护士', role: 'caller', active: 0, changed_at: '2026-11-21T01:00:00Z' }],
      }));
});
