import { getMetadataStorage, ValidationTypes } from 'class-validator';

/**
 * What @ValidateNested lets through: a missing required nested object (it checks nothing when the
 * value is absent) and an array where an object belongs (it validates the array's items instead;
 * `[]` passes). Both then reached the domain as a 500, or would be stored as the wrong shape.
 * This walks a transformed DTO and names every such field.
 */
export function nestedShapeProblems(dto: unknown, path = ''): { field: string; message: string }[] {
  if (dto === null || typeof dto !== 'object' || Array.isArray(dto)) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto.constructor, '', true, false);
  const optional = new Set(metadata.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION).map((m) => m.propertyName));
  const nested = new Map(metadata.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION).map((m) => [m.propertyName, m.each]));
  const problems: { field: string; message: string }[] = [];
  for (const [property, each] of nested) {
    const field = path ? `${path}.${property}` : property;
    const value = (dto as Record<string, unknown>)[property];
    if (value === undefined || value === null) {
      if (!optional.has(property)) problems.push({ field, message: `${field} must be an object` });
      continue;
    }
    if (!each) {
      if (isObject(value)) problems.push(...nestedShapeProblems(value, field));
      else problems.push({ field, message: `${field} must be an object` });
      continue;
    }
    if (!Array.isArray(value)) {
      problems.push({ field, message: `${field} must be an array of objects` });
      continue;
    }
    value.forEach((item, i) => {
      if (isObject(item)) problems.push(...nestedShapeProblems(item, `${field}.${i}`));
      else problems.push({ field: `${field}.${i}`, message: `${field}.${i} must be an object` });
    });
  }
  return problems;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
