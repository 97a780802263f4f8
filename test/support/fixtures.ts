import type { Api, ApiResponse } from './in-process-app';

/** The patient the fixtures treat, when a test wants personal data on the record. */
export const WANG_WEI = { name: '王伟', phone: '+86 138 0013 8000' };

export interface ClinicWithPatientOptions {
  /** The clinic's display name (none unless given). */
  clinicName?: string;
  /** When treatment t1 was completed; by default Monday 23 November 2026, 14:00 in Shanghai. */
  completedAt?: string;
  /** The patient's name and phone on the treatment (none unless given), e.g. `WANG_WEI`. */
  patient?: { name: string; phone: string };
}

/**
 * Clinic c1 in Asia/Shanghai with call windows at 10:30 and 16:00 local, and patient p1's "other"
 * treatment t1 by dr-li: ClinicConfigured, then TreatmentCompleted and its FollowUpScheduled.
 * Both requests must answer 201; the treatment's response is returned (its X-Rapport-Position too).
 */
export async function clinicWithPatient(api: Api, options: ClinicWithPatientOptions = {}): Promise<ApiResponse> {
  const clinic = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], ...(options.clinicName !== undefined ? { name: options.clinicName } : {}) };
  expect((await api.put('/v1/clinics/c1', clinic)).status).toBe(201);
  const treatment = await api.post('/v1/treatments', {
    treatmentId: 't1',
    patientId: 'p1',
    clinicId: 'c1',
    doctorId: 'dr-li',
    procedure: 'other',
    completedAt: options.completedAt ?? '2026-11-23T06:00:00Z',
    ...(options.patient ? { patient: options.patient } : {}),
  });
  expect(treatment.status).toBe(201);
  return treatment;
}
