import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { DomainRefusal, isTimeZone } from '@rapport/domain';
import { MAX_BODY_DEPTH, pathDeeperThan } from './body-depth';
import { keyCountProblems } from './body-keys';
import { InvalidInputException } from './errors';
import { nestedShapeProblems } from './nested-shape';
import { instantInput } from './validation';

/**
 * The ValidationPipe with the checks class-validator lacks, found by the fault tests (test/fault):
 * a cap on keys and a depth limit before class-transformer runs, and nested objects that are
 * present and objects after it. Either way a 400 naming the field, never a 500.
 * A field sent as `null` counts as not sent: class-validator's @IsOptional lets null through, and
 * it would reach an event as a value of the wrong type (required fields then get their 400). The
 * key stays, so an unknown field is refused even as null.
 * Instants come out as the instant in UTC, whichever form API.md allows they came in.
 */
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return super.transform(value, metadata);
    const crowded = keyCountProblems(value, metadata.metatype);
    if (crowded) throw new InvalidInputException(crowded);
    const deep = pathDeeperThan(value, MAX_BODY_DEPTH);
    if (deep !== undefined) throw new InvalidInputException([{ field: deep || 'body', message: `nested more than ${MAX_BODY_DEPTH} levels deep` }]);
    const dto = await super.transform(withoutNulls(value), metadata);
    const problems = nestedShapeProblems(dto);
    if (problems.length > 0) throw new InvalidInputException(problems);
    normalizeInstants(dto);
    return dto;
  }
}

/** The body with every object field whose value is null made undefined, at any depth (array items stay as sent). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item !== null && typeof item === 'object' ? withoutNulls(item) : item));
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) kept[key] = field === null ? undefined : withoutNulls(field);
  return kept;
}

/**
 * Every @IsInstant field of a validated DTO, at any depth, replaced by its instant in UTC. A local
 * time whose zone the tz database does not know is refused like a clinic's (422 time_zone_unknown).
 */
function normalizeInstants(dto: unknown, path = ''): void {
  if (dto === null || typeof dto !== 'object' || Array.isArray(dto)) return;
  const target = dto as Record<string, unknown>;
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto.constructor, '', true, false);
  for (const m of metadata) {
    const field = path ? `${path}.${m.propertyName}` : m.propertyName;
    const value = target[m.propertyName];
    if (m.name === 'isInstant' && value !== undefined) {
      const input = instantInput(value);
      if (!input) continue; // validated already; nothing else gets here
      if (input.timeZone !== undefined && !isTimeZone(input.timeZone)) {
        throw new DomainRefusal('time_zone_unknown', `${field}: ${input.timeZone} is not a time zone the tz database knows`, 'rule', [field]);
      }
      target[m.propertyName] = input.instant;
    }
    if (m.type === ValidationTypes.NESTED_VALIDATION) {
      if (Array.isArray(value)) value.forEach((item, i) => normalizeInstants(item, `${field}.${i}`));
      else normalizeInstants(value, field);
    }
  }
}
