import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { TOKEN_KEYS } from '../../apps/api/src/auth/auth.guard';
import type { Principal } from '@rapport/access';
import type { TokenKeys } from '@rapport/access';
import { configFromEnv, RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { connect, Socket } from 'node:net';
import { FeedConnections } from '../../apps/api/src/feed/feed-connections';
import { LiveLog } from '../../apps/api/src/feed/live-log';
import { clinicWithPatient } from '../support/fixtures';
import { Api, TEST_ADMIN } from '../support/in-process-app';
import { makeTempDir } from '../support/temp-dir';
import { TestClock } from '../support/test-clock';
import { SseReader } from './feed-sse-reader';

interface FeedApp {
  app: NestFastifyApplication;
  /** An admin for every clinic. */
  api: Api;
  url: string;
  /** `Authorization` headers for a token of this principal, for the SSE client. */
  bearer(principal: Principal): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** The real app over HTTP on a fresh embedded store, with config the test may override. */
async function startFeedApp(overrides: Partial<RapportConfig> = {}): Promise<FeedApp> {
  const temp = makeTempDir('rapport-feed-');
  const config = { ...configFromEnv({}), dataDir: temp.path, port: 0, ...overrides };
  const app = await createApp({ config, clock: TestClock.at('2026-11-24T03:00:00Z'), logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const keys = app.get<TokenKeys>(TOKEN_KEYS);
  const token = (principal: Principal) => keys.sign!(principal, 3600);
  return {
    app,
    api: await Api.signing(url, token, TEST_ADMIN),
    url,
    bearer: async (principal) => ({ authorization: `Bearer ${await token(principal)}` }),
    close: async () => {
      await app.close();
      temp.remove();
    },
  };
}

interface FeedEvent {
  eventId: string;
  type: string;
  stream: string;
  revision: number;
  position: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  storedAt: string;
}

async function wholeLog(api: Api): Promise<FeedEvent[]> {
  const all: FeedEvent[] = [];
  for (let after = 0; ; ) {
    const page = await api.get<{ events: FeedEvent[]; next: number }>(`/v1/events?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    if (page.body.events.length === 0) return all;
    all.push(...page.body.events);
    after = page.body.next;
  }
}

describe('the event feed on the embedded store: GET /v1/events and its SSE stream', () => {
  let running: FeedApp;
  afterEach(async () => running?.close());

  describe('GET /v1/events', () => {
    beforeEach(async () => {
      running = await startFeedApp();
      await clinicWithPatient(running.api);
    });

    it('pages through the global log with after and limit; next is where to ask again', async () => {
      const { api } = running;
      const first = await api.get('/v1/events?limit=3');
      expect(first.status).toBe(200);
      expect(first.body.events.map((e: FeedEvent) => [e.position, e.type])).toEqual([
        [1, 'ClinicConfigured'],
        [2, 'TreatmentCompleted'],
        [3, 'FollowUpScheduled'],
      ]);
      expect(first.body.next).toBe(3);
      const second = await api.get('/v1/events?after=3&limit=3');
      expect(second.body.events.map((e: FeedEvent) => e.position)).toEqual([4, 5, 6]);
      expect(second.body.next).toBe(6);
      const last = await api.get('/v1/events?after=6&limit=3');
      expect(last.body.events.map((e: FeedEvent) => e.position)).toEqual([7]);
      const caughtUp = await api.get('/v1/events?after=7');
      expect(caughtUp.body).toEqual({ events: [], next: 7 });

      // Each event as stored: the same as the patient's own stream shows it.
      const all = await api.get('/v1/events');
      expect(all.body.events).toHaveLength(7);
      const patient = await api.get('/v1/patients/p1/events');
      expect(all.body.events.filter((e: FeedEvent) => e.stream === 'patient-p1')).toEqual(patient.body.events);
      expect(all.body.events[0]).toMatchObject({ stream: 'clinic-c1', revision: 0, data: { clinicId: 'c1', timeZone: 'Asia/Shanghai' } });
    });

    it.each([
      ['after=-1', 'after'],
      ['after=abc', 'after'],
      ['after=1.5', 'after'],
      ['after=9007199254740992', 'after'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['from=3', 'from'],
    ])('answers 400 naming the field for ?%s', async (query, field) => {
      const response = await running.api.get(`/v1/events?${query}`);
      expect(response.status).toBe(400);
      expect(response.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    });
  });

  describe('GET /v1/events/stream', () => {
    it('follows the log live, and a client that disconnects resumes with Last-Event-ID: nothing missed, nothing repeated', async () => {
      running = await startFeedApp();
      const { api, url } = running;
      await clinicWithPatient(api);

      // Commands keep being recorded the whole time: one referral after another.
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          const response = await api.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang', note: `referral ${written}` });
          expect(response.status).toBe(201);
          written++;
        }
      })();

      const admin = await running.bearer(TEST_ADMIN);
      const first = await SseReader.open(`${url}/v1/events/stream`, admin);
      expect(first.status).toBe(200);
      expect(first.contentType).toMatch(/^text\/event-stream/);
      await first.waitFor((r) => r.messages.length >= 15, '15 events on the first connection');
      first.disconnect();
      await first.waitFor((r) => r.ended, 'the first connection to end');
      const lastSeen = first.lastEventId!;
      const writtenAtDisconnect = written;
      // Let the log move on while nobody listens.
      while (written < writtenAtDisconnect + 5) await new Promise((resolve) => setTimeout(resolve, 5));

      // ?after=0 is overridden by the header, as a browser's EventSource reconnecting would send both.
      const second = await SseReader.open(`${url}/v1/events/stream?after=0`, { ...admin, 'Last-Event-ID': lastSeen });
      await second.waitFor((r) => r.messages.length >= 10, '10 events on the second connection');
      writing = false;
      await writer;
      const log = await wholeLog(api);
      const head = log.at(-1)!.position;
      await second.waitFor((r) => Number(r.lastEventId) === head, `the second connection to reach the head ${head}`);
      second.disconnect();

      const delivered = [...first.messages, ...second.messages];
      // Every event of the log exactly once, in order, across the two connections.
      expect(delivered.map((m) => Number(m.id))).toEqual(log.map((e) => e.position));
      expect(delivered.map((m) => m.event)).toEqual(log.map((e) => e.type));
      expect(delivered.map((m) => JSON.parse(m.data))).toEqual(log);
      // Some of them were recorded while the client was away, and the second connection started right after the first.
      expect(log.filter((e) => e.position > Number(lastSeen)).length).toBeGreaterThanOrEqual(10);
      expect(Number(second.messages[0].id)).toBe(log[log.findIndex((e) => e.position === Number(lastSeen)) + 1].position);
      expect(log.filter((e) => e.type === 'ReferralRequested')).toHaveLength(written);
    });

    it('starts after ?after=, sends heartbeat comments while idle, and refuses a Last-Event-ID it did not send', async () => {
      running = await startFeedApp({ feedHeartbeatMs: 50 });
      const { api, url } = running;
      await clinicWithPatient(api);
      const reader = await SseReader.open(`${url}/v1/events/stream?after=5`, await running.bearer(TEST_ADMIN));
      await reader.waitFor((r) => r.messages.length >= 2, 'the events after position 5');
      await reader.waitFor((r) => r.comments.filter((c) => c === 'heartbeat').length >= 2, 'two heartbeats');
      expect(reader.messages.map((m) => [m.id, m.event])).toEqual([
        ['6', 'FollowUpScheduled'],
        ['7', 'FollowUpScheduled'],
      ]);
      reader.disconnect();

      const bad = await api.get('/v1/events/stream', { 'Last-Event-ID': 'yesterday' });
      expect(bad.status).toBe(400);
      expect(bad.body.details).toEqual([{ field: 'Last-Event-ID', message: 'Last-Event-ID must be a position the feed sent' }]);
      expect((await api.get('/v1/events/stream?after=x')).status).toBe(400);
    });

    it("lets go of the server's side when the client disconnects, and ends open streams when the server shuts down", async () => {
      running = await startFeedApp();
      const { app, api, url } = running;
      await clinicWithPatient(api);
      const connections = app.get(FeedConnections);

      const admin = await running.bearer(TEST_ADMIN);
      const leaving = await SseReader.open(`${url}/v1/events/stream`, admin);
      const staying = await SseReader.open(`${url}/v1/events/stream`, admin);
      await leaving.waitFor((r) => r.messages.length === 7, 'the history');
      await staying.waitFor((r) => r.messages.length === 7, 'the history');
      expect(connections.size).toBe(2);
      leaving.disconnect();
      await waitUntil(() => connections.size === 1, 'the server to drop the closed connection');

      // The one still open keeps getting live events.
      expect((await api.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang' })).status).toBe(201);
      await staying.waitFor((r) => r.messages.length === 8, 'a live event');
      expect(staying.messages[7].event).toBe('ReferralRequested');
      expect(leaving.messages).toHaveLength(7);

      await running.app.close();
      await staying.waitFor((r) => r.ended, 'the stream to end at shutdown');
      expect(connections.size).toBe(0);
      running = { ...running, close: async () => undefined };
    });
  });
});

describe('feed clients share one tail of the log, and a stalled one is cut off', () => {
  let running: FeedApp;
  afterEach(async () => running?.close());

  it('serves every live client from one subscription, and cuts off (socket destroyed) a client that stopped reading while writes go on', async () => {
    running = await startFeedApp({ feedMaxBufferedBytes: 64 * 1024 });
    const { app, api, url } = running;
    await clinicWithPatient(api);
    const admin = await running.bearer(TEST_ADMIN);
    const readers = await Promise.all(Array.from({ length: 5 }, () => SseReader.open(`${url}/v1/events/stream`, admin)));
    for (const reader of readers) await reader.waitFor((r) => r.messages.length === 7, 'the history');
    expect(app.get(LiveLog).subscribers).toBe(5);

    // A client that sends its request and then never reads a byte of the answer.
    const port = Number(new URL(url).port);
    // The server's side of each connection, to see what becomes of the stalled one's socket.
    const serverSockets = new Map<number, Socket>();
    app.getHttpServer().on('connection', (socket: Socket) => serverSockets.set(socket.remotePort!, socket));
    const stalled = connect(port, '127.0.0.1');
    stalled.on('error', () => undefined);
    await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
    stalled.write(`GET /v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: ${admin.authorization}\r\n\r\n`);
    stalled.pause();
    await waitUntil(() => app.get(LiveLog).subscribers === 6, 'the stalled client to join the tail');

    // Calls with long notes (about 11 KB an event) until the stalled client's backlog passes the bound
    // and the kernel's socket buffers with it; every one is acknowledged. (A paused socket does not
    // notice its end, so the server's side says when it was cut off.)
    const notes = '回访记录'.repeat(900);
    const connections = app.get(FeedConnections);
    let written = 0;
    const writers = Array.from({ length: 4 }, async () => {
      while (connections.size > 5 && written < 5000) {
        const response = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:40:00Z', outcome: 'no_answer', notes });
        expect(response.status).toBe(201);
        written++;
      }
    });
    await Promise.all(writers);
    expect(connections.size).toBe(5);
    expect(app.get(LiveLog).subscribers).toBe(5);
    // Destroyed on the server, not merely ended (an end would wait behind what the client never read).
    const serverSide = serverSockets.get(stalled.localPort!);
    expect(serverSide?.destroyed).toBe(true);
    expect(await socketEnds(stalled)).toBe(true);

    // The readers that kept reading have every event, in order.
    const head = await api.headPosition();
    for (const reader of readers) await reader.waitFor((r) => Number(r.lastEventId) === head, 'every event on a reading client');
    for (const reader of readers) expect(reader.messages.map((m) => Number(m.id))).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    for (const reader of readers) reader.disconnect();
    stalled.destroy();
  });

  it('clients catching up on the same history share its reads: each page is read (and unsealed) once, however many clients ask', async () => {
    running = await startFeedApp();
    const { app, api, url } = running;
    await clinicWithPatient(api);
    const head = await treatmentsUntil(api, 1100);
    const reads = jest.spyOn(app.get<EventStore>(EVENT_STORE), 'readAll');
    try {
      // A clinic with no events: each client goes through the whole history and is sent none of it.
      const quiet = await running.bearer({ userId: 'crm-quiet', role: 'integration', clinics: ['quiet'] });
      const clients = await Promise.all(Array.from({ length: 20 }, () => SseReader.open(`${url}/v1/events/stream`, quiet)));
      expect(clients.map((c) => c.status)).toEqual(Array(20).fill(200));
      await waitUntil(() => app.get(LiveLog).subscribers === 20, 'every client to reach the live tail');
      // The feed's reads of that history (the projector reads on from the head, on its own): pages
      // of 500, so ceil(head / 500) for all twenty, as many as one client alone makes.
      const historyReads = reads.mock.calls.filter(([options]) => (options?.after ?? 0) < head);
      expect(historyReads.length).toBeLessThanOrEqual(Math.ceil(head / 500));
      for (const client of clients) client.disconnect();
    } finally {
      reads.mockRestore();
    }
  });

  it('serves no page kept for other clients after an erasure: the next client reads the patient as erased', async () => {
    running = await startFeedApp();
    const { api, url } = running;
    await clinicWithPatient(api, { patient: { name: '王伟', phone: '+86 138 0013 8000' } });
    const head = await treatmentsUntil(api, 600);
    const admin = await running.bearer(TEST_ADMIN);
    const first = await SseReader.open(`${url}/v1/events/stream`, admin);
    await first.waitFor((r) => Number(r.lastEventId) >= head, 'the history');
    expect(first.messages.some((m) => m.data.includes('王伟'))).toBe(true);
    expect((await api.post('/v1/patients/p1/erasure', { reason: 'the patient asked to be forgotten' })).status).toBe(201);
    const second = await SseReader.open(`${url}/v1/events/stream`, admin);
    await second.waitFor((r) => Number(r.lastEventId) > head, 'the history and the erasure');
    const treatment = second.messages.find((m) => m.event === 'TreatmentCompleted' && JSON.parse(m.data).data.patientId === 'p1')!;
    expect(JSON.parse(treatment.data).data.patient).toMatchObject({ erased: true });
    expect(second.messages.some((m) => m.data.includes('王伟'))).toBe(false);
    first.disconnect();
    second.disconnect();
  });

  it('answers 503 with Retry-After past the cap on open streams', async () => {
    running = await startFeedApp({ maxFeedConnections: 2 });
    const { url } = running;
    const admin = await running.bearer(TEST_ADMIN);
    const open = [await SseReader.open(`${url}/v1/events/stream`, admin), await SseReader.open(`${url}/v1/events/stream`, admin)];
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    await waitUntil(() => running.app.get(FeedConnections).size === 2, 'two open streams');
    const refused = await fetch(`${url}/v1/events/stream`, { headers: admin });
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([503, '5']);
    expect(((await refused.json()) as { message: string }).message).toContain('limit of 2 open streams');
    for (const reader of open) reader.disconnect();
  });
});

describe('who may read the event feed', () => {
  let running: FeedApp;
  beforeEach(async () => {
    running = await startFeedApp();
    const { api } = running;
    await clinicWithPatient(api);
    expect((await api.put('/v1/clinics/c2', { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] })).status).toBe(201);
    const other = await api.post('/v1/treatments', {
      treatmentId: 't2',
      patientId: 'p2',
      clinicId: 'c2',
      doctorId: 'dr-wu',
      procedure: 'other',
      completedAt: '2026-11-23T07:00:00Z',
    });
    expect(other.status).toBe(201);
  });
  afterEach(async () => running.close());

  it('needs a token, and a role that reads the feed', async () => {
    const { api, url } = running;
    expect((await api.anonymous().get('/v1/events')).status).toBe(401);
    const caller = (await running.bearer({ userId: 'nurse-zhang', role: 'caller', clinics: ['c1'] })).authorization.slice('Bearer '.length);
    expect((await api.as(caller).get('/v1/events')).status).toBe(403);
    const sse = await SseReader.open(`${url}/v1/events/stream`);
    expect(sse.status).toBe(401);
  });

  it("shows a token limited to some clinics only their events, page by page and live, and still moves on past the others'", async () => {
    const { api, url } = running;
    const c1 = { userId: 'crm-c1', role: 'integration' as const, clinics: ['c1'] };
    const token = (await running.bearer(c1)).authorization.slice('Bearer '.length);
    // The log: c1 configured (1), p1's treatment and 5 follow-ups (2-7), c2 configured (8), p2's (9-14).
    const page = await api.as(token).get('/v1/events?limit=100');
    expect(page.status).toBe(200);
    expect(page.body.events.map((e: FeedEvent) => e.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(page.body.next).toBe(14);
    // A full page stops at its last event; a short one has looked through to the head.
    const full = await api.as(token).get('/v1/events?after=0&limit=3');
    expect(full.body.events.map((e: FeedEvent) => e.position)).toEqual([1, 2, 3]);
    expect(full.body.next).toBe(3);
    const short = await api.as(token).get('/v1/events?after=5&limit=3');
    expect(short.body.events.map((e: FeedEvent) => e.position)).toEqual([6, 7]);
    expect(short.body.next).toBe(14);
    expect((await api.as(token).get('/v1/events?after=14')).body).toEqual({ events: [], next: 14 });

    const sse = await SseReader.open(`${url}/v1/events/stream`, await running.bearer(c1));
    await sse.waitFor((r) => r.messages.length === 7, "c1's history");
    expect((await api.post('/v1/referrals', { patientId: 'p2', callerId: 'nurse-zhang' })).status).toBe(201);
    expect((await api.post('/v1/referrals', { patientId: 'p1', callerId: 'nurse-zhang' })).status).toBe(201);
    await sse.waitFor((r) => r.messages.length === 8, "c1's live event");
    await new Promise((resolve) => setTimeout(resolve, 100));
    sse.disconnect();
    expect(sse.messages.map((m) => JSON.parse(m.data).data.clinicId)).toEqual(Array(8).fill('c1'));
    expect(sse.messages.map((m) => Number(m.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 16]);
  });
});

/** Treatments for new patients of c1 (each 6 events: the treatment and its follow-ups) until the log holds `events`; answers the head. */
async function treatmentsUntil(api: Api, events: number): Promise<number> {
  let next = 0;
  let head = await api.headPosition();
  const count = Math.ceil((events - head) / 6);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < count; i = next++) {
        const response = await api.post('/v1/treatments', { treatmentId: `bulk-${i}`, patientId: `bulk-p${i}`, clinicId: 'c1', doctorId: 'dr-li', procedure: 'other', completedAt: '2026-11-23T06:00:00Z' });
        expect(response.status).toBe(201);
      }
    }),
  );
  head = await api.headPosition();
  expect(head).toBeGreaterThanOrEqual(events);
  return head;
}

/** Whether a paused socket finds its connection gone once it reads again (the server destroyed it). */
async function socketEnds(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('close', done);
    socket.resume();
  });
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
