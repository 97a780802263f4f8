import type { RapportEvent } from '../events';

/** Who and what caused an event, as its metadata records it. */
export interface EventOrigin {
  eventId: string;
  correlationId: string;
  /** The command (or the event) that caused it. */
  causationId: string;
  actor: { userId: string; role: string };
  /** The server's time when it was decided (ISO-8601). */
  recordedAt: string;
  idempotencyKey?: string;
}

/** An event ready for the store: what `NewEvent` of the event-store port expects. */
export interface EventEnvelope {
  eventId: string;
  type: RapportEvent['type'];
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * The one place event metadata is written (through the codec, which knows the schema version): the
 * version of the type, the origin, and for a call the time the caller claims it started (so an
 * audit can set claimed against recorded time).
 */
export function envelopeAt(event: RapportEvent, origin: EventOrigin, schemaVersion: number): EventEnvelope {
  const { idempotencyKey, ...rest } = origin;
  return {
    eventId: origin.eventId,
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: {
      eventId: rest.eventId,
      schemaVersion,
      correlationId: rest.correlationId,
      causationId: rest.causationId,
      actor: rest.actor,
      recordedAt: rest.recordedAt,
      ...(event.type === 'CallAttempted' ? { claimedAt: event.data.startedAt } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    },
  };
}
