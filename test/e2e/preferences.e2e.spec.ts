import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * Issue 15 item 5: contact preferences update, they do not replace. PATCH changes only the fields
 * sent (null clears one); a PUT with an empty body is a 400 (it used to wipe do-not-call and VIP);
 * both answer an ETag, and If-Match with a stale one is a 412 that changes nothing.
 */
describe('contact preferences over HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    await clinicWithPatient(running.api);
  });
  afterAll(async () => running.close());

  const url = '/v1/patients/p1/preferences';

  it('refuses an empty PUT, naming the body, and records nothing', async () => {
    const { api } = running;
    expect((await api.put(url, { doNotCall: true, vip: true })).status).toBe(201);
    const before = (await api.get('/v1/patients/p1/events')).body.events.length;
    const empty = await api.put(url, {});
    expect([empty.status, empty.body.details]).toEqual([400, [{ field: 'body', message: expect.stringMatching(/at least one field/) }]]);
    expect((await api.get('/v1/patients/p1/events')).body.events.length).toBe(before);
    expect((await api.get(url)).body.preferences).toEqual({ doNotCall: true, vip: true });
  });

  it('PATCH changes only what is sent; null clears a field; the current set loads with its ETag', async () => {
    const { api } = running;
    const patched = await api.patch(url, { preferredTimes: ['22:00-07:00'] });
    expect(patched.status).toBe(201);
    expect(patched.body.preferences).toEqual({ doNotCall: true, vip: true, preferredTimes: ['22:00-07:00'] });
    const cleared = await api.patch(url, { doNotCall: null });
    expect(cleared.body.preferences).toEqual({ vip: true, preferredTimes: ['22:00-07:00'] });
    const read = await api.get(url);
    expect(read.body.preferences).toEqual({ vip: true, preferredTimes: ['22:00-07:00'] });
    expect(read.headers.get('etag')).toBe(cleared.headers.get('etag'));
    const events = (await api.get('/v1/patients/p1/events')).body.events as { type: string; data: { changed?: object } }[];
    expect(events.filter((e) => e.type === 'ContactPreferencesChanged').map((e) => e.data.changed)).toEqual([{ preferredTimes: ['22:00-07:00'] }, { doNotCall: null }]);
  });

  it('If-Match with the current ETag applies; with a stale one it is a 412 and nothing changes', async () => {
    const { api } = running;
    const etag = (await api.get(url)).headers.get('etag')!;
    const applied = await api.patch(url, { avoidWorkHours: true }, { 'if-match': etag });
    expect(applied.status).toBe(201);
    const stale = await api.patch(url, { vip: null }, { 'if-match': etag });
    expect([stale.status, stale.body.rule]).toEqual([412, 'stale_revision']);
    const staleSet = await api.put(url, { vip: false }, { 'if-match': etag });
    expect(staleSet.status).toBe(412);
    expect((await api.get(url)).body.preferences).toEqual({ vip: true, preferredTimes: ['22:00-07:00'], avoidWorkHours: true });
    const malformed = await api.patch(url, { vip: false }, { 'if-match': 'yesterday' });
    expect([malformed.status, malformed.body.details[0].field]).toEqual([400, 'If-Match']);
  });

  it('refuses an empty PATCH and a null for a field that is not a preference', async () => {
    const { api } = running;
    expect((await api.patch(url, {})).status).toBe(400);
    const unknown = await api.patch(url, { shoeSize: null });
    expect([unknown.status, unknown.body.details.map((d: { field: string }) => d.field)]).toEqual([400, ['shoeSize']]);
  });
});
