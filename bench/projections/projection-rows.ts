import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext, BenchRow, Progress, RowMeasurement } from '../rows/row';
import { runWorker } from '../worker-protocol';
import type { CommandToQueueConfig } from './command-to-queue.worker';
import type { GenerateLogConfig, GeneratedLog } from './generate-log.worker';
import type { QueueQueryConfig } from './queue-query.worker';
import type { RebuildConfig } from './rebuild.worker';

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
export function rebuildRow(id: string, events: number): BenchRow['run'] {
  return async (context, progress) => {
    const logDir = join(context.workDir, `log-${events}`);
    const summaryFile = join(logDir, 'generated.json');
    if (!existsSync(summaryFile)) {
      // About one clinic per 10,000 events: every size simulates a chain of clinics for about three months.
      const config: GenerateLogConfig = { dataDir: logDir, events, clinics: Math.max(1, Math.round(events / 10_000)), seed: SEED };
      const { result } = await runWorker<GeneratedLog>(join(WORKERS, 'generate-log.worker.js'), config, (f, d) => progress(f * GENERATION_SHARE, d));
      writeFileSync(summaryFile, JSON.stringify(result));
    }
    const log = JSON.parse(readFileSync(summaryFile, 'utf8')) as GeneratedLog;
    const config: RebuildConfig = { logDir, readModelsFile: join(context.workDir, id, 'read-models.sqlite'), logNotes: describeLog(log) };
    return inWorker('rebuild.worker.js', config, (f, d) => progress(GENERATION_SHARE + f * (1 - GENERATION_SHARE), d));
  };
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
