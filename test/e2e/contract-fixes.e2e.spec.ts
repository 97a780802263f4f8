import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { clinicWithPatient } from '../support/fixtures';
import { RunningApp, startApp } from '../support/in-process-app';

/**
 * What the contract (API.md) promised and the server did otherwise, found while describing it
 * (issue 17): ?minPosition= on the event feed, local times with their zone, instants the events
 * could not keep, ETags on the reads of a clinic and of a patient's timeline, and the README's
 * curl session on any day.
 */
describe('the contract, where the server did otherwise', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp({ now: '2026-11-24T03:00:00Z' });
    await clinicWithPatient(running.api);
  });
  afterAll(async () => running?.close());

  it('takes ?minPosition= on GET /v1/events and /v1/events/stream (a non-negative integer), as every query does', async () => {
    const { api } = running;
    const head = await api.headPosition();
    const page = await api.get(`/v1/events?after=0&limit=10&minPosition=${head}`);
    expect(page.status).toBe(200);
    expect(page.body.events.length).toBeGreaterThan(0);
    for (const bad of ['-1', 'x', '1.5']) expect((await api.get(`/v1/events?minPosition=${bad}`)).status).toBe(400);
    const stream = await fetch(`${running.url}/v1/events/stream?minPosition=${head}`, { headers: { authorization: `Bearer ${await api.bearer()}` }, signal: AbortSignal.timeout(5000) });
    expect([stream.status, stream.headers.get('content-type')?.split(';')[0]]).toEqual([200, 'text/event-stream']);
    await stream.body?.cancel();
    expect((await api.get('/v1/events/stream?minPosition=x')).status).toBe(400);
  });

  it('takes a local time as { at, timeZone } or …[Zone] wherever an instant is taken, and records the instant in UTC', async () => {
    const { api } = running;
    const local = (at: string) => ({ at, timeZone: 'Asia/Shanghai' });
    const call = await api.post('/v1/calls', {
      patientId: 'p1',
      callerId: 'nurse-zhang',
      startedAt: local('2026-11-24T10:40:00+08:00'),
      outcome: 'reached',
      nextContact: { at: '2026-12-08T16:00:00+08:00[Asia/Shanghai]', purpose: 'the check-up' },
    });
    expect(call.status).toBe(201);
    const later = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: local('2026-11-24T10:45:00+08:00'), outcome: 'call_back_later', callBackAt: local('2026-11-25T10:00:00+08:00') });
    expect(later.status).toBe(201);
    const booked = await api.post('/v1/appointments', { patientId: 'p1', clinicId: 'c1', scheduledFor: local('2026-11-30T10:00:00+08:00') });
    expect(booked.status).toBe(201);
    const added = await api.post('/v1/patients/p1/follow-ups', { purpose: 'ask again', dueAt: local('2026-12-01T10:30:00+08:00') });
    expect(added.status).toBe(201);
    expect(added.body.dueAt).toBe('2026-12-01T02:30:00Z');
    const asked = await api.post('/v1/inquiries', { patientId: 'q1', clinicId: 'c1', receivedAt: local('2026-11-24T10:00:00+08:00'), convenientAt: '2026-11-24T16:00:00+08:00[Asia/Shanghai]' });
    expect(asked.status).toBe(201);
    const events = (await api.get('/v1/patients/p1/events')).body.events as { type: string; data: Record<string, any> }[];
    const calls = events.filter((e) => e.type === 'CallAttempted').map((e) => e.data);
    expect(calls.map((c) => c.startedAt)).toEqual(['2026-11-24T02:40:00Z', '2026-11-24T02:45:00Z']);
    expect(calls[0]!.nextContact.at).toBe('2026-12-08T08:00:00Z');
    expect(calls[1]!.callBackAt).toBe('2026-11-25T02:00:00Z');
    expect(events.find((e) => e.type === 'AppointmentBooked')!.data.scheduledFor).toBe('2026-11-30T02:00:00Z');
    // A zone the tz database does not know is a rule's refusal, like a clinic's; a malformed one, bad input.
    const unknown = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: { at: '2026-11-24T10:50:00+08:00', timeZone: 'Mars/Olympus' }, outcome: 'busy' });
    expect([unknown.status, unknown.body.rule, unknown.body.details]).toEqual([422, 'time_zone_unknown', [{ field: 'startedAt', message: expect.stringContaining('Mars/Olympus') }]]);
    for (const startedAt of [{ at: '2026-11-24T10:50:00+08:00' }, { at: '2026-11-24T10:50:00+08:00', timeZone: 'Asia/Shanghai', also: 1 }, { at: '2026-11-24T10:50', timeZone: 'Asia/Shanghai' }]) {
      const refused = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt, outcome: 'busy' });
      expect([refused.status, refused.body.details?.[0]?.field]).toEqual([400, 'startedAt']);
    }
  });

  it('refuses with a 400 the instants an event could not keep (they were a 500 in nextContact.at)', async () => {
    const { api } = running;
    for (const at of ['2026-12-24 10:30:00Z', '20261224T103000Z', '2026-12-24T10:30:00,5Z', '+002026-12-24T10:30:00Z', '2026-12-24T10Z', '2026-02-30T10:00:00Z']) {
      const answer = await api.post('/v1/calls', { patientId: 'p1', callerId: 'nurse-zhang', startedAt: '2026-11-24T02:50:00Z', outcome: 'reached', nextContact: { at, purpose: 'x' } });
      expect({ at, status: answer.status, field: answer.body.details?.[0]?.field }).toEqual({ at, status: 400, field: 'nextContact.at' });
    }
  });

  it('answers GET /v1/clinics/:clinicId and GET …/timeline with an ETag, the revision If-Match takes (412 once stale)', async () => {
    const { api } = running;
    const clinic = await api.get('/v1/clinics/c1');
    expect(clinic.headers.get('etag')).toMatch(/^"\d+"$/);
    const configure = { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'], name: 'A' };
    const changed = await api.put('/v1/clinics/c1', configure, { 'If-Match': clinic.headers.get('etag')! });
    expect(changed.status).toBe(201);
    expect((await api.put('/v1/clinics/c1', { ...configure, name: 'B' }, { 'If-Match': clinic.headers.get('etag')! })).status).toBe(412);
    expect((await api.get('/v1/clinics/c1')).headers.get('etag')).toBe(changed.headers.get('etag'));

    const command = await api.patch('/v1/patients/p1/preferences', { vip: true });
    expect(command.status).toBe(201);
    const timeline = await api.get(`/v1/patients/p1/timeline?minPosition=${command.headers.get('x-rapport-position')}`);
    expect(timeline.headers.get('etag')).toBe(command.headers.get('etag'));
    const preferences = await api.get('/v1/patients/p1/preferences');
    expect(preferences.headers.get('etag')).toBe(command.headers.get('etag'));
    expect((await api.patch('/v1/patients/p1/preferences', { vip: false }, { 'If-Match': timeline.headers.get('etag')! })).status).toBe(201);
    expect((await api.patch('/v1/patients/p1/preferences', { vip: true }, { 'If-Match': timeline.headers.get('etag')! })).status).toBe(412);
  });
});

describe("the README's first session with curl", () => {
  let running: RunningApp;

  beforeAll(async () => {
    // The session's times are relative to the machine's clock: so is the app's.
    running = await startApp({ now: 'live' });
    expect((await running.api.put('/v1/clinics/demo-clinic', { timeZone: 'Asia/Shanghai', callWindows: ['10:30', '16:00'] })).status).toBe(201);
  });
  afterAll(async () => running?.close());

  it('runs on any day: sign in, a treatment, a call, the queue', async () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const block = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('/v1/auth/local-sign-in'));
    expect(block).toContain('date -u -d');
    const script = block!.replace('API=localhost:3000', `API=${running.url.replace(/^http:\/\//, '')}`);
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], { timeout: 30_000 });
    const [treatment, call, queue] = stdout.trim().split(/\n(?=\{)|(?<=\})(?=\{)/).map((line) => JSON.parse(line));
    expect(treatment.followUps[0]).toMatchObject({ followUpId: `${treatment.patientId}.fu1`, urgent: true });
    expect(call.followUp).toMatchObject({ followUpId: `${treatment.patientId}.fu1`, attempts: 1 });
    expect(queue).toMatchObject({ clinicId: 'demo-clinic', items: expect.any(Array) });
  });
});
