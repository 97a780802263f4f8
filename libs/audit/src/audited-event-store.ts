import { Observable, concatMap, from } from 'rxjs';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
} from '@rapport/event-store';
import { KeyedQueue, WrongExpectedRevisionError } from '@rapport/event-store';
import { assertEventShape } from '@rapport/domain';
import { chainHash, chainOf } from './hash-chain';
import { isUnreadable } from './personal-data';
import type { PersonalDataSealer } from './personal-data';

const MAX_UNREADABLE_TRACKED = 100_000;

const ANY_REVISION_ATTEMPTS = 10;
const MAX_REMEMBERED_HEADS = 100_000;

export interface AuditedEventStoreOptions {
  /** Told of every committed append, as stored (the anchorer extends the audit anchor on it). */
  afterAppend?: (result: AppendResult) => void;
}

/**
 * The EventStore every part of the service uses: on the way in it seals personal data and chains
 * each event's hash to the previous one in its stream; on the way out it unseals (or shows the
 * data as erased). The store underneath holds only sealed, chained events; verifyChain reads it.
 */
export class AuditedEventStore implements EventStore {
  /** The last revision and hash of streams this process appended to: the next append chains on without a read. */
  private readonly heads = new Map<string, { revision: number; hash: string | null }>();
  /** Appends with 'any' to one stream, one at a time in this process: only other processes make them retry. */
  private readonly anyQueue = new KeyedQueue();
  private readonly unreadable = new Set<string>();
  /** Appends not yet answered: a graceful close waits for them before the anchor's last pass. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly inner: EventStore,
    private readonly sealer: PersonalDataSealer,
    private readonly options: AuditedEventStoreOptions = {},
  ) {}

  append(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const appended = this.appendChained(stream, events, options);
    this.inFlight.add(appended);
    const settle = () => void this.inFlight.delete(appended);
    appended.then(settle, settle);
    return appended;
  }

  /** Resolves when every append started so far has been answered (committed or refused). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async appendChained(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (options.expectedRevision !== 'any') return this.appendAt(stream, events, options);
    // 'any' cannot chain safely: another writer may append between reading the head and writing.
    // Append at the head as read, and read again when another process got there first.
    return this.anyQueue.run(stream, async () => {
      for (let attempt = 1; ; attempt++) {
        const head = (attempt === 1 ? this.heads.get(stream) : undefined) ?? (await this.headOf(stream, 'any'));
        try {
          return await this.appendAt(stream, events, { ...options, expectedRevision: head.revision < 0 ? 'no_stream' : head.revision });
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= ANY_REVISION_ATTEMPTS) throw error;
        }
      }
    });
  }

  private async appendAt(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    // Checked as the domain wrote it, before sealing: nothing malformed is ever chained into the log.
    for (const event of events) assertEventShape(event.type, event.data);
    let { revision, hash } = await this.headOf(stream, options.expectedRevision);
    const chained: NewEvent[] = [];
    for (const event of events) {
      const data = await this.sealer.seal(event.type, event.data);
      revision += 1;
      const metadata = { ...event.metadata };
      delete metadata.chain;
      const link = { prev: hash, hash: chainHash(hash, { stream, revision, type: event.type, data, metadata }) };
      chained.push({ ...event, data, metadata: { ...metadata, chain: link } });
      hash = link.hash;
    }
    let result: AppendResult;
    try {
      result = await this.inner.append(stream, chained, options);
    } catch (error) {
      this.heads.delete(stream);
      throw error;
    }
    this.remember(stream, result);
    this.options.afterAppend?.(result);
    return { ...result, events: await this.open(result.events) };
  }

  async readStream(stream: string, options?: { fromRevision?: number }): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readStream(stream, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.open(await this.inner.readAll(options));
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribeToAll(options?: SubscribeOptions): Observable<RecordedEvent> {
    return this.inner.subscribeToAll(options).pipe(concatMap((event) => from(this.openOne(event))));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The revision and hash the next event chains to. */
  private async headOf(stream: string, expected: AppendOptions['expectedRevision']): Promise<{ revision: number; hash: string | null }> {
    if (expected === 'no_stream' || (typeof expected === 'number' && expected < 0)) return { revision: -1, hash: null };
    const known = this.heads.get(stream);
    if (known && typeof expected === 'number' && known.revision === expected) return known;
    const events = typeof expected === 'number' ? await this.inner.readStream(stream, { fromRevision: expected }) : await this.inner.readStream(stream);
    const last = typeof expected === 'number' ? events.find((e) => e.revision === expected) : events[events.length - 1];
    // With a stale expected revision the append fails anyway; chain to what the writer believed.
    if (!last) return { revision: typeof expected === 'number' ? expected : -1, hash: null };
    return { revision: last.revision, hash: chainOf(last.metadata)?.hash ?? null };
  }

  /** Keeps the head of a stream after an append that wrote new events (not after an idempotent repeat). */
  private remember(stream: string, result: AppendResult): void {
    const last = result.events[result.events.length - 1];
    const link = last ? chainOf(last.metadata) : undefined;
    if (!last || !link || last.revision !== result.nextRevision) {
      this.heads.delete(stream);
      return;
    }
    // Bounded: a busy store touches millions of streams; a miss costs one read.
    if (this.heads.size >= MAX_REMEMBERED_HEADS) this.heads.clear();
    this.heads.set(stream, { revision: last.revision, hash: link.hash });
  }

  private async open(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    return Promise.all(events.map((event) => this.openOne(event)));
  }

  private async openOne(event: RecordedEvent): Promise<RecordedEvent> {
    const data = await this.sealer.unseal(event.type, event.data);
    if (data === event.data) return event;
    if (Object.values(data).some(isUnreadable)) this.noteUnreadable(event.eventId);
    return { ...event, data };
  }

  /**
   * Events read since start whose sealed personal data could not be opened (not erased): /health
   * reports how many, so a tampered file or a stale key backup is seen, not silently shown as blank.
   */
  unreadableRecords(): number {
    return this.unreadable.size;
  }

  private noteUnreadable(eventId: string): void {
    // Counted once per event however often it is read; the set is bounded, the count then a floor.
    if (this.unreadable.size < MAX_UNREADABLE_TRACKED) this.unreadable.add(eventId);
  }
}
