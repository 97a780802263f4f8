import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { MAX_BODY_DEPTH, pathDeeperThan } from './body-depth';
import { InvalidInputException } from './errors';
import { nestedShapeProblems } from './nested-shape';

/**
 * The ValidationPipe with two checks class-validator lacks, both found by the hostile-body fault
 * test (test/fault): a depth limit before class-transformer runs, and nested objects that are
 * present and objects after it. Either way a 400 naming the field, never a 500.
 */
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return super.transform(value, metadata);
    const deep = pathDeeperThan(value, MAX_BODY_DEPTH);
    if (deep !== undefined) throw new InvalidInputException([{ field: deep || 'body', message: `nested more than ${MAX_BODY_DEPTH} levels deep` }]);
    const dto = await super.transform(value, metadata);
    const problems = nestedShapeProblems(dto);
    if (problems.length > 0) throw new InvalidInputException(problems);
    return dto;
  }
}
