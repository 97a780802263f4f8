import { randomUUID } from 'node:crypto';
import {
  EventStore,
  EventTooLargeError,
  ExpectedRevision,
  NewEvent,
  PartialDuplicateAppendError,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../src/event-store.port';

/**
 * What a contract run needs from an adapter. `open` gives a working store; it need not be empty
 * (a shared EventStoreDB is fine): every test writes to fresh streams and filters the global log
 * down to them. `reopen` closes the current store and opens a new one on the same data; `cleanup`
 * closes whichever store is open and removes what the run created.
 */
export interface ContractSubject {
  store: EventStore;
  reopen?: () => Promise<EventStore>;
  cleanup: () => Promise<void>;
}

/** The behaviour every EventStore adapter promises. Run it from each adapter's spec. */
/** `options.reopen: false` for a store that cannot be reopened (`:memory:`): that test is left out, said once. */
export function eventStoreContract(name: string, open: () => Promise<ContractSubject>, options: { reopen?: boolean } = {}): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe('append and read', () => {
      it('reads back what was appended, data and metadata intact, in order', async () => {
        const stream = newStream('contract');
        const data = {
          text: '回访 — follow-up ✓ "quoted" \\ slash',
          count: 42,
          ratio: 1.5,
          negative: -3,
          yes: true,
          no: false,
          nothing: null,
          list: [1, 'two', { three: 3 }],
          nested: { deep: { deeper: 'x' } },
        };
        const metadata = { correlationId: randomUUID(), actor: { userId: 'u-1', role: 'caller' } };
        const events = [newEvent('First', data, metadata), newEvent('Second', { n: 2 }), newEvent('Third', {})];

        // A real position to read after: EventStoreDB positions are byte offsets, so `position - 1` is not one.
        const before = await store.headPosition();
        const result = await store.append(stream, events, { expectedRevision: 'no_stream' });

        expect(result.nextRevision).toBe(2);
        expect(result.events.map((e) => [e.eventId, e.type, e.stream, e.revision])).toEqual(
          events.map((e, i) => [e.eventId, e.type, stream, i]),
        );
        expect(result.events[0].data).toEqual(data);
        expect(result.events[0].metadata).toEqual(metadata);
        expect(result.events[1].data).toEqual({ n: 2 });
        expectStrictlyIncreasing(result.events.map((e) => e.position));
        expect(result.events[0].position).toBeGreaterThanOrEqual(1);
        expect(result.position).toBe(result.events[2].position);
        for (const e of result.events) expect(e.storedAt).toMatch(ISO_UTC);

        const read = await store.readStream(stream);
        expect(read).toEqual(result.events);

        const fromLog = (await readAllAfter(store, before)).filter((e) => e.stream === stream);
        expect(fromLog).toEqual(result.events);
        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
      });

      it('keeps streams apart and reads a stream from a revision', async () => {
        const a = newStream('contract');
        const b = newStream('contract');
        const ids = { a: [] as string[], b: [] as string[] };
        for (let i = 0; i < 3; i++) {
          for (const [stream, key] of [[a, 'a'], [b, 'b']] as const) {
            const event = newEvent('Counted', { i });
            ids[key].push(event.eventId);
            await store.append(stream, [event], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
          }
        }

        expect((await store.readStream(a)).map((e) => e.eventId)).toEqual(ids.a);
        expect((await store.readStream(b)).map((e) => e.eventId)).toEqual(ids.b);
        const tail = await store.readStream(a, { fromRevision: 1 });
        expect(tail.map((e) => [e.eventId, e.revision])).toEqual([
          [ids.a[1], 1],
          [ids.a[2], 2],
        ]);
        expect(await store.readStream(newStream('contract'))).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it("'no_stream' succeeds on a new stream and fails on an existing one, appending nothing", async () => {
        const stream = newStream('contract');
        const first = await store.append(stream, [newEvent()], { expectedRevision: 'no_stream' });
        expect(first.nextRevision).toBe(0);

        const error = await rejectionOf(store.append(stream, [newEvent()], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 'no_stream', actual: 0 });
        expect(await store.readStream(stream)).toEqual(first.events);
      });

      it('a number must be the revision of the last event', async () => {
        const stream = newStream('contract');
        const missing = await rejectionOf(store.append(stream, [newEvent()], { expectedRevision: 0 }));
        expect(missing).toBeInstanceOf(WrongExpectedRevisionError);
        expect(missing).toMatchObject({ stream, expected: 0, actual: 'no_stream' });
        expect(await store.readStream(stream)).toEqual([]);

        await store.append(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });

        const stale = await rejectionOf(store.append(stream, [newEvent()], { expectedRevision: 0 }));
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(stale).toMatchObject({ stream, expected: 0, actual: 1 });
        const ahead = await rejectionOf(store.append(stream, [newEvent()], { expectedRevision: 5 }));
        expect(ahead).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(stream)).toHaveLength(2);

        const next = newEvent();
        const ok = await store.append(stream, [next], { expectedRevision: 1 });
        expect(ok.nextRevision).toBe(2);
        expect(ok.events[0]).toMatchObject({ eventId: next.eventId, revision: 2 });
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });

      it("'any' appends whether or not the stream exists", async () => {
        const stream = newStream('contract');
        const first = await store.append(stream, [newEvent()], { expectedRevision: 'any' });
        expect(first.nextRevision).toBe(0);
        const second = await store.append(stream, [newEvent(), newEvent()], { expectedRevision: 'any' });
        expect(second.nextRevision).toBe(2);
        expect(second.events.map((e) => e.revision)).toEqual([1, 2]);
        expect(await store.readStream(stream)).toHaveLength(3);
      });
    });

    describe('concurrency', () => {
      it.each<[string, ExpectedRevision]>([
        ['no_stream on a new stream', 'no_stream'],
        ['revision 0 on a one-event stream', 0],
      ])('20 concurrent appends expecting %s: exactly one succeeds', async (_label, expected) => {
        const stream = newStream('contract');
        if (expected === 0) await store.append(stream, [newEvent('Seed')], { expectedRevision: 'no_stream' });
        const candidates = Array.from({ length: 20 }, (_, i) => newEvent('Raced', { i }));

        const settled = await Promise.allSettled(
          candidates.map((event) => store.append(stream, [event], { expectedRevision: expected })),
        );

        const won = settled.flatMap((s, i) => (s.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const s of settled) {
          if (s.status === 'rejected') expect(s.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.eventId)).toEqual([
          ...(expected === 0 ? [stored[0].eventId] : []),
          candidates[won[0]].eventId,
        ]);
      });

      it('50 writers retrying on conflict all land, revisions 0..49 without gap or duplicate', async () => {
        const stream = newStream('contract');
        const writers = Array.from({ length: 50 }, (_, i) => newEvent('Written', { writer: i }));
        let conflicts = 0;

        await Promise.all(
          writers.map(async (event) => {
            for (let attempt = 0; attempt < 1000; attempt++) {
              const current = await store.readStream(stream);
              const expected = current.length === 0 ? 'no_stream' : current[current.length - 1].revision;
              try {
                await store.append(stream, [event], { expectedRevision: expected });
                return;
              } catch (error) {
                if (!(error instanceof WrongExpectedRevisionError)) throw error;
                conflicts++;
              }
            }
            throw new Error(`writer ${String(event.data.writer)} gave up`);
          }),
        );

        const stored = await store.readStream(stream);
        expect(stored.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(writers.map((e) => e.eventId)));
        expectStrictlyIncreasing(stored.map((e) => e.position));
        // All 50 started from the same read, so there must have been conflicts to retry.
        expect(conflicts).toBeGreaterThan(0);
      });

      it('a reader polling the global log during concurrent writes never sees a later position before an earlier one', async () => {
        const start = await store.headPosition();
        const streams = Array.from({ length: 5 }, () => newStream('contract'));
        const ours = new Set(streams);
        const perStream = 40;
        let writing = true;

        const writers = Promise.all(
          streams.map(async (stream) => {
            for (let i = 0; i < perStream; i++) {
              await store.append(stream, [newEvent('Logged', { i })], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
            }
          }),
        ).finally(() => {
          writing = false;
        });

        const seen: RecordedEvent[] = [];
        let cursor = start;
        let readsDuringWrites = 0;
        const reader = (async () => {
          // Keep polling until writers are done and one more read comes back empty.
          for (;;) {
            const stillWriting = writing;
            const page = await store.readAll({ after: cursor, limit: 50 });
            if (stillWriting && page.length > 0) readsDuringWrites++;
            seen.push(...page);
            if (page.length > 0) cursor = page[page.length - 1].position;
            if (!stillWriting && page.length === 0) return;
            await yieldToEventLoop();
          }
        })();

        await Promise.all([writers, reader]);

        // The reader must really have raced the writers for this to show anything.
        expect(readsDuringWrites).toBeGreaterThan(1);
        expectStrictlyIncreasing(seen.map((e) => e.position));
        const final = await readAllAfter(store, start);
        const seenOurs = seen.filter((e) => ours.has(e.stream)).map((e) => e.eventId);
        const finalOurs = final.filter((e) => ours.has(e.stream));
        expect(finalOurs).toHaveLength(streams.length * perStream);
        // Anything that appeared behind the reader's cursor later would be missing from its view.
        expect(seenOurs).toEqual(finalOurs.map((e) => e.eventId));
        for (const stream of streams) {
          expect(finalOurs.filter((e) => e.stream === stream).map((e) => e.revision)).toEqual(
            Array.from({ length: perStream }, (_, i) => i),
          );
        }
      });
    });

    describe('idempotent append by event id', () => {
      it('appending the same event ids again stores one copy and returns the stored events', async () => {
        const stream = newStream('contract');
        const events = [newEvent('A', { a: 1 }), newEvent('B', { b: 2 })];
        const first = await store.append(stream, events, { expectedRevision: 'no_stream' });

        const again = await store.append(stream, events, { expectedRevision: 'no_stream' });
        expect(again.events).toEqual(first.events);
        expect(again.position).toBe(first.position);
        expect(again.nextRevision).toBe(1);
        expect(await store.readStream(stream)).toEqual(first.events);

        // A late retry, after the stream moved on, is still a repeat and not a conflict.
        await store.append(stream, [newEvent('C')], { expectedRevision: 1 });
        const late = await store.append(stream, events, { expectedRevision: 'no_stream' });
        expect(late.events).toEqual(first.events);
        expect(late.position).toBe(first.position);
        expect(late.nextRevision).toBe(2);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('the same append sent twice at once is stored once', async () => {
        const stream = newStream('contract');
        const events = [newEvent('Twice')];
        const [a, b] = await Promise.all([
          store.append(stream, events, { expectedRevision: 'no_stream' }),
          store.append(stream, events, { expectedRevision: 'no_stream' }),
        ]);
        expect(b.events).toEqual(a.events);
        expect(b.position).toBe(a.position);
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('some ids stored and some new is refused with PartialDuplicateAppendError, appending nothing', async () => {
        const stream = newStream('contract');
        const stored = newEvent('Stored');
        await store.append(stream, [stored], { expectedRevision: 'no_stream' });

        const error = await rejectionOf(store.append(stream, [stored, newEvent('New')], { expectedRevision: 'any' }));
        expect(error).toBeInstanceOf(PartialDuplicateAppendError);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('event size', () => {
      it('refuses an oversized event with EventTooLargeError naming size and limit, appending nothing', async () => {
        const stream = newStream('contract');
        await store.append(stream, [newEvent('Small')], { expectedRevision: 'no_stream' });
        const huge = newEvent('Huge', { blob: 'x'.repeat(2 * 1024 * 1024 + 1) });

        const error = await rejectionOf(store.append(stream, [newEvent('Fine'), huge], { expectedRevision: 0 }));

        expect(error).toBeInstanceOf(EventTooLargeError);
        const tooLarge = error as EventTooLargeError;
        expect(tooLarge.eventType).toBe('Huge');
        expect(tooLarge.bytes).toBeGreaterThan(2 * 1024 * 1024);
        expect(tooLarge.limit).toBeLessThan(tooLarge.bytes);
        expect(tooLarge.message).toContain(String(tooLarge.bytes));
        expect(tooLarge.message).toContain(String(tooLarge.limit));
        expect(await store.readStream(stream)).toHaveLength(1);
      });

      it('accepts a large event under the limit', async () => {
        const stream = newStream('contract');
        const blob = '回'.repeat(30_000);
        await store.append(stream, [newEvent('Large', { blob })], { expectedRevision: 'no_stream' });
        expect((await store.readStream(stream))[0].data).toEqual({ blob });
      });
    });


    describe('readAll paging', () => {
      it('pages through the global log with after and limit', async () => {
        const start = await store.headPosition();
        const streams = [newStream('contract'), newStream('contract')];
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const event = newEvent('Paged', { i });
          ids.push(event.eventId);
          await store.append(streams[i % 2], [event], { expectedRevision: 'any' });
        }

        const firstPage = await store.readAll({ after: start, limit: 3 });
        expect(firstPage).toHaveLength(3);
        // Other writers sharing the store may interleave; ours still come first-in, first-out.
        const firstOurs = firstPage.filter((e) => streams.includes(e.stream)).map((e) => e.eventId);
        expect(firstOurs.length).toBeGreaterThan(0);
        expect(firstOurs).toEqual(ids.slice(0, firstOurs.length));

        const collected: RecordedEvent[] = [];
        let after = start;
        let pages = 0;
        for (;;) {
          const page = await store.readAll({ after, limit: 3 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(3);
          expect(page[0].position).toBeGreaterThan(after);
          collected.push(...page);
          after = page[page.length - 1].position;
          pages++;
        }
        expect(pages).toBeGreaterThanOrEqual(3);
        expectStrictlyIncreasing(collected.map((e) => e.position));
        expect(collected.filter((e) => streams.includes(e.stream)).map((e) => e.eventId)).toEqual(ids);

        const [first] = await store.readAll({ limit: 1 });
        expect(first.position).toBeGreaterThanOrEqual(1);
        expect(await store.readAll({ after: start, limit: 0 })).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers history after a position, then live events, each exactly once and in order', async () => {
        const streams = [newStream('contract'), newStream('contract')];
        const ours = new Set(streams);
        const before = await store.headPosition();
        const history = [newEvent('H1'), newEvent('H2'), newEvent('H3')];
        await store.append(streams[0], history.slice(0, 2), { expectedRevision: 'no_stream' });
        await store.append(streams[1], history.slice(2), { expectedRevision: 'no_stream' });

        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ after: before }).subscribe({ next: (e) => received.push(e) });
        try {
          const ourIds = () => received.filter((e) => ours.has(e.stream)).map((e) => e.eventId);
          await waitUntil(() => ourIds().length >= 3, 'history delivered');

          const live = [newEvent('L1'), newEvent('L2'), newEvent('L3')];
          await store.append(streams[0], [live[0]], { expectedRevision: 1 });
          await Promise.all([
            store.append(streams[0], [live[1]], { expectedRevision: 2 }),
            store.append(streams[1], [live[2]], { expectedRevision: 0 }),
          ]);
          // Order of the live events as the log holds them.
          const expected = (await readAllAfter(store, before)).filter((e) => ours.has(e.stream)).map((e) => e.eventId);
          expect(expected.slice(0, 3)).toEqual(history.map((e) => e.eventId));
          expect(new Set(expected.slice(3))).toEqual(new Set(live.map((e) => e.eventId)));

          // Deliveries are in position order, so once the sentinel is in, any duplicate would be too.
          const sentinel = newEvent('Sentinel');
          await store.append(streams[1], [sentinel], { expectedRevision: 1 });
          await waitUntil(() => ourIds().includes(sentinel.eventId), 'live events delivered');

          expect(ourIds()).toEqual([...expected, sentinel.eventId]);
          expectStrictlyIncreasing(received.map((e) => e.position));
          expect(received[0].position).toBeGreaterThan(before);
        } finally {
          subscription.unsubscribe();
        }
      });

      it('starts strictly after the given position', async () => {
        const stream = newStream('contract');
        const result = await store.append(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const received: RecordedEvent[] = [];
        const subscription = store
          .subscribeToAll({ after: result.events[1].position })
          .subscribe({ next: (e) => received.push(e) });
        try {
          await waitUntil(() => received.some((e) => e.stream === stream), 'event after the position');
          expect(received.filter((e) => e.stream === stream)).toEqual([result.events[2]]);
        } finally {
          subscription.unsubscribe();
        }
      });

      it('stops delivering once unsubscribed', async () => {
        const stream = newStream('contract');
        const start = await store.headPosition();
        const stopped: RecordedEvent[] = [];
        const control: RecordedEvent[] = [];
        const toStop = store.subscribeToAll({ after: start }).subscribe({ next: (e) => stopped.push(e) });
        const controlSub = store.subscribeToAll({ after: start }).subscribe({ next: (e) => control.push(e) });
        try {
          const first = newEvent('BeforeStop');
          await store.append(stream, [first], { expectedRevision: 'no_stream' });
          await waitUntil(() => stopped.some((e) => e.eventId === first.eventId), 'first event delivered');
          toStop.unsubscribe();

          const after = [newEvent('AfterStop1'), newEvent('AfterStop2')];
          await store.append(stream, after, { expectedRevision: 0 });
          await waitUntil(() => control.some((e) => e.eventId === after[1].eventId), 'control saw later events');

          expect(stopped.filter((e) => e.stream === stream).map((e) => e.eventId)).toEqual([first.eventId]);
        } finally {
          toStop.unsubscribe();
          controlSub.unsubscribe();
        }
      });
    });

    const reopenable = options.reopen !== false;
    if (!reopenable) process.stderr.write(`EventStore contract (${name}): the reopen test is left out: this store cannot be reopened\n`);
    (reopenable ? describe : describe.skip)('reopen', () => {
      it('keeps events, positions, revisions and event ids', async () => {
        if (!subject.reopen) throw new Error(`${name}: open() must return reopen(), or pass { reopen: false }`);
        const streams = [newStream('contract'), newStream('contract')];
        const start = await store.headPosition();
        const first = await store.append(streams[0], [newEvent('A'), newEvent('B')], { expectedRevision: 'no_stream' });
        const second = await store.append(streams[1], [newEvent('C', { c: '回访' }, { m: 1 })], {
          expectedRevision: 'no_stream',
        });
        const head = await store.headPosition();
        const log = (await readAllAfter(store, start)).filter((e) => streams.includes(e.stream));

        store = await subject.reopen();

        expect(await store.headPosition()).toBeGreaterThanOrEqual(head);
        expect(await store.readStream(streams[0])).toEqual(first.events);
        expect(await store.readStream(streams[1])).toEqual(second.events);
        expect((await readAllAfter(store, start)).filter((e) => streams.includes(e.stream))).toEqual(log);
        const repeat = await store.append(streams[1], second.events.map(asNewEvent), { expectedRevision: 'no_stream' });
        expect(repeat.events).toEqual(second.events);

        const next = await store.append(streams[0], [newEvent('D')], { expectedRevision: 1 });
        expect(next.events[0].revision).toBe(2);
        expect(next.position).toBeGreaterThan(head);
      });
    });
  });
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function newStream(category: string): string {
  return `${category}-${randomUUID()}`;
}

function newEvent(
  type = 'ContractTested',
  data: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): NewEvent {
  return { eventId: randomUUID(), type, data, metadata };
}

function asNewEvent(event: RecordedEvent): NewEvent {
  return { eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

function expectStrictlyIncreasing(values: number[]): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) {
      throw new Error(`not strictly increasing at index ${i}: ${values[i - 1]} then ${values[i]}`);
    }
  }
}

async function readAllAfter(store: EventStore, after: number): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, limit: 500 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1].position;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
