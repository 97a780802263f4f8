import { SharedLogReader } from './shared-log-reader';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

describe('SharedLogReader over a SQLite store', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    const events = Array.from({ length: 12 }, (_, i) => ({ eventId: `e${i}`, type: 'Noted', data: { n: i }, metadata: {} }));
    await store.append('s-1', events, { expectedRevision: 'no_stream' });
  });
  afterEach(() => store.close());

  it('reads a batch once for everyone asking for it, at once or later, and every one gets the same events', async () => {
    const reader = new SharedLogReader(store, 5);
    const [a, b] = await Promise.all([reader.read(0), reader.read(0)]);
    const c = await reader.read(0);
    expect(reader.storeReads).toBe(1);
    expect([a, b, c].map((batch) => batch.map((e) => e.position))).toEqual(Array(3).fill([1, 2, 3, 4, 5]));
    await reader.read(5);
    expect(reader.storeReads).toBe(2);
  });

  it('reads again once every kept batch is forgotten (an erasure), or once a batch is older than it may be kept', async () => {
    const reader = new SharedLogReader(store, 5);
    await reader.read(0);
    reader.forgetAll();
    await reader.read(0);
    expect(reader.storeReads).toBe(2);

    const brief = new SharedLogReader(store, 5, 10_000, 20);
    await brief.read(0);
    await brief.read(0);
    expect(brief.storeReads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await brief.read(0);
    expect(brief.storeReads).toBe(2);
  });

  it('never keeps an empty read: at the head, the next ask looks again and finds what came since', async () => {
    const reader = new SharedLogReader(store, 5);
    expect(await reader.read(12)).toEqual([]);
    await store.append('s-2', [{ eventId: 'e12', type: 'Noted', data: { n: 12 }, metadata: {} }], { expectedRevision: 'no_stream' });
    expect((await reader.read(12)).map((e) => e.position)).toEqual([13]);
  });
});
