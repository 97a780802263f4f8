import 'reflect-metadata';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commandPorts } from '../../apps/api/src/application/command-ports';
import { recordCall } from '../../apps/api/src/application/recording';
import { systemClock } from '../../apps/api/src/clock';
import { openSqliteEventStore } from '@rapport/event-store';
import { latencySummary } from '../report/stats';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { exportRows } from './event-rows';
import { callBody, commandContext, seedPatients } from './seed-patients';

export interface CommandThroughputConfig {
  dataDir: string;
  patients: number;
  commands: number;
  inFlight: number;
  /** Where to write the rows the timed commands stored, for the raw and peer rows. */
  exportRowsTo?: string;
}

/**
 * RecordCall on existing patients through the application's recordCall, as the API runs it (read
 * both streams, fold, decide, append with the revision read) on a real SQLite store with synchronous=FULL, `inFlight` at a time.
 */
runAsWorker(async (): Promise<RowMeasurement> => {
  const config = workerConfig<CommandThroughputConfig>();
  const store = openSqliteEventStore(config.dataDir, { synchronous: 'FULL' });
  const ports = commandPorts({ store, clock: systemClock });
  const now = systemClock.now();
  await seedPatients(ports, config.patients, now, progressReporter(config.patients + config.commands, 'seeding patients'));

  const setupHead = await store.headPosition();
  const before = store.groupCommitStats();
  const startedAt = now.subtract({ minutes: 1 }).toString();
  const latencies: number[] = new Array(config.commands);
  const report = progressReporter(config.commands, `${config.inFlight} in flight: commands`);
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: config.inFlight }, async () => {
      for (let i = next++; i < config.commands; i = next++) {
        const body = callBody(i, config.patients, startedAt);
        const t0 = performance.now();
        await recordCall(ports, body, commandContext('POST', '/v1/calls', body));
        latencies[i] = performance.now() - t0;
        report(++done);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const after = store.groupCommitStats();
  const appended = (await store.headPosition()) - setupHead;
  await store.close();
  if (appended !== config.commands) throw new Error(`expected ${config.commands} events from ${config.commands} commands, the store has ${appended}`);
  if (config.exportRowsTo) exportRows(join(config.dataDir, 'events.sqlite'), setupHead, config.exportRowsTo);

  const perTransaction = (after.appends - before.appends) / Math.max(1, after.transactions - before.transactions);
  return {
    count: config.commands,
    seconds,
    unit: 'commands/s',
    inFlight: String(config.inFlight),
    ...latencySummary(latencies),
    notes: [`${config.patients.toLocaleString('en-US')} patients; ${perTransaction.toFixed(1)} appends per transaction`],
  };
});
