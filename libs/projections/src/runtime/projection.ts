import type { Kysely, Transaction } from 'kysely';
import { EVENT_CODEC, type RapportEvent } from '@rapport/domain';
import type { RecordedEvent } from '@rapport/event-store';
import type { ReadModelDb, ReadModelTable } from '../read-store/read-model-db';
import { epochMs } from './instants';
import type { RowProjection } from './row-projection';
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

export type ReadTx = Transaction<ReadModelDb>;

/**
 * A projection: a name, a version, the tables it owns, and how one event changes them.
 * `apply` runs inside the runtime's batch transaction, beside the checkpoint; it must only touch
 * its own tables. Bumping `version` drops those tables and rebuilds them from position 0.
 * An event type it does not know is ignored; an event it cannot apply must throw.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly tables: readonly ReadModelTable[];
  createTables(db: Kysely<ReadModelDb>): Promise<void>;
  apply(event: ProjectedEvent, tx: ReadTx): Promise<void>;
}

/** Either form the runtime runs: the row projection (pure), or one that writes through the transaction itself. */
export type AnyProjection = Projection | RowProjection;

export function isRowProjection(p: AnyProjection): p is RowProjection {
  return 'project' in p;
}

export async function createProjectionTables(db: Kysely<ReadModelDb>, p: AnyProjection): Promise<void> {
  if (isRowProjection(p)) await createTablesFromSpec(db, p.schema);
  else await p.createTables(db);
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
