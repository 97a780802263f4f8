import { SqliteEventStore } from '@rapport/event-store';
import { ALL_PROJECTIONS } from '../src/all-projections';
import { readCallerMetrics } from '../src/caller-metrics/caller-metrics.query';
import type { ReadModels } from '../src/read-store/read-models';
import { readCheckpoints } from '../src/runtime/checkpoints';
import { put, tableSpec, type Projection } from '../src/runtime/row-projection';
import type { EventStore } from '@rapport/event-store';
import { ProjectorLogger, ProjectorRuntime } from '../src/runtime/projector-runtime';
import { PositionWaiter, ProjectionNotReadyError, ProjectionRebuildingError, ProjectionStatusReader } from '../src/runtime/read-your-writes';
import { rebuildSpaceFor } from '../src/read-store/rebuild-space';
import { sql } from 'kysely';
import { dialectOf } from '../src/runtime/sql-rows';
import { DomainRecorder } from './domain-recorder';
import { dumpReadModels } from './read-model-dump';
import { recordClinicWeek, ZHANG } from './clinic-week.scenario';
import type { ReadStoreTarget } from './read-store-targets';

const quiet: ProjectorLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

function bumped(projections: readonly Projection[]): Projection[] {
  return projections.map((p) => ({ ...p, version: p.version + 1 }));
}

/** The projection, telling `seen` of every event it applies (a row projection may look at an event more than once per batch). */
function watched(p: Projection, seen: (position: number) => void): Projection {
  return { ...p, project: (event, rows) => (seen(event.position), p.project(event, rows)) };
}

/** The store, with reads of the log after `from` (and before `until`) held until the gate opens: a rebuild paused half-way. */
function heldAt(store: EventStore, from: number, until: number, gate: Promise<void>, held: () => void = () => undefined): EventStore {
  return new Proxy(store, {
    get: (target, key, receiver) => {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'readAll') return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      return async (options?: Parameters<EventStore['readAll']>[0]) => {
        const after = options?.after ?? 0;
        if (after >= from && after < until) {
          held();
          await gate;
        }
        return target.readAll(options);
      };
    },
  });
}

/** The runtime's promises: atomic batches with their checkpoint, loud stops, resumable rebuilds, read-your-writes. */
export function projectorRuntimeContract(target: ReadStoreTarget): void {
  describe(`projector runtime on ${target.name}`, () => {
    let store: SqliteEventStore;
    const opened: ReadModels[] = [];
    const open = async () => {
      const models = await target.open();
      opened.push(models);
      return models;
    };

    beforeEach(async () => {
      store = new SqliteEventStore({ filename: ':memory:' });
      await recordClinicWeek(new DomainRecorder(store));
    });
    afterEach(async () => {
      for (const models of opened.splice(0)) await models.close().catch(() => undefined);
      await store.close();
      await target.cleanup();
    });

    it('stops a projection that throws at the event before it, loudly, while the others go on', async () => {
      const models = await open();
      const head = await store.headPosition();
      const poisoned = 30; // in the middle of a batch of 8 (25–32)
      const boom: Projection = {
        name: 'boom',
        version: 1,
        tables: [],
        schema: [],
        project: (event) => {
          if (event.position === poisoned) throw new Error('cannot read this event');
          return [];
        },
      };
      const errors: string[] = [];
      const runtime = new ProjectorRuntime({
        store,
        db: models.db,
        projections: [...ALL_PROJECTIONS, boom],
        batchSize: 8, rebuildBatchSize: 8,
        logger: { ...quiet, error: (m) => errors.push(m) },
        progress: false,
      });
      await runtime.catchUp();

      const states = Object.fromEntries(runtime.snapshot().map((s) => [s.name, s]));
      expect(states.boom).toMatchObject({ position: poisoned - 1, status: 'stopped', error: { position: poisoned, message: expect.stringContaining('cannot read this event') } });
      for (const p of ALL_PROJECTIONS) expect(states[p.name]).toMatchObject({ position: head, status: 'running' });
      expect(errors[0]).toMatch(/PROJECTION STOPPED: boom v1 stays at position 29; cannot apply event at position 30 \(FollowUpScheduled .*\): cannot read this event/);

      // /health reads the same from the database, also from another process.
      const health = await new ProjectionStatusReader(models.db, store, ['boom', 'call-queue']).read();
      expect(health).toEqual([
        { name: 'boom', version: 1, position: 29, lag: head - 29, status: 'stopped', error: { position: 30, message: expect.stringContaining('cannot read this event') } },
        { name: 'call-queue', version: ALL_PROJECTIONS.find((p) => p.name === 'call-queue')!.version, position: head, lag: 0, status: 'running' },
      ]);
      // A query on the stopped projection cannot wait for what it will never reach.
      const waiter = new PositionWaiter(models.db, { timeoutMs: 5000 });
      await expect(waiter.waitFor(['boom'], poisoned)).rejects.toThrow(/boom is stopped at position 29/);
      await expect(waiter.waitFor(['call-queue'], head)).resolves.toBeUndefined();
    });

    it('reads the log once for all projections: each batch from the store once, whoever applies it', async () => {
      const models = await open();
      const head = await store.headPosition();
      const runtime = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, batchSize: 8, rebuildBatchSize: 8, logger: quiet, progress: false });
      await runtime.prepare();
      await runtime.catchUp();
      expect(runtime.snapshot().map((s) => s.position)).toEqual(ALL_PROJECTIONS.map(() => head));
      // Each event came from the store once, not once per projection (7 projections: 7× before).
      expect(runtime.reader.eventsRead).toBe(head);
      expect(runtime.reader.storeReads).toBe(Math.ceil(head / 8));

      // A rebuild far behind the head reads (and commits) in its larger batches, then the live size near the head.
      const rebuilt = await open();
      const rebuilding = new ProjectorRuntime({ store, db: rebuilt.db, projections: ALL_PROJECTIONS, batchSize: 8, rebuildBatchSize: 40, logger: quiet, progress: false });
      await rebuilding.catchUp();
      expect(rebuilding.reader.eventsRead).toBe(head);
      const large = Math.floor((head - 8) / 40) + (((head - 8) % 40) > 0 ? 1 : 0);
      expect(rebuilding.reader.storeReads).toBeLessThanOrEqual(large + 1);
      expect(await dumpReadModels(rebuilt.db, ALL_PROJECTIONS)).toEqual(await dumpReadModels(models.db, ALL_PROJECTIONS));
    });

    it('says it is retrying when the log cannot be read, in its state and in the status /health reads, and clears it when it can', async () => {
      const models = await open();
      const head = await store.headPosition();
      const warnings: string[] = [];
      const runtime = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, retryDelayMs: 5, idlePollMs: 20, logger: { ...quiet, warn: (m) => warnings.push(m) } });
      await runtime.prepare();
      // Fault injection: the log cannot be read for the first few reads (as on a lost disk or connection).
      const readAll = store.readAll.bind(store);
      let failures = 4;
      store.readAll = (options) => (failures-- > 0 ? Promise.reject(new Error('disk I/O error')) : readAll(options));
      const status = new ProjectionStatusReader(models.reader, store, ALL_PROJECTIONS.map((p) => p.name), runtime);
      const seen: number[] = [];
      const off = runtime.onProgress((state) => state.name === 'clinics' && state.retrying && seen.push(state.retrying.attempts));
      await runtime.start();
      await new PositionWaiter(models.reader, { timeoutMs: 10_000, runtime }).waitFor(ALL_PROJECTIONS.map((p) => p.name), head);
      off();
      await runtime.stop();
      expect(seen.length).toBeGreaterThan(0);
      expect(warnings.some((w) => /reading the log after 0 failed: disk I\/O error; will retry \(attempt \d\)/.test(w))).toBe(true);
      // Caught up: nothing says retrying any more.
      expect((await status.read()).filter((p) => p.retrying)).toEqual([]);
      expect(runtime.snapshot().filter((s) => s.retrying)).toEqual([]);
    });

    it('rebuilds from empty tables with the rows in memory and the indexes built at the end: the rows of a rebuild that reads them back, every index in place', async () => {
      const indexesOf = async (models: ReadModels): Promise<string[]> => {
        const query = dialectOf(models.db) === 'postgres' ? sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()` : sql<{ name: string }>`select name from sqlite_master where type = 'index' and sql is not null`;
        return (await query.execute(models.db)).rows.map((r) => r.name).sort();
      };
      const declared = ALL_PROJECTIONS.flatMap((p) => p.schema.flatMap((t) => (t.indexes ?? []).map((i) => i.name))).sort();
      // In memory throughout (batches of 7, so it spans many), and letting the rows go after the first batch.
      const warm = await open();
      await new ProjectorRuntime({ store, db: warm.db, projections: ALL_PROJECTIONS, batchSize: 7, rebuildBatchSize: 7, logger: quiet, progress: false }).catchUp();
      const cold = await open();
      await new ProjectorRuntime({ store, db: cold.db, projections: ALL_PROJECTIONS, batchSize: 7, rebuildBatchSize: 7, warmRowLimit: 0, logger: quiet, progress: false }).catchUp();
      expect(await dumpReadModels(warm.db, ALL_PROJECTIONS)).toEqual(await dumpReadModels(cold.db, ALL_PROJECTIONS));
      expect((await indexesOf(warm)).filter((name) => declared.includes(name))).toEqual(declared);
      expect((await indexesOf(cold)).filter((name) => declared.includes(name))).toEqual(declared);
    });

    it('past the rows it may hold, lets go of the projections holding the most first: the smallest stays in memory to the end', async () => {
      const head = await store.headPosition();
      // Three projections of 1, 2 and 4 rows per event: 7 + 14 + 28 = 49 rows a batch of 7.
      const sized = (name: string, perEvent: number): Projection => ({
        name,
        version: 1,
        tables: [name as never],
        schema: [tableSpec({ name: name as never, columns: { position: 'bigint', n: 'integer' } as never, key: ['position', 'n'] as never })],
        project: (event) => Array.from({ length: perEvent }, (_, n) => put(name as never, { position: event.position, n } as never)),
      });
      const projections = [sized('rows_small', 1), sized('rows_medium', 2), sized('rows_large', 4)];
      const models = await open();
      const writes = new Map<string, number>();
      // Over the limit in the 4th batch, when the small one has settled its rows (3 × 49 + 7 = 154 > 150):
      // letting go of whichever went over would drop the small one first.
      await new ProjectorRuntime({
        store,
        db: models.db,
        projections,
        batchSize: 7,
        rebuildBatchSize: 7,
        warmRowLimit: 150,
        logger: quiet,
        progress: false,
        beforeCommit: (name) => void writes.set(name, (writes.get(name) ?? 0) + 1),
      }).catchUp();
      expect(head).toBeGreaterThan(7 * 10);
      // The large one went in the 4th batch, the medium one later; the small one was written once, caught up.
      expect(writes.get('rows_large')).toBe(Math.ceil(head / 7) - 4);
      expect(writes.get('rows_medium')).toBeGreaterThan(1);
      expect(writes.get('rows_small')).toBe(1);
      for (const [table, perEvent] of [['rows_small', 1], ['rows_medium', 2], ['rows_large', 4]] as const) {
        const count = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(models.db)).rows[0]!.n;
        expect(Number(count)).toBe(head * perEvent);
      }
    });

    it('rebuilding from empty, writes its rows with its checkpoint every so many rows, not every batch; killed at a write, resumes from the last one with the rows of a clean rebuild', async () => {
      const head = await store.headPosition();
      const oneWrite = await open();
      const written: number[] = [];
      // Batches of 7, so the log is many batches; the week's rows are far fewer than a write's worth: one write, when caught up.
      await new ProjectorRuntime({ store, db: oneWrite.db, projections: ALL_PROJECTIONS, batchSize: 7, rebuildBatchSize: 7, logger: quiet, progress: false, beforeCommit: (_name, last) => void written.push(last) }).catchUp();
      expect(new Set(written)).toEqual(new Set([head]));
      expect(written).toHaveLength(ALL_PROJECTIONS.length);

      // A write every 40 rows or so; the second write of any projection dies inside its transaction, and the "process" is gone.
      const crashed = await open();
      const writes = new Map<string, number[]>();
      const cut: ProjectorRuntime = new ProjectorRuntime({
        store,
        db: crashed.db,
        projections: ALL_PROJECTIONS,
        batchSize: 7,
        rebuildBatchSize: 7,
        rebuildFlushRows: 40,
        retryDelayMs: 5,
        logger: quiet,
        progress: false,
        beforeCommit: (name, last) => {
          const at = [...(writes.get(name) ?? []), last];
          writes.set(name, at);
          if (at.length < 2) return;
          void cut.stop();
          throw new Error('killed');
        },
      });
      await cut.catchUp();
      await crashed.close();
      const afterCrash = await target.reopen();
      opened.push(afterCrash);
      const midway = new Map((await readCheckpoints(afterCrash.db)).map((c) => [c.name, c.position]));
      // Each is where its last write left it: its first write, or nothing written yet.
      for (const p of ALL_PROJECTIONS) expect([0, ...(writes.get(p.name) ?? [])]).toContain(midway.get(p.name));
      const resumedFrom = [...midway.values()].filter((position) => position > 0 && position < head);
      expect(resumedFrom.length).toBeGreaterThan(0);

      const firstApplied = new Map<string, number>();
      const counting = ALL_PROJECTIONS.map((p) => watched(p, (position) => firstApplied.set(p.name, Math.min(firstApplied.get(p.name) ?? Infinity, position))));
      await new ProjectorRuntime({ store, db: afterCrash.db, projections: counting, logger: quiet, progress: false }).catchUp();
      // Resumed from its checkpoint, not from 0.
      for (const [name, position] of midway) if (position > 0 && position < head) expect(firstApplied.get(name)).toBe(position + 1);
      const clean = await open();
      await new ProjectorRuntime({ store, db: clean.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
      expect(await dumpReadModels(afterCrash.db, ALL_PROJECTIONS)).toEqual(await dumpReadModels(clean.db, ALL_PROJECTIONS));
    });

    it('rebuilding from empty, a write of the rows held that fails loses nothing: it says so, goes on from its checkpoint, and ends with the rows of a clean rebuild', async () => {
      const head = await store.headPosition();
      const models = await open();
      const warnings: string[] = [];
      let calls = 0;
      const runtime = new ProjectorRuntime({
        store,
        db: models.db,
        projections: ALL_PROJECTIONS,
        batchSize: 7,
        rebuildBatchSize: 7,
        rebuildFlushRows: 40,
        retryDelayMs: 5,
        logger: { ...quiet, warn: (m) => void warnings.push(m) },
        progress: false,
        // The third write fails once, inside its transaction (on PostgreSQL, while later batches are worked out).
        beforeCommit: () => {
          if (++calls === 3) throw new Error('the disk is full for a moment');
        },
      });
      await runtime.catchUp();
      expect(warnings.some((w) => w.includes('the disk is full for a moment') && /will retry/.test(w))).toBe(true);
      expect(runtime.snapshot().map((s) => [s.name, s.position, s.status])).toEqual(ALL_PROJECTIONS.map((p) => [p.name, head, 'running']));
      for (const c of await readCheckpoints(models.db)) expect(c).toMatchObject({ position: head, status: 'running' });
      const clean = await open();
      await new ProjectorRuntime({ store, db: clean.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
      expect(await dumpReadModels(models.db, ALL_PROJECTIONS)).toEqual(await dumpReadModels(clean.db, ALL_PROJECTIONS));
    });

    it('resumes a rebuild cut off mid-way with nothing duplicated or missing: the same rows as a clean rebuild', async () => {
      const head = await store.headPosition();
      const crashed = await open();
      await new ProjectorRuntime({ store, db: crashed.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
      // Leftovers of the current version must not survive the rebuild of the next.
      await crashed.db.insertInto('caller_facts').values({ position: 999_999, fact: 'attempt', clinic_id: 'c1', caller_id: ZHANG, outcome: 'reached', at_ms: Date.parse('2026-11-24T00:00:00Z') }).execute();

      // The next version rebuilds from 0 in batches of 7; after 3 commits the next batch fails inside
      // its transaction and the runtime is stopped: the stand-in for a kill.
      const v2 = bumped(ALL_PROJECTIONS);
      const commits = new Map<string, number>();
      const cut = new ProjectorRuntime({
        store,
        db: crashed.db,
        projections: v2,
        batchSize: 7,
        rebuildBatchSize: 7,
        retryDelayMs: 5,
        logger: quiet,
        progress: false,
        // Rows written with every batch, as a rebuild past its memory does.
        rebuildFlushRows: 0,
        beforeCommit: (name) => {
          const n = (commits.get(name) ?? 0) + 1;
          commits.set(name, n);
          if (n <= 3) return;
          // The fourth batch dies inside its transaction (every projection's, as they share it), and the "process" is gone.
          void cut.stop();
          throw new Error('killed');
        },
      });
      await cut.catchUp();
      await crashed.close();
      const afterCrash = await target.reopen();
      opened.push(afterCrash);
      const midway = await readCheckpoints(afterCrash.db);
      const bumpedVersion = (name: string) => v2.find((p) => p.name === name)!.version;
      for (const c of midway) expect(c).toMatchObject({ version: bumpedVersion(c.name), position: 21, status: 'rebuilding', rebuildTarget: head });

      // A new runtime resumes from the checkpoints, not from 0.
      const applied = new Set<string>();
      const counting = v2.map((p) => watched(p, (position) => applied.add(`${p.name} ${position}`)));
      await new ProjectorRuntime({ store, db: afterCrash.db, projections: counting, logger: quiet, progress: false }).catchUp();
      expect(applied.size).toBe(v2.length * (head - 21));
      expect(Math.min(...[...applied].map((seen) => Number(seen.split(' ')[1])))).toBe(22);
      for (const c of await readCheckpoints(afterCrash.db)) expect(c).toMatchObject({ version: bumpedVersion(c.name), position: head, status: 'running' });

      const clean = await open();
      await new ProjectorRuntime({ store, db: clean.db, projections: v2, logger: quiet, progress: false }).catchUp();
      expect(await dumpReadModels(afterCrash.db, v2)).toEqual(await dumpReadModels(clean.db, v2));
      // And the numbers are the week's (worked out in projections.contract.ts), not doubled.
      const week = { fromMs: Date.parse('2026-11-22T16:00:00Z'), toMs: Date.parse('2026-11-29T16:00:00Z') };
      expect(await readCallerMetrics(afterCrash.db, ZHANG, week)).toMatchObject({ attempts: 10, reached: 4, appointmentsBooked: 2, referralsConverted: 1 });
    });

    it('rebuilds a changed version beside the old one: the old tables answer meanwhile, then the new one switches in with the rows of a clean rebuild', async () => {
      const models = await open();
      const head = await store.headPosition();
      await new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
      const entries = async () => Number((await models.reader.selectFrom('timeline_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await entries();
      expect(before).toBeGreaterThan(0);

      // The new versions wait after position 32 until the test has looked at the old ones.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const v2 = bumped(ALL_PROJECTIONS);
      const space = rebuildSpaceFor(models.config);
      if (!space) throw new Error(`${target.name}: no rebuild space`);
      const runtime = new ProjectorRuntime({ store: heldAt(store, 32, head, gate), db: models.db, projections: v2, batchSize: 8, rebuildBatchSize: 8, rebuildBeside: space, logger: quiet, progress: false, retryDelayMs: 5 });
      await runtime.start();
      const timeline = () => runtime.snapshot().find((s) => s.name === 'patient-timeline')!;
      await eventually(() => (timeline().beside?.position ?? 0) >= 32);
      // Meanwhile: the old version, whole, answers; nothing says "rebuilding".
      expect(timeline()).toMatchObject({ version: ALL_PROJECTIONS.find((p) => p.name === 'patient-timeline')!.version, position: head, beside: { version: v2.find((p) => p.name === 'patient-timeline')!.version, target: head } });
      expect(await entries()).toBe(before);
      const waiter = new PositionWaiter(models.reader, { runtime });
      await expect(waiter.requireBuilt(['patient-timeline', 'call-queue'])).resolves.toBeUndefined();
      const health = await new ProjectionStatusReader(models.reader, store, ['patient-timeline'], runtime).read();
      expect(health[0]!.rebuildingBeside).toMatchObject({ position: 32, target: head });

      release();
      await eventually(() => runtime.snapshot().every((s) => !s.beside && s.position === head && s.status === 'running'));
      await runtime.stop();
      for (const c of await readCheckpoints(models.db)) expect(c).toMatchObject({ version: v2.find((p) => p.name === c.name)!.version, position: head, status: 'running' });
      const clean = await open();
      await new ProjectorRuntime({ store, db: clean.db, projections: v2, logger: quiet, progress: false }).catchUp();
      expect(await dumpReadModels(models.db, v2)).toEqual(await dumpReadModels(clean.db, v2));
    });

    it('rebuilding in place (no old version to answer from), a query is refused with how far it has got', async () => {
      const models = await open();
      const head = await store.headPosition();
      await new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
      const runtime = new ProjectorRuntime({ store, db: models.db, projections: bumped(ALL_PROJECTIONS), logger: quiet, progress: false });
      await runtime.prepare();
      const waiter = new PositionWaiter(models.reader, { runtime });
      await expect(waiter.requireBuilt(['call-queue'])).rejects.toThrow(`call-queue at position 0 of ${head}`);
      await expect(waiter.requireBuilt(['call-queue'])).rejects.toBeInstanceOf(ProjectionRebuildingError);
      await runtime.catchUp();
      await expect(waiter.requireBuilt(['call-queue'])).resolves.toBeUndefined();
    });

    it('runs in the background: new events are applied as they are appended, and minPosition waits for them', async () => {
      const models = await open();
      const runtime = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false, idlePollMs: 10_000 });
      await runtime.start();
      const waiter = new PositionWaiter(models.db, { runtime, timeoutMs: 5000 });
      try {
        await waiter.waitFor(['call-queue', 'patient-timeline'], await store.headPosition());
        // zhang reaches p2, who books on that call: a booking credited to zhang.
        const recorder = new DomainRecorder(store);
        await recorder.patient({ type: 'RecordCall', data: { patientId: 'p2', callerId: ZHANG, startedAt: '2026-12-01T00:55:00Z', outcome: 'reached' } }, '2026-12-01T00:58:00Z');
        const [booked] = await recorder.patient(
          { type: 'BookAppointment', data: { patientId: 'p2', clinicId: 'c1', scheduledFor: '2026-12-09T02:00:00Z', callerId: ZHANG } },
          '2026-12-01T01:00:00Z',
        );
        // Woken by the append, not by the 10 s idle poll.
        await waiter.waitFor(['caller-metrics'], booked!.position);
        expect(await readCallerMetrics(models.db, ZHANG, { fromMs: Date.parse('2026-12-01T00:00:00Z') })).toMatchObject({ appointmentsBooked: 1 });
        const impatient = new PositionWaiter(models.db, { runtime, timeoutMs: 150 });
        const error = await impatient.waitFor(['caller-metrics'], booked!.position + 1).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProjectionNotReadyError);
        expect((error as Error).message).toMatch(/caller-metrics is at position \d+; position \d+ was not reached within 150 ms/);
      } finally {
        await runtime.stop();
      }
    });
  });
}

async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
