import type { Kysely } from 'kysely';
import { EVENT_CODEC, type RapportEvent } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import type { ReadModelDb } from '../read-store/read-model-db';
import { epochMs } from './instants';
import type { Projection } from './row-projection';
import { createTablesFromSpec } from './sql-rows';

/** An event from the global log as a projection sees it: the domain event plus where and when it was stored. */
export type ProjectedEvent = RapportEvent & {
  position: number;
  eventId: string;
  stream: string;
  /** The server's time of the command (metadata.recordedAt), or the store's commit time when absent. */
  recordedAt: string;
  recordedAtMs: number;
  metadata: Record<string, unknown>;
};

/** Creates a projection's tables and indexes from its schema (those that exist are left as they are). */
export async function createProjectionTables(db: Kysely<ReadModelDb>, p: Projection): Promise<void> {
  await createTablesFromSpec(db, p.schema);
}

/** The stored event read through the codec (upcast to today's shape), with where and when it was stored. */
export function toProjectedEvent(recorded: RecordedEvent, codec = EVENT_CODEC): ProjectedEvent {
  const claimed = recorded.metadata.recordedAt;
  const recordedAt = typeof claimed === 'string' && claimed.length > 0 ? claimed : recorded.storedAt;
  // A type this Rapport does not know is handed on as stored: projections ignore types they do not know.
  const { type, data } = codec.versionOf(recorded.type) === undefined ? recorded : codec.decode(recorded);
  return {
    type,
    data,
    position: recorded.position,
    eventId: recorded.eventId,
    stream: recorded.stream,
    recordedAt,
    recordedAtMs: epochMs(recordedAt, 'metadata.recordedAt'),
    metadata: recorded.metadata,
  } as ProjectedEvent;
}
