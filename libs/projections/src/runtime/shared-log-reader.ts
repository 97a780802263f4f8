import type { EventStore, RecordedEvent } from '@rapport/event-store';

/**
 * One reader of the log for every projection of a process. Projections at the same position ask
 * for the same batch, and the first asking reads it (personal data unsealed once); the rest get that
 * read. A projection that is behind (a rebuild) asks for older batches: those are read for it
 * alone, until it reaches the others and shares theirs. A batch is kept while it may still be
 * asked for (up to `keepEvents` events in all: a rebuild's large batches held longer would only
 * keep the log in memory); an empty or failed read is never kept, so the next ask goes to the
 * store again.
 */
export class SharedLogReader {
  private readonly batches = new Map<string, { reading: Promise<RecordedEvent[]>; limit: number }>();
  /** The most events the kept batches may hold (by their limits). */
  private kept = 0;
  /** Reads that went to the store, and events they returned: for the bench's notes. */
  storeReads = 0;
  eventsRead = 0;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
    private readonly keepEvents = 10_000,
  ) {}

  /** The batch after `after` (up to `limit` events, by default batchSize), read once for whoever asks for it. */
  read(after: number, limit = this.batchSize): Promise<RecordedEvent[]> {
    const key = `${after}/${limit}`;
    const kept = this.batches.get(key);
    if (kept) return kept.reading;
    const reading = this.store.readAll({ after, limit });
    this.storeReads++;
    this.batches.set(key, { reading, limit });
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

  private forget(key: string): void {
    const batch = this.batches.get(key);
    if (!batch) return;
    this.kept -= batch.limit;
    this.batches.delete(key);
  }
}
