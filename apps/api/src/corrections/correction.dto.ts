import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CALL_OUTCOMES, CallOutcome, OBJECTION_KINDS, OBJECTION_METHODS, ObjectionKind, ObjectionMethod } from '@rapport/domain';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant, HasText } from '../http/validation';

/**
 * POST /v1/corrections: the event corrected, why, and the corrected fields. Which fields a fact
 * allows (CORRECTABLE_FIELDS): a call its outcome, startedAt, durationSeconds, notes, satisfaction,
 * symptoms; an objection its kind, topic, method, resolved, answerable, note; a referral its note;
 * an appointment its scheduledFor; a treatment its procedure, doctorId, completedAt, restored,
 * needsProsthesis. Any other field given is a 400 naming it.
 */
export class CorrectionDto {
  @ApiProperty({ description: 'the eventId of the fact corrected (from GET /v1/patients/:patientId/events or the timeline)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,128}$/, { message: 'eventId must be an event id' })
  eventId!: string;

  @ApiProperty({ example: 'typed no_answer; the patient did answer', description: 'why the record was wrong' })
  @IsString()
  @HasText()
  @MaxLength(1000)
  reason!: string;

  @ApiPropertyOptional({ description: 'the patient the event belongs to (found from the event id when left out)' })
  @IsOptional()
  @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE })
  patientId?: string;

  // CallAttempted
  @ApiPropertyOptional({ enum: CALL_OUTCOMES }) @IsOptional() @IsIn(CALL_OUTCOMES) outcome?: CallOutcome;
  @ApiPropertyOptional() @IsOptional() @IsInstant() startedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(86400) durationSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) satisfaction?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) symptoms?: string;
  // ObjectionRaised
  @ApiPropertyOptional({ enum: OBJECTION_KINDS }) @IsOptional() @IsIn(OBJECTION_KINDS) kind?: ObjectionKind;
  @ApiPropertyOptional() @IsOptional() @IsString() @HasText() @MaxLength(100) topic?: string;
  @ApiPropertyOptional({ enum: OBJECTION_METHODS }) @IsOptional() @IsIn(OBJECTION_METHODS) method?: ObjectionMethod;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() resolved?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() answerable?: boolean;
  // ObjectionRaised, ReferralRequested
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  // AppointmentBooked
  @ApiPropertyOptional() @IsOptional() @IsInstant() scheduledFor?: string;
  // TreatmentCompleted
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) procedure?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) doctorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() completedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() restored?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() needsProsthesis?: boolean;
}

/** The corrected fields of a validated body: everything but the event, the reason and the patient. */
export function changesOf(body: CorrectionDto): Record<string, unknown> {
  const { eventId: _e, reason: _r, patientId: _p, ...changes } = JSON.parse(JSON.stringify(body)) as CorrectionDto;
  return changes as Record<string, unknown>;
}
