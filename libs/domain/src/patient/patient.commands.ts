import type { AppointmentBooked, CallAttempted, ObjectionRaised, ReferralRequested, TreatmentCompleted } from '../events';

/** Commands on a patient's relationship. Ids the server makes are absent: the decider makes them. */
export type CompleteTreatment = { type: 'CompleteTreatment'; data: TreatmentCompleted['data'] };
export type RecordCall = { type: 'RecordCall'; data: Omit<CallAttempted['data'], 'callId' | 'clinicId'> };
export type RaiseObjection = { type: 'RaiseObjection'; data: Omit<ObjectionRaised['data'], 'objectionId' | 'clinicId'> };
export type RequestReferral = { type: 'RequestReferral'; data: Omit<ReferralRequested['data'], 'referralId' | 'clinicId'> };
export type BookAppointment = {
  type: 'BookAppointment';
  data: Omit<AppointmentBooked['data'], 'appointmentId' | 'referrerPatientId'> & {
    /** Resolved by the application from the referrer's stream: undefined when the referral does not exist. */
    referrerPatientId?: string;
  };
};

export type PatientCommand = CompleteTreatment | RecordCall | RaiseObjection | RequestReferral | BookAppointment;
