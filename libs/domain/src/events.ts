/**
 * Every event of the domain, as plain JSON data. Names are past tense; the four facts at the core
 * are TreatmentCompleted, CallAttempted, ObjectionRaised and ReferralRequested.
 * Instants are ISO-8601 strings in UTC (`2026-11-24T02:30:00Z`).
 */
import type { Protocol } from './protocol/protocol';

export interface DomainEvent<Type extends string, Data extends object> {
  type: Type;
  data: Data;
}

export interface PersonalDetails {
  name?: string;
  phone?: string;
}

export type ClinicConfigured = DomainEvent<
  'ClinicConfigured',
  {
    clinicId: string;
    name?: string;
    timeZone: string;
    /** Local times of day, "HH:MM", ascending. */
    callWindows: string[];
    maxAttempts: number;
    protocol: Protocol;
    /** Unreached attempts on one prospect call before it gives way to the next call (seed 002: an absent prospect is not given up); absent: 6. */
    prospectMaxAttempts?: number;
    /** The experienced doctors who call back unhappy prospects (seed 002), in turn; absent: none named (the clinic's senior doctors' queue). */
    seniorDoctorIds?: string[];
    /** When the clinic is open (and what "at work" means); absent: Monday–Friday 09:00–18:00. */
    workHours?: { days: number[]; from: string; to: string };
    /** Minutes from an inquiry to its first call, per channel; absent: 30 for each. */
    inquiryFirstCallMinutes?: { phone: number; web: number; wechat: number };
    /** The calendar: other call windows on some weekdays (`{ "6": ["10:30"] }`), closed weekdays (1–7), holidays ("YYYY-MM-DD"). */
    windowsByWeekday?: Record<string, string[]>;
    closedWeekdays?: number[];
    closedDates?: string[];
    /** Per urgent rule id: minutes after due by which the call is in time, hours after due when it expires. */
    urgentRules?: Record<string, { deadlineMinutes?: number; expiryHours?: number }>;
  }
>;

export type TreatmentCompleted = DomainEvent<
  'TreatmentCompleted',
  {
    treatmentId: string;
    patientId: string;
    clinicId: string;
    doctorId: string;
    procedure: string;
    completedAt: string;
    patient?: PersonalDetails;
    restored?: boolean;
    needsProsthesis?: boolean;
  }
>;

/** Which protocol rule, step and version produced a follow-up. */
export interface ScheduleOrigin {
  protocolVersion: number;
  ruleId: string;
  stepId: string;
}

/** Why a follow-up exists; absent means 'treatment' (the protocol after a treatment). */
export type FollowUpKind = 'treatment' | 'missed_appointment' | 'prospect' | 'escalation' | 'doctor_callback' | 'greeting' | 'added';

export type FollowUpScheduled = DomainEvent<
  'FollowUpScheduled',
  {
    followUpId: string;
    patientId: string;
    clinicId: string;
    kind?: FollowUpKind;
    treatmentId?: string;
    /** Whose queue it lands in when not the callers' (a complaint goes to the attending doctor). */
    assignee?: { role: 'doctor' | 'senior_doctor'; doctorId?: string };
    /** What the caller should ask about on this call. */
    purpose: string;
    dueAt: string;
    urgent: boolean;
    /** An urgent call that fell on a day the clinic is closed, moved to its next open window. */
    movedFromClosedDay?: boolean;
    /** An urgent call: made by then it was in time; later it shows as late (its rule's deadline). */
    deadlineAt?: string;
    origin: ScheduleOrigin;
    /** The follow-up whose closing produced this one (next yearly call, next prospect call, escalation, next greeting). */
    follows?: string;
    /** Prospect calls: 1, 2, 3 (seed 002's sequence), then 4, 5, … for keep-in-touch calls. */
    callNumber?: number;
    /** Prospect calls: the inquiry that started the sequence. */
    inquiryId?: string;
    /** kind missed_appointment: the appointment that was missed. */
    appointmentId?: string;
    /** kind doctor_callback: the call on which the complaint or discomfort was reported. */
    callId?: string;
    /** kind greeting: the special date greeted. */
    specialDate?: SpecialDate;
  }
>;

/**
 * Staff steer one patient's plan (seed 002: 为下次电话下理由): a follow-up added by hand (kind
 * `added`, origin rule `staff`), as a FollowUpScheduled would be, with the note saying why; also
 * the next contact a caller sets on a reached call (`callId`).
 */
export type FollowUpAdded = DomainEvent<'FollowUpAdded', FollowUpScheduled['data'] & { note?: string }>;

/** A follow-up moved by hand to another time, with the reason. */
export type FollowUpMoved = DomainEvent<'FollowUpMoved', { followUpId: string; patientId: string; clinicId: string; dueAt: string; reason: string }>;

/** A follow-up cancelled by hand, with the reason: it leaves the queue, nothing follows from it. */
export type FollowUpCancelled = DomainEvent<'FollowUpCancelled', { followUpId: string; patientId: string; clinicId: string; reason: string }>;

export const CALL_OUTCOMES = [
  'reached',
  'no_answer',
  'busy',
  'powered_off',
  'hung_up',
  'wrong_number',
  'call_back_later',
  'declined',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Outcomes where nobody spoke with the patient: the follow-up is retried at a later window. */
export const UNREACHED_OUTCOMES: readonly CallOutcome[] = ['no_answer', 'busy', 'powered_off', 'hung_up'];

export type CallAttempted = DomainEvent<
  'CallAttempted',
  {
    callId: string;
    patientId: string;
    clinicId: string;
    callerId: string;
    followUpId?: string;
    /** When the caller says the call started (the server's time is metadata.recordedAt). */
    startedAt: string;
    outcome: CallOutcome;
    durationSeconds?: number;
    notes?: string;
    satisfaction?: number;
    symptoms?: string;
    /** For call_back_later: when the patient asked to be called. */
    callBackAt?: string;
    lateEntryReason?: string;
    /** The patient complained or reported discomfort: the attending doctor calls back (seed 000). */
    complaint?: boolean;
    /** Set on a reached call: when to call next and why (seed 002: 为下次电话下理由); recorded as a FollowUpAdded. */
    nextContact?: { at: string; purpose: string };
    /** The patient is unhappy with the clinic (seed 002: 对我们有不满情绪): a prospect not persuaded is called back by a senior doctor. */
    dissatisfied?: boolean;
  }
>;

export type FollowUpRescheduled = DomainEvent<
  'FollowUpRescheduled',
  {
    followUpId: string;
    patientId: string;
    clinicId: string;
    dueAt: string;
    reason: 'retry' | 'call_back_later';
    attempts: number;
    callId: string;
  }
>;

/**
 * completed / unreachable / declined / wrong_number: a call closed it. booked: an appointment made
 * the call pointless (prospect, escalation, missed-appointment calls); visited: a treatment did
 * (prospect calls); persuasion_stopped: seven consecutive refusals (seed 002); withdrawn: the
 * patient removed the special date a greeting was for; escalated: an unresolved sincere objection
 * raised on the third prospect call sent it to a senior doctor instead of this keep-in-touch call;
 * expired: an urgent call nobody closed by its rule's expiry after it fell due (24 h by default).
 */
export type FollowUpClosedReason = 'completed' | 'unreachable' | 'declined' | 'wrong_number' | 'booked' | 'visited' | 'persuasion_stopped' | 'withdrawn' | 'escalated' | 'expired';

export type FollowUpClosed = DomainEvent<
  'FollowUpClosed',
  {
    followUpId: string;
    patientId: string;
    clinicId: string;
    reason: FollowUpClosedReason;
    attempts: number;
    /** The call that closed it; absent when no call did (booked, visited, withdrawn). */
    callId?: string;
    /** reason booked: the appointment. */
    appointmentId?: string;
    /** reason visited: the treatment. */
    treatmentId?: string;
  }
>;

export const OBJECTION_KINDS = ['trivial', 'half_informed', 'sincere'] as const;
export type ObjectionKind = (typeof OBJECTION_KINDS)[number];
/** Seed 002 §5.3: how the objection was handled; `no_reply` (不予答复): not answered, as not answerable or not worth answering. */
export const OBJECTION_METHODS = ['convert', 'let_patient_answer', 'inform', 'acknowledge', 'deny', 'defer', 'no_reply'] as const;
export type ObjectionMethod = (typeof OBJECTION_METHODS)[number];

export type ObjectionRaised = DomainEvent<
  'ObjectionRaised',
  {
    objectionId: string;
    patientId: string;
    clinicId: string;
    callerId: string;
    callId?: string;
    kind: ObjectionKind;
    topic: string;
    method: ObjectionMethod;
    resolved: boolean;
    answerable?: boolean;
    note?: string;
  }
>;

export type ReferralRequested = DomainEvent<
  'ReferralRequested',
  {
    referralId: string;
    patientId: string;
    clinicId: string;
    callerId: string;
    referred?: PersonalDetails & { relation?: string };
    note?: string;
  }
>;

export type AppointmentBooked = DomainEvent<
  'AppointmentBooked',
  {
    appointmentId: string;
    patientId: string;
    clinicId: string;
    scheduledFor: string;
    callerId?: string;
    followUpId?: string;
    /** A referral this booking converts; the referrer gets the credit. */
    referralId?: string;
    referrerPatientId?: string;
    /** The reached call the booking is credited to (its caller's conversion); absent when none led to it. */
    attributedCallId?: string;
    /** The rule that found it (ATTRIBUTION_RULES). */
    attribution?: AttributionRule;
    /** The doctor the visit is with, and what the caller noted, when booked on a call. */
    doctorId?: string;
    note?: string;
  }
>;

/**
 * How a booking finds the reached call it is credited to, in this order: the call it names; the
 * latest reached call on the follow-up it names; the booking caller's latest reached call to the
 * patient in the last 14 days (anyone's, when no caller is named). A call is credited once.
 */
export const ATTRIBUTION_RULES = ['named_call', 'named_follow_up', 'caller_recent', 'recent'] as const;
export type AttributionRule = (typeof ATTRIBUTION_RULES)[number];

export type AppointmentMissed = DomainEvent<
  'AppointmentMissed',
  { appointmentId: string; patientId: string; clinicId: string; at: string }
>;

/** The patient came to a booked visit (`at`: when they arrived): a return visit, and the end of any persuasion. */
export type AppointmentAttended = DomainEvent<
  'AppointmentAttended',
  { appointmentId: string; patientId: string; clinicId: string; at: string }
>;

export const INQUIRY_CHANNELS = ['phone', 'web', 'wechat'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];

export type InquiryReceived = DomainEvent<
  'InquiryReceived',
  {
    inquiryId: string;
    patientId: string;
    clinicId: string;
    receivedAt: string;
    channel?: InquiryChannel;
    /** When the person said a call suits them (seed 002: 要了解患者方便接听电话的时间): call 1 is due then. */
    convenientAt?: string;
    concern?: string;
    patient?: PersonalDetails;
  }
>;

export interface SpecialDate {
  kind: string;
  /** "MM-DD" (every year) or "YYYY-MM-DD". */
  date: string;
}

/** The patient decides when and how to be contacted (seed 002, "autonomy"); honoured when the queue is read. */
export type ContactPreferencesSet = DomainEvent<
  'ContactPreferencesSet',
  {
    patientId: string;
    clinicId: string;
    /** Local "HH:MM-HH:MM" ranges the patient prefers. */
    preferredTimes?: string[];
    /** Not Monday–Friday 09:00–18:00 local. */
    avoidWorkHours?: boolean;
    doNotCall?: boolean;
    specialDates?: SpecialDate[];
    vip?: boolean;
  }
>;

/**
 * Some of the preferences changed (PATCH): `changed` holds exactly the fields sent (null: cleared);
 * the rest of the data is the whole set as it now stands, as in ContactPreferencesSet.
 */
export type ContactPreferencesChanged = DomainEvent<
  'ContactPreferencesChanged',
  ContactPreferencesSet['data'] & {
    changed: { [K in Exclude<keyof ContactPreferencesSet['data'], 'patientId' | 'clinicId'>]?: ContactPreferencesSet['data'][K] | null };
  }
>;

/**
 * A call reached somebody who is not the patient: the phone on record is wrong. The patient's open
 * follow-ups wait for a number (they leave the queue) until their details are corrected.
 */
export type PhoneNumberReportedWrong = DomainEvent<'PhoneNumberReportedWrong', { patientId: string; clinicId: string; callId: string }>;

/**
 * Staff corrected the patient's name or phone (only the fields given; sealed under the patient's
 * key like every other copy). A corrected phone brings follow-ups waiting for a number back.
 */
export type PersonalDetailsCorrected = DomainEvent<
  'PersonalDetailsCorrected',
  { patientId: string; clinicId: string; correctionId: string; patient: PersonalDetails; reason: string }
>;

/**
 * A caller opened the call: nobody else should dial the patient until `until` (or until a call on
 * the follow-up is recorded, which releases it). A claim informs; a call by someone else is still
 * recorded (a call is a fact).
 */
export type FollowUpClaimed = DomainEvent<'FollowUpClaimed', { followUpId: string; patientId: string; clinicId: string; claimedBy: string; until: string }>;

/** Seven consecutive refusals: no more persuasion calls for this prospect (seed 002). */
export type ProspectPersuasionStopped = DomainEvent<
  'ProspectPersuasionStopped',
  { patientId: string; clinicId: string; consecutiveRefusals: number }
>;

/**
 * Corrections (seed 000: "recorded truthfully"; nothing is edited afterwards). A correction is a new
 * fact that points at the event it corrects (`correctsEventId`, and the corrected fact's own id):
 * `corrected` holds the new values of the fields it changes, `previous` what they were before
 * (the original with any earlier corrections applied). Only some fields can be corrected per fact
 * (CORRECTABLE_FIELDS); a correction records, it does not re-run the protocol: a follow-up a call
 * closed or moved stays as the call left it.
 */
export interface RecordCorrection<Fields> {
  correctionId: string;
  patientId: string;
  clinicId: string;
  correctsEventId: string;
  reason: string;
  corrected: Partial<Fields>;
  previous: Partial<Fields>;
}

export type CorrectableCallFields = Pick<CallAttempted['data'], 'outcome' | 'startedAt' | 'durationSeconds' | 'notes' | 'satisfaction' | 'symptoms'>;
export type CorrectableObjectionFields = Pick<ObjectionRaised['data'], 'kind' | 'topic' | 'method' | 'resolved' | 'answerable' | 'note'>;
export type CorrectableReferralFields = Pick<ReferralRequested['data'], 'note'>;
export type CorrectableAppointmentFields = Pick<AppointmentBooked['data'], 'scheduledFor'>;
export type CorrectableTreatmentFields = Pick<TreatmentCompleted['data'], 'procedure' | 'doctorId' | 'completedAt' | 'restored' | 'needsProsthesis'>;

export type CallRecordCorrected = DomainEvent<
  'CallRecordCorrected',
  RecordCorrection<CorrectableCallFields> & {
    callId: string;
    /** The caller whose call it was (metrics credit them), and the follow-up it worked. */
    callerId: string;
    followUpId?: string;
  }
>;
export type ObjectionRecordCorrected = DomainEvent<'ObjectionRecordCorrected', RecordCorrection<CorrectableObjectionFields> & { objectionId: string; callerId: string }>;
export type ReferralRecordCorrected = DomainEvent<'ReferralRecordCorrected', RecordCorrection<CorrectableReferralFields> & { referralId: string }>;
export type AppointmentRecordCorrected = DomainEvent<'AppointmentRecordCorrected', RecordCorrection<CorrectableAppointmentFields> & { appointmentId: string }>;
export type TreatmentRecordCorrected = DomainEvent<'TreatmentRecordCorrected', RecordCorrection<CorrectableTreatmentFields> & { treatmentId: string }>;

export type RecordCorrected = CallRecordCorrected | ObjectionRecordCorrected | ReferralRecordCorrected | AppointmentRecordCorrected | TreatmentRecordCorrected;

/**
 * The patient asked to be forgotten: their key is destroyed, so the names and phone numbers sealed
 * under it can no longer be read anywhere; the facts (ids, times, outcomes) stay.
 */
export type PersonalDataErased = DomainEvent<'PersonalDataErased', { patientId: string; clinicId: string; reason: string }>;

/** Reading a patient's record is itself recorded (stream `access-<clinicId>`): who, when (metadata.recordedAt), what. */
export type PatientRecordRead = DomainEvent<
  'PatientRecordRead',
  {
    patientId: string;
    clinicId: string;
    userId: string;
    role: string;
    /** `events`: the stream as stored; `timeline`: the timeline. */
    what: 'events' | 'timeline';
  }
>;

/**
 * A list that showed patients' names and phones (a call queue, a doctor's queue, a page of the
 * event feed) or their words (a doctor's feedback: symptoms) was read: one event per request
 * (stream `access-<clinicId>`), naming every patient shown.
 */
export type PatientRecordsListed = DomainEvent<
  'PatientRecordsListed',
  {
    clinicId: string;
    userId: string;
    role: string;
    /** `queue`: the callers' queue; `doctor_queue`: a doctor's own tasks; `doctor_feedback`: the calls fed back to a doctor; `follow_ups`: the follow-ups to review (needs a number, unreachable, expired); `feed`: the event feed. */
    what: 'queue' | 'doctor_queue' | 'doctor_feedback' | 'follow_ups' | 'feed';
    patientIds: string[];
  }
>;

/** The roles a clinic's staff directory knows (issue 16: names replace ids on every screen). */
export const STAFF_ROLES = ['caller', 'doctor', 'senior_doctor', 'manager', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Somebody joins the clinic's staff directory (stream `clinic-<clinicId>`). */
export type StaffMemberRegistered = DomainEvent<'StaffMemberRegistered', { clinicId: string; staffId: string; name: string; role: StaffRole; active: boolean }>;
/** A staff member's name, role or whether they still work there changed: the whole entry as it now stands. */
export type StaffMemberChanged = DomainEvent<'StaffMemberChanged', StaffMemberRegistered['data']>;

export type ClinicEvent = ClinicConfigured | StaffMemberRegistered | StaffMemberChanged;

export type PatientEvent =
  | TreatmentCompleted
  | FollowUpScheduled
  | FollowUpAdded
  | FollowUpMoved
  | FollowUpCancelled
  | CallAttempted
  | FollowUpRescheduled
  | FollowUpClosed
  | ObjectionRaised
  | ReferralRequested
  | AppointmentBooked
  | AppointmentMissed
  | AppointmentAttended
  | InquiryReceived
  | ContactPreferencesSet
  | ContactPreferencesChanged
  | ProspectPersuasionStopped
  | FollowUpClaimed
  | PhoneNumberReportedWrong
  | PersonalDetailsCorrected
  | RecordCorrected
  | PersonalDataErased;

export type AccessEvent = PatientRecordRead | PatientRecordsListed;

export type RapportEvent = ClinicEvent | PatientEvent | AccessEvent;
export type RapportEventType = RapportEvent['type'];

/** Schema version of each event type's data; bump it and add an upcaster when a shape changes. */
export const EVENT_SCHEMA_VERSIONS: Record<RapportEventType, number> = {
  ClinicConfigured: 1,
  StaffMemberRegistered: 1,
  StaffMemberChanged: 1,
  FollowUpClaimed: 1,
  TreatmentCompleted: 1,
  FollowUpScheduled: 1,
  FollowUpAdded: 1,
  FollowUpMoved: 1,
  FollowUpCancelled: 1,
  CallAttempted: 1,
  FollowUpRescheduled: 1,
  FollowUpClosed: 1,
  ObjectionRaised: 1,
  ReferralRequested: 1,
  AppointmentBooked: 1,
  AppointmentMissed: 1,
  AppointmentAttended: 1,
  InquiryReceived: 1,
  ContactPreferencesSet: 1,
  ContactPreferencesChanged: 1,
  ProspectPersuasionStopped: 1,
  PhoneNumberReportedWrong: 1,
  PersonalDetailsCorrected: 1,
  CallRecordCorrected: 1,
  ObjectionRecordCorrected: 1,
  ReferralRecordCorrected: 1,
  AppointmentRecordCorrected: 1,
  TreatmentRecordCorrected: 1,
  PersonalDataErased: 1,
  PatientRecordRead: 1,
  PatientRecordsListed: 1,
};
