import { performance } from 'node:perf_hooks';
import type { EventStore } from '@rapport/event-store';

/** The projector runtime's batch size: the log is read in the batches a rebuild reads it in. */
export const READ_BATCH = 500;

/** Reads the log up to `head` once, in batches; the seconds it took. */
export async function readThrough(store: EventStore, head: number, progress: (done: number) => void = () => undefined): Promise<number> {
  const started = performance.now();
  for (let after = 0; after < head; ) {
    const batch = await store.readAll({ after, limit: READ_BATCH });
    after = batch[batch.length - 1]!.position;
    progress(after);
  }
  return (performance.now() - started) / 1000;
}

export function rate(events: number, seconds: number): string {
  return Math.round(events / seconds).toLocaleString('en-US');
}
