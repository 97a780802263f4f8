import { openAuditedEventStore } from '@rapport/audit';
import { lockDataDir } from '@rapport/event-store';
import { createServer } from 'node:http';
import { ALL_PROJECTIONS, leasesFor, openReadModels, ProjectorRuntime, readStoreConfig, rebuildSpaceFor } from '@rapport/projections';
import { configFromEnv, wholeNumberSetting } from '@rapport/config';

/**
 * The projector on its own, for production: the same runtime and projections the API runs
 * in-process in the embedded default. Run the API with PROJECTOR=external beside it.
 * `--once` catches up with the log's head and exits (a rebuild after a deploy, a cron job).
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  const once = process.argv.includes('--once');
  // Read through the audited store, so projections see names and phones (keys in DATA_DIR/keys.sqlite:
  // this process must see the API's DATA_DIR) and never the sealed form.
  // Two projectors writing one SQLite read store would trample each other: one per DATA_DIR.
  const lock = config.readStore === 'sqlite' ? lockDataDir(config.dataDir, 'projector', new Date().toISOString()) : undefined;
  const stores = openAuditedEventStore(config);
  const store = stores.store;
  const models = await openReadModels(readStoreConfig(config));
  // The doorbell rings on the raw store: waking the loops unseals nothing.
  const rebuildBeside = rebuildSpaceFor(models.config);
  // Any number of projectors on one PostgreSQL read store: each projection is run by one of them
  // (a lease), the others stand by and take it over when its owner is gone.
  const leases = leasesFor(models.config);
  const runtime = new ProjectorRuntime({
    ...(leases ? { leases } : {}),
    store,
    doorbell: stores.raw,
    db: models.db,
    projections: ALL_PROJECTIONS,
    batchSize: wholeNumber('PROJECTOR_BATCH_SIZE', 500, 1),
    // Memory against progress kept: a rebuild from empty writes its rows (and checkpoint) every so many.
    rebuildFlushRows: wholeNumber('PROJECTOR_REBUILD_FLUSH_ROWS', 200_000, 0),
    ...(rebuildBeside ? { rebuildBeside } : {}),
  });
  const health = healthServer(runtime);
  const shutdown = async (): Promise<void> => {
    health?.close();
    await runtime.stop();
    await models.close();
    await stores.close();
    lock?.release();
  };
  await runtime.prepare();
  console.log(`[projector] ${ALL_PROJECTIONS.length} projections from ${config.dataDir}/events.sqlite into ${models.description}`);
  if (once) {
    await runtime.catchUp();
    for (const s of runtime.snapshot()) console.log(`[projector] ${s.name} v${s.version}: position ${s.position}, ${s.status}${s.error ? ` (${s.error.message})` : ''}`);
    await shutdown();
    process.exitCode = runtime.snapshot().some((s) => s.status === 'stopped') ? 1 : 0;
    return;
  }
  await runtime.start();
  // The runtime's own timers do not hold the process open; this does, and says once a minute how far each projection is.
  let last = '';
  const heartbeat = setInterval(() => {
    const line = runtime
      .snapshot()
      .map((s) => `${s.name} ${s.position} ${s.status}`)
      .join(', ');
    if (line !== last) console.log(`[projector] ${line}`);
    last = line;
  }, 60_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.log(`[projector] ${signal}: finishing the batch in flight`);
      clearInterval(heartbeat);
      shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

/**
 * PROJECTOR_PORT: a /health of its own, saying which projections this process owns and which it
 * stands by for (several projectors on one read store), with each one's position and status.
 */
function healthServer(runtime: ProjectorRuntime): ReturnType<typeof createServer> | undefined {
  const port = process.env.PROJECTOR_PORT;
  if (!port) return undefined;
  const server = createServer((req, res) => {
    if (req.url !== '/health') {
      res.writeHead(404).end();
      return;
    }
    const projections = runtime.snapshot().map((s) => ({ name: s.name, version: s.version, position: s.position, status: s.status, owner: !s.standby, ...(s.error ? { error: s.error.message } : {}) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ pid: process.pid, owns: projections.filter((p) => p.owner).map((p) => p.name), standsBy: projections.filter((p) => !p.owner).map((p) => p.name), projections }),
    );
  });
  server.listen(Number(port), process.env.HOST ?? '127.0.0.1');
  return server;
}

/** The projector's own settings (not in RapportConfig: the API does not read them). */
function wholeNumber(name: string, fallback: number, min: number): number {
  return wholeNumberSetting(process.env, name, fallback, min);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
