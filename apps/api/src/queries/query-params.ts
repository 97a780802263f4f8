import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { Temporal } from 'temporal-polyfill';
import { isIsoWeek } from '@rapport/projections';
import { InvalidInputException } from '../http/errors';
import { CLIENT_ID, CLIENT_ID_MESSAGE, IsInstant } from '../http/validation';
import { MIN_POSITION_DOC } from '../http/openapi';

/** A whole number in a query string, within bounds. */
export function IsWholeNumber(min: number, max: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isWholeNumber',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be a whole number from ${min} to ${max}`, ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^\d{1,16}$/.test(value) && Number(value) >= min && Number(value) <= max,
      },
    });
}

/** A query instant: an instant, or a local time with its zone in brackets (the schemas the bodies' instants use). */
export const QUERY_INSTANT = { oneOf: [{ $ref: '#/components/schemas/Instant' }, { $ref: '#/components/schemas/ZonedDateTime' }] };

/** Every query accepts ?minPosition=N (read-your-writes: the X-Rapport-Position of a command). */
export class ReadYourWritesQuery {
  @ApiPropertyOptional({ ...MIN_POSITION_DOC, maximum: Number.MAX_SAFE_INTEGER })
  @IsOptional()
  @IsWholeNumber(0, Number.MAX_SAFE_INTEGER)
  minPosition?: string;
}

export class QueueQueryDto extends ReadYourWritesQuery {
  @ApiPropertyOptional({ ...QUERY_INSTANT, description: 'the instant the queue is for (default: now)', example: '2026-11-24T02:40:00Z' }) @IsOptional() @IsInstant() at?: string;
  @ApiPropertyOptional({ description: 'the caller asking: each row then says whether they tried it already', pattern: CLIENT_ID.source })
  @IsOptional()
  @Matches(CLIENT_ID, { message: CLIENT_ID_MESSAGE })
  callerId?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'at most this many rows (default 50)', minimum: 1, maximum: 500 }) @IsOptional() @IsWholeNumber(1, 500) limit?: string;
  @ApiPropertyOptional({ description: "whose queue: the callers' (default) or the clinic's doctors' tasks", enum: ['caller', 'doctor', 'senior_doctor'] })
  @IsOptional()
  @IsIn(['caller', 'doctor', 'senior_doctor'])
  role?: 'caller' | 'doctor' | 'senior_doctor';
}

export class DoctorQueueQueryDto extends ReadYourWritesQuery {
  @ApiPropertyOptional({ ...QUERY_INSTANT, description: 'the instant the queue is for (default: now)' }) @IsOptional() @IsInstant() at?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'at most this many rows (default 50)', minimum: 1, maximum: 500 }) @IsOptional() @IsWholeNumber(1, 500) limit?: string;
}

/** A half-open range [from, to); either end may be left open. */
export class RangeQueryDto extends ReadYourWritesQuery {
  @ApiPropertyOptional({ ...QUERY_INSTANT, example: '2026-11-22T16:00:00Z', description: 'the range’s start (inclusive)' }) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ ...QUERY_INSTANT, example: '2026-11-29T16:00:00Z', description: 'the range’s end (exclusive)' }) @IsOptional() @IsInstant() to?: string;
}

export class WeekQueryDto extends ReadYourWritesQuery {
  @ApiProperty({ example: '2026-W48', pattern: '^\\d{4}-W\\d{2}$', description: 'an ISO week; Monday to Sunday in the clinic’s time zone (a week the year does not have is a 400)' })
  @Matches(/^\d{4}-W\d{2}$/, { message: 'week must be an ISO week like 2026-W48' })
  @IsIsoWeekThatExists()
  week!: string;
}

function IsIsoWeekThatExists(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoWeekThatExists',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} ${String(a.value)} does not exist (weeks run 01–52, or 53 in some years)`, ...options },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !/^\d{4}-W\d{2}$/.test(value) || isIsoWeek(value) },
    });
}

/** Epoch ms of an instant the DTO has validated (ISO-8601 with Z or an offset). */
export function instantMs(iso: string): number {
  return Temporal.Instant.from(iso).epochMilliseconds;
}

/** A report over a longer range than this is refused (400 naming `to`): a report is about a season, not the whole history. */
export const MAX_REPORT_DAYS = 400;

/** A report's range: as rangeOf, and `from` must be before `to`, at most MAX_REPORT_DAYS apart. */
export function reportRangeOf(query: RangeQueryDto): { fromMs?: number; toMs?: number } {
  const range = rangeOf(query);
  if (range.fromMs !== undefined && range.toMs !== undefined) {
    if (range.fromMs >= range.toMs) throw new InvalidInputException([{ field: 'from', message: 'from must be before to' }]);
    if (range.toMs - range.fromMs > MAX_REPORT_DAYS * 86_400_000) throw new InvalidInputException([{ field: 'to', message: `a report covers at most ${MAX_REPORT_DAYS} days` }]);
  }
  return range;
}

/** A report as JSON (default) or CSV. */
export class ReportQueryDto extends RangeQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'json (default) or csv (text/csv, UTF-8 with a byte-order mark)' }) @IsOptional() @IsIn(['json', 'csv']) format?: 'json' | 'csv';
}

/** The effectiveness report: grouped by procedure (default) or by protocol rule and step. */
export class EffectivenessQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: ['procedure', 'rule'], description: 'group by the treatment’s procedure (default) or by protocol rule and step' })
  @IsOptional()
  @IsIn(['procedure', 'rule'], { message: 'by must be procedure or rule' })
  by?: 'procedure' | 'rule';
}

/** The range of a RangeQueryDto; `from` after `to` is a 400 naming `from`. */
export function rangeOf(query: RangeQueryDto): { fromMs?: number; toMs?: number } {
  const fromMs = query.from ? instantMs(query.from) : undefined;
  const toMs = query.to ? instantMs(query.to) : undefined;
  if (fromMs !== undefined && toMs !== undefined && fromMs > toMs) {
    throw new InvalidInputException([{ field: 'from', message: 'from must not be after to' }]);
  }
  return { ...(fromMs !== undefined ? { fromMs } : {}), ...(toMs !== undefined ? { toMs } : {}) };
}
