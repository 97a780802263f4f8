import { join } from 'node:path';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { ALL_PROJECTIONS, Projection, openReadModels, ProjectorRuntime, readCheckpoints, rebuildSpaceFor } from '@rapport/projections';
import { Temporal } from '@rapport/domain';
import { DEMO_CLINIC, loadDemoMonth } from '../../apps/api/src/demo/demo-month';
import { RunningApp, startApp } from '../support/in-process-app';
import { makeTempDir } from '../support/temp-dir';

/**
 * Issue 13 item 4, over HTTP: while a projection whose version changed is rebuilt, the API keeps
 * answering its queries from the old version (not from half-filled tables), then the new version
 * switches in. The API runs with PROJECTOR=external and the projector runtime runs here, on the
 * same read-models file, so the test can hold the rebuild half-way and ask during it.
 */
describe('a projection version change on a running clinic', () => {
  const temp = makeTempDir();
  let running: RunningApp | undefined;
  afterAll(async () => {
    await running?.close();
    temp.remove();
  });

  it('keeps the queue answering from the old version while the new one is rebuilt beside it', async () => {
    const now = '2026-11-24T03:00:00Z';
    running = await startApp({ dataDir: temp.path, keepData: true, now });
    await loadDemoMonth(running.app.get<EventStore>(EVENT_STORE), { until: Temporal.Instant.from(now) });
    const head = await running.api.headPosition();
    const queue = `/v1/clinics/${DEMO_CLINIC.clinicId}/queue?limit=200`;
    const before = await running.api.get(`${queue}&minPosition=${head}`);
    expect([before.status, before.body.items.length > 0]).toEqual([200, true]);
    await running.close();

    running = await startApp({ dataDir: temp.path, keepData: true, now, config: { projector: 'external' } });
    const { api } = running;
    // The next release's call queue (one version on), held at the middle of the log until the test has asked.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    const middle = Math.floor(head / 2);
    const projections: Projection[] = ALL_PROJECTIONS.map((p) => (p.name !== 'call-queue' ? p : { ...p, version: p.version + 1 }));
    const store = running.app.get<EventStore>(EVENT_STORE);
    // Reads of the log from the middle on are held: the rebuild beside stops half-way (the live projections read after the head).
    const held = new Proxy(store, {
      get: (target, key, receiver) => {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (key !== 'readAll') return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        return async (options?: Parameters<EventStore['readAll']>[0]) => {
          const after = options?.after ?? 0;
          if (after >= middle && after < head) {
            holding = true;
            await gate;
          }
          return target.readAll(options);
        };
      },
    });
    const models = await openReadModels({ kind: 'sqlite', filename: join(temp.path, 'read-models.sqlite') });
    const runtime = new ProjectorRuntime({
      store: held,
      db: models.db,
      projections,
      batchSize: 100,
      rebuildBeside: rebuildSpaceFor(models.config)!,
      progress: false,
      logger: { log: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
    });
    try {
      await runtime.start();
      await eventually(async () => holding);

      // Half-way through the rebuild: the old version answers, whole.
      const during = await api.get(queue);
      expect(during.status).toBe(200);
      expect(during.body.items).toEqual(before.body.items);
      // (Each queue read records whom it showed, so the log's head moves on a little as the test reads.)
      expect(runtime.snapshot().find((s) => s.name === 'call-queue')!.beside?.target).toBeGreaterThanOrEqual(head);

      release();
      const version = projections.find((p) => p.name === 'call-queue')!.version;
      await eventually(async () => (await readCheckpoints(models.db)).some((c) => c.name === 'call-queue' && c.version === version && c.position >= head));
      const after = await api.get(`${queue}&minPosition=${head}`);
      expect(after.body.items).toEqual(before.body.items);
    } finally {
      release();
      await runtime.stop();
      await models.close();
    }
  }, 60_000);
});

async function eventually(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
