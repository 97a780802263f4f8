import { performance } from 'node:perf_hooks';
import { Temporal } from '@rapport/domain';
import { SeededRandom } from '../../apps/api/src/demo/seeded-random';
import {
  ALL_PROJECTIONS,
  openReadModels,
  ProjectorRuntime,
  readAppointmentsReport,
  readBestTimes,
  readClinicCallerMetrics,
  readDoctorsReport,
  readEffectivenessReport,
  readObjectionsReport,
  readProspectsReport,
  readReferralsReport,
  readUrgentReport,
  readWeeklyReport,
} from '@rapport/projections';
import { latencySummary } from '../report/stats';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { openStoreAsApi } from './store-as-api';

export interface ReportQueriesConfig {
  /** Holds the generated `events.sqlite` (one clinic). */
  logDir: string;
  readModelsFile: string;
  queries: number;
  seed: number;
  logNotes: string[];
}

const DAY = 86_400_000;
const WARMUP = 55;
type Range = { fromMs: number; toMs: number };

/**
 * Every report a manager reads, as the API reads it (the query functions on the read connection of
 * SQLite read models), over one clinic's whole log: the read models are rebuilt first (not timed),
 * then the reports are asked in turn, one at a time, each over a random range of 7 to 400 days.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<ReportQueriesConfig>();
  const stores = openStoreAsApi(config.logDir);
  const models = await openReadModels({ kind: 'sqlite', filename: config.readModelsFile });
  const head = await stores.store.headPosition();
  const report = progressReporter(head + config.queries, 'rebuilding (not timed), then asking');
  const runtime = new ProjectorRuntime({ store: stores.store, db: models.db, projections: ALL_PROJECTIONS, progress: false, logger: { log: () => undefined, warn: console.warn, error: console.error } });
  runtime.onProgress(() => report(Math.min(...runtime.snapshot().map((s) => s.position))));
  await runtime.catchUp();
  const clinic = await models.reader.selectFrom('clinics').select(['clinic_id']).executeTakeFirstOrThrow();
  const clinicId = clinic.clinic_id;
  const span = await models.reader.selectFrom('caller_facts').select((eb) => [eb.fn.min<number>('at_ms').as('first'), eb.fn.max<number>('at_ms').as('last')]).where('clinic_id', '=', clinicId).executeTakeFirstOrThrow();
  const first = Number(span.first);
  const last = Number(span.last) + DAY;

  const db = models.reader;
  const nowMs = last;
  const reports: [string, (range: Range) => Promise<unknown>][] = [
    ['weekly', (r) => readWeeklyReport(db, clinicId, isoWeekOf(r.fromMs), nowMs)],
    ['best-times', (r) => readBestTimes(db, clinicId, r)],
    ['callers', (r) => readClinicCallerMetrics(db, clinicId, r)],
    ['appointments', (r) => readAppointmentsReport(db, clinicId, r)],
    ['objections', (r) => readObjectionsReport(db, clinicId, r)],
    ['referrals', (r) => readReferralsReport(db, clinicId, r)],
    ['effectiveness', (r) => readEffectivenessReport(db, clinicId, 'procedure', r)],
    ['effectiveness-rule', (r) => readEffectivenessReport(db, clinicId, 'rule', r)],
    ['doctors', (r) => readDoctorsReport(db, clinicId, r)],
    ['prospects', (r) => readProspectsReport(db, clinicId, r)],
    ['urgent', (r) => readUrgentReport(db, clinicId, r)],
  ];
  const random = new SeededRandom(config.seed);
  const range = (): Range => {
    const days = 7 + Math.floor(random.next() * 394);
    const fromMs = first + Math.floor(random.next() * Math.max(1, last - first - days * DAY));
    return { fromMs, toMs: fromMs + days * DAY };
  };
  for (let i = 0; i < WARMUP; i++) await reports[i % reports.length]![1](range());

  const latencies: number[] = [];
  const byReport = new Map<string, number[]>(reports.map(([name]) => [name, []]));
  const started = performance.now();
  for (let i = 0; i < config.queries; i++) {
    const [name, read] = reports[i % reports.length]!;
    const t0 = performance.now();
    await read(range());
    const ms = performance.now() - t0;
    latencies.push(ms);
    byReport.get(name)!.push(ms);
    report(head + i + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  await models.close();
  await stores.close();
  const slowest = [...byReport]
    .map(([name, ms]) => [name, latencySummary(ms).p99Ms ?? 0] as const)
    .sort((a, b) => b[1] - a[1])
    .map(([name, p99]) => `${name} ${p99.toFixed(1)}`)
    .join(', ');
  return {
    count: config.queries,
    seconds,
    unit: 'reports/s',
    inFlight: '1',
    ...latencySummary(latencies),
    notes: [
      ...config.logNotes,
      `${reports.length} reports of the one clinic in turn (${config.queries.toLocaleString('en-US')} after ${WARMUP} warm-up), each over a random range of 7–400 days inside the log's ${Math.round((last - first) / DAY)} days, on the read connection of SQLite read models rebuilt from the log (not timed)`,
      `p99 per report, ms: ${slowest}`,
    ],
  };
});

/** The ISO week (yyyy-Www) of an instant, for the weekly report. */
function isoWeekOf(ms: number): string {
  const day = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO('UTC');
  return `${day.yearOfWeek}-W${String(day.weekOfYear).padStart(2, '0')}`;
}
