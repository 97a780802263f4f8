import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../apps/api/src/clock';
import { commandPorts } from '../../apps/api/src/application/command-ports';
import { recordTreatment } from '../../apps/api/src/application/recording';
import { configFromEnv } from '@rapport/config';
import { openReadSide } from '../../apps/api/src/queries/read-side';
import type { FollowUpScheduled } from '@rapport/domain';
import { QUEUE_PROJECTIONS, readClinicQueue } from '@rapport/projections';
import { BENCH_CLINIC, commandContext, seedPatients } from '../in-process/seed-patients';
import { latencySummary, percentile } from '../report/stats';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { openStoreAsApi } from './store-as-api';

export interface CommandToQueueConfig {
  dataDir: string;
  /** Patients already in the clinic (each with a treatment and its open follow-ups). */
  patients: number;
  commands: number;
}

const MINUTE = 60_000;
const VISIBLE_WITHIN_MS = 10_000;
const quiet = { log: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

/**
 * One process wired as apps/api wires the embedded default (app.factory.ts, queries/read-side.ts):
 * the audited SqliteEventStore (FULL), the application's command functions on it, and the read side with the
 * projector running in the same process. For each command: CompleteTreatment for a new patient
 * (an extraction: an urgent call is due two hours after it), then the time from the command's
 * acknowledgement until GET /v1/clinics/c1/queue?minPosition=<its position> would answer with
 * that follow-up: wait for the queue's projections to pass the position (the API's PositionWaiter)
 * and read the queue (readClinicQueue, limit 50, on the read connection). One command at a time.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<CommandToQueueConfig>();
  const stores = openStoreAsApi(config.dataDir, 'FULL');
  const ports = commandPorts({ store: stores.store, clock: systemClock });
  const readSide = await openReadSide({ config: configFromEnv({ DATA_DIR: config.dataDir }), eventStore: stores.store, logger: quiet });
  const report = progressReporter(config.patients + config.commands, 'commands, each until it shows in the queue');
  await seedPatients(ports, config.patients, systemClock.now(), report);
  await readSide.waiter.waitFor(QUEUE_PROJECTIONS, await stores.store.headPosition());

  const toVisible: number[] = [];
  const toCheckpoint: number[] = [];
  const commandMs: number[] = [];
  let notVisible = 0;
  const started = performance.now();
  for (let i = 0; i < config.commands; i++) {
    // Each treatment a minute earlier than the one before: its urgent call is the most overdue, first in the queue.
    const now = Date.now();
    const completedAt = new Date(now - 3 * 60 * MINUTE - i * MINUTE).toISOString();
    const data = { treatmentId: `lat-t${i}`, patientId: `lat-p${i}`, clinicId: BENCH_CLINIC, doctorId: 'dr-1', procedure: 'extraction', completedAt };
    const t0 = performance.now();
    const outcome = await recordTreatment(ports, data, commandContext('POST', '/v1/treatments', data));
    const acked = performance.now();
    const urgent = outcome.events.find((e) => e.type === 'FollowUpScheduled' && (e.data as FollowUpScheduled['data']).urgent);
    if (!urgent) throw new Error(`CompleteTreatment of an extraction scheduled no urgent call: ${outcome.events.map((e) => e.type).join(', ')}`);
    const followUpId = (urgent.data as FollowUpScheduled['data']).followUpId;

    await readSide.waiter.waitFor(QUEUE_PROJECTIONS, outcome.position);
    toCheckpoint.push(performance.now() - acked);
    for (;;) {
      const view = await readClinicQueue(readSide.models.reader, { clinicId: BENCH_CLINIC, atMs: Date.now(), limit: 50 });
      if (view.items.some((item) => item.followUpId === followUpId)) break;
      // Past its position the follow-up must be there; keep looking (and count it) rather than lose the sample.
      if (performance.now() - acked > VISIBLE_WITHIN_MS) throw new Error(`follow-up ${followUpId} not in the queue ${VISIBLE_WITHIN_MS} ms after its command`);
      notVisible++;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    toVisible.push(performance.now() - acked);
    commandMs.push(acked - t0);
    report(config.patients + i + 1);
  }
  const seconds = (performance.now() - started) / 1000;
  await readSide.close();
  await stores.close();

  const ms = (samples: number[], p: number) => percentile([...samples].sort((a, b) => a - b), p)!.toFixed(2);
  return {
    count: config.commands,
    seconds,
    unit: 'commands/s',
    inFlight: '1',
    ...latencySummary(toVisible),
    notes: [
      `as the API is wired: audited SqliteEventStore (FULL), the application's command functions, read side with the in-process projector (every projection); ${config.patients.toLocaleString('en-US')} patients seeded first`,
      `p50/p99 from the command's acknowledgement until readClinicQueue answers with its follow-up; of which waiting for the queue's projections to pass its position: p50 ${ms(toCheckpoint, 50)} / p99 ${ms(toCheckpoint, 99)} ms`,
      `the command itself (CompleteTreatment, 1 in flight): p50 ${ms(commandMs, 50)} / p99 ${ms(commandMs, 99)} ms; throughput counts command + wait + query, one at a time${notVisible > 0 ? `; ${notVisible} reads past the position did not yet show the follow-up` : ''}`,
    ],
  };
});
