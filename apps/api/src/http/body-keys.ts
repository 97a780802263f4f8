import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/**
 * A body of 60,000 unknown keys cost class-validator 2.3 s (one error per key) and answered 4.3 MB.
 * No DTO has more than a couple dozen fields and no command, not even a clinic's whole protocol,
 * needs thousands: keys are counted before validation and a body past either cap is one 400.
 */
export const MAX_KEYS_PER_OBJECT = 64;
/** Object keys plus array items, the whole body. */
export const MAX_BODY_ENTRIES = 10_000;

/** What is wrong with a body past the caps, or undefined. Iterative, so depth costs no stack. */
export function keyCountProblems(body: unknown, dto?: Type<unknown>): { field: string; message: string }[] | undefined {
  let total = 0;
  const pending: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    const keys = Object.keys(value);
    if (!Array.isArray(value) && keys.length > MAX_KEYS_PER_OBJECT) {
      // At the top the DTO says which keys it knows: name the others, as the whitelist would.
      if (path === '' && dto) return unknownKeys(keys, dto);
      return [{ field: path || 'body', message: `${path || 'body'} has ${keys.length} fields; no object here has more than ${MAX_KEYS_PER_OBJECT}` }];
    }
    total += keys.length;
    if (total > MAX_BODY_ENTRIES) return [{ field: 'body', message: `body has more than ${MAX_BODY_ENTRIES} fields and array items in all` }];
    for (const key of keys) pending.push({ value: (value as Record<string, unknown>)[key], path: path ? `${path}.${key}` : key });
  }
  return undefined;
}

function unknownKeys(keys: string[], dto: Type<unknown>): { field: string; message: string }[] {
  const known = new Set(getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).map((m) => m.propertyName));
  return keys.filter((key) => !known.has(key)).map((key) => ({ field: key, message: `property ${key} should not exist` }));
}
