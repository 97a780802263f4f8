import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { SharedLogReader, storageFailureOf } from '@rapport/event-store';
import type { ReadModelDb } from '../read-store/read-model-db';
import {
  advanceCheckpoint,
  CheckpointMovedError,
  createCheckpointTable,
  markStatus,
  ProjectionRunStatus,
  readCheckpoint,
  resetCheckpoint,
} from './checkpoints';
import type { RebuildSpace } from '../read-store/rebuild-space';
import { LogTail } from './log-tail';
import { createProjectionTables, ProjectedEvent, toProjectedEvent } from './projection';
import type { Projection } from './row-projection';
import { BatchFailure, RowBatch, WarmRows } from './row-batch';
import type { ProjectionLeases } from './leases';
import { createIndexesFromSpec, dialectOf, dropIndexesFromSpec, emptyRowIoStats, RowIoStats, SqlRowSource, writeChanges } from './sql-rows';
import { RebuildProgress, RebuildProgressOptions, startRebuildProgress } from './rebuild-progress';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectorRuntimeOptions {
  store: EventStore;
  /**
   * What rings when the log grows (its subscription only wakes idle loops; they read through
   * `store`). Default `store`; the API passes the store under the audited one, so ringing the bell
   * unseals nothing.
   */
  doorbell?: EventStore;
  db: Kysely<ReadModelDb>;
  projections: readonly Projection[];
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /**
   * Events per transaction while a group rebuilds (far behind the head). Default 10 × batchSize:
   * fewer, larger transactions write each hot index page once per batch instead of ten times.
   */
  rebuildBatchSize?: number;
  /** How often an idle projection looks at the log when no append rang. Default 1000 ms. */
  idlePollMs?: number;
  /** Wait after a failure that is not the event's fault (database down). Default 1000 ms, doubling to 30 s. */
  retryDelayMs?: number;
  logger?: ProjectorLogger;
  /** `false`: no progress output for rebuilds. */
  progress?: RebuildProgressOptions | false;
  /**
   * Where a projection whose version changed is rebuilt while the old version's tables keep
   * answering (switched in when caught up). Without it, it is rebuilt in place (queries on it then
   * answer 503 until it is done).
   */
  rebuildBeside?: RebuildSpace;
  /**
   * Rows the projections rebuilding from empty tables may keep in memory, all together (default
   * 1,000,000, about 1 GiB): below it, a batch reads nothing back from the database; past it, the
   * projections holding the most rows let theirs go and read them back from then on.
   */
  warmRowLimit?: number;
  /**
   * A projection rebuilding with its rows in memory writes them, with its checkpoint, once this
   * many have changed since its last write (default 200,000), when it catches up, and at least
   * every `rebuildFlushMs` (default 15 s): not every batch, so a row changed by many batches is
   * written once and the commits are few. A crash or a stop costs the rebuild what was not
   * written (it goes on from its checkpoint). 0: every batch.
   */
  rebuildFlushRows?: number;
  rebuildFlushMs?: number;
  /**
   * Several projector processes on one read store: each projection is run by the process holding
   * its lease; the others stand by and take it over when its owner is gone. Absent: run them all.
   */
  leases?: ProjectionLeases;
  /** How often a standby tries to take over the projections it does not hold. Default 1000 ms. */
  leaseRetryMs?: number;
  /** Test seam, to stand for a crash: runs inside each batch's transaction just before it commits. */
  beforeCommit?: (projection: string, lastPosition: number) => void | Promise<void>;
}

/** What the runtime knows of one projection. */
export interface ProjectionState {
  name: string;
  version: number;
  position: number;
  status: ProjectionRunStatus;
  rebuildTarget: number;
  error?: { position: number; eventType?: string; message: string };
  /** Set while it cannot advance for a reason that is not an event's (database down, log unreadable): it keeps trying, and says so. */
  retrying?: { attempts: number; message: string };
  /** Set while its new version is rebuilt beside this one (which keeps answering, frozen at `position`). */
  beside?: { version: number; position: number; target: number; failed?: string };
  /** With leases: another process owns it; this one stands by (its position is as last read). */
  standby?: boolean;
}

type StepResult = 'advanced' | 'idle' | 'stopped' | 'retry';

/** An event the projection could not apply: the projection stops right before it. */
class ApplyFailure extends Error {
  constructor(
    readonly event: RecordedEvent,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

/** Which member of a group could not apply an event (the group's transaction rolled back). */
class GroupApplyFailure extends Error {
  constructor(
    readonly projection: Projection,
    readonly failure: ApplyFailure,
  ) {
    super(failure.message);
  }
}

/** A batch's event as every projection sees it, or why it cannot be read (a member then stops at it). */
type Projected = ProjectedEvent | Error;

/** Each event of a batch decoded once, for every member of the group. */
function projectOnce(batch: readonly RecordedEvent[]): Projected[] {
  return batch.map((recorded) => {
    try {
      return toProjectedEvent(recorded);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  });
}

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Runs projections over the global log, each with its own checkpoint. Projections at the same
 * position form a group: the group's next batch is read once (the shared reader), turned into
 * projected events once, and applied by every member in ONE transaction with all their
 * checkpoints, so a crash repeats nothing and loses nothing. A projection behind the others (a
 * rebuild) is a group of its own and catches up batch by batch beside them, without holding the
 * live ones back; when it reaches them it joins their group. A projection that throws on an event
 * stops at the position before it, loudly; the others go on.
 */
export class ProjectorRuntime {
  private readonly batchSize: number;
  private readonly rebuildBatchSize: number;
  private readonly retryDelayMs: number;
  private readonly logger: ProjectorLogger;
  private readonly states = new Map<string, ProjectionState>();
  private readonly progress = new Map<string, RebuildProgress>();
  /** The rows of projections rebuilding from empty tables, held in memory until they catch up. */
  private readonly warm = new Map<string, WarmRows>();
  /** Projections whose indexes could not be built when they let their rows go: tried again before their next batch. */
  private readonly indexesPending = new Set<string>();
  private readonly listeners = new Set<(state: ProjectionState) => void>();
  private readonly tail: LogTail;
  /** Every projection reads through it: one read of a batch serves all projections at that position. */
  readonly reader: SharedLogReader;
  /** Rows loaded and written so far, with the statements and time it took (the bench's notes). */
  readonly rowIo: RowIoStats = emptyRowIoStats();
  private loopDone: Promise<void> | undefined;
  private besideDone: Promise<void> | undefined;
  private besideRuntime: ProjectorRuntime | undefined;
  private running = false;
  private stopping = false;
  private wakeStopped: () => void = () => undefined;
  private readonly stopped: Promise<void>;

  constructor(private readonly options: ProjectorRuntimeOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.rebuildBatchSize = options.rebuildBatchSize ?? this.batchSize * 10;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger ?? consoleLogger;
    this.tail = new LogTail(options.doorbell ?? options.store, options.idlePollMs ?? 1000);
    this.reader = new SharedLogReader(options.store, this.batchSize);
    this.stopped = new Promise<void>((resolve) => (this.wakeStopped = resolve));
    const names = new Set<string>();
    for (const p of options.projections) {
      if (names.has(p.name)) throw new Error(`two projections are named ${p.name}`);
      names.add(p.name);
    }
  }

  get projections(): readonly Projection[] {
    return this.options.projections;
  }

  /**
   * Creates what is missing, and drops and recreates the tables of a projection whose version
   * changed (it then rebuilds from 0). A projection stopped by an earlier run is tried again.
   */
  async prepare(): Promise<void> {
    const leases = this.options.leases;
    if (!leases) {
      await createCheckpointTable(this.options.db);
      for (const p of this.options.projections) await this.prepareOne(p);
      return;
    }
    const held = await leases.acquire(this.options.projections.map((p) => p.name));
    await leases.exclusive(async () => {
      await createCheckpointTable(this.options.db);
      for (const p of this.options.projections) {
        if (held.has(p.name)) await this.prepareOne(p);
        else await this.standBy(p);
      }
    });
    this.lastLeaseTry = Date.now();
  }

  /** Another process owns it: known from its checkpoint, not run here. */
  private async standBy(p: Projection): Promise<void> {
    const checkpoint = await readCheckpoint(this.options.db, p.name);
    this.states.set(p.name, {
      name: p.name,
      version: checkpoint?.version ?? p.version,
      position: checkpoint?.position ?? 0,
      status: checkpoint?.status ?? 'rebuilding',
      rebuildTarget: checkpoint?.rebuildTarget ?? 0,
      standby: true,
    });
  }

  private lastLeaseTry = 0;

  /** A standby takes over the projections whose owner is gone, from where their checkpoints say. */
  private async takeOver(): Promise<void> {
    const leases = this.options.leases;
    if (!leases || Date.now() - this.lastLeaseTry < (this.options.leaseRetryMs ?? 1000)) return;
    this.lastLeaseTry = Date.now();
    const standing = this.options.projections.filter((p) => this.states.get(p.name)?.standby);
    const held = await leases.acquire(this.options.projections.map((p) => p.name));
    // A lease lost (the session dropped): stand by for it, and stop running it at once.
    for (const p of this.options.projections) {
      const state = this.states.get(p.name)!;
      if (!held.has(p.name) && !state.standby) {
        this.logger.warn(`projection ${p.name}: lease lost; standing by`);
        // Its owner now goes on from the checkpoint: what was held here unwritten is dropped.
        this.warm.delete(p.name);
        await this.standBy(p);
        this.emit(this.states.get(p.name)!);
      }
    }
    const taken = standing.filter((p) => held.has(p.name));
    if (taken.length === 0) return;
    // Rebuilding beside happens once at start; one taken over later rebuilds in place if it must.
    await leases.exclusive(async () => {
      for (const p of taken) await this.prepareOne(p, false);
    });
    for (const p of taken) {
      const state = this.states.get(p.name)!;
      this.logger.log(`projection ${p.name}: taken over at position ${state.position}`);
      this.emit(state);
    }
  }

  /** Creates what is missing for one projection, or drops and recreates it for a new version. */
  private async prepareOne(p: Projection, beside = true): Promise<void> {
    const { db, store } = this.options;
    {
      const checkpoint = await readCheckpoint(db, p.name);
      if (checkpoint && checkpoint.version !== p.version && checkpoint.position > 0 && this.options.rebuildBeside && beside) {
        // The old version's tables keep answering, frozen, while the new one is built beside them.
        const target = await store.headPosition();
        this.states.set(p.name, {
          name: p.name,
          version: checkpoint.version,
          position: checkpoint.position,
          status: checkpoint.status,
          rebuildTarget: checkpoint.rebuildTarget,
          beside: { version: p.version, position: 0, target },
        });
        this.logger.log(`projection ${p.name}: version ${checkpoint.version} → ${p.version}, rebuilding beside it up to ${target}; queries answer from version ${checkpoint.version} meanwhile`);
      } else if (!checkpoint || checkpoint.version !== p.version) {
        const target = await store.headPosition();
        await db.transaction().execute(async (tx) => {
          for (const table of p.tables) await tx.schema.dropTable(table).ifExists().execute();
          await createProjectionTables(tx, p);
          await resetCheckpoint(tx, p.name, p.version, target);
          if (target === 0) await markStatus(tx, p.name, 'running');
        });
        if (checkpoint) this.logger.log(`projection ${p.name}: version ${checkpoint.version} → ${p.version}, rebuilding from position 0 up to ${target}`);
        this.track(p, { position: 0, rebuildTarget: target });
      } else {
        await createProjectionTables(db, p);
        this.track(p, checkpoint);
        if (checkpoint.status === 'stopped') {
          this.logger.warn(`projection ${p.name} was stopped at position ${checkpoint.position} (${checkpoint.error?.message ?? 'no error recorded'}); trying again`);
        }
        await markStatus(db, p.name, this.states.get(p.name)!.status);
      }
    }
  }

  /** Starts every projection's loop in the background (after prepare). */
  async start(): Promise<void> {
    if (this.running) return;
    if (this.states.size === 0) await this.prepare();
    this.running = true;
    await this.tail.open();
    this.loopDone = this.loop();
    this.besideDone = this.rebuildBeside().catch((error: unknown) => {
      const message = messageOf(error);
      this.logger.error(`REBUILD FAILED: rebuilding beside failed; the old versions keep answering, frozen: ${message}`);
      for (const state of this.states.values()) {
        if (state.beside) {
          state.beside.failed = message;
          this.emit(state);
        }
      }
    });
  }

  /** Stops the loops after their batch in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeStopped();
    this.tail.close();
    await this.besideRuntime?.stop();
    await Promise.all([this.loopDone, this.besideDone]);
    this.loopDone = undefined;
    this.running = false;
    // Its batch done, its leases go at once: a standby need not wait for the session to time out.
    await this.options.leases?.release();
  }

  /**
   * Applies the log up to `target` (default: the head now) in the caller's time, without the
   * background loops: for tests, rebuild commands and the first catch-up of a standalone run.
   */
  async catchUp(target?: number): Promise<void> {
    if (this.states.size === 0) await this.prepare();
    if (!this.running) await this.rebuildBeside();
    const until = target ?? (await this.options.store.headPosition());
    let delay = this.retryDelayMs;
    while (!this.stopping) {
      const pending = this.options.projections.filter((p) => {
        const state = this.states.get(p.name)!;
        return state.status !== 'stopped' && !state.beside && !state.standby && state.position < until;
      });
      if (pending.length === 0) return;
      const result = await this.round(pending);
      if (result === 'idle') return;
      if (result === 'retry') {
        await this.pause(delay);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      } else {
        delay = this.retryDelayMs;
      }
    }
  }

  snapshot(): ProjectionState[] {
    return [...this.states.values()].map((s) => ({
      ...s,
      ...(s.error ? { error: { ...s.error } } : {}),
      ...(s.retrying ? { retrying: { ...s.retrying } } : {}),
      ...(s.beside ? { beside: { ...s.beside } } : {}),
    }));
  }

  /** Called after every committed batch and when a projection stops. */
  onProgress(listener: (state: ProjectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private track(p: Projection, from: { position: number; rebuildTarget: number }): void {
    const status: ProjectionRunStatus = from.position < from.rebuildTarget ? 'rebuilding' : 'running';
    // At position 0 its tables hold nothing yet: every row it will read is one it wrote itself.
    if (status === 'rebuilding' && from.position === 0) this.warm.set(p.name, new WarmRows());
    this.states.set(p.name, { name: p.name, version: p.version, position: from.position, status, rebuildTarget: from.rebuildTarget });
    if (status === 'rebuilding' && this.options.progress !== false) {
      this.progress.set(p.name, startRebuildProgress(p.name, from.position, from.rebuildTarget, this.options.progress ?? {}));
    }
  }

  /**
   * The projections whose version changed, rebuilt by a runtime of their own in the rebuild space
   * up to the head as it was at start; then, in one transaction on the live store, their old
   * tables are dropped, recreated, filled with the rebuilt rows, and their checkpoints set at
   * the rebuilt position. From there the live loop carries them on.
   */
  private async rebuildBeside(): Promise<void> {
    const space = this.options.rebuildBeside;
    const changed = this.options.projections.filter((p) => this.states.get(p.name)!.beside);
    if (!space || changed.length === 0) return;
    const models = await space.open();
    let position = 0;
    try {
      const beside = new ProjectorRuntime({ ...this.options, db: models.db, projections: changed, rebuildBeside: undefined, beforeCommit: undefined, leases: undefined });
      this.besideRuntime = beside;
      beside.onProgress((state) => {
        const own = this.states.get(state.name)?.beside;
        if (own) own.position = state.position;
        this.emit(this.states.get(state.name)!);
      });
      await beside.prepare();
      await beside.catchUp(Math.max(...changed.map((p) => this.states.get(p.name)!.beside!.target)));
      if (this.stopping) return;
      const rebuilt = beside.snapshot();
      const stopped = rebuilt.filter((s) => s.status === 'stopped');
      if (stopped.length > 0) throw new Error(`the new version stopped: ${stopped.map((s) => `${s.name}: ${s.error?.message ?? ''}`).join('; ')}`);
      // They rebuilt as one group, batch by batch: all at one position, which is where they switch in.
      const positions = new Set(rebuilt.map((s) => s.position));
      if (positions.size !== 1) throw new Error(`the rebuilt projections ended at different positions (${[...positions].join(', ')})`);
      position = rebuilt[0]!.position;
    } finally {
      await models.close();
      this.besideRuntime = undefined;
    }
    const { db } = this.options;
    await space.attach(db);
    try {
      await db.transaction().execute(async (tx) => {
        for (const p of changed) {
          for (const table of p.tables) await tx.schema.dropTable(table).ifExists().execute();
          await createProjectionTables(tx, p);
          for (const table of p.tables) await space.copy(tx, table);
          const target = this.states.get(p.name)!.beside!.target;
          await resetCheckpoint(tx, p.name, p.version, target);
          await advanceCheckpoint(tx, p.name, p.version, 0, position, position >= target ? 'running' : 'rebuilding');
        }
      });
    } finally {
      await space.discard(db);
    }
    for (const p of changed) {
      const target = this.states.get(p.name)!.beside!.target;
      this.states.set(p.name, { name: p.name, version: p.version, position, status: position >= target ? 'running' : 'rebuilding', rebuildTarget: target });
      this.logger.log(`projection ${p.name}: version ${p.version} rebuilt beside the old one and switched in at position ${position}`);
      this.emit(this.states.get(p.name)!);
    }
  }

  private async loop(): Promise<void> {
    let delay = this.retryDelayMs;
    while (!this.stopping) {
      try {
        await this.takeOver();
      } catch (error) {
        this.logger.warn(`could not take over projections: ${messageOf(error)}`);
      }
      const active = this.options.projections.filter((p) => {
        const state = this.states.get(p.name)!;
        return state.status !== 'stopped' && !state.beside && !state.standby;
      });
      if (active.length === 0) {
        const waiting = this.options.projections.some((p) => this.states.get(p.name)!.beside || this.states.get(p.name)!.standby);
        if (!waiting) return;
        // Only rebuilds beside are going on (wait for them to switch in), or others own them all (stand by).
        await this.pause(Math.min(this.retryDelayMs, this.options.leaseRetryMs ?? 1000));
        continue;
      }
      const result = await this.round(active).catch((error: unknown): StepResult => {
        for (const p of active) this.failed(p, messageOf(error));
        return 'retry';
      });
      if (result === 'idle') await this.tail.next();
      if (result === 'retry') {
        await this.pause(delay);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      } else {
        delay = this.retryDelayMs;
      }
    }
  }

  /**
   * One batch for each group of projections at the same position, lowest first: a rebuilding
   * projection advances a batch per round like the live ones, so neither waits for the other.
   */
  private async round(projections: readonly Projection[]): Promise<StepResult> {
    const groups = new Map<number, Projection[]>();
    for (const p of projections) {
      const position = this.states.get(p.name)!.position;
      groups.set(position, [...(groups.get(position) ?? []), p]);
    }
    const results: StepResult[] = [];
    for (const position of [...groups.keys()].sort((a, b) => a - b)) results.push(await this.step(groups.get(position)!, position));
    if (results.includes('advanced')) return 'advanced';
    if (results.includes('retry')) return 'retry';
    return 'idle';
  }

  private async step(group: Projection[], position: number): Promise<StepResult> {
    let batch: RecordedEvent[];
    try {
      const rebuilding = group.every((p) => position + this.batchSize < this.states.get(p.name)!.rebuildTarget);
      batch = await this.reader.read(position, rebuilding ? this.rebuildBatchSize : this.batchSize);
    } catch (error) {
      for (const p of group) this.failed(p, `reading the log after ${position} failed: ${messageOf(error)}`);
      return 'retry';
    }
    if (batch.length === 0) {
      for (const p of group) delete this.states.get(p.name)!.retrying;
      return 'idle';
    }
    const events = projectOnce(batch);
    let members = group;
    // An event one member cannot apply rolls the group's transaction back: that member stops at it
    // on its own, and the others try the batch again without it.
    while (members.length > 0) {
      try {
        await this.commit(members, position, batch, events);
        return 'advanced';
      } catch (error) {
        if (error instanceof GroupApplyFailure) {
          const result = await this.stopAt(error.projection, this.states.get(error.projection.name)!, batch, events, error.failure);
          members = members.filter((p) => p !== error.projection);
          if (result === 'retry') return 'retry';
          continue;
        }
        if (error instanceof CheckpointMovedError) {
          // Another process moved a checkpoint: take its word for where each member is (and read its rows back).
          for (const p of members) {
            await this.dropHeld(p);
            const checkpoint = await readCheckpoint(this.options.db, p.name).catch(() => undefined);
            if (checkpoint) this.states.get(p.name)!.position = checkpoint.position;
          }
          return 'advanced';
        }
        for (const p of members) this.failed(p, `batch after ${position} rolled back: ${messageOf(error)}`);
        return 'retry';
      }
    }
    return 'advanced';
  }

  /** A failure that is not the event's: retried with a growing delay, logged, and shown in the state (and so in /health). */
  private failed(p: Projection, message: string): void {
    const state = this.states.get(p.name)!;
    state.retrying = { attempts: (state.retrying?.attempts ?? 0) + 1, message };
    this.logger.warn(`projection ${p.name}: ${message}; will retry (attempt ${state.retrying.attempts})`);
    this.emit(state);
  }

  /**
   * Applies `events` (the batch after `from`) for every member, and moves their checkpoints, in
   * one transaction. A member rebuilding with its rows in memory works the batch out before it
   * (it reads nothing from the database) and joins it only when its rows are due to be written.
   */
  private async commit(members: readonly Projection[], from: number, batch: RecordedEvent[], events: readonly Projected[]): Promise<void> {
    const last = batch[batch.length - 1]!.position;
    for (const p of members) await this.buildPendingIndexes(p);
    const statuses = new Map<string, ProjectionRunStatus>();
    const applied = new Map<string, RowBatch>();
    for (const p of members) statuses.set(p.name, last < this.states.get(p.name)!.rebuildTarget ? 'rebuilding' : 'running');
    const writing = new Set<Projection>();
    for (const p of members) {
      const warm = this.warm.get(p.name);
      if (!warm) {
        writing.add(p);
        continue;
      }
      const rows = new RowBatch(p.schema, undefined, warm);
      applied.set(p.name, rows);
      const failure = await this.timed(p, () => rows.apply(p, events));
      if (failure) throw this.applyFailure(p, batch, failure);
      if (statuses.get(p.name) === 'running' || this.writeDue(warm, rows)) writing.add(p);
    }
    if (writing.size > 0) {
      let committing = 0;
      await this.options.db.transaction().execute(async (tx) => {
        for (const p of writing) {
          const warm = this.warm.get(p.name);
          if (warm) {
            await this.writeWarm(tx, p, warm, last, statuses.get(p.name)!);
            await writeChanges(tx, p.schema, applied.get(p.name)!.changes(), this.rowIo);
            continue;
          }
          await advanceCheckpoint(tx, p.name, p.version, from, last, statuses.get(p.name)!);
          // The batch's changes are worked out in memory and written set-wise, beside the checkpoint.
          const rows = new RowBatch(p.schema, new SqlRowSource(tx, this.rowIo));
          applied.set(p.name, rows);
          const failure = await this.timed(p, () => rows.apply(p, events));
          if (failure) throw this.applyFailure(p, batch, failure);
          await writeChanges(tx, p.schema, rows.changes(), this.rowIo);
        }
        for (const p of writing) await this.options.beforeCommit?.(p.name, last);
        committing = performance.now();
      });
      this.rowIo.commits++;
      this.rowIo.commitMs += performance.now() - committing;
    }
    for (const p of members) {
      const state = this.states.get(p.name)!;
      state.position = last;
      state.status = statuses.get(p.name)!;
      const warm = this.warm.get(p.name);
      if (warm && writing.has(p)) warm.written(last);
      applied.get(p.name)!.settle(!warm || writing.has(p));
      // Caught up, it has no more use for the rows it holds.
      if (warm && state.status === 'running') await this.letGo(p);
      delete state.retrying;
      const progress = this.progress.get(p.name);
      if (progress) {
        if (state.status === 'running') {
          progress.done(last);
          this.progress.delete(p.name);
        } else {
          progress.update(last);
        }
      }
      this.emit(state);
    }
    await this.withinRowLimit();
  }

  /** Working out a projection's changes for a batch, timed (loads from the database fall under them too, and are also counted apart). */
  private async timed<T>(p: Projection, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const spent = this.rowIo.workMsByProjection;
      spent.set(p.name, (spent.get(p.name) ?? 0) + performance.now() - started);
    }
  }

  private applyFailure(p: Projection, batch: RecordedEvent[], failure: BatchFailure): unknown {
    // A full disk is not the event's fault: roll back and retry, never stop for it.
    if (storageFailureOf(failure.error)) return failure.error;
    return new GroupApplyFailure(p, new ApplyFailure(batch[failure.index]!, failure.error));
  }

  /** Enough rows changed, or long enough, since a projection rebuilding in memory last wrote them. */
  private writeDue(warm: WarmRows, rows: RowBatch): boolean {
    const limit = this.options.rebuildFlushRows ?? 200_000;
    return warm.unwrittenRows + rows.changeCount() >= limit || Date.now() - warm.writtenAt >= (this.options.rebuildFlushMs ?? 15_000);
  }

  /** Writes the rows held in memory and not yet written, and moves the checkpoint from where they were last written to `to`. */
  private async writeWarm(tx: Kysely<ReadModelDb>, p: Projection, warm: WarmRows, to: number, status: ProjectionRunStatus): Promise<void> {
    await advanceCheckpoint(tx, p.name, p.version, warm.writtenPosition, to, status);
    // A rebuild's write lost to a crash is only done again (from the checkpoint before it): no need to wait for the disk.
    if (dialectOf(tx) === 'postgres') await sql`set local synchronous_commit = off`.execute(tx);
    // Its first write into empty tables: their indexes are built once at the end (letGo), not row by row.
    if (warm.writtenPosition === 0) await dropIndexesFromSpec(tx, p.schema);
    await writeChanges(tx, p.schema, warm.unwrittenChanges(), this.rowIo);
  }

  /**
   * Past the rows they may hold together, the projections holding the most let theirs go first
   * (written, then read back batch by batch): the small ones stay in memory to the end.
   */
  private async withinRowLimit(): Promise<void> {
    const limit = this.options.warmRowLimit ?? 1_000_000;
    let held = [...this.warm.values()].reduce((sum, w) => sum + w.size, 0);
    while (held > limit) {
      const [name, largest] = [...this.warm].reduce((a, b) => (b[1].size > a[1].size ? b : a));
      held -= largest.size;
      await this.letGo(this.options.projections.find((p) => p.name === name)!);
    }
  }

  /** Writes what a projection rebuilding in memory has not written yet, with its checkpoint at its position. */
  private async writeHeld(p: Projection): Promise<void> {
    const warm = this.warm.get(p.name);
    const state = this.states.get(p.name)!;
    if (!warm || (warm.unwrittenRows === 0 && warm.writtenPosition === state.position)) return;
    await this.options.db.transaction().execute((tx) => this.writeWarm(tx, p, warm, state.position, state.status === 'stopped' ? 'rebuilding' : state.status));
    warm.written(state.position);
  }

  /** Its rows held in memory are dropped unwritten (another process has moved on from its checkpoint), and its indexes built. */
  private async dropHeld(p: Projection): Promise<void> {
    if (this.warm.delete(p.name)) this.indexesPending.add(p.name);
    await this.buildPendingIndexes(p);
  }

  /** Rows held in memory are written and let go, and the indexes they stood in for are built (queries and loads need them). */
  private async letGo(p: Projection): Promise<void> {
    await this.writeHeld(p);
    await this.dropHeld(p);
  }

  private async buildPendingIndexes(p: Projection): Promise<void> {
    if (!this.indexesPending.has(p.name)) return;
    try {
      const started = performance.now();
      await createIndexesFromSpec(this.options.db, p.schema);
      this.rowIo.indexMs += performance.now() - started;
      this.rowIo.indexesBuilt += p.schema.reduce((n, t) => n + (t.indexes?.length ?? 0), 0);
      this.indexesPending.delete(p.name);
    } catch (error) {
      this.logger.warn(`projection ${p.name}: could not build its indexes yet (tried again before its next batch): ${messageOf(error)}`);
    }
  }

  /** Commits the events before the one that failed, then stops the projection and says so. */
  private async stopAt(p: Projection, state: ProjectionState, batch: RecordedEvent[], events: readonly Projected[], failure: ApplyFailure): Promise<StepResult> {
    let current = failure;
    for (;;) {
      const count = batch.findIndex((e) => e.position >= current.event.position);
      if (count <= 0) break;
      try {
        await this.commit([p], state.position, batch.slice(0, count), events.slice(0, count));
        break;
      } catch (error) {
        if (!(error instanceof GroupApplyFailure)) {
          this.failed(p, `batch after ${state.position} rolled back: ${messageOf(error)}`);
          return 'retry';
        }
        current = error.failure; // it failed earlier this time: stop there instead
      }
    }
    const { event } = current;
    const message = `cannot apply event at position ${event.position} (${event.type} ${event.eventId} in ${event.stream}): ${current.message}`;
    try {
      // The rows of the events before it are kept: written (if held in memory) before the stop is recorded.
      await this.writeHeld(p);
    } catch (error) {
      this.failed(p, `writing its rows before stopping at ${event.position} failed: ${messageOf(error)}`);
      return 'retry';
    }
    try {
      await markStatus(this.options.db, p.name, 'stopped', { position: event.position, message });
    } catch (error) {
      this.logger.warn(`projection ${p.name}: could not record its stop: ${messageOf(error)}`);
    }
    state.status = 'stopped';
    await this.dropHeld(p);
    state.error = { position: event.position, eventType: event.type, message };
    this.progress.delete(p.name);
    this.logger.error(`PROJECTION STOPPED: ${p.name} v${p.version} stays at position ${state.position}; ${message}`);
    if (current.reason instanceof Error && current.reason.stack) this.logger.error(current.reason.stack);
    this.emit(state);
    return 'stopped';
  }

  private emit(state: ProjectionState): void {
    for (const listener of this.listeners) listener({ ...state });
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      void this.stopped.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Creates every missing table and the checkpoints, without rebuilding anything: for an API whose
 * projector runs elsewhere, so its queries find the tables before the projector's first start.
 */
export async function createReadModelTables(db: Kysely<ReadModelDb>, projections: readonly Projection[]): Promise<void> {
  await createCheckpointTable(db);
  for (const p of projections) await createProjectionTables(db, p);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const consoleLogger: ProjectorLogger = {
  log: (m) => console.log(`[projector] ${m}`),
  warn: (m) => console.warn(`[projector] ${m}`),
  error: (m) => console.error(`[projector] ${m}`),
};
