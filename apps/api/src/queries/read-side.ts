import { AuditedEventStore } from '@rapport/audit';
import type { EventStore } from '@rapport/event-store';
import {
  ALL_PROJECTIONS,
  leasesFor,
  PostgresCheckpointListener,
  PERSONAL_DATA_PROJECTIONS,
  ProjectionNotReadyError,
  createReadModelTables,
  openReadModels,
  PositionWaiter,
  ProjectionStatusReader,
  ProjectorLogger,
  ProjectorRuntime,
  ReadModels,
  readStoreConfig,
  rebuildSpaceFor,
} from '@rapport/projections';
import type { RapportConfig } from '@rapport/config';

/** What the queries read from: the read models, how to wait for a position, each projection's status. */
export interface ReadSide {
  readonly models: ReadModels;
  readonly waiter: PositionWaiter;
  readonly status: ProjectionStatusReader;
  /** Present when the projector runs inside this process (the embedded default). */
  readonly runtime?: ProjectorRuntime;
  readonly projector: RapportConfig['projector'];
  close(): Promise<void>;
}

export const READ_SIDE = Symbol('ReadSide');

/**
 * Opens the read models and, in the embedded default, starts the projector in this process:
 * tables are created (or rebuilt after a version change) before the API answers; catching up
 * with the log goes on in the background while commands are served.
 */
export async function openReadSide(options: { config: RapportConfig; eventStore: EventStore; logger?: ProjectorLogger }): Promise<ReadSide> {
  const { config, eventStore } = options;
  const models = await openReadModels(readStoreConfig(config));
  let runtime: ProjectorRuntime | undefined;
  // On PostgreSQL other processes may move checkpoints (a projector elsewhere, another API): hear of it.
  const listener = models.config.kind === 'postgres' ? new PostgresCheckpointListener(models.config.connectionString) : undefined;
  try {
    await listener?.start();
    if (config.projector === 'in-process') {
      // The doorbell rings on the store under the audited one: waking the loops unseals nothing.
      const doorbell = eventStore instanceof AuditedEventStore ? eventStore.inner : eventStore;
      // A projection whose version changed is rebuilt beside the old one, which answers meanwhile.
      const rebuildBeside = rebuildSpaceFor(models.config);
      // Several API processes on one PostgreSQL read store: each projection is run by one of them.
      const leases = leasesFor(models.config);
      runtime = new ProjectorRuntime({
        ...(leases ? { leases } : {}),
        store: eventStore,
        doorbell,
        db: models.db,
        projections: ALL_PROJECTIONS,
        ...(rebuildBeside ? { rebuildBeside } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
      await runtime.prepare();
      await runtime.start();
    } else {
      await createReadModelTables(models.db, ALL_PROJECTIONS);
    }
  } catch (error) {
    await listener?.close();
    await models.close();
    throw error;
  }
  const names = ALL_PROJECTIONS.map((p) => p.name);
  return {
    models,
    runtime,
    projector: config.projector,
    // Woken by this process's runtime and by NOTIFY; the poll is only the fallback when neither tells.
    waiter: new PositionWaiter(models.reader, { timeoutMs: config.minPositionTimeoutMs, ...(runtime ? { runtime } : {}), ...(listener ? { changes: listener, pollMs: 500 } : {}) }),
    status: new ProjectionStatusReader(models.reader, eventStore, names, runtime),
    close: async () => {
      await runtime?.stop();
      await listener?.close();
      await models.close();
    },
  };
}

/**
 * After an erasure: the read models held the names in the clear. Once the projections here have
 * redacted them, the old pages are pushed out of the write-ahead log, so the answer means "gone
 * from disk". With PROJECTOR=external the projector's process does this on its own read store.
 */
export async function afterErasure(readSide: ReadSide, position: number): Promise<void> {
  if (!readSide.runtime) return;
  try {
    await readSide.waiter.waitFor(PERSONAL_DATA_PROJECTIONS, position);
  } catch (error) {
    // A projection stopped, or rebuilding beside its old version: the key is gone (the erasure
    // itself); its copies of the names go when it reaches the event. Say so; do not fail the request.
    if (!(error instanceof ProjectionNotReadyError)) throw error;
    console.warn(`erasure at position ${position}: the read models will drop the names when they reach it (${error.message})`);
    return;
  }
  await readSide.models.scrub();
}
