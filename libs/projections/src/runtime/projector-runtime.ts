import type { Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import { storageFailureOf } from '@rapport/event-store';
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
import { LogTail } from './log-tail';
import { Projection, toProjectedEvent } from './projection';
import { RebuildProgress, RebuildProgressOptions, startRebuildProgress } from './rebuild-progress';

export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ProjectorRuntimeOptions {
  store: EventStore;
  db: Kysely<ReadModelDb>;
  projections: readonly Projection[];
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** How often an idle projection looks at the log when no append rang. Default 1000 ms. */
  idlePollMs?: number;
  /** Wait after a failure that is not the event's fault (database down). Default 1000 ms, doubling to 30 s. */
  retryDelayMs?: number;
  logger?: ProjectorLogger;
  /** `false`: no progress output for rebuilds. */
  progress?: RebuildProgressOptions | false;
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

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Runs projections over the global log. Each projection has its own loop and checkpoint: it reads
 * a batch after its position, applies it and moves the checkpoint in ONE transaction, so a crash
 * repeats nothing and loses nothing. A projection that throws on an event stops at the position
 * before it, loudly; the others go on.
 */
export class ProjectorRuntime {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly logger: ProjectorLogger;
  private readonly states = new Map<string, ProjectionState>();
  private readonly progress = new Map<string, RebuildProgress>();
  private readonly listeners = new Set<(state: ProjectionState) => void>();
  private readonly tail: LogTail;
  private loops: Promise<void>[] = [];
  private running = false;
  private stopping = false;
  private wakeStopped: () => void = () => undefined;
  private readonly stopped: Promise<void>;

  constructor(private readonly options: ProjectorRuntimeOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger ?? consoleLogger;
    this.tail = new LogTail(options.store, options.idlePollMs ?? 1000);
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
    const { db, store } = this.options;
    await createCheckpointTable(db);
    for (const p of this.options.projections) {
      const checkpoint = await readCheckpoint(db, p.name);
      if (!checkpoint || checkpoint.version !== p.version) {
        const target = await store.headPosition();
        await db.transaction().execute(async (tx) => {
          for (const table of p.tables) await tx.schema.dropTable(table).ifExists().execute();
          await p.createTables(tx);
          await resetCheckpoint(tx, p.name, p.version, target);
          if (target === 0) await markStatus(tx, p.name, 'running');
        });
        if (checkpoint) this.logger.log(`projection ${p.name}: version ${checkpoint.version} → ${p.version}, rebuilding from position 0 up to ${target}`);
        this.track(p, { position: 0, rebuildTarget: target });
      } else {
        await p.createTables(db);
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
    this.loops = this.options.projections.map((p) => this.loop(p));
  }

  /** Stops the loops after their batch in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeStopped();
    this.tail.close();
    await Promise.all(this.loops);
    this.loops = [];
    this.running = false;
  }

  /**
   * Applies the log up to `target` (default: the head now) in the caller's time, without the
   * background loops: for tests, rebuild commands and the first catch-up of a standalone run.
   */
  async catchUp(target?: number): Promise<void> {
    if (this.states.size === 0) await this.prepare();
    const until = target ?? (await this.options.store.headPosition());
    await Promise.all(
      this.options.projections.map(async (p) => {
        for (;;) {
          const state = this.states.get(p.name)!;
          if (state.status === 'stopped' || state.position >= until || this.stopping) return;
          const result = await this.step(p);
          if (result === 'idle') return;
          if (result === 'retry') await this.pause(this.retryDelayMs);
        }
      }),
    );
  }

  snapshot(): ProjectionState[] {
    return [...this.states.values()].map((s) => ({ ...s, ...(s.error ? { error: { ...s.error } } : {}), ...(s.retrying ? { retrying: { ...s.retrying } } : {}) }));
  }

  /** Called after every committed batch and when a projection stops. */
  onProgress(listener: (state: ProjectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private track(p: Projection, from: { position: number; rebuildTarget: number }): void {
    const status: ProjectionRunStatus = from.position < from.rebuildTarget ? 'rebuilding' : 'running';
    this.states.set(p.name, { name: p.name, version: p.version, position: from.position, status, rebuildTarget: from.rebuildTarget });
    if (status === 'rebuilding' && this.options.progress !== false) {
      this.progress.set(p.name, startRebuildProgress(p.name, from.position, from.rebuildTarget, this.options.progress ?? {}));
    }
  }

  private async loop(p: Projection): Promise<void> {
    let delay = this.retryDelayMs;
    while (!this.stopping) {
      const result = await this.step(p).catch((error: unknown): StepResult => {
        this.failed(p, messageOf(error));
        return 'retry';
      });
      if (result === 'stopped') return;
      if (result === 'idle') await this.tail.next();
      if (result === 'retry') {
        await this.pause(delay);
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      } else {
        delay = this.retryDelayMs;
      }
    }
  }

  private async step(p: Projection): Promise<StepResult> {
    const state = this.states.get(p.name)!;
    if (state.status === 'stopped') return 'stopped';
    let batch: RecordedEvent[];
    try {
      batch = await this.options.store.readAll({ after: state.position, limit: this.batchSize });
    } catch (error) {
      this.failed(p, `reading the log after ${state.position} failed: ${messageOf(error)}`);
      return 'retry';
    }
    if (batch.length === 0) {
      delete state.retrying;
      return 'idle';
    }
    try {
      await this.commit(p, state, batch);
      return 'advanced';
    } catch (error) {
      if (error instanceof ApplyFailure) return this.stopAt(p, state, batch, error);
      if (error instanceof CheckpointMovedError) {
        const checkpoint = await readCheckpoint(this.options.db, p.name).catch(() => undefined);
        if (checkpoint) state.position = checkpoint.position;
        return 'advanced';
      }
      this.failed(p, `batch after ${state.position} rolled back: ${messageOf(error)}`);
      return 'retry';
    }
  }

  /** A failure that is not the event's: retried with a growing delay, logged, and shown in the state (and so in /health). */
  private failed(p: Projection, message: string): void {
    const state = this.states.get(p.name)!;
    state.retrying = { attempts: (state.retrying?.attempts ?? 0) + 1, message };
    this.logger.warn(`projection ${p.name}: ${message}; will retry (attempt ${state.retrying.attempts})`);
    this.emit(state);
  }

  private async commit(p: Projection, state: ProjectionState, batch: RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1]!.position;
    const status: ProjectionRunStatus = last < state.rebuildTarget ? 'rebuilding' : 'running';
    await this.options.db.transaction().execute(async (tx) => {
      await advanceCheckpoint(tx, p.name, p.version, state.position, last, status);
      for (const recorded of batch) {
        try {
          await p.apply(toProjectedEvent(recorded), tx);
        } catch (cause) {
          // A full disk is not the event's fault: roll back and retry, never stop for it.
          if (storageFailureOf(cause)) throw cause;
          throw new ApplyFailure(recorded, cause);
        }
      }
      await this.options.beforeCommit?.(p.name, last);
    });
    state.position = last;
    state.status = status;
    delete state.retrying;
    const progress = this.progress.get(p.name);
    if (progress) {
      if (status === 'running') {
        progress.done(last);
        this.progress.delete(p.name);
      } else {
        progress.update(last);
      }
    }
    this.emit(state);
  }

  /** Commits the events before the one that failed, then stops the projection and says so. */
  private async stopAt(p: Projection, state: ProjectionState, batch: RecordedEvent[], failure: ApplyFailure): Promise<StepResult> {
    let current = failure;
    for (;;) {
      const before = batch.filter((e) => e.position < current.event.position);
      if (before.length === 0) break;
      try {
        await this.commit(p, state, before);
        break;
      } catch (error) {
        if (!(error instanceof ApplyFailure)) {
          this.failed(p, `batch after ${state.position} rolled back: ${messageOf(error)}`);
          return 'retry';
        }
        current = error; // it failed earlier this time: stop there instead
      }
    }
    const { event } = current;
    const message = `cannot apply event at position ${event.position} (${event.type} ${event.eventId} in ${event.stream}): ${current.message}`;
    try {
      await markStatus(this.options.db, p.name, 'stopped', { position: event.position, message });
    } catch (error) {
      this.logger.warn(`projection ${p.name}: could not record its stop: ${messageOf(error)}`);
    }
    state.status = 'stopped';
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
  for (const p of projections) await p.createTables(db);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const consoleLogger: ProjectorLogger = {
  log: (m) => console.log(`[projector] ${m}`),
  warn: (m) => console.warn(`[projector] ${m}`),
  error: (m) => console.error(`[projector] ${m}`),
};
