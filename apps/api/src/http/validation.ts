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

/** An ISO-8601 instant with `Z` or an offset (a local time without a zone is ambiguous). */
export function IsInstant(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isInstant',
      target: object.constructor,
      propertyName,
      options: { message: (a: ValidationArguments) => `${a.property} must be an ISO-8601 instant with Z or an offset`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || value.length > 64) return false;
          try {
            Temporal.Instant.from(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}
