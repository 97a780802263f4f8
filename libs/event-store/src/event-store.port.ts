import { Observable } from 'rxjs';

/**
 * The EventStore port. Adapters (SQLite for the embedded default, EventStoreDB for production)
 * implement it and pass the same contract suite (libs/event-store/test/event-store.contract.ts).
 *
 * Revisions and positions are plain numbers: a stream revision counts from 0, a global position
 * counts from 1 and 0 means "before the first event". Adapters whose native positions are bigint
 * convert at the boundary, so no bigint ever reaches JSON.
 */

/** What a command handler hands the store. */
export interface NewEvent {
  /**
   * Unique per event; appending an event id that is already stored is a no-op (idempotent). The
   * command side derives ids from a request's Idempotency-Key, so a retried request lands once.
   */
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** An event as stored. */
export interface RecordedEvent {
  eventId: string;
  type: string;
  stream: string;
  /** 0-based position within its stream. */
  revision: number;
  /** 1-based position in the global log; strictly increasing, no gaps visible to a reader. */
  position: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  /** When the store committed it (ISO-8601, UTC). */
  storedAt: string;
}

/**
 * `'no_stream'`: the stream must not exist. `'any'`: no check. A number: the revision of the
 * stream's last event, as the writer read it.
 */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextRevision: number;
  /** Global position of the last event appended (or of the existing events, on a repeat). */
  position: number;
  /** The events as stored, in order. */
  events: RecordedEvent[];
}

export interface ReadAllOptions {
  /** Return events with position > after. Default 0. */
  after?: number;
  /** At most this many events. Default 1000. */
  limit?: number;
}

export interface SubscribeOptions {
  /** Deliver events with position > after. Default 0. */
  after?: number;
}

export interface EventStore {
  append(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** The stream's events in order; an empty array for a stream that does not exist. */
  readStream(stream: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]>;
  /** The global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The global position of the last stored event (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * Every event after `after`, then live ones as they are committed, in position order, each
   * exactly once. Unsubscribing stops it.
   */
  subscribeToAll(options?: SubscribeOptions): Observable<RecordedEvent>;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

/** The stream's revision is not what the writer expected: re-read, decide again, retry. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, found ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event larger than the store accepts. */
export class EventTooLargeError extends Error {
  constructor(
    readonly eventType: string,
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`event ${eventType} is ${bytes} bytes; the store accepts at most ${limit} bytes per event`);
    this.name = 'EventTooLargeError';
  }
}

/** Some but not all of an append's event ids are already stored: a caller bug, never a retry. */
export class PartialDuplicateAppendError extends Error {
  constructor(readonly stream: string) {
    super(`stream ${stream}: some of the appended event ids already exist and some do not`);
    this.name = 'PartialDuplicateAppendError';
  }
}
