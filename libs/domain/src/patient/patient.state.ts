import type { CallOutcome, PatientEvent, TreatmentCompleted } from '../events';

export type FollowUpStatus = 'open' | 'closed';

export interface FollowUpState {
  followUpId: string;
  treatmentId?: string;
  status: FollowUpStatus;
  dueAt: string;
  urgent: boolean;
  /** All attempts on this follow-up. */
  attempts: number;
  /** Attempts that did not reach the patient; at the clinic's maxAttempts the follow-up closes. */
  failedAttempts: number;
  lastOutcome?: CallOutcome;
}

/** A patient's relationship with the clinic, folded from their stream. */
export interface PatientState {
  exists: boolean;
  patientId?: string;
  clinicId?: string;
  treatments: Record<string, TreatmentCompleted['data']>;
  followUps: Record<string, FollowUpState>;
  callIds: Record<string, true>;
  referralIds: Record<string, true>;
  appointmentIds: Record<string, true>;
  /** Server-made ids are `<patientId>.<kind><n>`; this is the last n used. */
  lastSeq: number;
}

export function initialPatientState(): PatientState {
  return { exists: false, treatments: {}, followUps: {}, callIds: {}, referralIds: {}, appointmentIds: {}, lastSeq: 0 };
}

export function evolvePatient(state: PatientState, event: PatientEvent): PatientState {
  const s: PatientState = { ...state, exists: true, patientId: event.data.patientId, clinicId: state.clinicId ?? event.data.clinicId };
  switch (event.type) {
    case 'TreatmentCompleted':
      return { ...s, treatments: { ...s.treatments, [event.data.treatmentId]: event.data } };
    case 'FollowUpScheduled': {
      const d = event.data;
      const followUp: FollowUpState = { followUpId: d.followUpId, treatmentId: d.treatmentId, status: 'open', dueAt: d.dueAt, urgent: d.urgent, attempts: 0, failedAttempts: 0 };
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(d.followUpId)), followUps: { ...s.followUps, [d.followUpId]: followUp } };
    }
    case 'CallAttempted': {
      const d = event.data;
      const followUps = d.followUpId ? patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, lastOutcome: d.outcome })) : s.followUps;
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(d.callId)), callIds: { ...s.callIds, [d.callId]: true }, followUps };
    }
    case 'FollowUpRescheduled': {
      const d = event.data;
      const failed = d.reason === 'retry' ? 1 : 0;
      return { ...s, followUps: patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, dueAt: d.dueAt, attempts: d.attempts, failedAttempts: f.failedAttempts + failed })) };
    }
    case 'FollowUpClosed': {
      const d = event.data;
      return { ...s, followUps: patchFollowUp(s.followUps, d.followUpId, (f) => ({ ...f, status: 'closed', attempts: d.attempts })) };
    }
    case 'ObjectionRaised':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.objectionId)) };
    case 'ReferralRequested':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.referralId)), referralIds: { ...s.referralIds, [event.data.referralId]: true } };
    case 'AppointmentBooked':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.appointmentId)), appointmentIds: { ...s.appointmentIds, [event.data.appointmentId]: true } };
    case 'AppointmentMissed':
    case 'ContactPreferencesSet':
    case 'ProspectPersuasionStopped':
      return s;
    case 'InquiryReceived':
      return { ...s, lastSeq: Math.max(s.lastSeq, seqOf(event.data.inquiryId)) };
  }
}

function patchFollowUp(all: Record<string, FollowUpState>, id: string, patch: (f: FollowUpState) => FollowUpState): Record<string, FollowUpState> {
  const current = all[id];
  return current ? { ...all, [id]: patch(current) } : all;
}

/** The n of a server-made id `<patientId>.<kind><n>` (0 when it has none). */
function seqOf(id: string): number {
  const match = /\.[a-z]+(\d+)$/.exec(id);
  return match ? Number(match[1]) : 0;
}

/** The patient a server-made id belongs to: everything before the first dot. */
export function patientIdOf(serverMadeId: string): string | undefined {
  const dot = serverMadeId.indexOf('.');
  return dot > 0 ? serverMadeId.slice(0, dot) : undefined;
}
