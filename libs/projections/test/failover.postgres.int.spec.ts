import { SqliteEventStore } from '@rapport/event-store';
import { ALL_PROJECTIONS } from '../src/all-projections';
import type { ReadModels } from '../src/read-store/read-models';
import { PostgresCheckpointListener } from '../src/runtime/checkpoint-listener';
import { readCheckpoints } from '../src/runtime/checkpoints';
import { PostgresAdvisoryLeases } from '../src/runtime/leases';
import { ProjectorLogger, ProjectorRuntime } from '../src/runtime/projector-runtime';
import { PositionWaiter } from '../src/runtime/read-your-writes';
import { recordClinicWeek } from './clinic-week.scenario';
import { DomainRecorder } from './domain-recorder';
import { dumpReadModels } from './read-model-dump';
import { describeWithPostgres, postgresTarget, TEST_DATABASE_URL } from './read-store-targets';

const quiet: ProjectorLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Issue 18 items 2 and 3, inside one process but with the connections of two: two runtimes on one
 * PostgreSQL read store, each with leases of its own session. One owns every projection, the
 * other stands by; when the owner's session dies, the standby takes over from the checkpoints,
 * nothing applied twice, nothing missed. A waiter elsewhere hears of the move through NOTIFY.
 * (The same with real processes and SIGKILL: test/e2e/beyond-one-machine.e2e.spec.ts.)
 */
describeWithPostgres('projectors that fail over, on PostgreSQL', () => {
  const target = postgresTarget();
  let store: SqliteEventStore;
  let models: ReadModels;
  const runtimes: ProjectorRuntime[] = [];
  const leases: PostgresAdvisoryLeases[] = [];
  const leaseFor = (scope: string) => {
    const l = new PostgresAdvisoryLeases(TEST_DATABASE_URL, scope);
    leases.push(l);
    return l;
  };

  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    models = await target.open();
  });
  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.stop();
    for (const l of leases.splice(0)) await l.release();
    await models.close();
    await target.cleanup();
    await store.close();
  });

  it('one owns each projection, the other stands by and takes over when the owner’s session dies: the rows of a clean rebuild', async () => {
    const recorder = new DomainRecorder(store);
    const scope = `failover-${Date.now()}-${Math.random()}`;
    // The first tries its leases again only after 3 s: its session gone, the leases are free to
    // whoever asks first, and a process killed for real would not ask again (the second must win).
    const first = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, leases: leaseFor(scope), leaseRetryMs: 3000, idlePollMs: 20, logger: quiet, progress: false });
    runtimes.push(first);
    await first.prepare();
    const second = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, leases: leaseFor(scope), leaseRetryMs: 50, idlePollMs: 20, logger: quiet, progress: false });
    runtimes.push(second);
    await second.prepare();
    expect(first.snapshot().filter((s) => s.standby)).toEqual([]);
    expect(second.snapshot().every((s) => s.standby)).toBe(true);
    await first.start();
    await second.start();

    // Half the week with the first as owner; then its session dies (as with SIGKILL) mid-stream.
    let half = 0;
    await recordClinicWeek(recorder, async (label) => {
      if (!label.includes('Wednesday') || half > 0) return;
      half = await store.headPosition();
      await waitUntil(async () => Math.min(...(await readCheckpoints(models.db)).map((c) => c.position)) >= half);
      await leases[0]!.release(); // the session is gone: its locks with it
    });
    const head = await store.headPosition();
    expect(half).toBeGreaterThan(0);
    await waitUntil(async () => second.snapshot().every((s) => !s.standby && s.position >= head));
    // The first stands by now: it saw its leases go and stopped running them.
    await waitUntil(async () => first.snapshot().every((s) => s.standby));

    const clean = await target.open();
    try {
      await new ProjectorRuntime({ store, db: clean.db, projections: ALL_PROJECTIONS, logger: quiet, progress: false }).catchUp();
      expect(await dumpReadModels(models.db, ALL_PROJECTIONS)).toEqual(await dumpReadModels(clean.db, ALL_PROJECTIONS));
    } finally {
      await clean.close();
    }
  }, 60_000);

  it('an API process whose projector runs elsewhere hears through NOTIFY that a position was reached, not by polling', async () => {
    const recorder = new DomainRecorder(store);
    const projector = new ProjectorRuntime({ store, db: models.db, projections: ALL_PROJECTIONS, idlePollMs: 20, logger: quiet, progress: false });
    runtimes.push(projector);
    await projector.prepare();
    const listener = new PostgresCheckpointListener(TEST_DATABASE_URL);
    await listener.start();
    try {
      // A poll every minute: only the notification can wake it within the 5 s timeout.
      const waiter = new PositionWaiter(models.db, { timeoutMs: 5000, pollMs: 60_000, changes: listener });
      await recordClinicWeek(recorder);
      const head = await store.headPosition();
      const waited = waiter.waitFor(['call-queue', 'clinics'], head);
      await projector.start();
      await expect(waited).resolves.toBeUndefined();
    } finally {
      await listener.close();
    }
  }, 60_000);
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
