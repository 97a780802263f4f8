import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { TOKEN_KEYS } from '../../apps/api/src/auth/auth.guard';
import type { TokenKeys } from '@rapport/access';
import { configFromEnv } from '@rapport/config';
import { EsdbStandIn } from '../../libs/event-store/test/esdb-stand-in/esdb-stand-in';
import { clinicWithPatient } from '../support/fixtures';
import { Api, TEST_ADMIN } from '../support/in-process-app';
import { makeTempDir } from '../support/temp-dir';
import { TestClock } from '../support/test-clock';
import { SseReader } from './feed-sse-reader';

/**
 * The API with EVENT_STORE=esdb, through the real client, against the gRPC STAND-IN (not
 * EventStoreDB): commands, idempotency keys and the event feed work the same on the adapter whose
 * positions are byte offsets and whose $all also carries system events.
 */
describe('the API and its event feed with EVENT_STORE=esdb (on the gRPC stand-in)', () => {
  let standIn: EsdbStandIn;
  let app: NestFastifyApplication;
  let api: Api;
  let url: string;
  let admin: Record<string, string>;
  let temp: { path: string; remove(): void };

  beforeEach(async () => {
    standIn = await EsdbStandIn.start();
    temp = makeTempDir('rapport-feed-esdb-');
    const config = configFromEnv({ EVENT_STORE: 'esdb', EVENTSTORE_URL: standIn.connectionString, DATA_DIR: temp.path });
    app = await createApp({ config: { ...config, port: 0 }, clock: TestClock.at('2026-11-24T03:00:00Z'), logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const token = await app.get<TokenKeys>(TOKEN_KEYS).sign!(TEST_ADMIN, 3600);
    api = new Api(url, token);
    admin = { authorization: `Bearer ${token}` };
  });
  afterEach(async () => {
    await app.close();
    await standIn.stop();
    temp.remove();
  });

  it('records commands on EventStoreDB, replays an Idempotency-Key, and feeds domain events only', async () => {
    await clinicWithPatient(api);
    const body = { patientId: 'p1', callerId: 'nurse-zhang', referred: { name: '李娜', relation: 'sister' } };
    const referral = await api.post('/v1/referrals', body, { 'Idempotency-Key': 'ref-1' });
    const again = await api.post('/v1/referrals', body, { 'Idempotency-Key': 'ref-1' });
    expect([referral.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(referral.body);

    const feed = await api.get('/v1/events?limit=1000');
    expect(feed.status).toBe(200);
    const events: { type: string; position: number; stream: string }[] = feed.body.events;
    expect(events.map((e) => e.type)).toEqual([
      'ClinicConfigured',
      'TreatmentCompleted',
      ...Array(5).fill('FollowUpScheduled'),
      'ReferralRequested',
    ]);
    // The stand-in's $all also holds $ce- links and the idempotency claim; the feed shows neither.
    expect(standIn.log.records.length).toBeGreaterThan(events.length * 2);
    const positions = events.map((e) => e.position);
    const ours = standIn.log.records.filter((r) => !r.stream.startsWith('$') && !r.stream.startsWith('idempotency-'));
    expect(positions).toEqual(ours.filter((r) => !r.stream.startsWith('access-')).map((r) => Number(r.position)));
    expect(Number(referral.headers.get('x-rapport-position'))).toBe(positions.at(-1));
    // The page carried the referred friend's name: reading it was recorded after it, in access-c1.
    const access = ours.filter((r) => r.stream === 'access-c1');
    expect(access).toHaveLength(1);
    expect((await api.get('/health')).body.eventStore.headPosition).toBe(Number(access[0]!.position));
  });

  it('resumes the SSE stream after a disconnect from the last position: nothing missed, nothing repeated', async () => {
    expect((await api.put('/v1/clinics/c1', { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] })).status).toBe(201);
    const first = await SseReader.open(`${url}/v1/events/stream`, admin);
    await first.waitFor((r) => r.messages.length === 1, 'the first event');
    first.disconnect();
    await first.waitFor((r) => r.ended, 'the first connection to end');

    // Recorded while nobody listens: a second clinic, then a third once the client is back.
    expect((await api.put('/v1/clinics/c2', { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] })).status).toBe(201);
    const second = await SseReader.open(`${url}/v1/events/stream`, { ...admin, 'Last-Event-ID': first.lastEventId! });
    await second.waitFor((r) => r.messages.length === 1, 'the event recorded while away');
    expect((await api.put('/v1/clinics/c3', { timeZone: 'Asia/Shanghai', callWindows: ['10:30'] })).status).toBe(201);
    await second.waitFor((r) => r.messages.length === 2, 'a live event');
    second.disconnect();

    const log = (await api.get('/v1/events')).body.events as { position: number; stream: string }[];
    const delivered = [...first.messages, ...second.messages];
    expect(delivered.map((m) => Number(m.id))).toEqual(log.map((e) => e.position));
    expect(delivered.map((m) => JSON.parse(m.data).stream)).toEqual(['clinic-c1', 'clinic-c2', 'clinic-c3']);
  });
});
