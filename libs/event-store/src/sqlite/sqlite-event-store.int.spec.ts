import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { eventStoreContract } from '../../test/event-store.contract';
import { EventIdConflictError } from '../event-id-conflict.error';
import {
  EventTooLargeError,
  NewEvent,
  PartialDuplicateAppendError,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { openSqliteEventStore, SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

eventStoreContract('sqlite (temp file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rapport-es-'));
  const filename = join(dir, 'events.sqlite');
  let current = new SqliteEventStore({ filename });
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = new SqliteEventStore({ filename });
      return current;
    },
    cleanup: async () => {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

eventStoreContract(
  'sqlite (:memory:)',
  async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    return { store, cleanup: () => store.close() };
  },
  { reopen: false },
);

describe('SqliteEventStore', () => {
  let dir: string;
  const opened: SqliteEventStore[] = [];
  const open = (options: Partial<SqliteEventStoreOptions> = {}): SqliteEventStore => {
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), ...options });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rapport-es-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(dir, { recursive: true, force: true });
  });

  describe('connection settings', () => {
    it('uses WAL with synchronous FULL by default', () => {
      expect(open().storageSettings()).toEqual({ journalMode: 'wal', synchronous: 'FULL', busyTimeoutMs: 5000 });
    });

    it('takes synchronous NORMAL and a busy timeout when asked', () => {
      expect(open({ synchronous: 'NORMAL', busyTimeoutMs: 1234 }).storageSettings()).toEqual({
        journalMode: 'wal',
        synchronous: 'NORMAL',
        busyTimeoutMs: 1234,
      });
    });

    it('openSqliteEventStore creates the data directory and events.sqlite in it', async () => {
      const dataDir = join(dir, 'nested', 'data');
      const store = openSqliteEventStore(dataDir);
      opened.push(store);
      await store.append('s-1', [event()], { expectedRevision: 'no_stream' });
      expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
    });
  });

  describe('group commit', () => {
    it('commits 100 appends requested in one tick in one transaction, all stored, positions 1..100', async () => {
      const store = open();
      const streams = Array.from({ length: 100 }, (_, i) => `batch-${i}`);

      const results = await Promise.all(streams.map((s) => store.append(s, [event()], { expectedRevision: 'no_stream' })));

      expect(store.groupCommitStats()).toEqual({ transactions: 1, appends: 100 });
      const all = await store.readAll({ limit: 1000 });
      expect(all.map((e) => e.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(all.map((e) => e.stream)).toEqual(streams);
      expect(results.map((r) => r.position)).toEqual(all.map((e) => e.position));
    });

    it('keeps a transaction to at most 500 appends', async () => {
      const store = open();
      await Promise.all(
        Array.from({ length: 1200 }, (_, i) => store.append(`bounded-${i}`, [event()], { expectedRevision: 'no_stream' })),
      );
      expect(store.groupCommitStats()).toEqual({ transactions: 3, appends: 1200 });
      expect(await store.headPosition()).toBe(1200);
    });

    it('a refused append rejects only itself; the rest of its batch commits with no position gap', async () => {
      const store = open();
      const taken = event();
      await store.append('taken', [taken], { expectedRevision: 'no_stream' });
      await store.append('other', [event()], { expectedRevision: 'no_stream' });

      const settled = await Promise.allSettled([
        store.append('ok-1', [event(), event()], { expectedRevision: 'no_stream' }),
        store.append('other', [event()], { expectedRevision: 'no_stream' }),
        store.append('elsewhere', [taken], { expectedRevision: 'any' }),
        store.append('taken', [taken, event()], { expectedRevision: 'any' }),
        store.append('ok-2', [event()], { expectedRevision: 'no_stream' }),
      ]);

      expect(store.groupCommitStats().transactions).toBe(3);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled']);
      expect(reasonOf(settled[1])).toBeInstanceOf(WrongExpectedRevisionError);
      expect(reasonOf(settled[2])).toBeInstanceOf(EventIdConflictError);
      expect(reasonOf(settled[3])).toBeInstanceOf(PartialDuplicateAppendError);
      const all = await store.readAll();
      expect(all.map((e) => [e.position, e.stream])).toEqual([
        [1, 'taken'],
        [2, 'other'],
        [3, 'ok-1'],
        [4, 'ok-1'],
        [5, 'ok-2'],
      ]);
      expect(await store.readStream('key')).toEqual([]);
    });

    it('in one batch, the first of two appends with the same expected revision wins', async () => {
      const store = open();
      const [first, second] = [event(), event()];
      const settled = await Promise.allSettled([
        store.append('s', [first], { expectedRevision: 'no_stream' }),
        store.append('s', [second], { expectedRevision: 'no_stream' }),
      ]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
      expect((await store.readStream('s')).map((e) => e.eventId)).toEqual([first.eventId]);
    });

    it('rejects every append of a batch whose transaction cannot start, and recovers after', async () => {
      const store = open({ busyTimeoutMs: 20 });
      const locker = new Database(join(dir, 'events.sqlite'));
      try {
        locker.exec('BEGIN IMMEDIATE');
        const settled = await Promise.allSettled([
          store.append('a', [event()], { expectedRevision: 'no_stream' }),
          store.append('b', [event()], { expectedRevision: 'no_stream' }),
        ]);
        expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
        expect(String(reasonOf(settled[0]))).toMatch(/locked|busy/i);
        locker.exec('ROLLBACK');
      } finally {
        locker.close();
      }
      await store.append('a', [event()], { expectedRevision: 'no_stream' });
      expect((await store.readAll()).map((e) => [e.position, e.stream])).toEqual([[1, 'a']]);
    });
  });

  describe('append rules specific to this adapter', () => {
    it('measures an event as UTF-8 bytes of its JSON data plus metadata', async () => {
      const store = open({ maxEventBytes: 1000 });
      // 400 characters, 1,200 UTF-8 bytes.
      const data = { text: '回'.repeat(400) };
      const error = await store.append('s', [event('Wide', data)], { expectedRevision: 'any' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventTooLargeError);
      const expectedBytes = Buffer.byteLength(JSON.stringify(data)) + Buffer.byteLength('{}');
      expect(error).toMatchObject({ eventType: 'Wide', bytes: expectedBytes, limit: 1000 });
      expect((error as Error).message).toBe(`event Wide is ${expectedBytes} bytes; the store accepts at most 1000 bytes per event`);

      const heavyMetadata = event('Meta', {}, { note: 'x'.repeat(999) });
      await expect(store.append('s', [heavyMetadata], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventTooLargeError);
      await store.append('s', [event('Fits', { text: 'x'.repeat(900) })], { expectedRevision: 'any' });
      expect((await store.readStream('s')).map((e) => e.type)).toEqual(['Fits']);
    });

    it('refuses an event id stored in another stream with a clear error', async () => {
      const store = open();
      const shared = event();
      await store.append('first', [shared], { expectedRevision: 'no_stream' });
      const error = await store.append('second', [shared], { expectedRevision: 'any' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventIdConflictError);
      expect(error).toBeInstanceOf(PartialDuplicateAppendError);
      expect((error as Error).message).toContain('stored in stream first');
      expect(await store.readStream('second')).toEqual([]);
    });

    it('refuses stored event ids in another order', async () => {
      const store = open();
      const [a, b] = [event(), event()];
      await store.append('s', [a, b], { expectedRevision: 'no_stream' });
      await expect(store.append('s', [b, a], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
    });

    it('refuses an append that repeats an event id within itself', async () => {
      const store = open();
      const a = event();
      await expect(store.append('s', [a, a], { expectedRevision: 'any' })).rejects.toThrow(/appears twice/);
      expect(await store.readStream('s')).toEqual([]);
    });

    it('the same append again returns the stored result, whatever revision it expects', async () => {
      const store = open();
      const events = [event()];
      const first = await store.append('s', events, { expectedRevision: 'no_stream' });
      expect(await store.append('s', events, { expectedRevision: 'no_stream' })).toEqual(first);
      expect(await store.append('s', events, { expectedRevision: 'any' })).toEqual(first);
      expect(await store.readStream('s')).toEqual(first.events);
    });

    it('treats expected revision -1 as no_stream', async () => {
      const store = open();
      await store.append('s', [event()], { expectedRevision: -1 });
      await expect(store.append('s', [event()], { expectedRevision: -1 })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    });

    it('an empty append writes nothing and reports the current state', async () => {
      const store = open();
      expect(await store.append('s', [], { expectedRevision: 'any' })).toEqual({ nextRevision: -1, position: 0, events: [] });
      await store.append('s', [event(), event()], { expectedRevision: 'no_stream' });
      await store.append('t', [event()], { expectedRevision: 'no_stream' });
      expect(await store.append('s', [], { expectedRevision: 'any' })).toEqual({ nextRevision: 1, position: 3, events: [] });
      expect(await store.headPosition()).toBe(3);
    });
  });

  describe('across two instances on one file', () => {
    it("a subscriber on the second instance sees the first instance's writes by polling", async () => {
      const writer = open();
      const reader = open({ pollIntervalMs: 20 });
      await writer.append('s', [event('Before')], { expectedRevision: 'no_stream' });
      const received: RecordedEvent[] = [];
      const subscription = reader.subscribeToAll().subscribe({ next: (e) => received.push(e) });
      try {
        await waitUntil(() => received.length === 1);
        const live = [event('Live1'), event('Live2')];
        await writer.append('s', [live[0]], { expectedRevision: 0 });
        await writer.append('t', [live[1]], { expectedRevision: 'no_stream' });
        await waitUntil(() => received.length >= 3);
        expect(received.map((e) => [e.position, e.type])).toEqual([
          [1, 'Before'],
          [2, 'Live1'],
          [3, 'Live2'],
        ]);
      } finally {
        subscription.unsubscribe();
      }
    });

    it('keeps expected revisions and event ids across instances', async () => {
      const a = open();
      const b = open();
      const first = event();
      await a.append('s', [first], { expectedRevision: 'no_stream' });
      await expect(b.append('s', [event()], { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      await expect(b.append('t', [first], { expectedRevision: 'any' })).rejects.toBeInstanceOf(EventIdConflictError);
      await b.append('s', [event()], { expectedRevision: 0 });
      expect((await a.readStream('s')).map((e) => e.revision)).toEqual([0, 1]);
    });
  });

  describe('close', () => {
    it('commits appends still queued, then refuses new ones', async () => {
      const store = open();
      const pending = store.append('s', [event()], { expectedRevision: 'no_stream' });
      await store.close();
      await expect(pending).resolves.toMatchObject({ nextRevision: 0, position: 1 });
      await expect(store.append('s', [event()], { expectedRevision: 'any' })).rejects.toThrow(/closed/);
      await store.close();

      const reopened = open();
      expect(await reopened.headPosition()).toBe(1);
    });

    it('delivers what is committed to subscribers, then completes them', async () => {
      const store = open();
      const received: RecordedEvent[] = [];
      let completed = false;
      store.subscribeToAll().subscribe({ next: (e) => received.push(e), complete: () => (completed = true) });
      void store.append('s', [event(), event()], { expectedRevision: 'no_stream' });
      await store.close();
      expect(completed).toBe(true);
      expect(received.map((e) => e.revision)).toEqual([0, 1]);
    });
  });
});

function event(type = 'Tested', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata };
}

function reasonOf(result: PromiseSettledResult<unknown>): unknown {
  return result.status === 'rejected' ? result.reason : undefined;
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
