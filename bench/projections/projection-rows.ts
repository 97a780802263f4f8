import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchRow, Progress, RowMeasurement } from '../rows/row';
import { runWorker } from '../worker-protocol';
import type { CommandToQueueConfig } from './command-to-queue.worker';
import type { GenerateLogConfig, GeneratedLog } from './generate-log.worker';
import type { QueueQueryConfig } from './queue-query.worker';
import type { LogReadConfig } from './log-read.worker';
import type { RebuildConfig } from './rebuild.worker';
import type { RebuildThreadsConfig } from './rebuild-threads.worker';
import type { FailoverConfig } from './failover.worker';
import type { ReportQueriesConfig } from './report-queries.worker';
import pg from 'pg';
import type { ReadStoreConfig } from '@rapport/projections';
import { NotRun } from '../rows/not-run';

const WORKERS = __dirname;
const SEED = 20261123;
/** Share of a rebuild row's progress bar taken by generating its log. */
const GENERATION_SHARE = 0.4;

/** A worker row: its own process, so its peak RSS (getrusage maxRSS) is its own, setup included. */
async function inWorker(script: string, config: unknown, progress: Progress): Promise<RowMeasurement> {
  const { result, maxRssKiB } = await runWorker<RowMeasurement>(join(WORKERS, script), config, progress);
  return { ...result, peakRssMiB: maxRssKiB / 1024, rssOf: 'the worker process (maxRSS), setup included' };
}

/**
 * Rebuild of every projection from a log of `events` events. The log is generated in a process of
 * its own first (not timed, its memory not counted) and kept for the run's later passes.
 */
export function rebuildRow(id: string, events: number, into: 'sqlite' | 'postgres' = 'sqlite'): BenchRow['run'] {
  return async (context, progress) => {
    const readStore: ReadStoreConfig =
      into === 'sqlite' ? { kind: 'sqlite', filename: join(context.workDir, id, 'read-models.sqlite') } : { kind: 'postgres', connectionString: await reachablePostgres(), schema: `bench_rebuild_${process.pid}` };
    const { logDir, log } = await generatedLog(context, events, progress);
    const config: RebuildConfig = { logDir, readStore, logNotes: describeLog(log) };
    return inWorker('rebuild.worker.js', config, (f, d) => progress(GENERATION_SHARE + f * (1 - GENERATION_SHARE), d));
  };
}

/** The SQLite rebuild with the projections split over threads, a group each (see rebuild-threads.worker). */
export function rebuildThreadsRow(id: string, events: number, groups: string[][]): BenchRow['run'] {
  return async (context, progress) => {
    const readStore: ReadStoreConfig = { kind: 'sqlite', filename: join(context.workDir, id, 'read-models.sqlite') };
    const { logDir, log } = await generatedLog(context, events, progress);
    const config: RebuildThreadsConfig = { logDir, readStore, groups, logNotes: describeLog(log) };
    return inWorker('rebuild-threads.worker.js', config, (f, d) => progress(GENERATION_SHARE + f * (1 - GENERATION_SHARE), d));
  };
}

/** The log a rebuild row of this size reads, read once as stored: the floor under the rebuild. */
export function logReadRow(events: number): BenchRow['run'] {
  return async (context, progress) => {
    const { logDir, log } = await generatedLog(context, events, progress);
    const config: LogReadConfig = { logDir, logNotes: describeLog(log) };
    return inWorker('log-read.worker.js', config, (f, d) => progress(GENERATION_SHARE + f * (1 - GENERATION_SHARE), d));
  };
}

/** Seconds from SIGKILLing the projector that owns the projections to its standby's first applied batch. */
export function failoverRow(events: number): BenchRow['run'] {
  return async (context, progress) => {
    const databaseUrl = await reachablePostgres();
    const { logDir, log } = await generatedLog(context, events, progress);
    const config: FailoverConfig = { logDir, workDir: context.workDir, databaseUrl, repoRoot: context.repoRoot, logNotes: describeLog(log) };
    return inWorker('failover.worker.js', config, (f, d) => progress(GENERATION_SHARE + f * (1 - GENERATION_SHARE), d));
  };
}

/** The local PostgreSQL the tests use (BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local server), or "not run". */
async function reachablePostgres(): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch (error) {
    throw new NotRun(`no PostgreSQL at ${new URL(url).host} (${(error as Error).message}); set BENCH_DATABASE_URL`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Every report of one clinic whose log has `events` events, asked over random ranges (the read models rebuilt first, not timed). */
export function reportQueriesRow(id: string, events: number): BenchRow['run'] {
  return async (context, progress) => {
    const { logDir, log } = await generatedLog(context, events, progress, 1);
    const config: ReportQueriesConfig = { logDir, readModelsFile: join(context.workDir, id, 'read-models.sqlite'), queries: context.sizes.reportQueries, seed: SEED, logNotes: describeLog(log) };
    return inWorker('report-queries.worker.js', config, (f, d) => progress(GENERATION_SHARE + f * (1 - GENERATION_SHARE), d));
  };
}

/**
 * The generated log of `events` events, made once per run (not timed, its memory not counted) and
 * shared by the rows that read it; by default a chain of clinics (about one per 10,000 events).
 */
async function generatedLog(context: BenchContext, events: number, progress: Progress, clinics?: number): Promise<{ logDir: string; log: GeneratedLog }> {
  const logDir = join(context.workDir, clinics === undefined ? `log-${events}` : `log-${events}-${clinics}-clinics`);
  const summaryFile = join(logDir, 'generated.json');
  if (!existsSync(summaryFile)) {
    // About one clinic per 10,000 events: every size simulates a chain of clinics for about three months.
    const config: GenerateLogConfig = { dataDir: logDir, events, clinics: clinics ?? Math.max(1, Math.round(events / 10_000)), seed: SEED };
    const { result } = await runWorker<GeneratedLog>(join(WORKERS, 'generate-log.worker.js'), config, (f, d) => progress(f * GENERATION_SHARE, d));
    writeFileSync(summaryFile, JSON.stringify(result));
  }
  return { logDir, log: JSON.parse(readFileSync(summaryFile, 'utf8')) as GeneratedLog };
}

function describeLog(log: GeneratedLog): string[] {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const types = Object.entries(log.byType)
    .sort(([, a], [, b]) => b - a)
    .map(([type, count]) => `${type} ${n(count)}`)
    .join(', ');
  return [
    `log: ${n(log.events)} events decided by the domain's deciders for ${n(log.patients)} patients of a simulated clinic chain over ${log.days} days (${n(log.commands)} commands): ${types}`,
    `log written (setup, not timed) through the API's store, SqliteEventStore.append under the audited store, ${log.appendsPerTransaction.toFixed(0)} appends per transaction, synchronous=NORMAL: ${n(log.events / log.seconds)} events/s`,
  ];
}

export function queueQueryRow(id: string, openFollowUps: number): BenchRow['run'] {
  return (context: BenchContext, progress: Progress) => {
    const config: QueueQueryConfig = { readModelsFile: join(context.workDir, id, 'read-models.sqlite'), openFollowUps, queries: context.sizes.queueQueries, seed: SEED };
    return inWorker('queue-query.worker.js', config, progress);
  };
}

export function commandToQueueRow(id: string): BenchRow['run'] {
  return (context: BenchContext, progress: Progress) => {
    const config: CommandToQueueConfig = { dataDir: join(context.workDir, id), patients: context.sizes.patients, commands: context.sizes.commandsToQueue };
    return inWorker('command-to-queue.worker.js', config, progress);
  };
}
