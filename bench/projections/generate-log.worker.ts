import { performance } from 'node:perf_hooks';
import type { SqliteEventStore } from '@rapport/event-store';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { ClinicSimulation } from './simulated-log';
import { openStoreAsApi } from './store-as-api';

export interface GenerateLogConfig {
  dataDir: string;
  /** Stop after the command that takes the log to this many events. */
  events: number;
  /** Clinics in the chain: about one per 10,000 events keeps the simulated span near two months. */
  clinics: number;
  seed: number;
}

export interface GeneratedLog {
  events: number;
  seconds: number;
  commands: number;
  refused: number;
  patients: number;
  days: number;
  lastAt: string;
  appendsPerTransaction: number;
  byType: Record<string, number>;
}

/** Appends kept in flight before waiting: the store commits up to 500 appends per transaction. */
const IN_FLIGHT = 2_000;

/**
 * Setup for the rebuild rows (not timed as part of them): the simulated clinics' log appended
 * through the store the API writes with (audited: sealed, chained; SqliteEventStore under it),
 * many appends in flight so they share transactions (group commit), synchronous=NORMAL because
 * nothing here is acknowledged to anyone. Appends to one stream wait for the one before, as the
 * command runner's per-stream lock makes them (the hash chain links each to the last).
 */
runAsWorker(async (): Promise<GeneratedLog> => {
  const config = workerConfig<GenerateLogConfig>();
  const stores = openStoreAsApi(config.dataDir, 'NORMAL');
  const store = stores.store;
  const inner = stores.raw as SqliteEventStore;
  const lastOfStream = new Map<string, Promise<unknown>>();
  const simulation = new ClinicSimulation({ clinics: config.clinics, seed: config.seed });
  const report = progressReporter(config.events, 'generating the log: events');
  const byType: Record<string, number> = {};
  let pending: Promise<unknown>[] = [];
  let events = 0;
  const started = performance.now();
  for (const append of simulation.appends()) {
    const options = { expectedRevision: append.expectedRevision < 0 ? ('no_stream' as const) : append.expectedRevision };
    const before = lastOfStream.get(append.stream);
    const appended = before ? before.then(() => store.append(append.stream, append.events, options)) : store.append(append.stream, append.events, options);
    lastOfStream.set(append.stream, appended);
    pending.push(appended);
    for (const e of append.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
    events += append.events.length;
    if (pending.length >= IN_FLIGHT || events >= config.events) {
      await Promise.all(pending);
      pending = [];
      lastOfStream.clear();
      report(Math.min(events, config.events));
    }
    if (events >= config.events) break;
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  const head = await store.headPosition();
  const stats = inner.groupCommitStats();
  await stores.close();
  if (head !== events) throw new Error(`generated ${events} events, the store holds ${head}`);
  return {
    events: head,
    seconds,
    ...simulation.stats,
    appendsPerTransaction: stats.appends / Math.max(1, stats.transactions),
    byType,
  };
});
