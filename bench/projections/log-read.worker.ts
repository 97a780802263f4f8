import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { rate, READ_BATCH, readThrough } from './read-through';
import { openStoreAsApi } from './store-as-api';

export interface LogReadConfig {
  /** Holds the generated `events.sqlite` (the one the rebuild row of this size reads). */
  logDir: string;
  logNotes: string[];
}

/**
 * The floor under any rebuild: the whole log read once, in the runtime's batches, as stored (the
 * SqliteEventStore under the audited store: rows parsed, nothing unsealed). The rebuild row's
 * ratio against this says how close the read side comes to reading the log once.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<LogReadConfig>();
  const stores = openStoreAsApi(config.logDir);
  const head = await stores.raw.headPosition();
  const report = progressReporter(head * 2, 'reading the log');
  const rawSeconds = await readThrough(stores.raw, head, (done) => report(done));
  const openedSeconds = await readThrough(stores.store, head, (done) => report(head + done));
  await stores.close();
  return {
    count: head,
    seconds: rawSeconds,
    unit: 'events/s',
    inFlight: '',
    notes: [
      ...config.logNotes,
      `readAll in batches of ${READ_BATCH}, as stored: ${rate(head, rawSeconds)} events/s; through the audited store (personal data unsealed): ${rate(head, openedSeconds)} events/s`,
    ],
  };
});
