import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The answers of the queries (libs/projections' read functions), as named schemas. */

const INSTANT = { type: 'string', format: 'date-time', example: '2026-11-24T02:30:00Z' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const RATE = { type: 'number', minimum: 0, maximum: 1 } as const;
const RANGE_FROM = { ...INSTANT, description: 'the range’s start, as asked' } as const;
const RANGE_TO = { ...INSTANT, description: 'the range’s end (exclusive), as asked' } as const;

export class QueuePatient {
  @ApiPropertyOptional({ example: '王伟' }) name?: string;
  @ApiPropertyOptional({ example: '+86 138 0013 8000' }) phone?: string;
}

export class AttemptSummary {
  @ApiProperty({ example: 'p1.call1' }) callId!: string;
  @ApiProperty({ example: 'nurse-zhang' }) callerId!: string;
  @ApiProperty({ example: 'no_answer' }) outcome!: string;
  @ApiProperty(INSTANT) startedAt!: string;
}

export class QueueRule {
  @ApiProperty() ruleId!: string;
  @ApiProperty() stepId!: string;
  @ApiPropertyOptional({ type: 'integer' }) protocolVersion?: number;
}

export class QueueAssignee {
  @ApiProperty({ enum: ['doctor', 'senior_doctor'] }) role!: 'doctor' | 'senior_doctor';
  @ApiPropertyOptional() doctorId?: string;
}

/** One call due. */
export class QueueClaim {
  @ApiProperty({ example: 'nurse-zhang', description: 'who has the call open' }) by!: string;
  @ApiProperty({ ...INSTANT, description: 'when the claim lapses, unless a call on it releases it first' }) until!: string;
}

export class QueueItem {
  @ApiProperty({ example: 'p1.fu1' }) followUpId!: string;
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ example: 'c1' }) clinicId!: string;
  @ApiProperty({ type: QueuePatient, description: 'name and phone, each absent when not on record (or erased, or unreadable)' }) patient!: QueuePatient;
  @ApiProperty() purpose!: string;
  @ApiProperty({ example: 'treatment' }) kind!: string;
  @ApiProperty(INSTANT) dueAt!: string;
  @ApiProperty() urgent!: boolean;
  @ApiPropertyOptional({ ...INSTANT, description: 'an urgent call is in time until then' }) deadlineAt?: string;
  @ApiPropertyOptional({ description: 'an urgent call past its deadline at the time asked about' }) late?: boolean;
  @ApiProperty() vip!: boolean;
  @ApiPropertyOptional({ ...INSTANT, nullable: true, description: 'when the patient’s wishes moved the call: the first time they accept; null when they accept none' }) offeredAt?: string | null;
  @ApiProperty({ ...COUNT, description: 'minutes past due at the time asked about' }) overdueMinutes!: number;
  @ApiProperty(COUNT) attempts!: number;
  @ApiPropertyOptional() lastOutcome?: string;
  @ApiPropertyOptional(INSTANT) lastAttemptAt?: string;
  @ApiPropertyOptional() lastCallerId?: string;
  @ApiProperty({ type: [AttemptSummary] }) attemptHistory!: AttemptSummary[];
  @ApiPropertyOptional() treatmentId?: string;
  @ApiPropertyOptional() procedure?: string;
  @ApiPropertyOptional({ description: 'the doctor who did the treatment behind it (the attending doctor)' }) doctorId?: string;
  @ApiPropertyOptional({ type: QueueClaim, description: 'somebody has this call open: do not dial too' }) claim?: QueueClaim;
  @ApiPropertyOptional({ type: QueueRule }) rule?: QueueRule;
  @ApiPropertyOptional({ type: QueueAssignee }) assignee?: QueueAssignee;
  @ApiPropertyOptional({ description: 'only when the query names a caller: whether they tried this one already' }) triedByCaller?: boolean;
}

export class ClinicQueue {
  @ApiProperty({ example: 'c1' }) clinicId!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: [QueueItem], description: 'due now, most urgent first' }) items!: QueueItem[];
  @ApiProperty({ type: [QueueItem], description: 'due, but the patient’s wishes put them later (offeredAt)' }) waiting!: QueueItem[];
}

export class DoctorQueue {
  @ApiProperty({ example: 'dr-li' }) doctorId!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: [QueueItem] }) items!: QueueItem[];
}

export class DoctorFeedbackItem {
  @ApiProperty() callId!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty() clinicId!: string;
  @ApiProperty() treatmentId!: string;
  @ApiProperty({ type: 'string', nullable: true }) followUpId!: string | null;
  @ApiProperty() callerId!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, nullable: true }) satisfaction!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) symptoms!: string | null;
  @ApiProperty() complaint!: boolean;
  @ApiProperty({ type: 'string', nullable: true, description: 'the callback task the call put in a doctor’s queue' }) callbackFollowUpId!: string | null;
}

export class DoctorFeedback {
  @ApiProperty() doctorId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [DoctorFeedbackItem], description: 'newest first' }) items!: DoctorFeedbackItem[];
}

export class TimelineEntry {
  @ApiProperty({ type: 'integer', description: 'global log position' }) position!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CallAttempted' }) type!: string;
  @ApiProperty({ ...INSTANT, description: 'when it happened' }) at!: string;
  @ApiProperty({ ...INSTANT, description: 'when it was recorded' }) recordedAt!: string;
  @ApiProperty({ example: 'Call by nurse-zhang: no answer (attempt 1 of follow-up p1.fu1)' }) summary!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { followUpId: 'p1.fu1', callId: 'p1.call1' } }) ids!: Record<string, string>;
}

export class Timeline {
  @ApiProperty({ example: 'p1' }) patientId!: string;
  @ApiProperty({ type: [TimelineEntry], description: 'oldest first' }) entries!: TimelineEntry[];
}

export class CallerMetrics {
  @ApiProperty({ example: 'nurse-zhang' }) callerId!: string;
  @ApiProperty(COUNT) attempts!: number;
  @ApiProperty(COUNT) reached!: number;
  @ApiProperty({ ...RATE, description: 'reached ÷ attempts (0 without attempts)' }) contactRate!: number;
  @ApiProperty({ ...COUNT, description: 'bookings credited to this caller’s calls' }) appointmentsBooked!: number;
  @ApiProperty({ ...RATE, description: 'appointmentsBooked ÷ reached (0 when nobody was reached)' }) conversionRate!: number;
  @ApiProperty(COUNT) referralsRequested!: number;
  @ApiProperty(COUNT) referralsConverted!: number;
  @ApiProperty(COUNT) objectionsRaised!: number;
  @ApiProperty(COUNT) objectionsResolved!: number;
}

export class CallerMetricsInRange extends CallerMetrics {
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
}

export class ClinicCallerMetrics {
  @ApiProperty({ example: 'c1' }) clinicId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [CallerMetrics] }) callers!: CallerMetrics[];
}

export class BestTimeCell {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7, description: '1 = Monday' }) weekday!: number;
  @ApiProperty({ type: 'integer', minimum: 0, maximum: 23, description: 'local hour' }) hour!: number;
  @ApiProperty(COUNT) attempts!: number;
  @ApiProperty(COUNT) reached!: number;
  @ApiProperty(RATE) contactRate!: number;
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(RATE) conversionRate!: number;
}

export class BestTimesReport {
  @ApiProperty() clinicId!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [BestTimeCell], description: 'only the hours with a call or a booking' }) cells!: BestTimeCell[];
}

export class WeeklyReport {
  @ApiProperty() clinicId!: string;
  @ApiProperty({ example: '2026-W48' }) week!: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone!: string;
  @ApiProperty(INSTANT) from!: string;
  @ApiProperty(INSTANT) to!: string;
  @ApiProperty(COUNT) due!: number;
  @ApiProperty(COUNT) made!: number;
  @ApiProperty(COUNT) reached!: number;
  @ApiProperty(RATE) contactRate!: number;
  @ApiProperty(COUNT) overdue!: number;
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(COUNT) referrals!: number;
  @ApiProperty(COUNT) referralsConverted!: number;
  @ApiProperty(COUNT) complaints!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, example: { reached: 12, no_answer: 5 }, description: 'calls made in the week, by outcome' }) outcomes!: Record<string, number>;
}

export class AppointmentCounts {
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(COUNT) attended!: number;
  @ApiProperty(COUNT) missed!: number;
  @ApiProperty({ ...COUNT, description: 'no outcome yet' }) open!: number;
  @ApiProperty({ ...RATE, description: 'attended ÷ (attended + missed)' }) showRate!: number;
  @ApiProperty({ ...RATE, description: 'missed ÷ (attended + missed)' }) noShowRate!: number;
}

export class AppointmentsByWeekday extends AppointmentCounts {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 7 }) weekday!: number;
}

export class AppointmentsReport extends AppointmentCounts {
  @ApiProperty() clinicId!: string;
  @ApiProperty() timeZone!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [AppointmentsByWeekday] }) byWeekday!: AppointmentsByWeekday[];
}

export class ObjectionCounts {
  @ApiProperty(COUNT) raised!: number;
  @ApiProperty(COUNT) resolved!: number;
  @ApiProperty(RATE) resolutionRate!: number;
}

export class ObjectionsByKindMethod extends ObjectionCounts {
  @ApiProperty() kind!: string;
  @ApiProperty() method!: string;
}

export class ObjectionsByTopicMethod extends ObjectionCounts {
  @ApiProperty() topic!: string;
  @ApiProperty() method!: string;
}

export class ObjectionsByTopic extends ObjectionCounts {
  @ApiProperty() topic!: string;
}

export class ObjectionsReport {
  @ApiProperty() clinicId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [ObjectionsByKindMethod] }) byKindMethod!: ObjectionsByKindMethod[];
  @ApiProperty({ type: [ObjectionsByTopicMethod] }) byTopicMethod!: ObjectionsByTopicMethod[];
  @ApiProperty({ type: [ObjectionsByTopic], description: 'most raised first' }) topics!: ObjectionsByTopic[];
}

export class TopReferrer {
  @ApiProperty() patientId!: string;
  @ApiProperty(COUNT) requested!: number;
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(COUNT) attended!: number;
}

export class ReferralChain {
  @ApiProperty() referralId!: string;
  @ApiProperty() referrerId!: string;
  @ApiProperty(INSTANT) requestedAt!: string;
  @ApiPropertyOptional() referredPatientId?: string;
  @ApiPropertyOptional() appointmentId?: string;
  @ApiPropertyOptional(INSTANT) bookedAt?: string;
  @ApiPropertyOptional(INSTANT) attendedAt?: string;
}

export class ReferralsReport {
  @ApiProperty() clinicId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty(COUNT) requested!: number;
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(COUNT) attended!: number;
  @ApiProperty({ type: [TopReferrer] }) topReferrers!: TopReferrer[];
  @ApiProperty({ type: [ReferralChain] }) chains!: ReferralChain[];
}

/** by=procedure: kind and procedure; by=rule: rule and step. */
export class EffectivenessRow {
  @ApiPropertyOptional({ description: 'by=procedure: the follow-up’s kind' }) kind?: string;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'by=procedure: the treatment’s procedure; null when no treatment started the follow-up' }) procedure?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'by=rule: the protocol rule' }) rule?: string | null;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'by=rule: the rule’s step' }) step?: string | null;
  @ApiProperty(COUNT) due!: number;
  @ApiProperty(COUNT) attempted!: number;
  @ApiProperty(COUNT) reached!: number;
  @ApiProperty(RATE) reachRate!: number;
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(COUNT) attended!: number;
  @ApiProperty(COUNT) complaints!: number;
}

export class EffectivenessReport {
  @ApiProperty() clinicId!: string;
  @ApiProperty({ enum: ['procedure', 'rule'] }) by!: 'procedure' | 'rule';
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [EffectivenessRow], description: 'most due first' }) rows!: EffectivenessRow[];
}

export class SatisfactionCounts {
  @ApiProperty({ ...COUNT, name: '1' }) one!: number;
  @ApiProperty({ ...COUNT, name: '2' }) two!: number;
  @ApiProperty({ ...COUNT, name: '3' }) three!: number;
  @ApiProperty({ ...COUNT, name: '4' }) four!: number;
  @ApiProperty({ ...COUNT, name: '5' }) five!: number;
}

export class DoctorRow {
  @ApiProperty() doctorId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'from the staff directory; null until it names the doctor' }) name!: string | null;
  @ApiProperty(COUNT) reachedCalls!: number;
  @ApiProperty({ type: 'number', minimum: 1, maximum: 5, nullable: true }) satisfactionMean!: number | null;
  @ApiProperty({ type: SatisfactionCounts }) satisfaction!: SatisfactionCounts;
  @ApiProperty(COUNT) complaints!: number;
  @ApiProperty(COUNT) callbacksDone!: number;
  @ApiProperty({ type: 'number', minimum: 0, nullable: true }) callbackMedianMinutes!: number | null;
}

export class DoctorsReport {
  @ApiProperty() clinicId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [DoctorRow], description: 'most reached calls first' }) rows!: DoctorRow[];
}

export class ProspectRow {
  @ApiProperty({ example: 'wechat', description: '`unspecified` when the inquiry named none' }) channel!: string;
  @ApiProperty(COUNT) inquiries!: number;
  @ApiProperty({ type: 'number', minimum: 0, nullable: true }) firstAttemptMedianMinutes!: number | null;
  @ApiProperty({ type: 'number', minimum: 0, nullable: true }) firstAttemptP90Minutes!: number | null;
  @ApiProperty(COUNT) notCalled!: number;
  @ApiProperty(COUNT) reached!: number;
  @ApiProperty(COUNT) booked!: number;
  @ApiProperty(COUNT) attended!: number;
  @ApiProperty(RATE) bookingRate!: number;
}

export class ProspectsReport {
  @ApiProperty() clinicId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ ...RATE, example: 0.35 }) seedBookingRate!: number;
  @ApiProperty({ type: [ProspectRow] }) rows!: ProspectRow[];
}

export class UrgentRow {
  @ApiProperty() rule!: string;
  @ApiProperty(COUNT) due!: number;
  @ApiProperty(COUNT) inTime!: number;
  @ApiProperty(COUNT) late!: number;
  @ApiProperty(COUNT) notDone!: number;
  @ApiProperty(RATE) inTimeRate!: number;
}

export class UrgentReport {
  @ApiProperty() clinicId!: string;
  @ApiPropertyOptional(RANGE_FROM) from?: string;
  @ApiPropertyOptional(RANGE_TO) to?: string;
  @ApiProperty({ type: [UrgentRow] }) rows!: UrgentRow[];
}

/** A follow-up staff must look at outside the queue. */
export class FollowUpToReview {
  @ApiProperty({ example: 'p1.fu2' }) followUpId!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty() clinicId!: string;
  @ApiProperty({ type: QueuePatient, description: 'the name and phone on record (needs_number: the wrong phone)' }) patient!: QueuePatient;
  @ApiProperty() purpose!: string;
  @ApiProperty() kind!: string;
  @ApiProperty({ enum: ['needs_number', 'unreachable', 'expired'] }) status!: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'needs_number: when it is (or was) due' }) dueAt?: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'unreachable, expired: when it closed' }) closedAt?: string;
}

export class FollowUpsToReview {
  @ApiProperty() clinicId!: string;
  @ApiProperty({ enum: ['needs_number', 'unreachable', 'expired'] }) status!: string;
  @ApiProperty({ type: [FollowUpToReview] }) items!: FollowUpToReview[];
}
