import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { ALL_PROJECTIONS, openReadModels, ProjectorRuntime, ReadStoreConfig } from '@rapport/projections';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { rate, READ_BATCH, readThrough } from './read-through';
import { openStoreAsApi } from './store-as-api';
import { RebuildClock } from './timed-projections';

export interface RebuildConfig {
  /** Holds the generated `events.sqlite`. */
  logDir: string;
  /** Where to rebuild into: a new SQLite file, or a new PostgreSQL schema (dropped afterwards). */
  readStore: ReadStoreConfig;
  /** What the setup said about the log, printed with the row. */
  logNotes: string[];
}

const quiet = { log: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

/**
 * A clean rebuild of every projection from the whole log into new SQLite read models, as the
 * runtime does it after a version change: ProjectorRuntime.prepare() then catchUp(), its default
 * batches (500 events, each batch and its checkpoint one transaction), its own per-event writes.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<RebuildConfig>();
  const stores = openStoreAsApi(config.logDir);
  const store = stores.store;
  const head = await store.headPosition();

  // The floor under any rebuild: reading the log once, in the runtime's batches, as stored and as opened.
  const rawReadSeconds = await readThrough(stores.raw, head);
  const readSeconds = await readThrough(store, head);

  const models = await openReadModels(config.readStore);
  const into = config.readStore.kind === 'sqlite' ? 'new SQLite read models (WAL, NORMAL)' : `a new schema of the local PostgreSQL (${models.description})`;
  const clock = new RebuildClock();
  const runtime = new ProjectorRuntime({
    store: clock.store(store),
    db: models.db,
    projections: ALL_PROJECTIONS,
    progress: false,
    logger: quiet,
  });
  const report = progressReporter(head, 'rebuilding: events');
  runtime.onProgress(() => report(Math.min(...runtime.snapshot().map((s) => s.position))));
  const started = performance.now();
  await runtime.prepare();
  await runtime.catchUp();
  const seconds = (performance.now() - started) / 1000;

  const states = runtime.snapshot();
  const behind = states.filter((s) => s.position !== head || s.status !== 'running');
  if (behind.length > 0) throw new Error(`rebuild ended short of ${head}: ${behind.map((s) => `${s.name} at ${s.position} (${s.status}${s.error ? `: ${s.error.message}` : ''})`).join('; ')}`);
  const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(models.db)).rows[0]!.n);
  const rows = { openFollowUps: await count('queue_follow_ups'), timeline: await count('timeline_entries'), callerFacts: await count('caller_facts') };
  if (config.readStore.kind === 'postgres' && config.readStore.schema) await sql`drop schema ${sql.id(config.readStore.schema)} cascade`.execute(models.db);
  await models.close();
  await stores.close();

  const io = runtime.rowIo;
  // The runtime times each projection's work per batch (per event, the clock would cost more than some projections).
  const applySeconds = ([...io.workMsByProjection.values()].reduce((a, b) => a + b, 0) - io.loadMs) / 1000;
  const readAllSeconds = clock.readAllMs / 1000;
  const perProjection = [...io.workMsByProjection].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ');
  return {
    count: head,
    seconds,
    unit: 'events/s',
    inFlight: '',
    notes: [
      ...config.logNotes,
      `the API's read path: the audited store (unsealing personal data) over SqliteEventStore; ${ALL_PROJECTIONS.length} projections into ${into}: ProjectorRuntime prepare() + catchUp(), batches of 5,000 while rebuilding (500 live); rebuilding from empty, the rows are held in memory (up to 1M) and written set-wise with the checkpoints every 200,000 changed rows and when caught up, the indexes built at the end`,
      `rebuilt: ${rows.openFollowUps.toLocaleString('en-US')} open follow-ups, ${rows.timeline.toLocaleString('en-US')} timeline entries, ${rows.callerFacts.toLocaleString('en-US')} caller facts`,
      `where the ${seconds.toFixed(1)} s went: working out the changes (project and the row batch, in memory) ${applySeconds.toFixed(1)} s (${perProjection}); reading + parsing the log ${readAllSeconds.toFixed(1)} s (${clock.readAllCalls.toLocaleString('en-US')} reads, ${(clock.eventsRead / Math.max(1, head)).toFixed(1)}× the log, shared by the ${ALL_PROJECTIONS.length} projections); loading rows ${(io.loadMs / 1000).toFixed(1)} s (${io.loads.toLocaleString('en-US')} statements, ${io.rowsLoaded.toLocaleString('en-US')} rows); writing rows ${(io.writeMs / 1000).toFixed(1)} s (${io.writes.toLocaleString('en-US')} statements, ${io.rowsWritten.toLocaleString('en-US')} rows); commits ${(io.commitMs / 1000).toFixed(1)} s (${io.commits.toLocaleString('en-US')}); building the indexes at the end ${(io.indexMs / 1000).toFixed(1)} s (${io.indexesBuilt}); the rest (decoding, settling rows in memory, checkpoints, garbage collection) ${Math.max(0, seconds - applySeconds - readAllSeconds - (io.loadMs + io.writeMs + io.commitMs + io.indexMs) / 1000).toFixed(1)} s`,
      `loading and writing rows per table (s): ${[...io.msByTable].sort((a, b) => b[1] - a[1]).map(([table, ms]) => `${table} ${(ms / 1000).toFixed(1)}`).join(', ')}`,
      `reading the log once alone (readAll, batches of ${READ_BATCH}): ${rate(head, readSeconds)} events/s through the audited store (personal data unsealed), ${rate(head, rawReadSeconds)} events/s as stored`,
    ],
  };
});
