import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { CLIENT_ID, HasText } from '../http/validation';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export class StepTimingDto {
  @ApiProperty({ enum: ['urgent', 'next_window', 'day_window'] })
  @IsIn(['urgent', 'next_window', 'day_window'])
  kind!: 'urgent' | 'next_window' | 'day_window';

  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1440) afterMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1200) afterHours?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() sameDay?: boolean;
  @ApiPropertyOptional({ description: 'next_window: urgent at afterHours if no window comes within this many hours' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1200)
  withinHours?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1200) afterDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(240) afterMonths?: number;
}

export class ProtocolStepDto {
  @ApiProperty() @IsString() @Matches(CLIENT_ID) id!: string;
  @ApiProperty() @IsString() @HasText() @MaxLength(500) purpose!: string;
  @ApiPropertyOptional({ enum: ['not_restored', 'needs_prosthesis'] })
  @IsOptional()
  @IsIn(['not_restored', 'needs_prosthesis'])
  when?: 'not_restored' | 'needs_prosthesis';

  @ApiProperty({ type: StepTimingDto }) @ValidateNested() @Type(() => StepTimingDto) timing!: StepTimingDto;

  @ApiPropertyOptional({ description: 'day_window steps: recurs this many months after each occurrence closes (12: yearly)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  repeatEveryMonths?: number;
}

/** A rule for a trigger other than a treatment (missed visit, complaint, special date): one step. */
export class EventRuleDto {
  @ApiProperty() @IsString() @Matches(CLIENT_ID) id!: string;
  @ApiProperty({ type: ProtocolStepDto }) @ValidateNested() @Type(() => ProtocolStepDto) step!: ProtocolStepDto;
}

/** Seed 002's prospect calls. */
export class ProspectRuleDto {
  @ApiProperty() @IsString() @Matches(CLIENT_ID) id!: string;

  @ApiProperty({ type: [ProtocolStepDto], description: 'the calls in order; each next one counted from the call that closed the one before' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ProtocolStepDto)
  calls!: ProtocolStepDto[];

  @ApiProperty({ type: ProtocolStepDto, description: 'a senior doctor calls after the last call without a booking' })
  @ValidateNested()
  @Type(() => ProtocolStepDto)
  escalation!: ProtocolStepDto;

  @ApiPropertyOptional({ type: ProtocolStepDto, description: 'keep-in-touch calls after the escalation; omit for none' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProtocolStepDto)
  keepInTouch?: ProtocolStepDto;

  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(100) stopAfterRefusals!: number;
}

export class ProtocolRuleDto {
  @ApiProperty() @IsString() @Matches(CLIENT_ID) id!: string;

  @ApiProperty({ type: [String], description: "procedure codes; '*' is the general rule" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^(\*|[A-Za-z0-9_-]{1,64})$/, { each: true })
  procedures!: string[];

  @ApiProperty({ type: [ProtocolStepDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProtocolStepDto)
  steps!: ProtocolStepDto[];
}

export class ProtocolDto {
  @ApiProperty({ type: [ProtocolRuleDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ProtocolRuleDto)
  rules!: ProtocolRuleDto[];

  @ApiPropertyOptional({ type: EventRuleDto, description: 'omitted: the default (urgent, at once)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventRuleDto)
  missedAppointment?: EventRuleDto;

  @ApiPropertyOptional({ type: EventRuleDto, description: 'omitted: the default (the attending doctor calls back at once)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventRuleDto)
  complaintCallback?: EventRuleDto;

  @ApiPropertyOptional({ type: EventRuleDto, description: "omitted: the default (the day's first window)" })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventRuleDto)
  greeting?: EventRuleDto;

  @ApiPropertyOptional({ type: ProspectRuleDto, description: 'omitted: the default three calls, escalation, keep-in-touch, stop after 7 refusals' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProspectRuleDto)
  prospect?: ProspectRuleDto;
}

/** When the clinic is open, local time (also what "at work" means for a patient who asks not to be called at work). */
export class WorkHoursDto {
  @ApiProperty({ example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique({ message: '$property must not name the same day twice' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days!: number[];

  @ApiProperty({ example: '09:00' }) @Matches(HH_MM, { message: '$property must be a local time "HH:MM"' }) from!: string;
  @ApiProperty({ example: '18:00' }) @Matches(HH_MM, { message: '$property must be a local time "HH:MM"' }) to!: string;
}

/** Minutes from an inquiry to its first call, per channel (seed 002 §六). */
export class InquiryFirstCallMinutesDto {
  @ApiPropertyOptional({ description: 'default 30' }) @IsOptional() @IsInt() @Min(0) @Max(1440) phone?: number;
  @ApiPropertyOptional({ description: 'default 30' }) @IsOptional() @IsInt() @Min(0) @Max(1440) web?: number;
  @ApiPropertyOptional({ description: 'default 30' }) @IsOptional() @IsInt() @Min(0) @Max(1440) wechat?: number;
}

/** Each weekday's windows a list of strings (the domain checks the days and times: 422 calendar_invalid); anything else reached it as a 500. */
function IsWeekdayWindows(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isWeekdayWindows',
      target: object.constructor,
      propertyName,
      options: { message: '$property must map weekdays to lists of "HH:MM" (at most 24 each)', ...options },
      validator: {
        validate: (value: unknown) =>
          value !== null && typeof value === 'object' && !Array.isArray(value) &&
          Object.values(value).every((w) => Array.isArray(w) && w.length <= 24 && w.every((t) => typeof t === 'string')),
      },
    });
}

/** Per urgent rule id; the domain checks the numbers (422 urgent_rules_invalid). */
type UrgentRulesBody = Record<string, { deadlineMinutes?: number; expiryHours?: number }>;

export class ConfigureClinicDto {
  @ApiProperty({ example: 'Asia/Shanghai', description: 'IANA time zone' })
  @IsString()
  @MaxLength(64)
  timeZone!: string;

  @ApiProperty({ example: ['10:30', '16:00'], description: 'daily call windows, local "HH:MM"' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(24)
  @Matches(HH_MM, { each: true, message: 'each of $property must be a local time "HH:MM"' })
  @ArrayUnique({ message: '$property must not name the same window twice' })
  callWindows!: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @HasText() @MaxLength(200) name?: string;

  @ApiPropertyOptional({ description: 'failed attempts before a follow-up closes as unreachable (default 3)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;

  @ApiPropertyOptional({ description: 'unreached attempts on one prospect call before the next call takes over (default 6; seed 002: an absent prospect is not given up)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  prospectMaxAttempts?: number;

  @ApiPropertyOptional({ type: [String], description: 'the senior doctors who call back unhappy prospects, in turn (seed 002)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(CLIENT_ID, { each: true, message: 'each of $property must be an id [A-Za-z0-9_-]{1,64}' })
  seniorDoctorIds?: string[];

  @ApiPropertyOptional({ type: WorkHoursDto, description: 'when the clinic is open (default Monday–Friday 09:00–18:00): inquiries are called back inside them' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkHoursDto)
  workHours?: WorkHoursDto;

  @ApiPropertyOptional({ type: InquiryFirstCallMinutesDto, description: 'minutes from an inquiry to its first call, per channel (default 30 each)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InquiryFirstCallMinutesDto)
  inquiryFirstCallMinutes?: InquiryFirstCallMinutesDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', maxItems: 24, items: { type: 'string' } },
    example: { '6': ['10:30'] },
    description: 'call windows ("HH:MM") on some weekdays (keys 1 = Monday … 7) instead of callWindows; {} clears (other keys or times: 422 calendar_invalid)',
  })
  @IsOptional()
  @IsObject()
  @IsWeekdayWindows()
  windowsByWeekday?: Record<string, string[]>;

  @ApiPropertyOptional({ example: [7], description: 'weekdays the clinic is closed (1 = Monday): nothing falls due on them; [] clears' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(6)
  @ArrayUnique({ message: '$property must not name the same day twice' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  closedWeekdays?: number[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { deadlineMinutes: { type: 'integer', minimum: 1, maximum: 1440 }, expiryHours: { type: 'integer', minimum: 1, maximum: 720 } },
      additionalProperties: false,
    },
    example: { missed_appointment: { deadlineMinutes: 30, expiryHours: 6 } },
    description: 'per urgent rule id: minutes after it falls due by which a call is in time (1–1440), hours after which an open urgent call expires (1–720); {} clears',
  })
  @IsOptional()
  @IsObject()
  urgentRules?: UrgentRulesBody;

  @ApiPropertyOptional({ example: ['2027-02-17'], description: 'holidays ("YYYY-MM-DD", local): nothing falls due on them; [] clears' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(400)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'each of $property must be a date "YYYY-MM-DD"' })
  closedDates?: string[];

  @ApiPropertyOptional({ type: ProtocolDto, description: 'replaces the default follow-up protocol' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ProtocolDto)
  protocol?: ProtocolDto;
}
