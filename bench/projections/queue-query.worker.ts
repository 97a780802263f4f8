import { performance } from 'node:perf_hooks';
import { SeededRandom } from '../../apps/api/src/demo/seeded-random';
import { openReadModels, readClinicQueue } from '@rapport/projections';
import { latencySummary } from '../report/stats';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { QUEUE_CLINIC, seedQueue } from './queue-seed';

export interface QueueQueryConfig {
  readModelsFile: string;
  openFollowUps: number;
  queries: number;
  seed: number;
}

/** Monday 2 March 2026, 10:00 in Shanghai: the seeded clinic's "now". */
const NOW_MS = Date.parse('2026-03-02T02:00:00Z');
const HOUR = 3_600_000;
/** Queries ask about instants up to a week either side of now: day and night, weekdays and weekends. */
const SPREAD_HOURS = 7 * 24;
const LIMIT = 50;
const WARMUP = 200;

/**
 * The callers' queue as GET /v1/clinics/:clinicId/queue reads it: readClinicQueue (limit 50) on the
 * read connection of SQLite read models, one query at a time, each at a different `at`.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<QueueQueryConfig>();
  const models = await openReadModels({ kind: 'sqlite', filename: config.readModelsFile });
  const total = config.openFollowUps + config.queries + WARMUP;
  const report = progressReporter(total, 'seeding, then querying');
  const seedStarted = performance.now();
  const seeded = await seedQueue(models.db, { openFollowUps: config.openFollowUps, seed: config.seed, nowMs: NOW_MS, onProgress: report });
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const random = new SeededRandom(config.seed + 1);
  const ask = () => readClinicQueue(models.reader, { clinicId: QUEUE_CLINIC.clinicId, atMs: NOW_MS + Math.round((random.next() * 2 - 1) * SPREAD_HOURS * HOUR), limit: LIMIT });
  for (let i = 0; i < WARMUP; i++) await ask();

  const latencies: number[] = [];
  let shortAnswers = 0;
  let items = 0;
  const started = performance.now();
  for (let i = 0; i < config.queries; i++) {
    const t0 = performance.now();
    const view = await ask();
    latencies.push(performance.now() - t0);
    items += view.items.length;
    if (view.items.length < LIMIT) shortAnswers++;
    report(config.openFollowUps + WARMUP + i + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  await models.close();
  const share = (n: number) => `${((100 * n) / seeded.openFollowUps).toFixed(1)}%`;
  return {
    count: config.queries,
    seconds,
    unit: 'queries/s',
    inFlight: '1',
    ...latencySummary(latencies),
    notes: [
      `${seeded.openFollowUps.toLocaleString('en-US')} open follow-ups in one clinic, seeded by direct multi-row INSERTs through Kysely into the call-queue projection's own tables and indexes (not by projecting events), in ${seedSeconds.toFixed(1)} s: the default protocol's plan for ${seeded.treatments.toLocaleString('en-US')} treatments over 120 days; ${share(seeded.overdue)} overdue (${seeded.attempts.toLocaleString('en-US')} failed attempts), ${share(seeded.urgent)} urgent, ${share(seeded.doctorTasks)} doctors' tasks; preferences as in the demo`,
      `${config.queries.toLocaleString('en-US')} readClinicQueue(limit ${LIMIT}) after ${WARMUP} warm-up, one at a time on the read connection, \`at\` uniform within ±7 days of now; ${(items / config.queries).toFixed(1)} items per answer (${shortAnswers} answers under ${LIMIT})`,
    ],
  };
});
