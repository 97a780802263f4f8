import type { AppointmentAttended, AppointmentBooked, AppointmentMissed, CallAttempted, ContactPreferencesChanged, ContactPreferencesSet, InquiryReceived, ObjectionRaised, ReferralRequested, TreatmentCompleted } from '../events';

/** Commands on a patient's relationship. Ids the server makes are absent: the decider makes them. */
export type CompleteTreatment = { type: 'CompleteTreatment'; data: TreatmentCompleted['data'] };
export type RecordCall = { type: 'RecordCall'; data: Omit<CallAttempted['data'], 'callId' | 'clinicId'> & CallParts };

/**
 * What a call produced, decided with it and appended with it, all or nothing (issue 16): the
 * objections raised on it, referrals asked, a visit booked, preference changes (a PATCH).
 */
export interface CallParts {
  objections?: Omit<ObjectionRaised['data'], 'objectionId' | 'clinicId' | 'patientId' | 'callerId' | 'callId'>[];
  referrals?: Omit<ReferralRequested['data'], 'referralId' | 'clinicId' | 'patientId' | 'callerId'>[];
  appointment?: { scheduledFor: string; doctorId?: string; note?: string };
  preferences?: ContactPreferencesChanged['data']['changed'];
}
export type RaiseObjection = { type: 'RaiseObjection'; data: Omit<ObjectionRaised['data'], 'objectionId' | 'clinicId'> };
export type RequestReferral = { type: 'RequestReferral'; data: Omit<ReferralRequested['data'], 'referralId' | 'clinicId'> };
export type BookAppointment = {
  type: 'BookAppointment';
  data: Omit<AppointmentBooked['data'], 'appointmentId' | 'referrerPatientId' | 'attributedCallId' | 'attribution'> & {
    /** Resolved by the application from the referrer's stream: undefined when the referral does not exist. */
    referrerPatientId?: string;
    /** The call on which the patient booked, when the caller says. */
    callId?: string;
  };
};
/** The patient did not come to a booked visit (`at`: when the clinic noticed, at or after the booked time). */
export type MissAppointment = { type: 'MissAppointment'; data: Omit<AppointmentMissed['data'], 'clinicId'> };
/** The patient came to a booked visit (`at`: when they arrived). */
export type AttendAppointment = { type: 'AttendAppointment'; data: Omit<AppointmentAttended['data'], 'clinicId'> };
/** A person asked about treatment (seed 002): starts the prospect calls. */
export type ReceiveInquiry = { type: 'ReceiveInquiry'; data: Omit<InquiryReceived['data'], 'inquiryId'> };
/** The patient's contact preferences, replaced as a whole. */
export type SetContactPreferences = { type: 'SetContactPreferences'; data: Omit<ContactPreferencesSet['data'], 'clinicId'> };
/** Only the fields given change; null clears one. */
export type ChangeContactPreferences = { type: 'ChangeContactPreferences'; data: { patientId: string; changes: ContactPreferencesChanged['data']['changed'] } };

/**
 * Correct a recorded fact. `target` is the fact as it stands (the application reads it from the
 * patient's stream with `currentRecord`, earlier corrections applied); undefined when the stream
 * has no such event. `changes` holds only the fields the person wants corrected.
 */
export type CorrectRecord = {
  type: 'CorrectRecord';
  data: { patientId: string; eventId: string; reason: string; changes: Record<string, unknown>; target?: CorrectionTarget };
};
export interface CorrectionTarget {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}
/** The patient's personal data is to be forgotten (the application destroys their key). */
/** Staff steer one patient's plan: add a follow-up (into a named doctor's own queue, or the callers'), move one, cancel one. */
export type AddFollowUp = { type: 'AddFollowUp'; data: { patientId: string; purpose: string; dueAt: string; assigneeId?: string; note?: string } };
export type MoveFollowUp = { type: 'MoveFollowUp'; data: { patientId: string; followUpId: string; dueAt: string; reason: string } };
export type CancelFollowUp = { type: 'CancelFollowUp'; data: { patientId: string; followUpId: string; reason: string } };
/** An urgent call nobody closed, past its rule's expiry: closed as expired (issued by the server's expiry sweep). */
export type ExpireFollowUp = { type: 'ExpireFollowUp'; data: { patientId: string; followUpId: string } };
/** The patient's name or phone as staff now know it (a wrong number found on a call, a new phone). */
export type CorrectPersonalDetails = { type: 'CorrectPersonalDetails'; data: { patientId: string; name?: string; phone?: string; reason: string } };
/** A caller opens a call: nobody else should dial the patient for `minutes`. */
export type ClaimFollowUp = { type: 'ClaimFollowUp'; data: { patientId: string; followUpId: string; claimedBy: string; minutes: number } };
export type ErasePersonalData = { type: 'ErasePersonalData'; data: { patientId: string; reason: string } };

export type PatientCommand =
  | CompleteTreatment
  | RecordCall
  | RaiseObjection
  | RequestReferral
  | BookAppointment
  | MissAppointment
  | AttendAppointment
  | ReceiveInquiry
  | SetContactPreferences
  | ChangeContactPreferences
  | ExpireFollowUp
  | AddFollowUp
  | MoveFollowUp
  | CancelFollowUp
  | CorrectRecord
  | CorrectPersonalDetails
  | ClaimFollowUp
  | ErasePersonalData;
