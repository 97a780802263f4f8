import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { ALL_PROJECTIONS, openReadModels, ProjectorRuntime, ReadStoreConfig } from '@rapport/projections';
import type { RowMeasurement } from '../rows/row';
import { progressReporter, runAsWorker, workerConfig } from '../worker-protocol';
import { openStoreAsApi } from './store-as-api';

export interface RebuildThreadsConfig {
  logDir: string;
  readStore: ReadStoreConfig;
  /** The projections of each thread, by name. */
  groups: string[][];
  logNotes: string[];
}

interface ThreadData {
  logDir: string;
  readStore: ReadStoreConfig;
  names: string[];
}

type ToThread = 'prepare' | 'catchUp';
type FromThread = { kind: 'prepared' } | { kind: 'position'; position: number } | { kind: 'done'; seconds: number; behind: string[] } | { kind: 'failed'; message: string };

const quiet = { log: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };

/**
 * What more cores would give a rebuild: the projections split in groups, each group a
 * ProjectorRuntime of its own on a thread of its own (its own read of the log, its own
 * connections), into the same read store. Not how the product runs: a measurement of the idea.
 */
if (isMainThread) {
  runAsWorker(async (): Promise<RowMeasurement> => {
    const config = workerConfig<RebuildThreadsConfig>();
    // Every projection in exactly one group, or the row would time less than the rebuild.
    const grouped = config.groups.flat();
    const names = ALL_PROJECTIONS.map((p) => p.name);
    if (grouped.length !== names.length || names.some((n) => !grouped.includes(n))) throw new Error(`the groups must hold each of ${names.join(', ')} once; they hold ${grouped.join(', ')}`);
    const stores = openStoreAsApi(config.logDir);
    const head = await stores.store.headPosition();
    await stores.close();
    const threads = config.groups.map((names) => new Worker(__filename, { workerData: { logDir: config.logDir, readStore: config.readStore, names } satisfies ThreadData }));
    const positions = config.groups.map(() => 0);
    const report = progressReporter(head, 'rebuilding on threads: events');
    const ask = (thread: Worker, index: number, message: ToThread, until: FromThread['kind']) =>
      new Promise<FromThread>((resolve, reject) => {
        const onMessage = (answer: FromThread) => {
          if (answer.kind === 'position') {
            positions[index] = answer.position;
            report(Math.min(...positions));
            return;
          }
          if (answer.kind === 'failed') return reject(new Error(answer.message));
          if (answer.kind !== until) return;
          thread.off('message', onMessage);
          resolve(answer);
        };
        thread.on('message', onMessage);
        thread.once('error', reject);
        thread.postMessage(message);
      });
    try {
      // One at a time: preparing creates the shared checkpoints table.
      for (const [index, thread] of threads.entries()) await ask(thread, index, 'prepare', 'prepared');
      const started = performance.now();
      const answers = await Promise.all(threads.map((thread, index) => ask(thread, index, 'catchUp', 'done')));
      const seconds = (performance.now() - started) / 1000;
      const behind = answers.flatMap((a) => (a.kind === 'done' ? a.behind : []));
      if (behind.length > 0) throw new Error(`rebuild ended short of ${head}: ${behind.join('; ')}`);
      const each = answers.map((a, i) => `thread ${i + 1} (${config.groups[i]!.join(', ')}) ${a.kind === 'done' ? a.seconds.toFixed(1) : '?'} s`);
      return {
        count: head,
        seconds,
        unit: 'events/s',
        inFlight: `${threads.length} threads`,
        notes: [
          ...config.logNotes,
          `the ${ALL_PROJECTIONS.length} projections of projection-rebuild-100k in ${threads.length} groups, each a ProjectorRuntime (prepare() + catchUp(), its defaults) on a worker thread of its own with its own read of the log through the audited store, into one SQLite read-model file (WAL, NORMAL; the writes take turns)`,
          `each thread's time: ${each.join('; ')}`,
        ],
      };
    } finally {
      await Promise.all(threads.map((t) => t.terminate()));
    }
  });
} else {
  const data = workerData as ThreadData;
  const stores = openStoreAsApi(data.logDir);
  let runtime: ProjectorRuntime | undefined;
  const post = (message: FromThread) => parentPort!.postMessage(message);
  parentPort!.on('message', (message: ToThread) => {
    void (async () => {
      if (message === 'prepare') {
        const models = await openReadModels(data.readStore);
        runtime = new ProjectorRuntime({ store: stores.store, db: models.db, projections: ALL_PROJECTIONS.filter((p) => data.names.includes(p.name)), progress: false, logger: quiet });
        runtime.onProgress(() => post({ kind: 'position', position: Math.min(...runtime!.snapshot().map((s) => s.position)) }));
        await runtime.prepare();
        post({ kind: 'prepared' });
        return;
      }
      const started = performance.now();
      await runtime!.catchUp();
      const head = await stores.store.headPosition();
      const behind = runtime!.snapshot().filter((s) => s.position !== head || s.status !== 'running').map((s) => `${s.name} at ${s.position} (${s.status})`);
      post({ kind: 'done', seconds: (performance.now() - started) / 1000, behind });
    })().catch((error: unknown) => post({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  });
}
