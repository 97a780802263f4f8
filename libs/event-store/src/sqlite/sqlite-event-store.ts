import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensurePrivateDir, ensurePrivateFile } from '../data-dir';
import { Observable, Subject } from 'rxjs';
import { EventIdConflictError } from '../event-id-conflict.error';
import {
  AppendOptions,
  AppendResult,
  EventStore,
  EventTooLargeError,
  ExpectedRevision,
  NewEvent,
  PartialDuplicateAppendError,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { configureConnection, createSchema, SynchronousMode } from './sqlite-schema';

export interface SqliteEventStoreOptions {
  /** A file path, or ':memory:'. */
  filename: string;
  /** FULL (default) makes an acknowledged append durable; NORMAL may lose the last commits on power loss. */
  synchronous?: SynchronousMode;
  /** Per event: UTF-8 bytes of JSON data + JSON metadata. Default 1 MiB. */
  maxEventBytes?: number;
  /** How often subscribers look for events written by another process. Default 250 ms. */
  pollIntervalMs?: number;
  /** How long a write waits for another process's lock. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export interface StorageSettings {
  journalMode: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  busyTimeoutMs: number;
}

export interface GroupCommitStats {
  /** Write transactions that committed. */
  transactions: number;
  /** Appends handled inside those transactions (accepted or refused). */
  appends: number;
}

export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
const MAX_APPENDS_PER_TRANSACTION = 500;
const SUBSCRIPTION_BATCH = 500;
const DEFAULT_READ_LIMIT = 1000;
const SYNCHRONOUS_NAMES = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;

interface EventRow {
  position: number;
  stream: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  stored_at: string;
}

interface SerializedEvent {
  eventId: string;
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  stream: string;
  events: SerializedEvent[];
  expectedRevision: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

const EVENT_COLUMNS = 'position, stream, revision, event_id, type, data, metadata, stored_at';

function toRecorded(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    stream: row.stream,
    revision: row.revision,
    position: row.position,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    storedAt: row.stored_at,
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInMemory(filename: string): boolean {
  return filename === ':memory:' || filename === '' || filename.startsWith('file::memory:');
}

/**
 * The embedded EventStore on one SQLite file (WAL). Appends requested in the same tick share one
 * transaction (group commit): one fsync for many appends, each still checked on its own.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly maxEventBytes: number;
  private readonly pollIntervalMs: number;
  private readonly inMemory: boolean;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closing: Promise<void> | undefined;
  private readonly committed = new Subject<void>();
  private readonly subscriptions = new Set<{ finish(): void }>();
  private readonly stats: GroupCommitStats = { transactions: 0, appends: 0 };

  private readonly stmt: {
    streamRevision: Database.Statement<[string], number | null>;
    head: Database.Statement<[], number>;
    byEventId: Database.Statement<[string], EventRow>;
    insertEvent: Database.Statement<[string, number, string, string, string, string, string]>;
    readStream: Database.Statement<[string, number], EventRow>;
    readAll: Database.Statement<[number, number], EventRow>;
  };
  private readonly writeBatch: Database.Transaction<(batch: PendingAppend[]) => Outcome[]>;
  private readonly writeOne: Database.Transaction<(item: PendingAppend, storedAt: string) => AppendResult>;

  constructor(options: SqliteEventStoreOptions) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.inMemory = isInMemory(options.filename);
    if (!this.inMemory) ensurePrivateFile(options.filename);
    this.db = new Database(options.filename);
    try {
      configureConnection(this.db, options.synchronous ?? 'FULL', options.busyTimeoutMs ?? 5000);
      createSchema(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const db = this.db;
    this.stmt = {
      streamRevision: db.prepare<[string], number | null>('SELECT MAX(revision) FROM events WHERE stream = ?').pluck(),
      head: db.prepare<[], number>('SELECT COALESCE(MAX(position), 0) FROM events').pluck(),
      byEventId: db.prepare<[string], EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE event_id = ?`),
      insertEvent: db.prepare(
        'INSERT INTO events (stream, revision, event_id, type, data, metadata, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      readStream: db.prepare<[string, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision`,
      ),
      readAll: db.prepare<[number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      ),
    };
    // Nested transaction functions run as savepoints: a refused append rolls back only itself.
    this.writeOne = db.transaction((item: PendingAppend, storedAt: string) => this.applyAppend(item, storedAt));
    this.writeBatch = db.transaction((batch: PendingAppend[]): Outcome[] => {
      const storedAt = new Date().toISOString();
      return batch.map((item): Outcome => {
        try {
          return { ok: true, result: this.writeOne(item, storedAt) };
        } catch (error) {
          // SQLite rolled back the whole transaction (e.g. disk full): nothing in the batch holds.
          if (!db.inTransaction) throw error;
          return { ok: false, error };
        }
      });
    });
  }

  append(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closing) return Promise.reject(new Error('SqliteEventStore is closed'));
    let serialized: SerializedEvent[];
    try {
      serialized = this.validate(stream, events, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({
        stream,
        events: serialized,
        expectedRevision: options.expectedRevision,
        resolve,
        reject,
      });
      this.scheduleFlush();
    });
  }

  async readStream(stream: string, options: { fromRevision?: number } = {}): Promise<RecordedEvent[]> {
    return this.stmt.readStream.all(stream, options.fromRevision ?? 0).map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.readAfter(options.after ?? 0, options.limit ?? DEFAULT_READ_LIMIT);
  }

  async headPosition(): Promise<number> {
    return this.stmt.head.get() ?? 0;
  }

  subscribeToAll(options: SubscribeOptions = {}): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      if (this.closing) {
        subscriber.error(new Error('SqliteEventStore is closed'));
        return;
      }
      let cursor = options.after ?? 0;
      let pending: NodeJS.Immediate | undefined;

      // Returns true when a full batch came back, so more may be waiting.
      const deliverBatch = (): boolean => {
        const batch = this.readAfter(cursor, SUBSCRIPTION_BATCH);
        for (const event of batch) {
          if (subscriber.closed) return false;
          cursor = event.position;
          subscriber.next(event);
        }
        return batch.length === SUBSCRIPTION_BATCH;
      };
      const pump = (): void => {
        pending = undefined;
        if (subscriber.closed) return;
        try {
          // One batch per turn of the event loop, so a long history does not starve writers.
          if (deliverBatch()) wake();
        } catch (error) {
          subscriber.error(error);
        }
      };
      const wake = (): void => {
        if (pending === undefined && !subscriber.closed) pending = setImmediate(pump);
      };
      const handle = {
        finish: (): void => {
          try {
            while (!subscriber.closed && deliverBatch());
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.complete();
        },
      };

      const commits = this.committed.subscribe(wake);
      // Other processes writing the same file do not pass through `committed`.
      const poll = this.inMemory || this.pollIntervalMs <= 0 ? undefined : setInterval(wake, this.pollIntervalMs);
      poll?.unref();
      this.subscriptions.add(handle);
      wake();

      return () => {
        this.subscriptions.delete(handle);
        commits.unsubscribe();
        if (poll) clearInterval(poll);
        if (pending) clearImmediate(pending);
        pending = undefined;
      };
    });
  }


  /** Waits for queued appends to commit, completes subscriptions, closes the file. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      while (this.queue.length > 0 || this.flushScheduled) {
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      for (const subscription of [...this.subscriptions]) subscription.finish();
      this.committed.complete();
      this.db.close();
    })();
    return this.closing;
  }

  /** The pragmas in effect on this connection. */
  storageSettings(): StorageSettings {
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: SYNCHRONOUS_NAMES[Number(this.db.pragma('synchronous', { simple: true }))],
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
    };
  }

  /** How appends were grouped into transactions so far. */
  groupCommitStats(): GroupCommitStats {
    return { ...this.stats };
  }

  private readAfter(after: number, limit: number): RecordedEvent[] {
    if (limit <= 0) return [];
    return this.stmt.readAll.all(after, limit).map(toRecorded);
  }

  private validate(stream: string, events: NewEvent[], options: AppendOptions): SerializedEvent[] {
    if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('stream must be a non-empty string');
    if (!Array.isArray(events)) throw new TypeError('events must be an array');
    const expected = options?.expectedRevision;
    if (expected !== 'any' && expected !== 'no_stream' && !(Number.isInteger(expected) && expected >= -1)) {
      throw new TypeError(`expectedRevision must be 'any', 'no_stream' or an integer >= -1, got ${String(expected)}`);
    }
    const seen = new Set<string>();
    return events.map((event) => {
      if (typeof event.eventId !== 'string' || event.eventId.length === 0) {
        throw new TypeError('eventId must be a non-empty string');
      }
      if (seen.has(event.eventId)) throw new TypeError(`stream ${stream}: event id ${event.eventId} appears twice`);
      seen.add(event.eventId);
      if (typeof event.type !== 'string' || event.type.length === 0) {
        throw new TypeError('event type must be a non-empty string');
      }
      if (!isPlainObject(event.data) || !isPlainObject(event.metadata)) {
        throw new TypeError(`event ${event.type}: data and metadata must be JSON objects`);
      }
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      const bytes = Buffer.byteLength(data, 'utf8') + Buffer.byteLength(metadata, 'utf8');
      if (bytes > this.maxEventBytes) throw new EventTooLargeError(event.type, bytes, this.maxEventBytes);
      return { eventId: event.eventId, type: event.type, data, metadata };
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue.splice(0, MAX_APPENDS_PER_TRANSACTION);
    if (this.queue.length > 0) this.scheduleFlush();
    if (batch.length === 0) return;
    let outcomes: Outcome[];
    try {
      // IMMEDIATE takes the write lock up front: no lock upgrade to deadlock on with another process.
      outcomes = this.writeBatch.immediate(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    outcomes.forEach((outcome, i) => {
      if (outcome.ok) batch[i].resolve(outcome.result);
      else batch[i].reject(outcome.error);
    });
    this.committed.next();
  }

  /** One append inside the batch transaction; throws to refuse it. */
  private applyAppend(item: PendingAppend, storedAt: string): AppendResult {
    const { stream, events } = item;
    const current = this.stmt.streamRevision.get(stream) ?? -1;
    if (events.length === 0) return { nextRevision: current, position: this.stmt.head.get() ?? 0, events: [] };

    const stored = events.map((event) => this.stmt.byEventId.get(event.eventId));
    if (stored.some((row) => row !== undefined)) return this.repeatedAppend(item, stored, current);

    this.checkExpectedRevision(stream, item.expectedRevision, current);

    const recorded = events.map((event, i): RecordedEvent => {
      const revision = current + 1 + i;
      const info = this.stmt.insertEvent.run(stream, revision, event.eventId, event.type, event.data, event.metadata, storedAt);
      return {
        eventId: event.eventId,
        type: event.type,
        stream,
        revision,
        position: Number(info.lastInsertRowid),
        // Parsed back so the result equals what a later read returns (undefined dropped, etc.).
        data: JSON.parse(event.data) as Record<string, unknown>,
        metadata: JSON.parse(event.metadata) as Record<string, unknown>,
        storedAt,
      };
    });
    const last = recorded[recorded.length - 1];
    return { nextRevision: last.revision, position: last.position, events: recorded };
  }

  /** Some event ids are stored already: the same append again returns what it stored, anything else is refused. */
  private repeatedAppend(item: PendingAppend, stored: (EventRow | undefined)[], current: number): AppendResult {
    const { stream } = item;
    if (stored.some((row) => row === undefined)) throw new PartialDuplicateAppendError(stream);
    const rows = stored as EventRow[];
    const elsewhere = rows.find((row) => row.stream !== stream);
    if (elsewhere) {
      throw new EventIdConflictError(stream, `event id ${elsewhere.event_id} is stored in stream ${elsewhere.stream}`);
    }
    if (!rows.every((row, i) => row.revision === rows[0].revision + i)) {
      throw new EventIdConflictError(stream, 'the appended event ids are stored, but not in this order');
    }
    const last = rows[rows.length - 1].position;
    return { nextRevision: current, position: last, events: rows.map(toRecorded) };
  }

  private checkExpectedRevision(stream: string, expected: ExpectedRevision, current: number): void {
    if (expected === 'any') return;
    const wanted = expected === 'no_stream' ? -1 : expected;
    if (wanted !== current) {
      throw new WrongExpectedRevisionError(stream, expected, current === -1 ? 'no_stream' : current);
    }
  }
}

/** Opens (creating if needed) `<dataDir>/events.sqlite`. */
export function openSqliteEventStore(
  dataDir: string,
  options: Omit<SqliteEventStoreOptions, 'filename'> = {},
): SqliteEventStore {
  ensurePrivateDir(dataDir);
  return new SqliteEventStore({ ...options, filename: join(dataDir, 'events.sqlite') });
}
