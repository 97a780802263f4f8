import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { MAX_BODY_DEPTH, pathDeeperThan } from './body-depth';
import { keyCountProblems } from './body-keys';
import { InvalidInputException } from './errors';
import { nestedShapeProblems } from './nested-shape';

/**
 * The ValidationPipe with the checks class-validator lacks, found by the fault tests (test/fault):
 * a cap on keys and a depth limit before class-transformer runs, and nested objects that are
 * present and objects after it. Either way a 400 naming the field, never a 500.
 * A field sent as `null` counts as not sent: class-validator's @IsOptional lets null through, and
 * it would reach an event as a value of the wrong type (required fields then get their 400).
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
    return dto;
  }
}

/** The body with every object field whose value is null left out, at any depth (array items stay as sent). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item !== null && typeof item === 'object' ? withoutNulls(item) : item));
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== null) kept[key] = withoutNulls(field);
  return kept;
}
