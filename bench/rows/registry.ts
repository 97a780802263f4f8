import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measureHttp } from '../http/http-throughput';
import type { CommandThroughputConfig } from '../in-process/command-throughput.worker';
import type { RawInsertConfig } from '../in-process/raw-insert.worker';
import { runWorker } from '../worker-protocol';
import { commandToQueueRow, failoverRow, logReadRow, queueQueryRow, rebuildRow, rebuildThreadsRow, reportQueriesRow } from '../projections/projection-rows';
import { NotRun } from './not-run';
import type { BenchContext, BenchRow, Comparison, Goal, Progress, RowMeasurement } from './row';

const WORKERS = join(__dirname, '..', 'in-process');

/** A worker row: its own process, so its peak RSS (getrusage maxRSS) is its own, setup included. */
async function inWorker(script: string, config: unknown, progress: Progress): Promise<RowMeasurement> {
  const { result, maxRssKiB } = await runWorker<RowMeasurement>(script, config, progress);
  return { ...result, peakRssMiB: maxRssKiB / 1024, rssOf: 'the worker process (maxRSS), setup included' };
}

function commands(id: string, inFlight: number, count: (c: BenchContext) => number, exportRows: boolean): BenchRow['run'] {
  return (context, progress) => {
    const config: CommandThroughputConfig = {
      dataDir: join(context.workDir, id),
      patients: context.sizes.patients,
      commands: count(context),
      inFlight,
      ...(exportRows ? { exportRowsTo: context.rowsFile } : {}),
    };
    return inWorker(join(WORKERS, 'command-throughput.worker.js'), config, progress);
  };
}

function rawInsert(id: string, perTransaction: number): BenchRow['run'] {
  return (context, progress) => {
    requireRows(context);
    const config: RawInsertConfig = { dataDir: join(context.workDir, id), rowsFile: context.rowsFile, perTransaction };
    return inWorker(join(WORKERS, 'raw-insert.worker.js'), config, progress);
  };
}

function emmett(id: string, mode: 'shipped' | 'singleton', limit: (c: BenchContext) => number): BenchRow['run'] {
  return async (context, progress) => {
    if (context.peerProblem) throw new NotRun(context.peerProblem);
    requireRows(context);
    const script = join(context.repoRoot, 'bench', 'peer', 'emmett-append.cjs');
    return inWorker(script, { dataDir: join(context.workDir, id), rowsFile: context.rowsFile, limit: limit(context), mode }, progress);
  };
}

function requireRows(context: BenchContext): void {
  if (!existsSync(context.rowsFile)) throw new NotRun('needs the rows of "commands-16" (run it too)');
}

export { NotRun } from './not-run';

/**
 * Every row of the table, in the order they run and print. The raw and peer rows insert the rows
 * the "commands-16" row stored, so it runs before them.
 */
export const ROWS: BenchRow[] = [
  {
    id: 'commands-1',
    title: 'RecordCall via the application (decide + append), FULL',
    baseline: 'raw-1-per-tx',
    weight: 12,
    run: commands('commands-1', 1, (c) => c.sizes.commandsOneInFlight, false),
  },
  {
    id: 'commands-16',
    title: 'RecordCall via the application (decide + append), FULL',
    baseline: 'raw-100-per-tx',
    weight: 15,
    run: commands('commands-16', 16, (c) => c.sizes.commandsConcurrent, true),
  },
  { id: 'raw-1-per-tx', title: 'raw better-sqlite3 INSERT, 1 row per transaction, FULL', weight: 6, run: rawInsert('raw-1-per-tx', 1) },
  { id: 'raw-100-per-tx', title: 'raw better-sqlite3 INSERT, 100 rows per transaction, FULL', weight: 2, run: rawInsert('raw-100-per-tx', 100) },
  {
    id: 'emmett-shipped',
    title: 'Emmett SQLite appendToStream, as shipped (peer)',
    baseline: 'raw-1-per-tx',
    weight: 8,
    run: emmett('emmett-shipped', 'shipped', (c) => c.sizes.emmettShipped),
  },
  {
    id: 'emmett-singleton',
    title: 'Emmett SQLite appendToStream, singleton connection (peer)',
    baseline: 'raw-1-per-tx',
    weight: 8,
    run: emmett('emmett-singleton', 'singleton', (c) => c.sizes.emmettSingleton),
  },
  {
    id: 'http-bare-fastify',
    title: 'HTTP: bare Fastify POST, 1 INSERT per request, FULL',
    weight: 20,
    run: (context, progress) => measureHttp(context, progress, 'bare'),
  },
  {
    id: 'http-api-calls',
    title: 'HTTP: api POST /v1/calls (Nest, validation, decide, append)',
    baseline: 'http-bare-fastify',
    weight: 25,
    run: (context, progress) => measureHttp(context, progress, 'api'),
  },
  {
    id: 'http-api-calls-sse-500',
    title: 'HTTP: api POST /v1/calls, 500 SSE feed subscribers connected',
    baseline: 'http-api-calls',
    weight: 30,
    run: (context, progress) => measureHttp(context, progress, 'api', { sseSubscribers: 500 }),
  },
  // The read side: rebuilds, the queue query, and a command's way into the queue (bench/projections).
  { id: 'log-read-100k', title: 'read the 100k-event log once, as stored', weight: 25, run: logReadRow(100_000) },
  {
    id: 'projection-rebuild-100k',
    title: 'projection rebuild, 100k events (all projections)',
    baseline: 'log-read-100k',
    weight: 40,
    run: rebuildRow('projection-rebuild-100k', 100_000),
  },
  {
    id: 'projection-rebuild-100k-postgres',
    title: 'projection rebuild, 100k events, into PostgreSQL',
    baseline: 'log-read-100k',
    weight: 60,
    run: rebuildRow('projection-rebuild-100k-postgres', 100_000, 'postgres'),
  },
  {
    id: 'projection-rebuild-100k-2-threads',
    title: 'projection rebuild, 100k events, the projections split over 2 threads',
    baseline: 'log-read-100k',
    weight: 40,
    // Two groups of about equal work and rows written (each group alone: 4.6–5.1 s, 7 December 2026).
    run: rebuildThreadsRow('projection-rebuild-100k-2-threads', 100_000, [
      ['patient-timeline', 'caller-metrics', 'audit-attempts', 'access-log', 'clinics', 'appointments', 'objections', 'referrals'],
      ['call-queue', 'effectiveness', 'follow-up-report', 'doctors', 'prospects', 'urgent', 'doctor-feedback'],
    ]),
  },
  { id: 'projector-failover', title: 'projector failover: kill the owner, seconds to the standby’s first batch', weight: 30, run: failoverRow(100_000) },
  { id: 'log-read-1m', title: 'read the 1M-event log once, as stored', weight: 150, scaleOnly: true, run: logReadRow(1_000_000) },
  {
    id: 'projection-rebuild-1m',
    title: 'projection rebuild, 1M events (all projections)',
    baseline: 'log-read-1m',
    weight: 400,
    scaleOnly: true,
    run: rebuildRow('projection-rebuild-1m', 1_000_000),
  },
  { id: 'queue-query-10k', title: 'queue query (limit 50), 10k open follow-ups', weight: 5, run: queueQueryRow('queue-query-10k', 10_000) },
  {
    id: 'queue-query-100k',
    title: 'queue query (limit 50), 100k open follow-ups',
    baseline: 'queue-query-10k',
    weight: 12,
    run: queueQueryRow('queue-query-100k', 100_000),
  },
  {
    id: 'queue-query-1m',
    title: 'queue query (limit 50), 1M open follow-ups',
    baseline: 'queue-query-10k',
    weight: 90,
    scaleOnly: true,
    run: queueQueryRow('queue-query-1m', 1_000_000),
  },
  { id: 'report-queries-100k', title: 'every report, 7–400 day ranges, one clinic of 100k events', weight: 40, run: reportQueriesRow('report-queries-100k', 100_000) },
  {
    id: 'report-queries-1m',
    title: 'every report, 7–400 day ranges, one clinic of 1M events',
    baseline: 'report-queries-100k',
    weight: 400,
    scaleOnly: true,
    run: reportQueriesRow('report-queries-1m', 1_000_000),
  },
  {
    id: 'command-to-queue-latency',
    title: 'CompleteTreatment acknowledged → its call in the queue',
    weight: 8,
    run: commandToQueueRow('command-to-queue-latency'),
  },
];

/** The ratios printed under the table (numerator ÷ denominator, both from this run). */
export const COMPARISONS: Comparison[] = [
  { numerator: 'commands-16', denominator: 'raw-100-per-tx', label: 'commands, 16 in flight ÷ raw INSERT 100 per tx', goal: 0.8 },
  { numerator: 'commands-16', denominator: 'raw-1-per-tx', label: 'commands, 16 in flight ÷ raw INSERT 1 per tx' },
  { numerator: 'commands-1', denominator: 'raw-1-per-tx', label: 'commands, 1 in flight ÷ raw INSERT 1 per tx' },
  { numerator: 'commands-16', denominator: 'emmett-singleton', label: 'commands, 16 in flight ÷ Emmett singleton (1 in flight)', goal: 3 },
  { numerator: 'commands-16', denominator: 'emmett-shipped', label: 'commands, 16 in flight ÷ Emmett as shipped (1 in flight)' },
  { numerator: 'commands-1', denominator: 'emmett-singleton', label: 'commands, 1 in flight ÷ Emmett singleton (1 in flight)' },
  { numerator: 'http-api-calls', denominator: 'http-bare-fastify', label: 'api POST /v1/calls ÷ bare Fastify INSERT (req/s)' },
  { numerator: 'http-api-calls-sse-500', denominator: 'http-api-calls', label: 'api POST /v1/calls with 500 SSE subscribers ÷ without', goal: 0.8 },
  { numerator: 'projection-rebuild-100k', denominator: 'log-read-100k', label: 'rebuild ÷ reading the log once, 100k events (SQLite)', goal: 0.3 },
  { numerator: 'projection-rebuild-100k-postgres', denominator: 'log-read-100k', label: 'rebuild into PostgreSQL ÷ reading the log once, 100k events', goal: 0.1 },
  { numerator: 'projection-rebuild-1m', denominator: 'log-read-1m', label: 'rebuild ÷ reading the log once, 1M events (SQLite)', goal: 0.25 },
  { numerator: 'projection-rebuild-100k-2-threads', denominator: 'projection-rebuild-100k', label: 'rebuild on 2 threads ÷ on 1, 100k events (SQLite)' },
  { numerator: 'projection-rebuild-1m', denominator: 'projection-rebuild-100k', label: 'rebuild events/s, 1M ÷ 100k events' },
  { numerator: 'queue-query-100k', denominator: 'queue-query-10k', label: 'queue query p99, 100k ÷ 10k open follow-ups', metric: 'p99Ms' },
  { numerator: 'queue-query-1m', denominator: 'queue-query-10k', label: 'queue query p99, 1M ÷ 10k open follow-ups', metric: 'p99Ms' },
  { numerator: 'report-queries-1m', denominator: 'report-queries-100k', label: 'report p99, 1M ÷ 100k events in the clinic', metric: 'p99Ms' },
];

/** Targets in absolute terms (issue 7); printed with met / not met, never asserted. */
export const GOALS: Goal[] = [
  { row: 'projection-rebuild-100k', label: 'rebuild, 100k events', metric: 'opsPerSec', atLeast: 100_000, unit: 'events/s' },
  { row: 'projection-rebuild-1m', label: 'rebuild, 1M events', metric: 'opsPerSec', atLeast: 100_000, unit: 'events/s' },
  { row: 'queue-query-1m', label: 'queue query p99, 1M open follow-ups', metric: 'p99Ms', below: 10, unit: 'ms' },
  // The goal is set at 1M (--scale); the default run shows the largest queue it has against it.
  { row: 'queue-query-100k', label: 'queue query p99, 100k open follow-ups (goal set at 1M)', metric: 'p99Ms', below: 10, unit: 'ms' },
  { row: 'report-queries-1m', label: 'report p99, a clinic of 1M events (issue 14)', metric: 'p99Ms', below: 50, unit: 'ms' },
  { row: 'report-queries-100k', label: 'report p99, a clinic of 100k events (goal set at 1M)', metric: 'p99Ms', below: 50, unit: 'ms' },
];
