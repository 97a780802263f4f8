import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { withPersonalDataErased } from '@rapport/audit';
import { EVENT_STORE, EventStore, RecordedEvent, SharedLogReader } from '@rapport/event-store';
import { Turns } from './turns';

/** What a subscriber of the live log is told. */
export interface LiveListener {
  event(event: RecordedEvent): void;
  /** The store's subscription failed: the subscriber should end (its client resumes with Last-Event-ID). */
  failed(error: unknown): void;
}

/** Events the tail keeps, newest last: a subscriber this close behind joins without a read of its own. */
const DEFAULT_CAPACITY = 5000;
/** Pages of older history kept for other clients catching up (events, and how long). */
const HISTORY_KEPT_EVENTS = 5000;
const HISTORY_KEPT_MS = 2000;

/**
 * The newest stretch of the log, read once for every feed client of this process: one
 * subscription to the store (personal data unsealed once per event, not once per client), kept
 * in a bounded buffer and handed to every live subscriber as it arrives. A client whose position
 * is inside the buffer joins with no read; one further behind pages the store until it is, and
 * clients paging through the same history share each page's read (a crowd reconnecting at once
 * reads and unseals the log once, not once each). A kept page is dropped at once at an erasure
 * made by this process, when the event of one made by another process arrives, and in any case
 * after HISTORY_KEPT_MS: that is how long it can show names a fresh read would show as erased.
 */
@Injectable()
export class LiveLog implements OnApplicationShutdown {
  private buffer: RecordedEvent[] = [];
  /** The buffer holds every event after this position (up to `last`). */
  private coveredFrom = 0;
  private last = 0;
  /** Subscribers of every clinic, and those of some clinics by clinic: an event reaches only those who may see it. */
  private readonly everywhere = new Set<LiveListener>();
  private readonly byClinic = new Map<string, Set<LiveListener>>();
  private count = 0;
  private subscription: Subscription | undefined;
  private starting: Promise<void> | undefined;
  private failure: unknown;

  private readonly capacity = DEFAULT_CAPACITY;
  private readonly history: SharedLogReader;
  /** Clients paging through history take turns, a page each per turn of the event loop. */
  private readonly turns = new Turns();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    // Every caller names its page size; the default is never used.
    this.history = new SharedLogReader(store, 500, HISTORY_KEPT_EVENTS, HISTORY_KEPT_MS);
  }

  /**
   * Joins at `cursor` when the buffer holds everything after it: the buffered events after it are
   * delivered at once, then each new one. Undefined when the cursor is older than the buffer (read
   * more history first). Returns how to leave.
   */
  async join(cursor: number, listener: LiveListener, clinics?: readonly string[]): Promise<(() => void) | undefined> {
    await this.start();
    if (this.failure !== undefined) throw this.failure;
    if (cursor < this.coveredFrom) return undefined;
    // Synchronous from here to the add: no event can arrive in between.
    for (const event of this.buffer) if (event.position > cursor) listener.event(event);
    const wrapped: LiveListener = {
      event: (event) => {
        if (event.position > cursor) listener.event(event);
      },
      failed: (error) => listener.failed(error),
    };
    const sets = clinics === undefined ? [this.everywhere] : [...new Set(clinics)].map((c) => this.byClinic.get(c) ?? this.byClinic.set(c, new Set()).get(c)!);
    for (const set of sets) set.add(wrapped);
    this.count++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      for (const set of sets) set.delete(wrapped);
      this.count--;
    };
  }

  /** Up to `limit` events after `after` from the buffer, when it holds them; otherwise from the store. */
  async read(after: number, limit: number): Promise<RecordedEvent[]> {
    await this.start();
    if (this.failure === undefined && after >= this.coveredFrom && after < this.last) {
      const events: RecordedEvent[] = [];
      for (const event of this.buffer) {
        if (event.position <= after) continue;
        events.push(event);
        if (events.length === limit) break;
      }
      return events;
    }
    return this.history.read(after, limit);
  }

  /** Resolves when it is the caller's turn to read a page of history (other requests run between two). */
  turn(): Promise<void> {
    return this.turns.next();
  }

  /** A patient was erased by this process: pages kept for other clients go now, not when the event comes round. */
  erased(): void {
    this.history.forgetAll();
  }

  get subscribers(): number {
    return this.count;
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    this.everywhere.clear();
    this.byClinic.clear();
  }

  private all(): LiveListener[] {
    return [...this.everywhere, ...[...this.byClinic.values()].flatMap((set) => [...set])];
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      const head = await this.store.headPosition();
      this.coveredFrom = head;
      this.last = head;
      this.subscription = this.store.subscribeToAll({ after: head }).subscribe({
        next: (event) => this.receive(event),
        error: (error: unknown) => {
          this.failure = error;
          for (const listener of new Set(this.all())) listener.failed(error);
          this.everywhere.clear();
          this.byClinic.clear();
        },
      });
    })();
    return this.starting;
  }

  private receive(event: RecordedEvent): void {
    // An erasure reaches the buffer too: what it holds of that patient reads as erased from now on.
    if (event.type === 'PersonalDataErased') {
      this.history.forgetAll();
      const patientId = event.data.patientId;
      this.buffer = this.buffer.map((e) => (e.data.patientId === patientId ? withPersonalDataErased(e) : e));
    }
    this.buffer.push(event);
    this.last = event.position;
    if (this.buffer.length > this.capacity) {
      // Dropped in chunks, so the array is not shifted one element per event.
      const dropped = this.buffer.splice(0, Math.max(1, Math.floor(this.capacity / 10)));
      this.coveredFrom = dropped[dropped.length - 1]!.position;
    }
    for (const listener of this.everywhere) listener.event(event);
    const clinic = this.byClinic.get(String(event.data.clinicId));
    if (clinic) for (const listener of clinic) listener.event(event);
  }
}
