import { join } from 'node:path';
import { SqliteEventStore } from '@rapport/event-store';
import { openReadModels, Projection, ProjectorRuntime, ReadModels } from '@rapport/projections';
import { makeTempDir } from '../support/temp-dir';

/**
 * Issue 11 item 9: a projection whose batch hits a full disk retries once space returns; it does
 * not stop as if the event were at fault (a stopped projection stays stopped until a restart).
 */
describe('a projection on a full disk', () => {
  const temp = makeTempDir();
  let store: SqliteEventStore;
  let models: ReadModels;

  beforeAll(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    for (let i = 0; i < 5; i++) await store.append(`probe-${i}`, [{ eventId: `e${i}`, type: 'Probed', data: { i }, metadata: {} }], { expectedRevision: 'no_stream' });
    models = await openReadModels({ kind: 'sqlite', filename: join(temp.path, 'read-models.sqlite') });
  });
  afterAll(async () => {
    await models?.close();
    await store?.close();
    temp.remove();
  });

  it('retries the batch and catches up, instead of stopping at the event', async () => {
    let full = 3;
    const applied: number[] = [];
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      tables: [],
      schema: [],
      // The disk fills while the batch is worked out (as it would when its rows are loaded or written).
      project: (event) => {
        if (event.position === 3 && full-- > 0) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
        applied.push(event.position);
        return [];
      },
    };
    const warnings: string[] = [];
    const errors: string[] = [];
    const runtime = new ProjectorRuntime({
      store,
      db: models.db,
      projections: [flaky],
      retryDelayMs: 5,
      progress: false,
      logger: { log: () => undefined, warn: (m) => warnings.push(m), error: (m) => errors.push(m) },
    });
    await runtime.catchUp();
    expect(runtime.snapshot()).toEqual([expect.objectContaining({ name: 'flaky', position: 5, status: 'running' })]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([1, 2, 3].map((n) => expect.stringContaining(`database or disk is full; will retry (attempt ${n})`)));
    // Each retried batch rolled back whole: positions 1–2 applied again, nothing lost.
    expect(applied.slice(-5)).toEqual([1, 2, 3, 4, 5]);
  });
});
