import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SpecialDateDto } from './preferences';

/** The answers of the commands that record what happened (application/recording.ts, corrections.ts, erasure.ts). */

const INSTANT = { type: 'string', format: 'date-time', example: '2026-11-24T02:30:00Z' } as const;
const FOLLOW_UP_KINDS = ['treatment', 'missed_appointment', 'prospect', 'escalation', 'doctor_callback', 'greeting', 'added'];

/** Which protocol rule and step made a follow-up. */
export class FollowUpRule {
  @ApiProperty({ example: 'extraction' }) ruleId!: string;
  @ApiProperty({ example: 'post_op_check' }) stepId!: string;
  @ApiProperty({ type: 'integer', example: 1 }) protocolVersion!: number;
}

/** A follow-up a treatment scheduled. */
export class ScheduledFollowUp {
  @ApiProperty({ example: 'p1.fu1' }) followUpId!: string;
  @ApiProperty(INSTANT) dueAt!: string;
  @ApiProperty({ example: 'Ask about bleeding and swelling after the extraction' }) purpose!: string;
  @ApiProperty({ description: 'urgent (⚡): due at once, whatever the call windows' }) urgent!: boolean;
  @ApiProperty({ type: FollowUpRule }) rule!: FollowUpRule;
}

export class TreatmentRecorded {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ example: 't1' }) treatmentId!: string;
  @ApiProperty({ type: [ScheduledFollowUp] }) followUps!: ScheduledFollowUp[];
}

export class FollowUpAssignee {
  @ApiProperty({ enum: ['doctor', 'senior_doctor'] }) role!: 'doctor' | 'senior_doctor';
  @ApiPropertyOptional({ example: 'dr-li' }) doctorId?: string;
}

/** A follow-up a command scheduled (the next call of a chain, a callback, a greeting, a missed visit's call). */
export class FollowUp {
  @ApiProperty({ example: 'p1.fu3' }) followUpId!: string;
  @ApiProperty({ enum: FOLLOW_UP_KINDS }) kind!: string;
  @ApiProperty(INSTANT) dueAt!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty() urgent!: boolean;
  @ApiProperty({ type: FollowUpRule }) rule!: FollowUpRule;
  @ApiPropertyOptional({ type: FollowUpAssignee, description: 'a doctor’s task, not the callers’' }) assignee?: FollowUpAssignee;
  @ApiPropertyOptional({ type: 'integer', description: 'a prospect’s call: which one' }) callNumber?: number;
  @ApiPropertyOptional({ description: 'the follow-up this one comes after' }) follows?: string;
}

/** What a call did to the follow-up it worked. */
export class CallFollowUpOutcome {
  @ApiProperty({ example: 'p1.fu1' }) followUpId!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiPropertyOptional({ ...INSTANT, description: 'open: when it is due again' }) nextDueAt?: string;
  @ApiProperty({ type: 'integer', description: 'unreached attempts so far' }) attempts!: number;
  @ApiPropertyOptional({ example: 'reached', description: 'closed: why' }) closedReason?: string;
  @ApiPropertyOptional({ description: 'true: another call had closed it already; this one is recorded beside it' }) alreadyClosed?: boolean;
}

export class CallRecorded {
  @ApiProperty({ example: 'p1.call1' }) callId!: string;
  @ApiPropertyOptional({ type: CallFollowUpOutcome }) followUp?: CallFollowUpOutcome;
  @ApiPropertyOptional({ type: [FollowUp], description: 'what the call led to: the next call of a chain, a doctor’s callback' }) scheduled?: FollowUp[];
  @ApiPropertyOptional({ description: 'true: seven refusals in a row, no more persuasion calls for this person' }) persuasionStopped?: boolean;
  @ApiPropertyOptional({ description: 'true: a wrong number; the patient’s open follow-ups wait for the right one (GET …/follow-ups?status=needs_number)' }) phoneWrong?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'the objections recorded with the call' }) objectionIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'the referrals recorded with the call' }) referralIds?: string[];
  @ApiPropertyOptional({ description: 'the visit booked with the call' }) appointmentId?: string;
  @ApiPropertyOptional({ description: 'true: the preferences stated on the call changed the patient’s' }) preferencesChanged?: boolean;
}

export class ObjectionRecorded {
  @ApiProperty({ example: 'p1.obj1' }) objectionId!: string;
}

export class ReferralRecorded {
  @ApiProperty({ example: 'p1.ref1' }) referralId!: string;
}

export class AppointmentBooked {
  @ApiProperty({ example: 'p1.apt1' }) appointmentId!: string;
}

export class AppointmentMissed {
  @ApiProperty({ example: 'p1.apt1' }) appointmentId!: string;
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ type: [FollowUp], description: 'the urgent call about the missed visit' }) followUps!: FollowUp[];
}

export class AppointmentAttended {
  @ApiProperty({ example: 'p1.apt1' }) appointmentId!: string;
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ ...INSTANT, description: 'when the patient arrived, as recorded (the first time, for a repeat)' }) at!: string;
}

export class InquiryRecorded {
  @ApiProperty({ example: 'q1' }) patientId!: string;
  @ApiProperty({ example: 'q1.inq1' }) inquiryId!: string;
  @ApiProperty({ type: [FollowUp], description: 'the first prospect call; empty when no sequence starts' }) followUps!: FollowUp[];
}

/** The contact preferences as they stand. */
export class ContactPreferencesView {
  @ApiPropertyOptional({ type: [String], example: ['12:00-13:00'] }) preferredTimes?: string[];
  @ApiPropertyOptional() avoidWorkHours?: boolean;
  @ApiPropertyOptional() doNotCall?: boolean;
  @ApiPropertyOptional({ type: [SpecialDateDto] }) specialDates?: SpecialDateDto[];
  @ApiPropertyOptional() vip?: boolean;
}

export class PreferencesRecorded {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ type: ContactPreferencesView }) preferences!: ContactPreferencesView;
  @ApiProperty({ type: [FollowUp], description: 'greetings this change scheduled' }) followUps!: FollowUp[];
}

/** GET /v1/patients/:patientId/preferences. */
export class PatientPreferences {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ type: ContactPreferencesView }) preferences!: ContactPreferencesView;
}

/** A follow-up added, moved or cancelled by hand. */
export class FollowUpSteered {
  @ApiProperty({ example: 'p1.fu5' }) followUpId!: string;
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ enum: ['open', 'closed'], description: 'closed: cancelled' }) status!: 'open' | 'closed';
  @ApiProperty(INSTANT) dueAt!: string;
}

/** A correction recorded beside the fact it corrects. */
export class CorrectionRecorded {
  @ApiProperty({ example: 'p1.cor1' }) correctionId!: string;
  @ApiProperty({ description: 'the correction’s own event' }) eventId!: string;
  @ApiProperty({ example: 'CallRecordCorrected', description: 'CallRecordCorrected, ObjectionRecordCorrected, ReferralRecordCorrected, AppointmentRecordCorrected or TreatmentRecordCorrected' }) type!: string;
  @ApiProperty() correctsEventId!: string;
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { outcome: 'busy' }, description: 'each corrected field, as it is now' }) corrected!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { outcome: 'no_answer' }, description: 'each corrected field, as it was' }) previous!: Record<string, unknown>;
}

export class ErasureRecorded {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ description: 'always true' }) erased!: true;
  @ApiProperty({ description: 'false when the patient was erased before: nothing new was recorded' }) recorded!: boolean;
}

/** POST /v1/patients/:patientId/personal-details. */
export class PersonalDetailsCorrected {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ example: 'p1.pdc1' }) correctionId!: string;
  @ApiProperty({ type: 'array', items: { type: 'string', enum: ['name', 'phone'] }, description: 'the fields corrected (their values are sealed and not echoed)' }) corrected!: string[];
  @ApiProperty({ description: 'whether a call has found the phone wrong since the last number given' }) phoneWrong!: boolean;
}

/** POST /v1/follow-ups/:followUpId/claim. */
export class FollowUpClaimed {
  @ApiProperty({ example: 'p1.fu1' }) followUpId!: string;
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ example: 'nurse-zhang', description: 'the signed-in person' }) claimedBy!: string;
  @ApiProperty({ ...INSTANT, description: 'nobody else should dial before then (released by the next call on it)' }) until!: string;
}
