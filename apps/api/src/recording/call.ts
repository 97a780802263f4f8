import { Inject } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CALL_OUTCOMES, CallOutcome, OBJECTION_KINDS, OBJECTION_METHODS, ObjectionKind, ObjectionMethod } from '@rapport/domain';
import { ReferredPersonDto } from './personal-details.dto';
import { SetContactPreferencesDto } from './preferences';
import { COMMAND_PORTS, CommandPorts } from '../application/command-ports';
import type { CommandContext, CommandResult } from '../application/command-context';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant, HasText, SERVER_ID, SERVER_ID_MESSAGE } from '../http/validation';
import { plainData } from '../http/plain-data';
import { CallRecordedView, recordCall } from '../application/recording';

/** On a reached call: when to call next, and why (seed 002: 为下次电话下理由). */
export class NextContactDto {
  @ApiProperty({ example: '2026-12-08T08:00:00Z', description: 'after the call started' }) @IsInstant() at!: string;
  @ApiProperty({ example: 'Ask whether the swelling has gone; invite for the check-up' }) @IsString() @HasText() @MaxLength(500) purpose!: string;
}

/** An objection raised on this call (its caller and call are the call's). */
export class CallObjectionDto {
  @ApiProperty({ enum: OBJECTION_KINDS }) @IsIn(OBJECTION_KINDS) kind!: ObjectionKind;
  @ApiProperty({ example: 'cost' }) @IsString() @HasText() @MaxLength(100) topic!: string;
  @ApiProperty({ enum: OBJECTION_METHODS }) @IsIn(OBJECTION_METHODS) method!: ObjectionMethod;
  @ApiProperty() @IsBoolean() resolved!: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() answerable?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** A referral asked for on this call: the person referred (name or phone), or just a note. */
export class CallReferralDto {
  @ApiPropertyOptional({ type: ReferredPersonDto }) @IsOptional() @ValidateNested() @Type(() => ReferredPersonDto) referred?: ReferredPersonDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** A visit booked on this call: credited to it when the call reached the patient. */
export class CallAppointmentDto {
  @ApiProperty({ example: '2026-12-01T02:00:00Z', description: 'a time still to come' }) @IsInstant() scheduledFor!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) doctorId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

/** POST /v1/calls: every attempt, reached or not, recorded as it happened. */
export class RecordCallDto {
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) patientId!: string;
  @ApiProperty() @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE }) callerId!: string;
  @ApiProperty({ example: '2026-11-24T02:35:00Z', description: 'when the call started, as the caller says' }) @IsInstant() startedAt!: string;
  @ApiProperty({ enum: CALL_OUTCOMES }) @IsIn(CALL_OUTCOMES) outcome!: CallOutcome;

  @ApiPropertyOptional({ description: 'the follow-up this call works; it is closed or moved' })
  @IsOptional()
  @IsString()
  @Matches(SERVER_ID, { message: SERVER_ID_MESSAGE })
  followUpId?: string;

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(86400) durationSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) satisfaction?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) symptoms?: string;
  @ApiPropertyOptional({ description: 'for call_back_later: when the patient asked to be called' }) @IsOptional() @IsInstant() callBackAt?: string;
  @ApiPropertyOptional({
    description: 'the patient complained or reported discomfort: a callback task for the attending doctor (also when symptoms are given with satisfaction 1 or 2)',
  })
  @IsOptional()
  @IsBoolean()
  complaint?: boolean;
  @ApiPropertyOptional({ description: 'the patient is unhappy with the clinic: after a prospect’s third call, a senior doctor calls back (seed 002)' })
  @IsOptional()
  @IsBoolean()
  dissatisfied?: boolean;
  @ApiPropertyOptional({ type: NextContactDto, description: 'a reached call only: the next contact, recorded as a FollowUpAdded' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NextContactDto)
  nextContact?: NextContactDto;
  @ApiPropertyOptional({ type: [CallObjectionDto], description: 'objections raised on this call; recorded with it or not at all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CallObjectionDto)
  objections?: CallObjectionDto[];
  @ApiPropertyOptional({ type: [CallReferralDto], description: 'referrals asked for on this call; a referred person must have a name, phone or relation' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CallReferralDto)
  referrals?: CallReferralDto[];
  @ApiPropertyOptional({ type: CallAppointmentDto, description: 'a visit booked on this call (422 appointment_in_past refuses the whole call)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CallAppointmentDto)
  appointment?: CallAppointmentDto;
  @ApiPropertyOptional({ type: SetContactPreferencesDto, description: 'preferences the patient stated on the call: the fields sent change (to clear one, PATCH …/preferences)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SetContactPreferencesDto)
  preferences?: SetContactPreferencesDto;
  @ApiPropertyOptional({ description: 'required when the call started more than 24 hours ago' })
  @IsOptional()
  @IsString()
  @HasText()
  @MaxLength(500)
  lateEntryReason?: string;
}

export class RecordCallCommand extends Command<CommandResult<CallRecordedView>> {
  constructor(
    readonly body: RecordCallDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordCallCommand)
export class RecordCallHandler implements ICommandHandler<RecordCallCommand> {
  constructor(@Inject(COMMAND_PORTS) private readonly ports: CommandPorts) {}

  execute({ body, context }: RecordCallCommand): Promise<CommandResult<CallRecordedView>> {
    return recordCall(this.ports, plainData(body), context);
  }
}
