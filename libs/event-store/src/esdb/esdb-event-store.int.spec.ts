import { randomUUID } from 'node:crypto';
import { EsdbStandIn } from '../../test/esdb-stand-in/esdb-stand-in';
import {
  EventTooLargeError,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { EsdbEventStore, EsdbEventStoreOptions } from './esdb-event-store';
import { PositionOutOfRangeError } from './esdb-positions';

/**
 * What the contract suite does not pin down, on the gRPC STAND-IN (not EventStoreDB): positions as
 * plain numbers, system events (and older versions' idempotency-claim streams) kept out of the log,
 * resubscription after a drop, and the server's own append limit.
 */
describe('EsdbEventStore on the gRPC stand-in', () => {
  let standIn: EsdbStandIn;
  const opened: EsdbEventStore[] = [];
  const warnings: string[] = [];
  const open = (options: Partial<EsdbEventStoreOptions> = {}): EsdbEventStore => {
    const store = new EsdbEventStore({ connectionString: standIn.connectionString, warn: (m) => warnings.push(m), ...options });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    standIn = await EsdbStandIn.start();
    warnings.length = 0;
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await standIn.stop();
  });

  describe('positions', () => {
    it('are plain numbers taken from the commit position: unique, increasing, not consecutive', async () => {
      const store = open();
      const result = await store.append('patient-p1', [event('A'), event('B')], { expectedRevision: 'no_stream' });
      const positions = result.events.map((e) => e.position);
      // Positions are where the stand-in wrote each record (a byte offset), as EventStoreDB reports them.
      const logged = standIn.log.records.filter((r) => r.stream === 'patient-p1').map((r) => Number(r.position));
      expect(positions).toEqual(logged);
      expect(positions.every(Number.isSafeInteger)).toBe(true);
      expect(positions[1] - positions[0]).toBeGreaterThan(1);
      expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      expect(result.nextRevision).toBe(1);
    });

    it('beyond Number.MAX_SAFE_INTEGER are refused with a clear error, not rounded', async () => {
      await standIn.stop();
      standIn = await EsdbStandIn.start({ firstPosition: 2n ** 53n + 8n });
      const store = open();
      const error = await store.append('patient-p1', [event()], { expectedRevision: 'no_stream' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PositionOutOfRangeError);
      await expect(store.readAll()).rejects.toThrow('beyond Number.MAX_SAFE_INTEGER');
    });
  });

  describe('the global log holds domain events only', () => {
    it("leaves out system events, category links and older versions' idempotency claims from readAll, headPosition and subscriptions", async () => {
      const store = open();
      standIn.log.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      standIn.log.writeSystemEvent('idempotency-9f86d081884c7d65', 'IdempotencyKeyClaimed');
      const first = await store.append('patient-p1', [event('A')], { expectedRevision: 'no_stream' });
      const second = await store.append('clinic-c1', [event('B')], { expectedRevision: 'no_stream' });
      standIn.log.writeSystemEvent('$stats-127.0.0.1:2113', '$statsCollected');
      // What is in the stand-in's $all: stats, an old claim and its $ce link, A and its link, B and its link, stats.
      expect(standIn.log.records.map((r) => r.type)).toEqual([
        '$statsCollected',
        'IdempotencyKeyClaimed',
        '$>',
        'A',
        '$>',
        'B',
        '$>',
        '$statsCollected',
      ]);

      const all = await store.readAll();
      expect(all.map((e) => e.eventId)).toEqual([first.events[0].eventId, second.events[0].eventId]);
      expect(await store.headPosition()).toBe(second.position);
      const received = await collect(store, 0, 2);
      expect(received.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    });

    it('fills a page even when system events outnumber ours, and reports 0 for a log of system events only', async () => {
      const store = open();
      expect(await store.headPosition()).toBe(0);
      for (let i = 0; i < 150; i++) standIn.log.writeSystemEvent('$stats-x', '$statsCollected');
      expect(await store.headPosition()).toBe(0);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const e = event('Ours', { i });
        ids.push(e.eventId);
        await store.append(`patient-p${i}`, [e], { expectedRevision: 'no_stream' });
        for (let j = 0; j < 150; j++) standIn.log.writeSystemEvent('$stats-x', '$statsCollected');
      }
      const page = await store.readAll({ limit: 3 });
      expect(page.map((e) => e.eventId)).toEqual(ids.slice(0, 3));
      const rest = await store.readAll({ after: page[2].position, limit: 10 });
      expect(rest.map((e) => e.eventId)).toEqual(ids.slice(3));
      // 150 system events (and their links) follow the last of ours: the head is still ours.
      expect(await store.headPosition()).toBe(rest[1].position);
    });
  });

  describe('subscriptions', () => {
    it('resubscribe after a drop from the last delivered position: nothing missed, nothing repeated', async () => {
      const store = open({ resubscribeDelayMs: 20 });
      const ids: string[] = [];
      const append = async (n: number) => {
        for (let i = 0; i < n; i++) {
          const e = event('Counted', { n: ids.length });
          ids.push(e.eventId);
          await store.append('patient-p1', [e], { expectedRevision: ids.length === 1 ? 'no_stream' : ids.length - 2 });
        }
      };
      await append(3);
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll().subscribe({ next: (e) => received.push(e) });
      try {
        await waitUntil(() => received.length === 3 && standIn.subscriptionCount === 1);
        expect(standIn.dropSubscriptions()).toBe(1);
        await append(2);
        await waitUntil(() => received.length >= 5);
        await append(1);
        await waitUntil(() => received.length >= 6);
        await settle();
        expect(received.map((e) => e.eventId)).toEqual(ids);
        expect(warnings.some((w) => w.includes('subscription to $all dropped after position') && w.includes('resubscribing in 20 ms'))).toBe(true);
      } finally {
        subscription.unsubscribe();
      }
    });

    it('keep retrying with a growing delay while the server is down, and carry on when it is back', async () => {
      const store = open({ resubscribeDelayMs: 10, resubscribeMaxDelayMs: 80 });
      const writer = open();
      const before = await writer.append('patient-p1', [event('Before')], { expectedRevision: 'no_stream' });
      const received: RecordedEvent[] = [];
      const subscription = store.subscribeToAll().subscribe({ next: (e) => received.push(e) });
      try {
        await waitUntil(() => received.length === 1);
        await standIn.stop();
        await waitUntil(() => warnings.length >= 5);
        const delays = warnings.map((w) => Number(/resubscribing in (\d+) ms/.exec(w)?.[1]));
        expect(delays.slice(0, 5)).toEqual([10, 20, 40, 80, 80]);
        await standIn.restart();
        const after = await writer.append('patient-p1', [event('After')], { expectedRevision: 0 });
        await waitUntil(() => received.length >= 2);
        await settle();
        expect(received.map((e) => e.eventId)).toEqual([before.events[0].eventId, after.events[0].eventId]);
      } finally {
        subscription.unsubscribe();
      }
    });

    it('deliver nothing twice from a server that starts a subscription AT its position', async () => {
      await standIn.stop();
      standIn = await EsdbStandIn.start({ subscriptionsStart: 'at' });
      const store = open({ resubscribeDelayMs: 10 });
      const first = await store.append('patient-p1', [event('One'), event('Two')], { expectedRevision: 'no_stream' });
      const received = await collect(store, first.events[0].position, 1);
      expect(received.map((e) => e.eventId)).toEqual([first.events[1].eventId]);
    });

    it('unsubscribing ends the server-side subscription', async () => {
      const store = open();
      const subscription = store.subscribeToAll().subscribe();
      await waitUntil(() => standIn.subscriptionCount === 1);
      subscription.unsubscribe();
      await waitUntil(() => standIn.subscriptionCount === 0);
    });

    it('close completes subscriptions and refuses later appends', async () => {
      const store = open();
      let completed = false;
      store.subscribeToAll().subscribe({ complete: () => (completed = true) });
      await store.close();
      expect(completed).toBe(true);
      await expect(store.append('patient-p1', [event()], { expectedRevision: 'any' })).rejects.toThrow('closed');
    });
  });

  describe('the same event ids again', () => {
    it('after a conflict, the retry with the same ids lands once; a repeat returns the stored result', async () => {
      const store = open();
      await store.append('patient-p1', [event(), event()], { expectedRevision: 'no_stream' });
      const retried = [event('Retried')];
      const stale = await store.append('patient-p1', retried, { expectedRevision: 0 }).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
      expect(stale).toMatchObject({ expected: 0, actual: 1 });
      const first = await store.append('patient-p1', retried, { expectedRevision: 1 });
      expect(await store.append('patient-p1', retried, { expectedRevision: 1 })).toEqual(first);
      expect(await store.append('patient-p1', retried, { expectedRevision: 'any' })).toEqual(first);
      expect(await store.readStream('patient-p1')).toHaveLength(3);
    });
  });

  describe('append rules specific to this adapter', () => {
    it("maps the server's limit on a whole append to EventTooLargeError, appending nothing", async () => {
      await standIn.stop();
      standIn = await EsdbStandIn.start({ maxAppendSize: 1000 });
      const store = open();
      const events = [event('Half', { text: 'x'.repeat(600) }), event('Other', { text: 'y'.repeat(580) })];
      const error = await store
        .append('patient-p1', events, { expectedRevision: 'no_stream' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventTooLargeError);
      // 611 + 2 bytes and 591 + 2 bytes of JSON data + metadata; the server allows 1000 per append.
      expect(error).toMatchObject({ eventType: 'Half', bytes: 1206, limit: 1000 });
      expect(await store.readStream('patient-p1')).toEqual([]);
      await store.append('patient-p1', [events[0]], { expectedRevision: 'no_stream' });
    });

    it('takes UUID event ids only, and gives them back lower-case', async () => {
      const store = open();
      await expect(store.append('patient-p1', [{ ...event(), eventId: 'p1.call1' }], { expectedRevision: 'any' })).rejects.toThrow(
        'eventId must be a UUID',
      );
      const upper = randomUUID().toUpperCase();
      const result = await store.append('patient-p1', [{ ...event(), eventId: upper }], { expectedRevision: 'any' });
      expect(result.events[0].eventId).toBe(upper.toLowerCase());
      // The same id in the other case is the same event: a repeat, not a second copy.
      await store.append('patient-p1', [{ ...event(), eventId: upper.toLowerCase() }], { expectedRevision: 'any' });
      expect(await store.readStream('patient-p1')).toHaveLength(1);
    });

    it('keeps domain events out of system and bookkeeping streams', async () => {
      const store = open();
      await expect(store.append('$ce-patient', [event()], { expectedRevision: 'any' })).rejects.toThrow(TypeError);
      await expect(store.append('idempotency-x', [event()], { expectedRevision: 'any' })).rejects.toThrow(TypeError);
      await expect(store.append('patient-p1', [event('$sneaky')], { expectedRevision: 'any' })).rejects.toThrow(TypeError);
    });

    it('treats expected revision -1 as no_stream', async () => {
      const store = open();
      await store.append('patient-p1', [event()], { expectedRevision: -1 });
      await expect(store.append('patient-p1', [event()], { expectedRevision: -1 })).rejects.toMatchObject({ expected: -1, actual: 0 });
    });

    it('an empty append writes nothing and reports the current state', async () => {
      const store = open();
      expect(await store.append('patient-p1', [], { expectedRevision: 'any' })).toEqual({ nextRevision: -1, position: 0, events: [] });
      const written = await store.append('patient-p1', [event(), event()], { expectedRevision: 'no_stream' });
      expect(await store.append('patient-p1', [], { expectedRevision: 'any' })).toEqual({
        nextRevision: 1,
        position: written.position,
        events: [],
      });
    });
  });

  describe('connection string', () => {
    it('takes TLS from EVENTSTORE_URL: tls=true against this plain-text server fails instead of falling back', async () => {
      const secure = open({ connectionString: standIn.connectionString.replace('tls=false', 'tls=true') });
      await expect(secure.readStream('patient-p1')).rejects.toThrow(/UNAVAILABLE|SSL|TLS|handshake|wrong version/i);
    });
  });
});

function event(type = 'Tested', data: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: {} };
}

async function collect(store: EsdbEventStore, after: number, count: number): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  const subscription = store.subscribeToAll({ after }).subscribe({ next: (e) => received.push(e) });
  try {
    await waitUntil(() => received.length >= count);
    await settle();
    return received;
  } finally {
    subscription.unsubscribe();
  }
}

/** Long enough for anything still in flight (a duplicate, say) to arrive. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
