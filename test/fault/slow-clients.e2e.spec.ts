import { connect, Socket } from 'node:net';
import { EVENT_STORE, EventStore } from '@rapport/event-store';
import { MAX_DETAILS } from '../../apps/api/src/http/errors';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 11 item 6: slow clients and big bodies. Raw sockets that send headers and then a body one
 * byte at a time are cut within the request timeout (408 or closed) while a normal request still
 * succeeds; past the connection cap it is new connections that are refused. A body of 60,000
 * unknown keys is one small 400 that appends nothing.
 */
const REQUEST_TIMEOUT_MS = 2000;
const MAX_CONNECTIONS = 250;
const SLOW = 200;
/** The timeout, Node's checking interval (≤ timeout / 4), and room for a loaded machine; never tighter than the bound. */
const CUT_WITHIN_MS = REQUEST_TIMEOUT_MS * 3;
const CLINIC = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], name: '微笑口腔' };

interface SlowClient {
  socket: Socket;
  opened: number;
  /** What is left to send, a byte per drip. */
  rest: string;
  /** What the server wrote back, if anything. */
  received: string;
  closedAt?: number;
  closed: Promise<void>;
}

describe('slow clients and big bodies', () => {
  let running: RunningApp;
  let store: EventStore;
  let port: number;
  const clients: SlowClient[] = [];
  let drip: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    running = await startApp({ config: { requestTimeoutMs: REQUEST_TIMEOUT_MS, maxConnections: MAX_CONNECTIONS } });
    store = running.app.get<EventStore>(EVENT_STORE);
    port = Number(new URL(running.url).port);
    expect((await running.api.put('/v1/clinics/c1', CLINIC)).status).toBe(201);
  });
  afterAll(async () => {
    if (drip) clearInterval(drip);
    for (const client of clients) client.socket.destroy();
    await running?.close();
  });

  /** Sends headers (or, `headersToo`, the headers themselves) and then one byte every 200 ms, never finishing. */
  function slowClient(headersToo = false): Promise<SlowClient> {
    const head = `POST /v1/clinics/c2 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let onClose!: () => void;
      const client: SlowClient = { socket, opened: Date.now(), rest: '', received: '', closed: new Promise<void>((r) => (onClose = r)) };
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (client.received += chunk));
      socket.on('error', () => undefined); // a reset is one way to be cut
      socket.on('close', () => {
        client.closedAt = Date.now();
        onClose();
      });
      socket.on('connect', () => {
        client.opened = Date.now();
        if (!headersToo) socket.write(head);
        client.rest = headersToo ? head : `{"timeZone":"${'x'.repeat(99_000)}`;
        resolve(client);
      });
      clients.push(client);
    });
  }

  function startDripping(): void {
    drip ??= setInterval(() => {
      for (const client of clients) {
        if (client.closedAt !== undefined || client.rest === '' || client.socket.destroyed) continue;
        client.socket.write(client.rest[0]!);
        client.rest = client.rest.slice(1);
      }
    }, 200);
  }

  it(`cuts ${SLOW} bodies sent a byte at a time within the bound, while a normal request still succeeds`, async () => {
    const before = await store.headPosition();
    const slow = await Promise.all(Array.from({ length: SLOW }, (_, i) => slowClient(i % 20 === 0)));
    startDripping();
    await new Promise((r) => setTimeout(r, 300));
    // Held slow connections, still under the cap: an authenticated write goes through.
    const normal = await running.api.put('/v1/clinics/c1', { ...CLINIC, name: '微笑口腔 二' });
    expect(normal.status).toBe(201);

    await allClosedOrTimeUp(slow, CUT_WITHIN_MS + 1000);
    const notCut = slow.filter((c) => c.closedAt === undefined || c.closedAt - c.opened > CUT_WITHIN_MS);
    expect(notCut.length).toBe(0);
    // Each either got Node's 408 or was simply closed; never a 2xx for a body that never arrived.
    for (const c of slow) expect(c.received === '' || c.received.startsWith('HTTP/1.1 408')).toBe(true);
    expect(slow.some((c) => c.received.startsWith('HTTP/1.1 408'))).toBe(true);
    // Only the normal request's event was appended.
    expect(await store.headPosition()).toBe(before + 1);
  }, 30_000);

  it('past the connection cap refuses the new connections, and serves again once the slow ones are cut', async () => {
    const over = 60;
    const slow = await Promise.all(Array.from({ length: MAX_CONNECTIONS + over }, () => slowClient()));
    startDripping();
    // Node closes a connection past maxConnections at once, before it reads a byte: well before
    // the request timeout, however loaded the machine (the whole suite runs beside this test).
    const refusedFast = () => slow.filter((c) => c.closedAt !== undefined && c.closedAt - c.opened < REQUEST_TIMEOUT_MS);
    for (const deadline = Date.now() + REQUEST_TIMEOUT_MS / 2; refusedFast().length < over - 5 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    const refused = refusedFast();
    expect(refused.length).toBeGreaterThanOrEqual(over - 5);
    expect(refused.every((c) => c.received === '')).toBe(true);

    await allClosedOrTimeUp(slow, CUT_WITHIN_MS + 1000);
    expect(slow.filter((c) => c.closedAt === undefined).length).toBe(0);
    expect((await running.api.put('/v1/clinics/c1', CLINIC)).status).toBe(201);
  }, 30_000);

  it.each([
    ['at the top', (keys: Record<string, number>) => ({ ...CLINIC, ...keys })],
    ['in a nested object', (keys: Record<string, number>) => ({ ...CLINIC, protocol: keys })],
    ['spread over array items', (keys: Record<string, number>) => ({ ...CLINIC, protocol: { rules: chunk(keys, 50) } })],
  ])('answers 60,000 unknown keys %s with one small 400 and appends nothing', async (_, build) => {
    const keys = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, i]));
    const before = await store.headPosition();
    const response = await fetch(`${running.url}/v1/clinics/c3`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${running.api.token}` },
      body: JSON.stringify(build(keys)),
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(Buffer.byteLength(text)).toBeLessThan(8 * 1024);
    const body = JSON.parse(text) as { details: { field: string; message: string }[] };
    expect(body.details.length).toBeGreaterThan(0);
    expect(body.details.length).toBeLessThanOrEqual(MAX_DETAILS + 1);
    expect(await store.headPosition()).toBe(before);
    expect((await running.api.get('/v1/clinics/c3')).status).not.toBe(200);
  });

  it(`names at most ${MAX_DETAILS} fields and then how many more`, async () => {
    const keys = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const response = await running.api.put('/v1/clinics/c3', { ...CLINIC, ...keys });
    expect(response.status).toBe(400);
    expect(response.body.details).toHaveLength(MAX_DETAILS + 1);
    expect(response.body.details[MAX_DETAILS]).toEqual({ field: '…', message: 'and 30 more' });
  });
});

/** Resolves when every client is closed, or after `ms`, whichever is first (and leaves no timer behind). */
async function allClosedOrTimeUp(clients: SlowClient[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(clients.map((c) => c.closed)), new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

function chunk(keys: Record<string, number>, size: number): Record<string, number>[] {
  const entries = Object.entries(keys);
  return Array.from({ length: Math.ceil(entries.length / size) }, (_, i) => Object.fromEntries(entries.slice(i * size, (i + 1) * size)));
}
