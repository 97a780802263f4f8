import type { Kysely } from 'kysely';
import type { CheckpointChanges } from './checkpoint-listener';
import type { EventStore } from '@rapport/event-store';
import type { ReadModelDb } from '../read-store/read-model-db';
import { Checkpoint, ProjectionRunStatus, readCheckpoints } from './checkpoints';
import type { ProjectorRuntime } from './projector-runtime';

/** A projection as /health shows it. */
export interface ProjectionHealth {
  name: string;
  version: number;
  position: number;
  /** The log's head minus the position: events not yet applied. */
  lag: number;
  status: ProjectionRunStatus;
  /** Set when stopped: the event it could not apply and why. */
  error?: { position: number; message: string };
  /** Set while it cannot advance for a reason that is not an event's (in-process projector only): how often it tried, and why. */
  retrying?: { attempts: number; message: string };
  /** Set while its new version is rebuilt beside it (in-process projector only); queries answer from this one meanwhile. */
  rebuildingBeside?: { version: number; position: number; target: number; failed?: string };
  /** In-process projector only: whether this process runs it (false: another process owns its lease, this one stands by). */
  runHere?: boolean;
}

/**
 * Reads each projection's checkpoint from the read database, so the API reports the projector's
 * progress whether it runs in this process or on its own (apps/projector).
 */
export class ProjectionStatusReader {
  constructor(
    private readonly db: Kysely<ReadModelDb>,
    private readonly store: EventStore,
    private readonly expected: readonly string[],
    /** The projector of this process, when it runs here: it knows what the checkpoints cannot say (retries). */
    private readonly runtime?: Pick<ProjectorRuntime, 'snapshot'>,
  ) {}

  async read(): Promise<ProjectionHealth[]> {
    const [checkpoints, head] = await Promise.all([readCheckpoints(this.db).catch(() => [] as Checkpoint[]), this.store.headPosition()]);
    const byName = new Map(checkpoints.map((c) => [c.name, c]));
    const live = new Map((this.runtime?.snapshot() ?? []).map((s) => [s.name, s]));
    return this.expected.map((name): ProjectionHealth => {
      const c = byName.get(name);
      const retrying = live.get(name)?.retrying;
      const beside = live.get(name)?.beside;
      const runHere = live.has(name) ? { runHere: !live.get(name)!.standby } : {};
      if (!c) return { name, version: 0, position: 0, lag: head, status: 'rebuilding', ...(retrying ? { retrying } : {}), ...runHere };
      return {
        name,
        version: c.version,
        position: c.position,
        lag: Math.max(head - c.position, 0),
        status: c.status,
        ...(c.error ? { error: c.error } : {}),
        ...(retrying ? { retrying } : {}),
        ...(beside ? { rebuildingBeside: beside } : {}),
        ...runHere,
      };
    });
  }
}

/** A query on a projection rebuilt in place (no old version to answer from): 503, with how far it has got. */
export class ProjectionRebuildingError extends Error {
  constructor(readonly projections: { name: string; position: number; target: number }[]) {
    super(
      `the read side is being rebuilt: ${projections.map((p) => `${p.name} at position ${p.position} of ${p.target}`).join('; ')}; ask again shortly`,
    );
    this.name = 'ProjectionRebuildingError';
  }
}

/** Why a query could not wait for its projections (503). */
export class ProjectionNotReadyError extends Error {
  constructor(
    message: string,
    readonly projections: { name: string; position: number; status: ProjectionRunStatus; error?: string }[],
  ) {
    super(message);
    this.name = 'ProjectionNotReadyError';
  }
}

export interface PositionWaiterOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** How often to look at the checkpoints when no in-process runtime tells. Default 25 ms. */
  pollMs?: number;
  /** The in-process runtime, when there is one: its progress wakes waiters at once. */
  runtime?: ProjectorRuntime;
  /** Without one, what says a checkpoint moved (PostgreSQL LISTEN/NOTIFY): it wakes waiters at once. */
  changes?: CheckpointChanges;
}

/**
 * Read-your-writes: `?minPosition=N` waits until every projection a query reads has applied the
 * log up to N. A stopped projection that has not got there answers at once; otherwise the wait
 * ends after the timeout.
 */
export class PositionWaiter {
  private readonly timeoutMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly db: Kysely<ReadModelDb>,
    private readonly options: PositionWaiterOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.pollMs = options.pollMs ?? 25;
  }

  async waitFor(projections: readonly string[], minPosition: number): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const positions = await this.positions(projections);
      const behind = positions.filter((p) => p.position < minPosition);
      if (behind.length === 0) return;
      const stopped = behind.filter((p) => p.status === 'stopped');
      if (stopped.length > 0) {
        throw new ProjectionNotReadyError(
          `projection ${stopped.map((p) => `${p.name} is stopped at position ${p.position}`).join('; ')} and cannot reach position ${minPosition}`,
          behind,
        );
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new ProjectionNotReadyError(
          `projection ${behind.map((p) => `${p.name} is at position ${p.position}`).join('; ')}; position ${minPosition} was not reached within ${this.timeoutMs} ms`,
          behind,
        );
      }
      await this.nextChange(Math.min(this.pollMs, remaining));
    }
  }

  /** Refuses (ProjectionRebuildingError) when a projection the query reads is being rebuilt in place: its tables are half full. */
  async requireBuilt(projections: readonly string[]): Promise<void> {
    const runtime = this.options.runtime;
    const known = runtime ? runtime.snapshot() : await readCheckpoints(this.db);
    const rebuilding = projections.flatMap((name) => {
      const found = known.find((k) => k.name === name);
      if (!found || found.status !== 'rebuilding' || ('beside' in found && found.beside)) return [];
      return [{ name, position: found.position, target: found.rebuildTarget }];
    });
    if (rebuilding.length > 0) throw new ProjectionRebuildingError(rebuilding);
  }

  private async positions(names: readonly string[]): Promise<{ name: string; position: number; status: ProjectionRunStatus; error?: string }[]> {
    const runtime = this.options.runtime;
    let known: { name: string; position: number; status: ProjectionRunStatus; error?: { message: string } }[] = runtime ? runtime.snapshot() : await readCheckpoints(this.db);
    // A projection another process owns (this one stands by for it) is as far as its checkpoint says.
    if (runtime && known.some((k) => names.includes(k.name) && 'standby' in k && k.standby)) {
      const stored = new Map((await readCheckpoints(this.db)).map((c) => [c.name, c]));
      known = known.map((k) => ('standby' in k && k.standby && stored.has(k.name) ? stored.get(k.name)! : k));
    }
    return names.map((name) => {
      const found = known.find((k) => k.name === name);
      if (!found) return { name, position: 0, status: 'rebuilding' as const };
      return { name, position: found.position, status: found.status, ...(found.error ? { error: found.error.message } : {}) };
    });
  }

  private nextChange(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let off: (() => void) | undefined;
      const timer = setTimeout(done, ms);
      timer.unref();
      const offRuntime = this.options.runtime?.onProgress(done);
      const offChanges = this.options.changes?.onChange(done);
      off = () => {
        offRuntime?.();
        offChanges?.();
      };
      function done(): void {
        clearTimeout(timer);
        off?.();
        off = undefined;
        resolve();
      }
    });
  }
}
