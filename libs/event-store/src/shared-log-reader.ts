import { performance } from 'node:perf_hooks';
import type { EventStore, RecordedEvent } from './event-store.port';

/**
 * One read of a stretch of the log for everyone in a process who asks for it: the projections of
 * a process (those at the same position ask for the same batch) and the feed's clients catching
 * up on the same history. The first asking reads it (personal data unsealed once); the rest get
 * that read. One further behind (a rebuild) asks for older batches, read for it alone until it
 * reaches the others. A batch is kept while it may still be asked for (up to `keepEvents` events
 * in all: a rebuild's large batches held longer would only keep the log in memory; and no longer
 * than `maxAgeMs`, when given); an empty or failed read is never kept, so the next ask goes to the
 * store again. The events handed out are shared: nobody may change them.
 */
export class SharedLogReader {
  private readonly batches = new Map<string, { reading: Promise<RecordedEvent[]>; limit: number; readAt: number }>();
  /** The most events the kept batches may hold (by their limits). */
  private kept = 0;
  /** Reads that went to the store, and events they returned: for the bench's notes. */
  storeReads = 0;
  eventsRead = 0;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
    private readonly keepEvents = 10_000,
    private readonly maxAgeMs = Infinity,
  ) {}

  /** The batch after `after` (up to `limit` events, by default batchSize), read once for whoever asks for it. */
  read(after: number, limit = this.batchSize): Promise<RecordedEvent[]> {
    const key = `${after}/${limit}`;
    const now = performance.now();
    // Kept in the order they were read: the expired ones are at the front.
    for (const [oldest, batch] of this.batches) {
      if (now - batch.readAt <= this.maxAgeMs) break;
      this.forget(oldest);
    }
    const kept = this.batches.get(key);
    if (kept) return kept.reading;
    const reading = this.store.readAll({ after, limit });
    this.storeReads++;
    this.batches.set(key, { reading, limit, readAt: now });
    this.kept += limit;
    // The oldest go first; the one just asked for stays whatever its size.
    for (const [oldest] of this.batches) {
      if (this.kept <= this.keepEvents || oldest === key) break;
      this.forget(oldest);
    }
    reading.then(
      (events) => {
        this.eventsRead += events.length;
        // Nothing there yet: the next ask must look again.
        if (events.length === 0 && this.batches.get(key)?.reading === reading) this.forget(key);
      },
      () => {
        if (this.batches.get(key)?.reading === reading) this.forget(key);
      },
    );
    return reading;
  }

  /** Drops every kept batch (after an erasure, what they hold of the patient must not be handed out again). */
  forgetAll(): void {
    this.batches.clear();
    this.kept = 0;
  }

  private forget(key: string): void {
    const batch = this.batches.get(key);
    if (!batch) return;
    this.kept -= batch.limit;
    this.batches.delete(key);
  }
}
