import type { EventStore, RecordedEvent } from '@rapport/event-store';

/**
 * One reader of the log for every projection of a process. Projections at the same position ask
 * for the same batch, and the first asking reads it (personal data unsealed once); the rest get that
 * read. A projection that is behind (a rebuild) asks for older batches: those are read for it
 * alone, until it reaches the others and shares theirs. A batch is kept while it may still be
 * asked for (a bounded number of them); an empty or failed read is never kept, so the next ask
 * goes to the store again.
 */
export class SharedLogReader {
  private readonly batches = new Map<string, Promise<RecordedEvent[]>>();
  /** Reads that went to the store, and events they returned: for the bench's notes. */
  storeReads = 0;
  eventsRead = 0;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
    private readonly keep = 64,
  ) {}

  /** The batch after `after` (up to `limit` events, by default batchSize), read once for whoever asks for it. */
  read(after: number, limit = this.batchSize): Promise<RecordedEvent[]> {
    const key = `${after}/${limit}`;
    const kept = this.batches.get(key);
    if (kept) return kept;
    const reading = this.store.readAll({ after, limit });
    this.storeReads++;
    this.batches.set(key, reading);
    if (this.batches.size > this.keep) this.batches.delete(this.batches.keys().next().value!);
    reading.then(
      (events) => {
        this.eventsRead += events.length;
        // Nothing there yet: the next ask must look again.
        if (events.length === 0 && this.batches.get(key) === reading) this.batches.delete(key);
      },
      () => {
        if (this.batches.get(key) === reading) this.batches.delete(key);
      },
    );
    return reading;
  }
}
