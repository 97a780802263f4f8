import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { RecordedEvent } from '../event-store.port';
import { toPortPosition, toPortRevision } from './esdb-positions';

/**
 * Streams earlier versions of this adapter kept for idempotency claims (now derived event ids do
 * that): still stored in older databases, never part of the domain's log, and not writable.
 */
export const IDEMPOTENCY_STREAM_PREFIX = 'idempotency-';

/**
 * What the port's global log shows: no system events (`$`-typed: links, metadata, stats; or in a
 * `$`-stream: projections' output) and none of this adapter's own bookkeeping streams.
 */
export function isDomainEvent(event: { streamId: string; type: string }): boolean {
  return !event.type.startsWith('$') && !event.streamId.startsWith('$') && !event.streamId.startsWith(IDEMPOTENCY_STREAM_PREFIX);
}

/**
 * The same rule as a server-side stream-name filter for subscriptions, so EventStoreDB does not
 * ship what we would drop anyway. (A regex on event types cannot also exclude our own streams.)
 */
export const DOMAIN_STREAMS_REGEX = `^(?!\\$|${IDEMPOTENCY_STREAM_PREFIX})`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** EventStoreDB keys events by GUID and hands them back lower-case. */
export function normalizeEventId(eventId: unknown): string {
  if (typeof eventId !== 'string' || !UUID.test(eventId)) {
    throw new TypeError(`eventId must be a UUID on EventStoreDB, got ${JSON.stringify(eventId)}`);
  }
  return eventId.toLowerCase();
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) throw new Error(`EventStoreDB returned event ${event.id} of ${event.streamId} without a position`);
  return {
    eventId: event.id,
    type: event.type,
    stream: event.streamId,
    revision: toPortRevision(event.revision),
    position: toPortPosition(event.position.commit),
    data: asObject(event.data, event.isJson),
    metadata: event.metadata === undefined ? {} : asObject(event.metadata, !(event.metadata instanceof Uint8Array)),
    storedAt: event.created.toISOString(),
  };
}

/** Our events are JSON objects; another writer's may not be. Keep them readable rather than drop them. */
function asObject(value: unknown, isJson: boolean): Record<string, unknown> {
  if (!isJson || value instanceof Uint8Array) return { base64: Buffer.from(value as Uint8Array).toString('base64') };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  return { value };
}
