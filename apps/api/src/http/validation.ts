import { ValidationPipe } from '@nestjs/common';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { Temporal } from 'temporal-polyfill';
import { StrictValidationPipe } from './strict-validation.pipe';
import { InvalidInputException, validationDetails } from './errors';

/** Unknown fields are refused, not dropped: a typo must not silently lose data. */
export function validationPipe(): ValidationPipe {
  return new StrictValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => new InvalidInputException(validationDetails(errors)),
  });
}

/** Client-supplied ids: `[A-Za-z0-9_-]{1,64}`. */
export const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const CLIENT_ID_MESSAGE = '$property must be 1–64 characters of A-Z, a-z, 0-9, _ or -';

/** Ids the server made and returned (`p1.fu3`, `p1.call7`): a client id, a dot, a kind and a number. */
export const SERVER_ID = /^[A-Za-z0-9_-]{1,64}\.[a-z]+\d+$/;
export const SERVER_ID_MESSAGE = '$property must be an id this server returned (like p1.fu3)';

/**
 * An instant as written: an RFC 3339 date-time with seconds and `Z` or an offset (what OpenAPI's
 * `format: date-time` means), on a day the calendar has (the pattern knows leap years, so the
 * local-time form, which has no `format`, is exact too), its year written 1900–2199 (Temporal takes
 * years −271821 to +275760, which no record means and other stores mangle). The same patterns are
 * in the OpenAPI document.
 */
const YEAR = '(19\\d{2}|2[01]\\d{2})';
const LEAP_YEAR = '(19(0[48]|[2468][048]|[13579][26])|20(0[048]|[2468][048]|[13579][26])|21(0[48]|[2468][048]|[13579][26]))';
const DATE = `(${YEAR}-((0[13578]|1[02])-(0[1-9]|[12]\\d|3[01])|(0[469]|11)-(0[1-9]|[12]\\d|30)|02-(0[1-9]|1\\d|2[0-8]))|${LEAP_YEAR}-02-29)`;
const TIME = 'T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{1,9})?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)';
export const INSTANT_PATTERN = `^${DATE}${TIME}$`;
/** An IANA time zone name as written (whether it exists is the tz database's say: 422 time_zone_unknown). */
export const TIME_ZONE_PATTERN = '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$';
/** A local time as API.md writes one: the instant, then its zone in brackets (RFC 9557), `2026-11-24T10:30:00+08:00[Asia/Shanghai]`. */
export const ZONED_INSTANT_PATTERN = `${INSTANT_PATTERN.slice(0, -1)}\\[${TIME_ZONE_PATTERN.slice(1, -1)}\\]$`;

const INSTANT = new RegExp(INSTANT_PATTERN);
const ZONED = new RegExp(ZONED_INSTANT_PATTERN);
const TIME_ZONE = new RegExp(TIME_ZONE_PATTERN);

/** An instant a body gave, as the API takes it: the instant in UTC (how events keep it) and the zone it was written in, if any. */
export interface InstantInput {
  instant: string;
  timeZone?: string;
}

/**
 * An instant (`2026-11-24T02:30:00Z`, `…T10:30:00+08:00`) or a local time with its zone, either
 * as `2026-11-24T10:30:00+08:00[Asia/Shanghai]` or as `{ "at": instant, "timeZone": "Asia/Shanghai" }`
 * (API.md); the instant is the `at` or the offset's, the zone says where it is local. Undefined
 * for anything else.
 */
export function instantInput(value: unknown): InstantInput | undefined {
  if (typeof value === 'string') {
    if (value.length > 128) return undefined;
    if (INSTANT.test(value)) return parsed(value);
    if (ZONED.test(value)) return parsed(value.slice(0, value.indexOf('[')), value.slice(value.indexOf('[') + 1, -1));
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { at, timeZone, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0 || typeof at !== 'string' || typeof timeZone !== 'string') return undefined;
  if (!INSTANT.test(at) || timeZone.length > 64 || !TIME_ZONE.test(timeZone)) return undefined;
  return parsed(at, timeZone);
}

function parsed(instant: string, timeZone?: string): InstantInput | undefined {
  try {
    // The pattern checks the shape; Temporal the calendar (no 30 February).
    return { instant: Temporal.Instant.from(instant).toString(), ...(timeZone ? { timeZone } : {}) };
  } catch {
    return undefined;
  }
}

export const INSTANT_MESSAGE = 'must be an instant (RFC 3339: 2026-11-24T02:30:00Z or …T10:30:00+08:00, years 1900–2199) or a local time with its zone (…+08:00[Asia/Shanghai], or { at, timeZone })';

/** An instant, or a local time with its zone (instantInput); the pipe then hands it on as the instant in UTC. */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} ${INSTANT_MESSAGE}`, ...options },
      validator: { validate: (value: unknown) => instantInput(value) !== undefined },
    });
}

/** A string with something in it besides white space: a required reason or topic of "   " says nothing. */
export function HasText(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'hasText',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must not be empty or only white space`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}
