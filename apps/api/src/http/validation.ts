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
 * The instants a clinic's records can hold: from 1900 (a patient's birth year at the earliest) to
 * 2200. Temporal takes years −271821 to +275760, which no record means and other stores mangle.
 */
const EARLIEST = Temporal.Instant.from('1900-01-01T00:00:00Z');
const LATEST = Temporal.Instant.from('2200-01-01T00:00:00Z');

/** An ISO-8601 instant with `Z` or an offset (a local time without a zone is ambiguous), 1900–2199. */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be an ISO-8601 instant with Z or an offset, from 1900 to 2199`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > 64) return false;
          try {
            const instant = Temporal.Instant.from(value);
            return Temporal.Instant.compare(instant, EARLIEST) >= 0 && Temporal.Instant.compare(instant, LATEST) < 0;
          } catch {
            return false;
          }
        },
      },
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
