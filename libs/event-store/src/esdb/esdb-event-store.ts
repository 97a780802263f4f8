import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  BACKWARDS,
  END,
  EventData,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  MaxAppendSizeExceededError,
  Position,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';
import { EventIdConflictError } from '../event-id-conflict.error';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventTooLargeError,
  NewEvent,
  PartialDuplicateAppendError,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { DOMAIN_STREAMS_REGEX, IDEMPOTENCY_STREAM_PREFIX, isDomainEvent, normalizeEventId, toRecordedEvent } from './esdb-events';
import { readToEnd } from './esdb-read-to-end';
import { readStartAfter, toEsdbExpectedRevision, toPortActualRevision, toPortPosition, toPortRevision } from './esdb-positions';

export interface EsdbEventStoreOptions {
  /**
   * An EventStoreDB connection string: `esdb://host:2113?tls=false` for an insecure single node,
   * `esdb+discover://user:pass@cluster:2113?tlsCAFile=ca.crt` for a secure cluster. TLS, the CA,
   * credentials and node preference all come from it.
   */
  connectionString: string;
  /** Per event: UTF-8 bytes of JSON data + JSON metadata. Default 1 MiB, as the SQLite adapter. */
  maxEventBytes?: number;
  /** First wait before resubscribing a dropped subscription; it doubles per failure. Default 100 ms. */
  resubscribeDelayMs?: number;
  /** The longest wait between resubscription attempts. Default 5000 ms. */
  resubscribeMaxDelayMs?: number;
  /** Where the adapter reports what it recovered from (a dropped subscription). Default console.warn. */
  warn?: (message: string) => void;
}

/** The same default as the SQLite adapter, so both refuse the same events. */
const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
/** Reading $all backwards to find the newest domain event: system events come in runs. */
const HEAD_PAGE = 100;
const DEFAULT_READ_LIMIT = 1000;
/** The smallest $all page worth a round trip when system events are interleaved with ours. */
const MIN_ALL_PAGE = 64;

/**
 * The EventStore port on EventStoreDB through @eventstore/db-client (gRPC).
 *
 * Positions are EventStoreDB commit positions as numbers (see esdb-positions.ts: unique and
 * increasing, not consecutive). The global log the port shows excludes system events and the
 * idempotency-claim streams earlier versions kept. Idempotency by event id is checked per stream
 * (EventStoreDB has no index by event id across streams).
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly maxEventBytes: number;
  private readonly resubscribeDelayMs: number;
  private readonly resubscribeMaxDelayMs: number;
  private readonly warn: (message: string) => void;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<{ finish(): void }>();
  private closing: Promise<void> | undefined;

  constructor(options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.resubscribeDelayMs = options.resubscribeDelayMs ?? 100;
    this.resubscribeMaxDelayMs = options.resubscribeMaxDelayMs ?? 5000;
    this.warn = options.warn ?? ((message) => console.warn(message));
  }

  append(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new Error('EsdbEventStore is closed'));
    return this.track(this.appendNow(stream, events, options));
  }

  async readStream(stream: string, options: { fromRevision?: number } = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0;
    if (!Number.isSafeInteger(from) || from < 0) throw new TypeError(`fromRevision must be a non-negative integer, got ${String(from)}`);
    return this.readStreamFrom(stream, from);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.limit ?? DEFAULT_READ_LIMIT;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError(`limit must be a non-negative integer, got ${String(limit)}`);
    const out: RecordedEvent[] = [];
    let from = options.after ?? 0;
    readStartAfter(from);
    if (limit === 0) return out;
    for (;;) {
      // EventStoreDB's read starts AT `from`: one more than we need covers the event we skip.
      const ask = Math.max(limit - out.length + 1, MIN_ALL_PAGE);
      const page = await readToEnd(this.client.readAll({ fromPosition: readStartAfter(from), direction: FORWARDS, maxCount: ask }));
      let last = from;
      for (const resolved of page) {
        const event = resolved.event;
        if (!event?.position) continue;
        const position = toPortPosition(event.position.commit);
        if (position <= from) continue;
        last = position;
        if (out.length < limit && isDomainEvent(event)) out.push(toRecordedEvent(event));
      }
      if (out.length >= limit || page.length < ask) return out;
      from = last;
    }
  }

  async headPosition(): Promise<number> {
    let from: Position | typeof END = END;
    for (;;) {
      let head: number | undefined;
      let oldest: Position | undefined;
      // Reading backwards from a position excludes it, so pages do not overlap.
      const page = await readToEnd(this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE }));
      for (const resolved of page) {
        const event = resolved.event;
        if (!event?.position) continue;
        if (head === undefined && isDomainEvent(event)) head = toPortPosition(event.position.commit);
        oldest = event.position;
      }
      if (head !== undefined) return head;
      if (page.length < HEAD_PAGE || !oldest) return 0;
      from = oldest;
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      let cursor = options.after ?? 0;
      try {
        readStartAfter(cursor);
        if (this.closing) throw new Error('EsdbEventStore is closed');
      } catch (error) {
        subscriber.error(error);
        return;
      }
      let live: AllStreamSubscription | undefined;
      let retry: NodeJS.Timeout | undefined;
      let failures = 0;
      let stopped = false;

      const stop = (): void => {
        stopped = true;
        this.subscriptions.delete(handle);
        if (retry) clearTimeout(retry);
        const current = live;
        live = undefined;
        if (current) void current.unsubscribe().catch(() => undefined);
      };
      const handle = {
        finish: (): void => {
          stop();
          subscriber.complete();
        },
      };

      const connect = (): void => {
        if (stopped) return;
        const subscription = this.client.subscribeToAll({
          fromPosition: readStartAfter(cursor),
          filter: streamNameFilter({ regex: DOMAIN_STREAMS_REGEX }),
        });
        live = subscription;
        let down = false;
        // The server went away or cut us off: start again after the last event delivered.
        const dropped = (reason: unknown): void => {
          if (stopped || down || live !== subscription) return;
          down = true;
          live = undefined;
          void subscription.unsubscribe().catch(() => undefined);
          const delay = Math.min(this.resubscribeMaxDelayMs, this.resubscribeDelayMs * 2 ** Math.min(failures, 20));
          failures++;
          this.warn(
            `EventStoreDB subscription to $all dropped after position ${cursor} (${describe(reason)}); resubscribing in ${delay} ms`,
          );
          retry = setTimeout(() => {
            retry = undefined;
            connect();
          }, delay);
        };
        subscription.on('data', (resolved: AllStreamResolvedEvent) => {
          if (stopped || live !== subscription) return;
          const event = resolved.event;
          if (!event || !isDomainEvent(event)) return;
          let recorded: RecordedEvent;
          try {
            recorded = toRecordedEvent(event);
          } catch (error) {
            stop();
            subscriber.error(error);
            return;
          }
          // EventStoreDB may start at `cursor` itself, and a resubscription must not repeat anything.
          if (recorded.position <= cursor) return;
          cursor = recorded.position;
          failures = 0;
          subscriber.next(recorded);
        });
        subscription.on('error', dropped);
        subscription.on('end', () => dropped(new Error('the server ended the subscription')));
      };

      this.subscriptions.add(handle);
      connect();
      return stop;
    });
  }

  /** Waits for appends in flight, completes subscriptions, closes the connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      for (const subscription of [...this.subscriptions]) subscription.finish();
      await this.client.dispose();
    })();
    return this.closing;
  }

  private async appendNow(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const proposed = this.validate(stream, events, options);
    const expected = options.expectedRevision;
    const existing = await this.readStreamFrom(stream, 0);
    const current = existing.at(-1)?.revision ?? -1;
    if (proposed.length === 0) return { nextRevision: current, position: await this.headPosition(), events: [] };

    const ids = proposed.map((event) => event.id as string);
    const stored = findStored(stream, existing, ids);
    if (stored) {
      // The same append again: it returns what it stored.
      return { nextRevision: current, position: stored.at(-1)!.position, events: stored };
    }

    // Streams only grow: a revision behind the one just read can never succeed.
    const wanted = expected === 'no_stream' ? -1 : expected;
    if (wanted !== 'any' && wanted < current) {
      throw new WrongExpectedRevisionError(stream, expected, current);
    }

    let nextRevision: number;
    try {
      const result = await this.client.appendToStream(stream, proposed, { expectedRevision: toEsdbExpectedRevision(expected) });
      nextRevision = toPortRevision(result.nextExpectedRevision);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        // A concurrent copy of this very append may have won: that is a repeat, not a conflict.
        // Ids stored up to `current` were looked for above, so only what came since is read.
        const since = await this.readStreamFrom(stream, current + 1);
        const repeat = findStored(stream, since, ids);
        if (repeat) return { nextRevision: since.at(-1)!.revision, position: repeat.at(-1)!.position, events: repeat };
        throw new WrongExpectedRevisionError(stream, expected, toPortActualRevision(error.actualVersion));
      }
      if (error instanceof MaxAppendSizeExceededError) {
        throw this.appendTooLarge(events, error.maxAppendSize);
      }
      // Timeout, unavailable…: the append may have landed; a retry with the same event ids cannot double it.
      throw error;
    }

    const written = await this.readBack(stream, ids, nextRevision);
    return { nextRevision: Math.max(nextRevision, written.at(-1)!.revision), position: written.at(-1)!.position, events: written };
  }

  /** The events just appended, as stored (positions and storedAt come from the server). */
  private async readBack(stream: string, ids: string[], lastRevision: number): Promise<RecordedEvent[]> {
    const first = lastRevision - ids.length + 1;
    if (first >= 0) {
      const slice = await this.readStreamFrom(stream, first, ids.length);
      if (slice.length === ids.length && slice.every((event, i) => event.eventId === ids[i])) return slice;
    }
    // The server reported an idempotent repeat at other revisions: find the events wherever they are.
    const found = findStored(stream, await this.readStreamFrom(stream, 0), ids);
    if (!found) throw new Error(`stream ${stream}: EventStoreDB acknowledged the append, but its events are not in the stream`);
    return found;
  }

  private async readStreamFrom(stream: string, fromRevision: number, maxCount?: number): Promise<RecordedEvent[]> {
    let read;
    try {
      read = await readToEnd(
        this.client.readStream(stream, {
          fromRevision: fromRevision > 0 ? BigInt(fromRevision) : START,
          direction: FORWARDS,
          ...(maxCount === undefined ? {} : { maxCount }),
        }),
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return read.flatMap((resolved) => (resolved.event ? [toRecordedEvent(resolved.event)] : []));
  }

  private validate(stream: string, events: NewEvent[], options: AppendOptions): EventData[] {
    if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('stream must be a non-empty string');
    if (stream.startsWith('$') || stream.startsWith(IDEMPOTENCY_STREAM_PREFIX)) {
      throw new TypeError(`stream ${stream}: names starting with $ or ${IDEMPOTENCY_STREAM_PREFIX} are not for domain events`);
    }
    if (!Array.isArray(events)) throw new TypeError('events must be an array');
    toEsdbExpectedRevision(options?.expectedRevision);
    const seen = new Set<string>();
    return events.map((event) => {
      const id = normalizeEventId(event.eventId);
      if (seen.has(id)) throw new TypeError(`stream ${stream}: event id ${id} appears twice`);
      seen.add(id);
      if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
        throw new TypeError('event type must be a non-empty string not starting with $');
      }
      if (!isPlainObject(event.data) || !isPlainObject(event.metadata)) {
        throw new TypeError(`event ${event.type}: data and metadata must be JSON objects`);
      }
      const bytes = jsonBytes(event);
      if (bytes > this.maxEventBytes) throw new EventTooLargeError(event.type, bytes, this.maxEventBytes);
      return jsonEvent({ id, type: event.type, data: event.data, metadata: event.metadata });
    });
  }

  /** The server's limit is per append: name the largest event and the whole append's size. */
  private appendTooLarge(events: NewEvent[], limit: number): EventTooLargeError {
    const sizes = events.map(jsonBytes);
    const largest = events[sizes.indexOf(Math.max(...sizes))];
    return new EventTooLargeError(largest.type, sizes.reduce((a, b) => a + b, 0), limit);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = () => this.inFlight.delete(work);
    work.then(done, done);
    return work;
  }
}

/** The stored events with these ids, in order; undefined when none is stored. */
function findStored(stream: string, existing: RecordedEvent[], ids: string[]): RecordedEvent[] | undefined {
  const found = lookUp(existing, ids);
  if (found.every((event) => event === undefined)) return undefined;
  if (found.some((event) => event === undefined)) throw new PartialDuplicateAppendError(stream);
  const rows = found as RecordedEvent[];
  if (!rows.every((event, i) => event.revision === rows[0].revision + i)) {
    throw new EventIdConflictError(stream, 'the appended event ids are stored, but not in this order');
  }
  return rows;
}

function lookUp(events: RecordedEvent[], ids: string[]): (RecordedEvent | undefined)[] {
  const byId = new Map(events.map((event) => [event.eventId, event]));
  return ids.map((id) => byId.get(id));
}

function jsonBytes(event: NewEvent): number {
  return Buffer.byteLength(JSON.stringify(event.data), 'utf8') + Buffer.byteLength(JSON.stringify(event.metadata), 'utf8');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** Connects lazily: nothing is sent before the first call. */
export function openEsdbEventStore(options: EsdbEventStoreOptions): EsdbEventStore {
  return new EsdbEventStore(options);
}
