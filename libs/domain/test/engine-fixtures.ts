/**
 * Builders for the protocol-engine specs (issue 4): events written out in full so each spec can
 * state the exact events it expects. The clinic is patient-fixtures' Shanghai clinic (UTC+8, no
 * DST): 10:30 local is 02:30Z and 16:00 local is 08:00Z of the same date.
 */
import type {
  AppointmentBooked,
  CallAttempted,
  CallOutcome,
  ContactPreferencesSet,
  FollowUpClosed,
  FollowUpClosedReason,
  PhoneNumberReportedWrong,
  FollowUpRescheduled,
  FollowUpScheduled,
  InquiryReceived,
  TreatmentCompleted,
} from '../src/events';
import type { RecordCall } from '../src/patient/patient.commands';
import { CLINIC_ID } from './patient-fixtures';

export const PURPOSE = {
  call1: 'Care and greeting: recall the inquiry, ask about the condition, give advice; leave a reason for the next call',
  call2: 'Persuade to visit: tell of a similar patient’s progress, ask how the condition is now, answer doubts',
  call3: 'Ask what holds them back and address it; invite to visit',
  escalation: 'Not persuaded after three calls: an experienced doctor calls back to go through the condition',
  keepInTouch: 'Keep in touch: how is the condition, any new doubts, invite to visit; leave a reason for the next contact',
  missed: 'Missed a scheduled visit: ask why, without blame, and book a new time',
  complaint: 'Complaint or discomfort reported on a follow-up call: apologise, find the cause, book a visit if needed',
  greeting: 'Greeting for a special date; mention the small gift',
  yearly: 'Yearly implant check-up: invite back',
} as const;

type Scheduled = FollowUpScheduled['data'];

/**
 * An urgent call's deadline after it falls due, in minutes, written out by hand (DOMAIN.md: a
 * missed visit within the hour, post-op by 3 hours after the procedure, a complaint's callback
 * within the working day, "within 24 hours" by the 24 hours, an inquiry's first call with a quarter
 * hour's grace): what the specs expect the domain to stamp as deadlineAt.
 */
const DEADLINE_MINUTES: Record<string, number> = { missed_appointment: 60, post_op_urgent: 60, complaint_callback: 480, within_24h: 1320, call_1: 15 };

/** A FollowUpScheduled for `patientId.fu<n>`; origin version 1 unless given; an urgent one with its deadline. */
export function fu(patientId: string, n: number, ruleId: string, stepId: string, dueAt: string, purpose: string, extra: Partial<Scheduled> = {}): FollowUpScheduled {
  const { origin, ...rest } = extra;
  const minutes = DEADLINE_MINUTES[stepId] ?? DEADLINE_MINUTES[ruleId] ?? 60;
  const deadline = extra.urgent && extra.deadlineAt === undefined ? { deadlineAt: new Date(Date.parse(dueAt) + minutes * 60_000).toISOString().replace('.000Z', 'Z') } : {};
  return {
    type: 'FollowUpScheduled',
    data: {
      followUpId: `${patientId}.fu${n}`,
      patientId,
      clinicId: CLINIC_ID,
      purpose,
      dueAt,
      urgent: false,
      origin: origin ?? { protocolVersion: 1, ruleId, stepId },
      ...rest,
      ...deadline,
    },
  };
}

export function callCommand(patientId: string, outcome: CallOutcome, startedAt: string, data: Partial<RecordCall['data']> = {}): RecordCall {
  return { type: 'RecordCall', data: { patientId, callerId: 'nurse1', startedAt, outcome, ...data } };
}

export function reportedWrong(patientId: string, callN: number): PhoneNumberReportedWrong {
  return { type: 'PhoneNumberReportedWrong', data: { patientId, clinicId: CLINIC_ID, callId: `${patientId}.call${callN}` } };
}

export function attempted(patientId: string, n: number, outcome: CallOutcome, startedAt: string, data: Partial<CallAttempted['data']> = {}): CallAttempted {
  return { type: 'CallAttempted', data: { patientId, callerId: 'nurse1', startedAt, outcome, callId: `${patientId}.call${n}`, clinicId: CLINIC_ID, ...data } };
}

export function closed(followUpId: string, reason: FollowUpClosedReason, attempts: number, cause: Partial<FollowUpClosed['data']> = {}): FollowUpClosed {
  const patientId = followUpId.split('.')[0]!;
  return { type: 'FollowUpClosed', data: { followUpId, patientId, clinicId: CLINIC_ID, reason, attempts, ...cause } };
}

export function retried(followUpId: string, callN: number, attempts: number, dueAt: string): FollowUpRescheduled {
  const patientId = followUpId.split('.')[0]!;
  return { type: 'FollowUpRescheduled', data: { followUpId, patientId, clinicId: CLINIC_ID, dueAt, reason: 'retry', attempts, callId: `${patientId}.call${callN}` } };
}

export function inquiry(patientId: string, n: number, receivedAt: string, data: Partial<InquiryReceived['data']> = {}): InquiryReceived {
  return { type: 'InquiryReceived', data: { patientId, clinicId: CLINIC_ID, receivedAt, inquiryId: `${patientId}.inq${n}`, ...data } };
}

export function booked(patientId: string, n: number, scheduledFor: string, data: Partial<AppointmentBooked['data']> = {}): AppointmentBooked {
  return { type: 'AppointmentBooked', data: { patientId, clinicId: CLINIC_ID, scheduledFor, appointmentId: `${patientId}.apt${n}`, ...data } };
}

export function preferencesSet(patientId: string, data: Partial<ContactPreferencesSet['data']> = {}): ContactPreferencesSet {
  return { type: 'ContactPreferencesSet', data: { patientId, clinicId: CLINIC_ID, ...data } };
}

export function treated(patientId: string, treatmentId: string, procedure: string, completedAt: string, doctorId = 'd1'): TreatmentCompleted {
  return { type: 'TreatmentCompleted', data: { treatmentId, patientId, clinicId: CLINIC_ID, doctorId, procedure, completedAt } };
}
