import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

/** A whole number in a query string (or header), within bounds; undefined when absent. */
export function parseWholeNumber(value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,16}$/.test(value)) return Number.NaN;
  const n = Number(value);
  return n >= min && n <= max ? n : Number.NaN;
}

function IsWholeNumberString(min: number, max: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isWholeNumberString',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be a whole number from ${min} to ${max}`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && !Number.isNaN(parseWholeNumber(value, min, max)) },
    });
}

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

export class EventsStreamQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    description: 'start after this global position (0 or absent: from the first event); the Last-Event-ID header, when sent, wins',
    example: 0,
  })
  @IsOptional()
  @IsWholeNumberString(0, Number.MAX_SAFE_INTEGER)
  after?: string;

  // API.md: any query accepts it. The feed reads the log itself, so it is never behind: nothing to wait for.
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'read your writes; the feed reads the log itself, so it is never behind and answers at once' })
  @IsOptional()
  @IsWholeNumberString(0, Number.MAX_SAFE_INTEGER)
  minPosition?: string;
}

export class EventsPageQuery extends EventsStreamQuery {
  @ApiPropertyOptional({ type: 'integer', description: `at most this many events (default ${DEFAULT_PAGE})`, minimum: 1, maximum: MAX_PAGE })
  @IsOptional()
  @IsWholeNumberString(1, MAX_PAGE)
  limit?: string;
}
