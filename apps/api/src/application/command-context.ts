import type { Actor } from '@rapport/access';
import type { RecordedEvent } from '@rapport/event-store';

/** What a command carries from its request (HTTP, the demo, the bench) into the event metadata. */
export interface CommandContext {
  commandId: string;
  correlationId: string;
  principal: Actor;
  /** The client's Idempotency-Key, as sent: the same key and request again answer what they did the first time. */
  idempotencyKey?: string;
  /** A hash of the request (method, path, body) to tell a repeat from another request under the same key. */
  requestHash: string;
  /** If-Match: decide only if the record is still at this revision (else PreconditionFailedError, 412). */
  expectedRevision?: number;
}

/** What a command answers: the body for its caller and where its last event sits in the log. */
export interface CommandResult<Body> {
  body: Body;
  /** Global position of the command's last event, or the log's head when it appended nothing. */
  position: number;
  /** True when an Idempotency-Key repeat returned the first response. */
  replayed: boolean;
  /** The events this request stored (empty on a replay answered from the stored response). */
  events: RecordedEvent[];
  /** The record's revision after the command (its ETag), when the command names one record. */
  revision?: number;
}
