import { createHash } from 'node:crypto';

/**
 * The event ids of a request under an Idempotency-Key: the i-th event it stores always gets the
 * same UUID (version 8, name-based), so the store's own idempotent append by event id absorbs a
 * retry, and the runner can tell from a stream alone that the request already landed.
 */
export function derivedEventId(scopedKey: string, index: number): string {
  const hex = createHash('sha256').update(`rapport idempotency\n${scopedKey}\n${index}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A client's key is theirs alone: the same key from two people is two keys. */
export function scopedKey(userId: string, idempotencyKey: string): string {
  return `${userId}:${idempotencyKey}`;
}
