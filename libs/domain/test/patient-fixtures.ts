/**
 * The world the patient specs run in: a clinic in Shanghai (UTC+8 all year, no DST) calling at
 * 10:30 and 16:00 local, one patient `p1`, and a general treatment completed on
 * Monday 2026-11-23 at 14:00 local (06:00Z). Every instant below is written out by hand.
 */
import { Temporal } from 'temporal-polyfill';
import { ClinicState, initialClinicState } from '../src/clinic/clinic';
import type { FollowUpScheduled, PatientEvent, TreatmentCompleted } from '../src/events';
import { PatientContext, patientDecider } from '../src/patient/patient.decider';
import { DEFAULT_PROTOCOL } from '../src/protocol/default-protocol';
import { DeciderSpecification } from './decider-specification';

export const CLINIC_ID = 'c1';
export const PATIENT_ID = 'p1';

export function clinic(overrides: Partial<ClinicState> = {}): ClinicState {
  return {
    ...initialClinicState(),
    configured: true,
    clinicId: CLINIC_ID,
    name: 'Smile Dental',
    timeZone: 'Asia/Shanghai',
    callWindows: ['10:30', '16:00'],
    maxAttempts: 3,
    protocol: DEFAULT_PROTOCOL,
    ...overrides,
  };
}

/** A clinic nobody has configured yet (what folding an empty clinic stream gives). */
export const UNCONFIGURED: ClinicState = initialClinicState();

export function at(now: string, clinicState: ClinicState = clinic()): PatientContext {
  return { now: Temporal.Instant.from(now), clinic: clinicState };
}

/** The default: one hour after the treatment, at the Shanghai clinic. */
export const NOW = '2026-11-23T07:00:00Z';
export const COMPLETED_AT = '2026-11-23T06:00:00Z';

export const spec = DeciderSpecification.for(patientDecider, () => at(NOW));

export const treatment: TreatmentCompleted['data'] = {
  treatmentId: 't1',
  patientId: PATIENT_ID,
  clinicId: CLINIC_ID,
  doctorId: 'd1',
  procedure: 'filling',
  completedAt: COMPLETED_AT,
};

export function scheduled(n: number, dueAt: string, stepId: string, purpose: string, extra: Partial<FollowUpScheduled['data']> = {}): FollowUpScheduled {
  return {
    type: 'FollowUpScheduled',
    data: {
      followUpId: `${PATIENT_ID}.fu${n}`,
      patientId: PATIENT_ID,
      clinicId: CLINIC_ID,
      treatmentId: 't1',
      purpose,
      dueAt,
      urgent: false,
      origin: { protocolVersion: 1, ruleId: 'general', stepId },
      ...extra,
    },
  };
}

/** Treatment t1 and its five general follow-ups p1.fu1…p1.fu5: lastSeq is 5 afterwards. */
export const TREATED: PatientEvent[] = [
  { type: 'TreatmentCompleted', data: treatment },
  scheduled(1, '2026-11-24T02:30:00Z', 'day_1', 'Day 1: post-treatment reaction and symptoms'),
  scheduled(2, '2026-11-26T02:30:00Z', 'day_3', 'Day 3: recovery, answer questions'),
  scheduled(3, '2026-11-30T02:30:00Z', 'day_7', 'Day 7: recovery and satisfaction'),
  scheduled(4, '2026-12-23T02:30:00Z', 'month_1', 'One month: relationship, invitation back'),
  scheduled(5, '2027-02-23T02:30:00Z', 'month_3', 'Three months: relationship, check-up invitation, referrals'),
];
